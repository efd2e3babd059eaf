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

/// The number rules' quick fixes make the text consistent: in every firing fixture, applying any
/// plain (non-snippet) fix of a number finding and analysing again leaves fewer findings of that
/// rule.
#[test]
fn every_number_fix_applied_removes_its_finding() {
    let number_rules = [
        RuleCode::TotalMismatch,
        RuleCode::CountMismatch,
        RuleCode::FractionMismatch,
        RuleCode::PercentMismatch,
        RuleCode::RatioMismatch,
        RuleCode::TableTotalMismatch,
    ];
    let mut failures = Vec::new();
    let mut applied = 0;
    for file in fixture_files() {
        let Ok(source) = std::fs::read_to_string(&file) else { continue };
        let Ok(parsed) = fixture::parse(&source) else { continue };
        if parsed.catalogue.is_some() {
            continue;
        }
        let findings = fixture::analyze(&parsed);
        for finding in findings.iter().filter(|f| number_rules.contains(&f.code)) {
            let before = findings.iter().filter(|f| f.code == finding.code).count();
            for fix in finding.fixes.iter().filter(|f| !f.snippet) {
                let mut text = parsed.text.clone();
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
                for edit in &edits {
                    text.replace_range(edit.range.start..edit.range.end, &edit.new_text);
                }
                applied += 1;
                let after = baocao_core::analyze(&text, &parsed.config).iter().filter(|f| f.code == finding.code).count();
                if after >= before {
                    failures.push(format!(
                        "{}: “{}” leaves {after} {} finding(s):\n{text}",
                        file.display(),
                        fix.title,
                        finding.code.as_str()
                    ));
                }
            }
        }
    }
    assert!(applied > 50, "only {applied} fixes were tried");
    assert!(failures.is_empty(), "{} fixes do not remove their finding:\n\n{}", failures.len(), failures.join("\n\n"));
}
