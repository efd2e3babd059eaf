//! Inline suppression comments in Markdown (invisible when the document is rendered):
//!
//! - `<!-- baocao-disable-next-line -->` or `<!-- baocao-disable-next-line total-mismatch count-mismatch -->`:
//!   no finding (or none of these codes) on the next non-blank line;
//! - `<!-- baocao-disable CODE… -->` … `<!-- baocao-enable CODE… -->`: none in between
//!   (without codes: all rules; a region left open runs to the end of the document).
//!
//! Codes are separated by spaces or commas. Unknown codes are ignored, never an error.

use crate::text::lines;
use crate::{Edit, Finding, RuleCode, TextRange};

/// Which rules a suppression covers: all of them, or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Codes {
    All,
    Only(Vec<RuleCode>),
}

impl Codes {
    fn parse(list: &str) -> Codes {
        let codes: Vec<RuleCode> = list.split([' ', ',', '\t']).filter(|s| !s.is_empty()).filter_map(RuleCode::parse).collect();
        if list.trim().is_empty() {
            Codes::All
        } else {
            Codes::Only(codes)
        }
    }

    fn covers(&self, code: RuleCode) -> bool {
        match self {
            Codes::All => true,
            Codes::Only(list) => list.contains(&code),
        }
    }
}

/// A byte range in which some rules are silenced.
#[derive(Debug, Clone)]
struct Silenced {
    start: usize,
    end: usize,
    codes: Codes,
}

/// The silenced ranges of a document. Cheap when there is no comment: one substring search.
fn silenced(text: &str) -> Vec<Silenced> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, Codes)> = Vec::new();
    for (at, _) in text.match_indices("<!--") {
        let body = at + 4;
        // `<!-->` and `<!--->` are complete (empty) comments in HTML; the closing `-->` may not
        // overlap the opening `<!--`.
        if text[body..].starts_with('>') || text[body..].starts_with("->") {
            continue;
        }
        let Some(close) = text[body..].find("-->") else { break };
        let inner = text[body..body + close].trim();
        let end_of_comment = body + close + 3;
        if let Some(list) = inner.strip_prefix("baocao-disable-next-line") {
            let codes = Codes::parse(list);
            if let Some((start, end)) = next_non_blank_line(text, end_of_comment) {
                out.push(Silenced { start, end, codes });
            }
        } else if let Some(list) = inner.strip_prefix("baocao-disable") {
            open.push((end_of_comment, Codes::parse(list)));
        } else if let Some(list) = inner.strip_prefix("baocao-enable") {
            let codes = Codes::parse(list);
            // Close the matching regions: all of them for a bare enable, else those listed.
            let mut still_open = Vec::new();
            for (start, region) in open.drain(..) {
                let closes = match (&codes, &region) {
                    (Codes::All, _) => true,
                    (Codes::Only(enabled), Codes::Only(disabled)) => disabled.iter().all(|c| enabled.contains(c)),
                    (Codes::Only(_), Codes::All) => false,
                };
                if closes {
                    out.push(Silenced { start, end: at, codes: region });
                } else {
                    still_open.push((start, region));
                }
            }
            open = still_open;
        }
    }
    for (start, codes) in open {
        out.push(Silenced { start, end: text.len(), codes });
    }
    out
}

/// The line after the one containing `pos`, skipping blank lines: `(start, end)` bytes.
fn next_non_blank_line(text: &str, pos: usize) -> Option<(usize, usize)> {
    let after_line = text[pos..].find(['\n', '\r']).map(|i| pos + i)?;
    lines(&text[after_line..]).skip(1).map(|(s, e, _)| (after_line + s, after_line + e)).find(|&(s, e)| !text[s..e].trim().is_empty())
}

/// Removes the findings silenced by suppression comments.
pub fn apply(text: &str, findings: &mut Vec<Finding>) {
    if !text.contains("baocao-") {
        return;
    }
    let regions = silenced(text);
    if regions.is_empty() {
        return;
    }
    findings
        .retain(|f| !regions.iter().any(|r| f.range.start >= r.start && f.range.start < r.end.max(r.start + 1) && r.codes.covers(f.code)));
}

/// The line break the document uses (`\r\n`, `\r` or `\n`), so inserted lines match it.
fn line_break(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// `(start, end)` byte offsets of each line, without its line break.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                out.push((start, i));
                i += 2;
                start = i;
            }
            b'\n' | b'\r' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push((start, text.len()));
    out
}

/// The edits of "ignore this finding here" for a finding of `code` starting on `line`:
/// `<!-- baocao-disable-next-line CODE -->` above the line, or — inside a Markdown table, where
/// a comment line would cut the table — a `baocao-disable` / `baocao-enable` pair around it.
pub fn ignore_here(text: &str, line: usize, code: &str) -> Vec<Edit> {
    let spans = line_spans(text);
    let Some(&(start, _)) = spans.get(line) else { return Vec::new() };
    let eol = line_break(text);
    let insert = |offset: usize, new_text: String| Edit { range: TextRange::new(offset, offset), new_text };
    let is_row = |n: usize| spans.get(n).is_some_and(|&(s, e)| text[s..e].trim_start().starts_with('|'));
    if !is_row(line) {
        return vec![insert(start, format!("<!-- baocao-disable-next-line {code} -->{eol}"))];
    }
    let mut first = line;
    while first > 0 && is_row(first - 1) {
        first -= 1;
    }
    let mut last = line;
    while is_row(last + 1) {
        last += 1;
    }
    let before = insert(spans[first].0, format!("<!-- baocao-disable {code} -->{eol}"));
    let after = match spans.get(last + 1) {
        Some(&(next, _)) => insert(next, format!("<!-- baocao-enable {code} -->{eol}")),
        None => insert(spans[last].1, format!("{eol}<!-- baocao-enable {code} -->")),
    };
    vec![before, after]
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Config};

    const WRONG: &str = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.";

    fn count(text: &str) -> usize {
        analyze(text, &Config::default()).len()
    }

    #[test]
    fn next_line_comment_silences_one_line_only() {
        assert_eq!(count(&format!("{WRONG}\n\n{WRONG}")), 2);
        assert_eq!(count(&format!("<!-- baocao-disable-next-line total-mismatch -->\n{WRONG}\n\n{WRONG}")), 1);
        assert_eq!(count(&format!("<!-- baocao-disable-next-line -->\r\n\r\n{WRONG}\r\n\r\n{WRONG}")), 1);
        // Another code does not silence this one.
        assert_eq!(count(&format!("<!-- baocao-disable-next-line count-mismatch -->\n{WRONG}")), 1);
    }

    #[test]
    fn regions_run_to_their_enable_or_to_the_end() {
        let text = format!("<!-- baocao-disable total-mismatch -->\n{WRONG}\n<!-- baocao-enable total-mismatch -->\n\n{WRONG}");
        assert_eq!(count(&text), 1);
        assert_eq!(count(&format!("<!-- baocao-disable -->\n{WRONG}\n\n{WRONG}")), 0);
        // A bare enable closes every region.
        assert_eq!(count(&format!("<!-- baocao-disable total-mismatch, count-mismatch -->\n{WRONG}\n<!-- baocao-enable -->\n{WRONG}")), 1);
    }

    #[test]
    fn malformed_comments_are_ignored() {
        assert_eq!(count(&format!("<!-- baocao-disable-next-line\n{WRONG}")), 1);
        assert_eq!(count(&format!("<!-- baocao-disable-next-line no-such-rule -->\n{WRONG}")), 1);
        assert_eq!(count(&format!("<!-- baocao-enable -->\n{WRONG}")), 1);
    }

    #[test]
    fn abruptly_closed_comments_are_empty_and_never_panic() {
        // `<!-->` and `<!--->` end at once (HTML); they used to make the closing `-->` overlap
        // the opening `<!--` and panic on the slice.
        assert_eq!(count(&format!("<!--> baocao-disable\n{WRONG}")), 1);
        assert_eq!(count(&format!("<!---> baocao-\n{WRONG}")), 1);
        assert_eq!(count(&format!("<!-->\n<!-- baocao-disable-next-line -->\n{WRONG}")), 0);
        assert_eq!(count("<!--->baocao-<!--"), 0);
    }
}
