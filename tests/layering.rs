//! Architecture checks: the analysis core stays free of protocol and runtime crates, and every
//! Rust source file under `server/` opens with a `//!` doc line saying what it is for.

use std::path::{Path, PathBuf};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FORBIDDEN_CRATES: [&str; 5] = ["tower-lsp", "lsp-types", "tokio", "ropey", "dashmap"];
const FORBIDDEN_PATHS: [&str; 5] = ["tower_lsp", "lsp_types", "tokio", "ropey", "dashmap"];

fn server_dir() -> PathBuf {
    // This test belongs to server/lsp; its parent is server/.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Crate names in the dependency tables of a Cargo.toml (`[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]`, target-specific ones, and `[dependencies.name]` sections).
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let header = line.trim_matches(|c| c == '[' || c == ']');
            let last = header.rsplit('.').next().unwrap_or(header);
            if let Some((_, name)) = header.split_once("dependencies.") {
                // [dependencies.tokio] names the crate in the header itself.
                names.push(name.trim_matches('"').to_string());
                in_table = false;
            } else {
                in_table = last.ends_with("dependencies");
            }
            continue;
        }
        if in_table {
            if let Some((key, value)) = line.split_once('=') {
                let key = key.trim().trim_matches('"');
                let name = key.split('.').next().unwrap_or(key);
                if !name.is_empty() && !name.starts_with('#') {
                    names.push(name.to_string());
                }
                // `alias = { package = "tokio" }` depends on tokio under another name.
                if let Some((_, rest)) = value.split_once("package") {
                    if let Some(pkg) = rest.split('"').nth(1) {
                        names.push(pkg.to_string());
                    }
                }
            }
        }
    }
    names
}

#[test]
fn dependency_name_reader_sees_every_form() {
    let names = dependency_names(
        "[package]\nname = \"x\"\n[dependencies]\nregex.workspace = true\nrt = { package = \"tokio\", version = \"1\" }\n\
         [target.'cfg(unix)'.dev-dependencies]\n\"my-lsp\" = \"1\"\n[dependencies.ropey]\nversion = \"1\"\n",
    );
    assert_eq!(names, ["regex", "rt", "tokio", "my-lsp", "ropey"]);
}

#[test]
fn core_manifest_has_no_protocol_or_runtime_dependency() -> TestResult {
    let manifest = std::fs::read_to_string(server_dir().join("core/Cargo.toml"))?;
    let names = dependency_names(&manifest);
    assert!(names.iter().any(|n| n == "regex"), "the manifest reader found no dependencies at all: {names:?}");
    let bad: Vec<&String> = names.iter().filter(|n| FORBIDDEN_CRATES.contains(&n.as_str()) || n.contains("lsp")).collect();
    assert!(bad.is_empty(), "baocao-core must stay pure; it depends on {bad:?}");
    Ok(())
}

#[test]
fn core_sources_do_not_mention_protocol_or_runtime_crates() -> TestResult {
    let mut files = Vec::new();
    rust_files(&server_dir().join("core/src"), &mut files)?;
    assert!(files.len() > 5, "expected the core's sources, found {files:?}");
    let mut offences = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)?;
        for (n, line) in text.lines().enumerate() {
            // Prose may say what the core is free of ("knows nothing of tokio"); code may not use it.
            let code = line.split("//").next().unwrap_or_default();
            if FORBIDDEN_PATHS.iter().any(|word| code.contains(word)) {
                offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(offences.is_empty(), "baocao-core must not know about the protocol or the runtime:\n{}", offences.join("\n"));
    Ok(())
}

#[test]
fn every_server_source_file_starts_with_a_module_doc_line() -> TestResult {
    let mut files = Vec::new();
    rust_files(&server_dir(), &mut files)?;
    // Build output is not source.
    files.retain(|f| !f.components().any(|c| c.as_os_str() == "target"));
    assert!(files.len() > 10, "expected the server sources, found {files:?}");
    let undocumented: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).map_or(true, |t| !t.trim_start_matches('\u{feff}').starts_with("//!")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(undocumented.is_empty(), "these files must start with a `//!` line saying what they are for:\n{}", undocumented.join("\n"));
    Ok(())
}

/// The paths a source file names under `rules` (`crate::rules::x`, `super::rules::{…}`,
/// `use crate::rules;`), one entry per name.
fn rule_paths(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in source.match_indices("rules::").chain(source.match_indices("rules;")) {
        let before = &source[..at];
        // Only paths through the crate: `crate::rules`, `super::rules`, `baocao_core::rules`.
        if !(before.ends_with("crate::") || before.ends_with("super::") || before.ends_with("baocao_core::")) {
            continue;
        }
        let rest = &source[at + "rules".len()..];
        let Some(rest) = rest.strip_prefix("::") else {
            names.push("rules".to_string());
            continue;
        };
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            names.extend(group[..end].split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()));
        } else {
            names.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    names
}

#[test]
fn rule_path_reader_sees_every_form() {
    assert_eq!(rule_paths("use crate::rules::RuleCode;"), vec!["RuleCode"]);
    assert_eq!(rule_paths("use crate::rules::{self, RuleCode};"), vec!["self", "RuleCode"]);
    assert_eq!(rule_paths("crate::rules::total_mismatch::check(x)"), vec!["total_mismatch"]);
    assert_eq!(rule_paths("use super::rules;"), vec!["rules"]);
    assert!(rule_paths("//! all rules; a region").is_empty());
}

/// Only the engine (`analysis/`) and the rules themselves use the rules: data and recognition
/// modules (citations, phrasebook, catalogue, extraction) must not call a rule, so there is one
/// orchestrator and no import cycle. The rule codes are vocabulary every module may name.
#[test]
fn only_the_engine_and_the_rules_import_rules() -> TestResult {
    let src = server_dir().join("core").join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files)?;
    let mut offenders = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src)?;
        let top = relative.components().next().map(|c| c.as_os_str().to_string_lossy().to_string()).unwrap_or_default();
        if top == "rules" || top == "analysis" || top == "lib.rs" {
            continue;
        }
        let source = std::fs::read_to_string(file)?;
        for name in rule_paths(&source) {
            if name != "RuleCode" {
                offenders.push(format!("{}: rules::{name}", relative.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "modules outside rules/ and analysis/ import rules: {offenders:?}");
    Ok(())
}
