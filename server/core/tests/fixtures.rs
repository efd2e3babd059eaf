//! Runs every fixture under `tests/fixtures/<rule-code>/`: a small document with the expected
//! findings annotated inline (see `baocao_core::fixture`). A fixture without annotations must
//! stay silent. `BAOCAO_ANNOTATE=1 cargo test -p baocao-core --test fixtures` prints what the
//! checker finds for each failing fixture, annotated, to help write new ones.

use baocao_core::{fixture, RuleCode};
use std::path::{Path, PathBuf};

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
            out.push(path);
        }
    }
    out
}

#[test]
fn every_fixture_matches_its_annotations() {
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for file in &files {
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: cannot read: {e}", file.display()));
                continue;
            }
        };
        let parsed = match fixture::parse(&source) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        // Every annotation in a rule's folder names that rule: fixtures stay easy to find.
        let folder = file.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        if RuleCode::parse(folder).is_some() && parsed.expected.iter().any(|e| e.code != folder) {
            failures.push(format!("{}: annotates a code other than its folder's ({folder})", file.display()));
        }
        let findings = fixture::analyze(&parsed);
        let problems = fixture::mismatches(&parsed, &findings);
        if !problems.is_empty() {
            let mut report = format!("{}:\n  {}", file.display(), problems.join("\n  "));
            if std::env::var_os("BAOCAO_ANNOTATE").is_some() {
                report.push_str("\n--- checker output ---\n");
                report.push_str(&fixture::annotate(&parsed.text, &findings));
            }
            failures.push(report);
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures fail:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}

#[test]
fn fixture_counts_per_rule() {
    // At least five fixtures per rule, and at least as many silent ones as firing ones overall.
    let mut silent = 0;
    let mut firing = 0;
    for code in RuleCode::ALL {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(code.as_str());
        let files = walk(&dir);
        assert!(files.len() >= 5, "{code}: only {} fixtures", files.len());
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap_or_default();
            match fixture::parse(&source) {
                Ok(f) if f.expected.is_empty() => silent += 1,
                Ok(_) => firing += 1,
                Err(e) => panic!("{}: {e}", file.display()),
            }
        }
    }
    assert!(silent >= firing, "{silent} silent fixtures, {firing} firing: precision fixtures must be at least half");
    assert!(silent + firing >= 80, "only {} fixtures", silent + firing);
}
