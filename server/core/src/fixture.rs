//! The fixture language shared by every test: a small document with the expected findings
//! annotated inline, under the text they point at.
//!
//! ```text
//! //- locale: en
//! Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.
//!               ^^^^^^^^^^^ total-mismatch: 6 + 19 = 25, không khớp tổng số 28 chỉ tiêu
//! ```
//!
//! - An annotation line is spaces, carets, then a rule code, an optional severity in
//!   parentheses (`total-mismatch (information)`), and an optional `: message` (compared exactly).
//! - Carets count characters (not bytes) of the nearest text line above and mark the range.
//! - Header lines `//- key: value` at the top set the configuration (`locale: en`).
//! - Annotation and header lines are removed before analysis; the line endings of the file
//!   (LF or CRLF) are kept, so CRLF fixtures test CRLF.

use crate::config::{Config, Locale};
use crate::rules::RuleCode;
use crate::{Finding, Severity, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub code: String,
    pub range: TextRange,
    pub severity: Option<Severity>,
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Fixture {
    pub text: String,
    pub config: Config,
    pub expected: Vec<Expected>,
}

fn is_annotation(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with('^') && {
        let after = trimmed.trim_start_matches('^');
        after.starts_with(' ') && after.trim_start().chars().next().is_some_and(|c| c.is_ascii_lowercase())
    }
}

/// Parses a fixture. Errors name the line that is malformed.
pub fn parse(source: &str) -> Result<Fixture, String> {
    let mut text = String::new();
    let mut config = Config::default();
    let mut expected = Vec::new();
    // (byte offset in `text` of the last text line, that line's content)
    let mut last_line: Option<(usize, String)> = None;
    let mut in_header = true;
    for (n, raw) in source.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if in_header && line.starts_with("//-") {
            let body = line.trim_start_matches("//-").trim();
            let (key, value) = body.split_once(':').ok_or(format!("line {}: header without ':'", n + 1))?;
            match key.trim() {
                "locale" => config.locale = Locale::parse(value).ok_or(format!("line {}: unknown locale", n + 1))?,
                other => return Err(format!("line {}: unknown header {other}", n + 1)),
            }
            continue;
        }
        in_header = false;
        if is_annotation(line) {
            let (offset, content) = last_line.as_ref().ok_or(format!("line {}: annotation before any text", n + 1))?;
            let col_start = line.chars().take_while(|c| *c != '^').count();
            let carets = line.chars().skip(col_start).take_while(|c| *c == '^').count();
            let rest = line.chars().skip(col_start + carets).collect::<String>();
            let rest = rest.trim();
            let (head, message) = match rest.split_once(':') {
                Some((h, m)) => (h.trim(), Some(m.trim().to_string())),
                None => (rest, None),
            };
            let (code, severity) = match head.split_once('(') {
                Some((c, s)) => {
                    let s = s.trim_end_matches(')');
                    (c.trim(), Some(Severity::parse(s).ok_or(format!("line {}: unknown severity {s}", n + 1))?))
                }
                None => (head, None),
            };
            if RuleCode::parse(code).is_none() {
                return Err(format!("line {}: unknown rule code {code}", n + 1));
            }
            let byte_at = |col: usize| -> usize { content.char_indices().nth(col).map_or(content.len(), |(b, _)| b) };
            let start = offset + byte_at(col_start);
            let end = offset + byte_at(col_start + carets);
            expected.push(Expected { code: code.to_string(), range: TextRange::new(start, end), severity, message });
            continue;
        }
        last_line = Some((text.len(), line.to_string()));
        text.push_str(raw);
    }
    Ok(Fixture { text, config, expected })
}

/// Compares findings with the annotations. Ranges are compared on the first line of a finding
/// (a caret line cannot mark a range that spans lines).
pub fn mismatches(fixture: &Fixture, findings: &[Finding]) -> Vec<String> {
    let clip = |range: TextRange| -> TextRange {
        let line_end = fixture.text[range.start..].find(['\n', '\r']).map_or(fixture.text.len(), |i| range.start + i);
        TextRange::new(range.start, range.end.min(line_end))
    };
    let describe = |range: TextRange| -> String {
        let line = fixture.text[..range.start].matches('\n').count() + 1;
        format!("line {line} “{}”", &fixture.text[range.as_range()])
    };
    let mut problems = Vec::new();
    let mut unmatched: Vec<&Finding> = findings.iter().collect();
    for exp in &fixture.expected {
        let position = unmatched.iter().position(|f| f.code.as_str() == exp.code && clip(f.range) == exp.range);
        match position {
            Some(i) => {
                let f = unmatched.remove(i);
                if let Some(message) = &exp.message {
                    if &f.message != message {
                        problems.push(format!(
                            "{} at {}: message\n   expected: {message}\n     actual: {}",
                            exp.code,
                            describe(exp.range),
                            f.message
                        ));
                    }
                }
                if let Some(severity) = exp.severity {
                    if f.severity != severity {
                        problems.push(format!(
                            "{} at {}: severity {:?}, expected {:?}",
                            exp.code,
                            describe(exp.range),
                            f.severity,
                            severity
                        ));
                    }
                }
            }
            None => problems.push(format!("missing: {} at {}", exp.code, describe(exp.range))),
        }
    }
    for f in unmatched {
        problems.push(format!("unexpected: {} at {}: {}", f.code, describe(clip(f.range)), f.message));
    }
    problems
}

/// Renders findings as annotation lines under the text (for writing new fixtures).
pub fn annotate(text: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for (start, end, next) in crate::text::lines(text) {
        out.push_str(&text[start..next]);
        if next == end && !text[start..end].is_empty() {
            out.push('\n');
        }
        let on_line = |f: &&Finding| f.range.start >= start && (f.range.start < end || (start == end && f.range.start == end));
        for f in findings.iter().filter(on_line) {
            let col = text[start..f.range.start].chars().count();
            let stop = f.range.end.min(end);
            let width = text[f.range.start..stop].chars().count().max(1);
            out.push_str(&format!("{}{} {}: {}\n", " ".repeat(col), "^".repeat(width), f.code, f.message));
        }
    }
    out
}
