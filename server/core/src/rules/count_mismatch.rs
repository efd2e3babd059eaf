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

use super::{BlockCtx, RuleCode};
use crate::extract::{marker_of, CountClaim, Items, Marker};
use crate::number::format_vi;
use crate::{Edit, Finding, Fix, Locale, Related, Severity, TextRange};
use rust_decimal::Decimal;

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
    if items.is_empty() || listed == claim.value {
        return None;
    }
    let n_items = items.len();
    let fixes = if claim.written.bytes().all(|b| b.is_ascii_digit()) {
        vec![Fix {
            title: locale.pick(format!("Sửa số lượng thành {n_items}"), format!("Change the count to {n_items}")),
            edits: vec![Edit { range: claim.number, new_text: n_items.to_string() }],
            preferred: true,
        }]
    } else {
        Vec::new()
    };
    Some(Finding {
        code: RuleCode::CountMismatch,
        range: claim.span,
        severity: Severity::Warning,
        message: locale.pick(
            format!("Nêu {} {} nhưng liệt kê {n_items} mục", format_vi(claim.value, 0), claim.noun),
            format!("Announces {} {} but lists {n_items} items", format_vi(claim.value, 0), claim.noun),
        ),
        related: items
            .iter()
            .enumerate()
            .map(|(i, r)| Related { range: *r, message: locale.pick(format!("mục {}", i + 1), format!("item {}", i + 1)) })
            .collect(),
        fixes,
    })
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

/// Counts the list items on `lines` (starting at the list's first line). Returns `None` when
/// the list's extent is unclear.
pub fn count_following(lines: &[DocLine]) -> Option<Vec<TextRange>> {
    let first = lines.iter().find(|l| l.marker.is_some())?;
    // The list must start on the first non-empty line after the announcement.
    if !std::ptr::eq(first, &lines[0]) {
        return None;
    }
    let style = first.marker.clone()?;
    if matches!(style, Marker::Heading | Marker::TableRow | Marker::Roman) {
        return None;
    }
    let mut items: Vec<TextRange> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match &line.marker {
            Some(m) if *m == style => items.push(line.range),
            Some(m) if m.rank() < style.rank() => break,
            Some(_) => {}
            None if line.new_block => {
                // An unindented paragraph ends the list, unless the numbering resumes right
                // after it ("1. …", "Trong đó, …", "2. …"): then it continues item 1.
                if !(style == Marker::Numbered && numbering_resumes(lines, i, items.len())) {
                    break;
                }
            }
            None => {}
        }
    }
    Some(items)
}

/// Whether the next marked line after `lines[i]` is item number `done + 1`, with at most two
/// plain paragraphs in between.
fn numbering_resumes(lines: &[DocLine], i: usize, done: usize) -> bool {
    let mut plain_blocks = 0;
    for line in &lines[i..] {
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

/// The lines of a document from the line that starts at or after `from` (absolute offset).
pub fn lines_from(text: &str, blocks: &[(usize, &str)], from: usize) -> Vec<DocLine> {
    let mut out = Vec::new();
    for &(offset, block_text) in blocks {
        if offset + block_text.len() < from {
            continue;
        }
        let mut first_in_block = true;
        for (start, end, _) in crate::text::lines(block_text) {
            let abs = TextRange::new(offset + start, offset + end);
            if abs.start < from {
                first_in_block = false;
                continue;
            }
            let line = &text[abs.start..abs.end];
            let new_block = first_in_block && !out.is_empty();
            first_in_block = false;
            let marker = marker_of(line);
            let number = match marker {
                Some(Marker::Numbered) => line
                    .trim_start()
                    .trim_start_matches(['*', '_', '('])
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok(),
                _ => None,
            };
            out.push(DocLine { range: abs, marker, number, new_block });
            if out.len() > 400 {
                return out;
            }
        }
        if out.len() > 400 {
            break;
        }
    }
    out
}
