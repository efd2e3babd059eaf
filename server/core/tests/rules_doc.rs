//! Keeps `docs/rules.md` honest: every ```baocao example in it is a fixture (see
//! `baocao_core::fixture`) and must match what the checker finds, and every rule code has a
//! `## <code>` section (the anchor of its `codeDescription` link) with at least one example
//! that fires and one that stays silent.

use baocao_core::{fixture, RuleCode};
use std::path::PathBuf;

fn rules_doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")
}

fn read_rules_doc() -> String {
    let path = rules_doc_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// One fenced example: the line its body starts on (1-based) and the body.
struct Example {
    line: usize,
    body: String,
}

/// One `## ` section: its heading text and the examples inside it.
struct Section {
    heading: String,
    examples: Vec<Example>,
}

/// Splits the document into `## ` sections (text before the first one goes into a section with
/// an empty heading) and collects the ```baocao blocks of each. Fences are recognised the way
/// CommonMark does for backtick fences: a line of three or more backticks, closed by a line of
/// at least as many backticks; a ```baocao block's info string is exactly `baocao`.
fn sections(doc: &str) -> Vec<Section> {
    let mut out = vec![Section { heading: String::new(), examples: Vec::new() }];
    let mut fence: Option<(usize, bool, usize, String)> = None; // (backticks, is baocao, start line, body)
    for (n, raw) in doc.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        match fence.as_mut() {
            Some((open_ticks, is_baocao, start, body)) => {
                if ticks >= *open_ticks && trimmed[ticks..].trim().is_empty() {
                    if *is_baocao {
                        let example = Example { line: *start, body: std::mem::take(body) };
                        if let Some(section) = out.last_mut() {
                            section.examples.push(example);
                        }
                    }
                    fence = None;
                } else {
                    body.push_str(raw);
                }
            }
            None if ticks >= 3 => {
                let info = trimmed[ticks..].trim();
                fence = Some((ticks, info == "baocao", n + 2, String::new()));
            }
            None => {
                if let Some(heading) = line.strip_prefix("## ") {
                    out.push(Section { heading: heading.trim().to_string(), examples: Vec::new() });
                }
            }
        }
    }
    assert!(fence.is_none(), "docs/rules.md ends inside a fenced block");
    out
}

#[test]
fn every_example_in_rules_doc_matches_the_checker() {
    let doc = read_rules_doc();
    let mut failures = Vec::new();
    let mut checked = 0;
    for section in sections(&doc) {
        for example in &section.examples {
            checked += 1;
            let parsed = match fixture::parse(&example.body) {
                Ok(parsed) => parsed,
                Err(e) => {
                    failures.push(format!("example at docs/rules.md:{}: {e}", example.line));
                    continue;
                }
            };
            let findings = fixture::analyze(&parsed);
            let problems = fixture::mismatches(&parsed, &findings);
            if !problems.is_empty() {
                failures.push(format!(
                    "example at docs/rules.md:{}:\n  {}\n--- checker output ---\n{}",
                    example.line,
                    problems.join("\n  "),
                    fixture::annotate(&parsed.text, &findings)
                ));
            }
        }
    }
    assert!(checked > 0, "docs/rules.md has no ```baocao examples");
    assert!(failures.is_empty(), "{} of {checked} examples disagree with the checker:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_section_with_a_firing_and_a_silent_example() {
    let doc = read_rules_doc();
    let all = sections(&doc);
    for code in RuleCode::ALL {
        let matching: Vec<&Section> = all.iter().filter(|s| s.heading == code.as_str()).collect();
        assert_eq!(matching.len(), 1, "docs/rules.md needs exactly one heading `## {code}` (the anchor of its codeDescription link)");
        let section = matching[0];
        let mut firing = 0;
        let mut silent = 0;
        for example in &section.examples {
            let parsed = match fixture::parse(&example.body) {
                Ok(parsed) => parsed,
                Err(e) => panic!("example at docs/rules.md:{}: {e}", example.line),
            };
            if parsed.expected.is_empty() {
                silent += 1;
            } else {
                assert!(
                    parsed.expected.iter().all(|e| e.code == code.as_str()),
                    "example at docs/rules.md:{} in section {code} annotates another rule's code",
                    example.line
                );
                firing += 1;
            }
        }
        assert!(firing >= 1, "section `## {code}` has no example that fires");
        assert!(silent >= 1, "section `## {code}` has no example that stays silent");
    }
}

#[test]
fn section_splitter_reads_fences_and_headings() {
    // The splitter itself decides what the two tests above see, so it is checked on a
    // small document: a non-baocao fence is skipped, a longer fence may contain ``` lines.
    let doc = "intro\n```baocao\nA\n```\n## total-mismatch\ntext\n```text\nnot an example\n```\n````baocao\nB\n```\nC\n````\n## other\n";
    let all = sections(doc);
    let headings: Vec<&str> = all.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["", "total-mismatch", "other"]);
    let bodies: Vec<Vec<&str>> = all.iter().map(|s| s.examples.iter().map(|e| e.body.as_str()).collect()).collect();
    assert_eq!(bodies, vec![vec!["A\n"], vec!["B\n```\nC\n"], vec![]]);
    assert_eq!(all[1].examples[0].line, 11);
}

/// Step 4 of "Adding a rule" (docs/architecture.md): `docs/configuration.md` names every rule
/// code in its list of codes, and every rule whose default is not `warning` in its sentence on
/// default severities.
#[test]
fn the_configuration_page_lists_every_rule_code_and_its_default_severity() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/configuration.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let line = |prefix: &str| doc.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no line starting {prefix:?}"));
    let codes = line("Mã quy tắc / rule codes:");
    let severities = line("Default severities:");
    for code in RuleCode::ALL {
        let quoted = format!("`{code}`");
        assert!(codes.contains(&quoted), "docs/configuration.md: the list of rule codes lacks {quoted}");
        let named = severities.contains(&quoted);
        let warning = code.default_severity() == baocao_core::Severity::Warning;
        assert_eq!(
            named,
            !warning,
            "docs/configuration.md: {quoted} (default {:?}) in the default-severity sentence",
            code.default_severity()
        );
    }
}
