//! Rule: count-mismatch
//!
//! An announced count that disagrees with the items then listed:
//! "4 nhiệm vụ trọng tâm … gồm: a; b; c; d" (items separated by semicolons),
//! a quoted slogan and its list ("“5 rõ” (rõ người, rõ việc, …)"),
//! "năm nội dung chính sau:" followed by "Một là, … Hai là, …" paragraphs,
//! "(11 chỉ tiêu)" followed by numbered or bulleted lines.
//!
//! Inline lists separated only by commas are not counted ("phát triển kinh tế, xã hội và quốc
//! phòng, an ninh" has no certain item count), except in slogans whose items repeat the slogan
//! word. "một số" ("some") is never a count.

use super::{BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::extract::{BlockFacts, CountClaim, Items, Marker};
use crate::number::format_vi;
use crate::{Edit, Finding, Fix, Locale, Related, Severity, TextRange};
use rust_decimal::Decimal;

/// A count of list items (1 to 99) in Vietnamese words, as announced counts are written
/// ("bốn nội dung", "mười hai nhiệm vụ", "hai mươi mốt chỉ tiêu").
fn number_in_words(n: usize) -> Option<String> {
    const UNITS: [&str; 10] = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    match n {
        1..=9 => Some(UNITS[n].to_string()),
        10 => Some("mười".to_string()),
        11..=19 => Some(format!("mười {}", if n == 15 { "lăm" } else { UNITS[n - 10] })),
        20..=99 => {
            let (tens, units) = (n / 10, n % 10);
            let last = match units {
                0 => String::new(),
                1 => " mốt".to_string(),
                5 => " lăm".to_string(),
                u => format!(" {}", UNITS[u]),
            };
            Some(format!("{} mươi{last}", UNITS[tens]))
        }
        _ => None,
    }
}

/// Checks the counts whose items are inside the block.
pub fn check_inline(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    for claim in &ctx.facts.counts {
        if let Items::Inline(items) = &claim.items {
            if let Some(finding) = compare(claim, items, ctx.locale) {
                findings.push(finding);
            }
        }
    }
}

/// Builds the finding when the number of items differs from the announced count.
/// `items` are ranges in the same coordinates as the claim.
pub fn compare(claim: &CountClaim, items: &[TextRange], locale: Locale) -> Option<Finding> {
    let listed = Decimal::from(items.len() as u64);
    // One item is no list: the announcement was followed by a paragraph, not items.
    if items.len() < 2 || listed == claim.value {
        return None;
    }
    let n_items = items.len();
    // The count is corrected as the text wrote it: in digits, or in words ("năm" → "bốn").
    let replacement = if claim.written.bytes().all(|b| b.is_ascii_digit()) {
        Some(n_items.to_string())
    } else {
        number_in_words(n_items).map(|words| {
            let capital = claim.written.chars().next().is_some_and(char::is_uppercase);
            let mut chars = words.chars();
            match chars.next() {
                Some(first) if capital => first.to_uppercase().chain(chars).collect(),
                _ => words,
            }
        })
    };
    let fixes = match replacement {
        Some(new_text) => vec![Fix {
            title: locale.pick(format!("Sửa số lượng thành {new_text}"), format!("Change the count to {new_text}")),
            edits: vec![Edit { range: claim.number, new_text }],
            preferred: true,
            snippet: false,
        }],
        None => Vec::new(),
    };
    Some(Finding::new(RuleCode::CountMismatch, claim.span, locale.pick(
            format!("Nêu {} {} nhưng liệt kê {n_items} mục", format_vi(claim.value, 0), claim.noun),
            format!("Announces {} {} but lists {n_items} items", format_vi(claim.value, 0), claim.noun),
        )).with_severity(Severity::Warning).with_related(items
            .iter()
            .enumerate()
            .map(|(i, r)| Related { range: *r, message: locale.pick(format!("mục {}", i + 1), format!("item {}", i + 1)) })
            .collect()).with_fixes(fixes))
}

/// One line of the document for list counting: absolute range, marker, and whether a blank
/// line stands before it (a new block).
#[derive(Debug, Clone)]
pub struct DocLine {
    pub range: TextRange,
    pub marker: Option<Marker>,
    /// For a numbered line, its number ("12." → 12).
    pub number: Option<usize>,
    pub new_block: bool,
}

/// The most lines a list is followed through: lists in reports are short.
const MAX_LINES: usize = 400;

/// Counts the list items on the lines that follow an announcement. Lines are pulled lazily
/// and the walk stops where the list ends, so a claim costs what its list costs. Returns `None`
/// when the list's extent is unclear.
pub fn count_following(lines: impl Iterator<Item = DocLine>) -> Option<Vec<TextRange>> {
    let mut lines = lines.take(MAX_LINES);
    let first = lines.next()?;
    // The list must start on the first non-empty line after the announcement.
    let style = first.marker.clone()?;
    if matches!(style, Marker::Heading | Marker::TableRow | Marker::Roman) {
        return None;
    }
    let mut items: Vec<TextRange> = vec![first.range];
    // Lines read ahead while deciding whether a plain paragraph interrupts the list.
    let mut pending: std::collections::VecDeque<DocLine> = std::collections::VecDeque::new();
    while let Some(line) = pending.pop_front().or_else(|| lines.next()) {
        match &line.marker {
            // A numbered list that starts again at 1 (or skips) is another list.
            Some(m) if *m == style && style == Marker::Numbered && line.number.is_some() && line.number != Some(items.len() + 1) => break,
            Some(m) if *m == style => items.push(line.range),
            Some(m) if m.rank() < style.rank() => break,
            Some(_) => {}
            None if line.new_block => {
                // An unindented paragraph ends the list, unless the numbering resumes right
                // after it ("1. …", "Trong đó, …", "2. …"): then it continues item 1.
                if style != Marker::Numbered {
                    break;
                }
                while pending.len() < 40 {
                    match lines.next() {
                        Some(next) => {
                            let marked = next.marker.is_some();
                            pending.push_back(next);
                            if marked {
                                break;
                            }
                        }
                        None => break,
                    }
                }
                if !numbering_resumes(&line, pending.iter(), items.len()) {
                    break;
                }
            }
            None => {}
        }
    }
    Some(items)
}

/// Whether the next marked line after `plain` is item number `done + 1`, with at most two
/// plain paragraphs in between.
fn numbering_resumes<'a>(plain: &DocLine, ahead: impl Iterator<Item = &'a DocLine>, done: usize) -> bool {
    let mut plain_blocks = usize::from(plain.new_block);
    for line in ahead {
        match &line.marker {
            Some(Marker::Numbered) => return line.number == Some(done + 1),
            Some(_) => return false,
            None if line.new_block => {
                plain_blocks += 1;
                if plain_blocks > 2 {
                    return false;
                }
            }
            None => {}
        }
    }
    false
}

/// The document's lines from the first line starting at or after `from` (absolute offset),
/// read from the blocks' cached line information. `blocks` are `(offset, blank line before,
/// facts)` from the block holding `from` onwards.
pub fn lines_from<'a>(blocks: &'a [(usize, bool, &'a BlockFacts)], from: usize) -> impl Iterator<Item = DocLine> + 'a {
    let mut emitted = false;
    blocks
        .iter()
        .flat_map(move |&(offset, blank_before, facts)| facts.lines.iter().enumerate().map(move |(i, line)| (offset, i == 0 && blank_before, line)))
        .filter(move |(offset, _, line)| offset + line.start >= from)
        .map(move |(offset, after_blank, line)| {
            let new_block = after_blank && emitted;
            emitted = true;
            DocLine {
                range: TextRange::new(offset + line.start, offset + line.end),
                marker: line.marker.clone(),
                number: line.number,
                new_block,
            }
        })
}

/// The rule: a scan compares the counts whose items are inside the block; the conclusion
/// follows the counts whose items are the lines after them, across blocks.
pub struct CountMismatch;

impl Rule for CountMismatch {
    type Scan = Vec<Finding>;

    fn new(_: &Setup<'_>) -> CountMismatch {
        CountMismatch
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Vec<Finding> {
        let mut found = Vec::new();
        check_inline(block, &mut found);
        found
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Vec<Finding>>], out: &mut Vec<Finding>) {
        super::place_findings(scans, out);
        let blocks: Vec<(usize, bool, &BlockFacts)> = doc.blocks.iter().map(|b| (b.offset, b.blank_before, b.facts)).collect();
        for (i, block) in doc.blocks.iter().enumerate() {
            for claim in &block.facts.counts {
                let Items::FollowingLines { from } = claim.items else { continue };
                let lines = lines_from(&blocks[i..], block.offset + from);
                let Some(items) = count_following(lines) else { continue };
                let mut absolute = claim.clone();
                absolute.span = claim.span.shift(block.offset);
                absolute.number = claim.number.shift(block.offset);
                if let Some(finding) = compare(&absolute, &items, doc.locale) {
                    out.push(finding);
                }
            }
        }
    }
}
