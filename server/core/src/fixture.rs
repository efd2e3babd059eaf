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
//! - Header lines `//- key: value` at the top set the configuration (`locale: en`; house style
//!   `tone-marks: new`, `date-style: slash`, `abbreviations-allowed: UBND, BCH`; `off: CODE…`
//!   turns rules off, for fixtures of one rule written on text another rule rightly flags).
//! - `//- directive 11-NQ/TW | 10/02/2022 | Bộ Chính trị | Nghị quyết về …` declares a document
//!   of a mini-catalogue (symbol | date | issuing body | type and title [| thay thế bởi SYMBOL]);
//!   a fixture that declares one is checked against it instead of the bundled catalogue, so
//!   citation tests do not depend on the shipped data.
//! - `$0` marks a cursor (hover, definition, completion tests); it is removed from the text.
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
    /// The mini-catalogue declared by `//- directive` headers, if any.
    pub catalogue: Option<crate::catalogue::Catalogue>,
    /// The byte offset of the `$0` marker, if any.
    pub cursor: Option<usize>,
}

/// Reads one `//- directive` header into a catalogue entry.
fn parse_directive(body: &str, line: usize) -> Result<crate::catalogue::Entry, String> {
    use crate::catalogue::{Entry, Origin, RelatedDoc};
    use crate::citations::date::Date;
    let fields: Vec<&str> = body.split('|').map(str::trim).collect();
    let [symbol, date, body, kind_title, rest @ ..] = fields.as_slice() else {
        return Err(format!("line {line}: directive needs symbol | date | body | type về title"));
    };
    let parsed = crate::citations::symbol::parse_symbol(symbol).ok_or(format!("line {line}: bad symbol {symbol}"))?;
    let issue_date = if date.is_empty() || *date == "?" {
        None
    } else {
        let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
        let [d, m, y] = parts.as_slice() else { return Err(format!("line {line}: bad date {date}")) };
        let parse = |s: &str| s.parse::<i64>().map_err(|_| format!("line {line}: bad date {date}"));
        Some(Date::new(parse(y)?, parse(m)? as u32, parse(d)? as u32))
    };
    let (doc_type, title) = match kind_title.split_once(" về ") {
        Some((t, rest)) => (t.trim(), rest.trim()),
        None => (kind_title.trim(), ""),
    };
    let mut replaced_by = Vec::new();
    for extra in rest {
        let target = extra.strip_prefix("thay thế bởi").or_else(|| extra.strip_prefix("replaced by"));
        match target {
            Some(t) => replaced_by.push(RelatedDoc {
                number_symbol: t.trim().to_string(),
                issue_date: None,
                issuing_body: None,
                title: None,
                source: None,
                in_force: None,
            }),
            None => return Err(format!("line {line}: unknown directive field {extra}")),
        }
    }
    Ok(Entry {
        id: symbol.to_string(),
        system: None,
        doc_type: doc_type.to_string(),
        number_symbol: symbol.to_string(),
        symbol: Some(parsed),
        issue_date,
        issuing_body: body.to_string(),
        meeting: None,
        title: title.to_string(),
        in_force: None,
        sources: vec![format!("fixture line {line}")],
        replaces: Vec::new(),
        replaced_by,
        amended_by: Vec::new(),
        origin: Origin::Workspace { path: "fixture".to_string(), line },
    })
}

/// The findings for a fixture: checked against its mini-catalogue when it declares one.
pub fn analyze(fixture: &Fixture) -> Vec<Finding> {
    match &fixture.catalogue {
        Some(catalogue) => crate::Analyzer::new().analyze_with(&fixture.text, &fixture.config, catalogue),
        None => crate::Analyzer::new().analyze(&fixture.text, &fixture.config),
    }
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
    let mut catalogue: Option<crate::catalogue::Catalogue> = None;
    let mut cursor = None;
    for (n, raw) in source.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if in_header && line.starts_with("//-") {
            let body = line.trim_start_matches("//-").trim();
            if let Some(directive) = body.strip_prefix("directive ") {
                let entry = parse_directive(directive, n + 1)?;
                catalogue.get_or_insert_with(Default::default).entries.push(entry);
                continue;
            }
            let (key, value) = body.split_once(':').ok_or(format!("line {}: header without ':'", n + 1))?;
            match key.trim() {
                "locale" => config.locale = Locale::parse(value).ok_or(format!("line {}: unknown locale", n + 1))?,
                other => config.set(other, value).map_err(|e| format!("line {}: {e}", n + 1))?,
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
        let (line, raw) = match raw.find("$0") {
            Some(at) => {
                cursor = Some(text.len() + at);
                (line.replacen("$0", "", 1), raw.replacen("$0", "", 1))
            }
            None => (line.to_string(), raw.to_string()),
        };
        last_line = Some((text.len(), line));
        text.push_str(&raw);
    }
    Ok(Fixture { text, config, expected, catalogue, cursor })
}

/// Compares findings with the annotations. Ranges are compared on the first line of a finding
/// (a caret line cannot mark a range that spans lines).
///
/// A fixture with a mini-catalogue is compared with [`analyze`]'s findings (its own catalogue),
/// whatever `findings` the caller computed with the bundled one.
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
