//! Rule: abbreviation-undefined
//!
//! An abbreviation the phrasebook knows (NQ, BCH, BTV, UBKT, TCCSĐ, CBĐV …) used before it is
//! spelled out. The convention of Party-adjacent prose is to write the full name once with the
//! abbreviation in parentheses — "Ban Chấp hành (BCH)" — and the abbreviation afterwards
//! (vn-standards.md §2.5). One finding per abbreviation, at its first use; the fix writes the
//! expansion there. Widely known ones (UBND, HĐND by default) are allowed by a setting.
//!
//! Deliberately ignored: abbreviations the phrasebook does not know (no guessing at expansions),
//! parts of number-symbols ("04-NQ/TW"), lines written in capitals (headers, signature blocks),
//! and "NQ Đại hội …" / "NQTW" forms (those are `resolution-name`'s).

use super::{BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::config::Config;
use crate::phrasebook::{words, Phrasebook};
use crate::{Finding, Fix, Related, TextRange};

/// Header and signature lines are short; a longer line is running text.
const MAX_CAPITAL_LINE: usize = 240;

/// The line around `at` is a header or signature line: short, and mostly capital letters.
/// Looks at most [`MAX_CAPITAL_LINE`] bytes each way, so a long line costs no more.
fn in_capital_line(text: &str, at: usize) -> bool {
    let from = floor_boundary(text, at.saturating_sub(MAX_CAPITAL_LINE));
    let to = ceil_boundary(text, (at + MAX_CAPITAL_LINE).min(text.len()));
    let Some(start) = text[from..at].rfind(['\n', '\r']).map(|i| from + i + 1).or((from == 0).then_some(0)) else { return false };
    let Some(end) = text[at..to].find(['\n', '\r']).map(|i| at + i).or((to == text.len()).then_some(to)) else { return false };
    let letters: Vec<char> = text[start..end].chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 4 && upper * 10 >= letters.len() * 6
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The last `bytes` bytes (or a little more, to a char boundary) of `text`, lowercased.
fn lower_tail(text: &str, bytes: usize) -> String {
    text[floor_boundary(text, text.len().saturating_sub(bytes))..].to_lowercase()
}

/// The first `bytes` bytes (or a little more, to a char boundary) of `text`, lowercased.
fn lower_head(text: &str, bytes: usize) -> String {
    text[..ceil_boundary(text, bytes.min(text.len()))].to_lowercase()
}

/// Whether the abbreviation at `start..end` is being defined: "(BCH)" after its expansion, or
/// "gọi tắt là BCH".
fn is_definition(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let after = text[end..].trim_start_matches(' ');
    (before.ends_with('(') && after.starts_with([')', ',', ';']))
        || lower_tail(before, 24).ends_with("gọi tắt là")
        || lower_tail(before, 24).ends_with("viết tắt là")
}

/// A standalone abbreviation: not part of a number-symbol ("04-NQ/TW") or a longer code.
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joined = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | '&'));
    let joined_after = joined(after) && after != Some('.');
    !joined(before) && !joined_after
}

/// "NQ Đại hội", "NQ TW", "NQ Trung ương": a resolution name in short form.
fn resolution_short_form(text: &str, end: usize) -> bool {
    let after = lower_head(text[end..].trim_start_matches(' '), 16);
    ["đại hội", "đh", "tw", "tư", "trung ương", "t.ư"].iter().any(|w| after.starts_with(w))
}

/// One use of a known abbreviation that the rule must consider.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub word: String,
    pub range: TextRange,
    /// Written as a definition: "Ban Chấp hành (BCH)", "gọi tắt là BCH".
    pub definition: bool,
}

/// The uses of known abbreviations in `text` (ranges relative to `text`), after the filters
/// that need only the surrounding line. Computed once per block and cached.
pub fn scan(text: &str, phrasebook: &Phrasebook) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (start, word) in words(text) {
        if word.chars().count() < 2 || !word.chars().all(char::is_uppercase) {
            continue;
        }
        let end = start + word.len();
        if phrasebook.abbreviation(word).is_none() {
            continue;
        }
        if !standalone(text, start, end) || in_capital_line(text, start) {
            continue;
        }
        if word == "NQ" && resolution_short_form(text, end) {
            continue;
        }
        // "NQ 11" after "Nghị quyết số 11-NQ/TW": a short citation of a cited document.
        if text[end..].trim_start_matches(' ').starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        out.push(Occurrence { word: word.to_string(), range: TextRange::new(start, end), definition: is_definition(text, start, end) });
    }
    out
}

/// The findings from the uses of the whole document, in order (ranges relative to `text`).
pub fn conclude(text: &str, occurrences: Vec<Occurrence>, config: &Config, phrasebook: &Phrasebook, out: &mut Vec<Finding>) {
    let locale = config.locale;
    let mut seen: Vec<&str> = Vec::new();
    let mut pending: Vec<(String, TextRange)> = Vec::new(); // undefined first uses
    let mut defined_later: Vec<(String, TextRange)> = Vec::new();
    for occurrence in &occurrences {
        let word = occurrence.word.as_str();
        let range = occurrence.range;
        if seen.contains(&word) {
            if occurrence.definition && pending.iter().any(|(a, _)| a == word) && !defined_later.iter().any(|(a, _)| a == word) {
                defined_later.push((word.to_string(), range));
            }
            continue;
        }
        seen.push(word);
        if occurrence.definition || config.abbreviation_allowed(word) {
            continue;
        }
        pending.push((word.to_string(), range));
    }
    for (abbreviation, range) in pending {
        let Some(entry) = phrasebook.abbreviation(&abbreviation) else { continue };
        let sentence_start = {
            let before = text[..range.start].trim_end_matches([' ', '*', '_']);
            before.is_empty() || before.ends_with(['.', '\n', '\r', ':', '-', '!', '?'])
        };
        let expansion = if sentence_start {
            let mut chars = entry.expansion.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        } else {
            entry.expansion.clone()
        };
        let new_text = format!("{expansion} ({abbreviation})");
        let related: Vec<Related> = defined_later
            .iter()
            .filter(|(a, _)| *a == abbreviation)
            .map(|(_, r)| Related {
                range: *r,
                message: locale
                    .pick("viết đầy đủ ở đây, sau lần dùng đầu".to_string(), "spelled out here, after its first use".to_string()),
            })
            .collect();
        let message = if related.is_empty() {
            locale.pick(
                format!("“{abbreviation}” được dùng mà chưa viết đầy đủ lần đầu: “{}”", new_text),
                format!("“{abbreviation}” is used without being spelled out first: “{}”", new_text),
            )
        } else {
            locale.pick(
                format!("“{abbreviation}” được dùng trước khi viết đầy đủ; lần dùng đầu nên là “{}”", new_text),
                format!("“{abbreviation}” is used before it is spelled out; its first use should read “{}”", new_text),
            )
        };
        out.push(Finding::new(RuleCode::AbbreviationUndefined, range, message).with_related(related).with_fix(Fix::replace(
            locale.pick(format!("Viết đầy đủ: “{new_text}”"), format!("Spell out: “{new_text}”")),
            range,
            new_text,
        )));
    }
}

/// The rule: a scan finds each block's uses of known abbreviations; the conclusion finds the
/// first use of each in the document.
pub struct AbbreviationUndefined;

impl Rule for AbbreviationUndefined {
    type Scan = Vec<Occurrence>;

    fn new(_: &Setup<'_>) -> AbbreviationUndefined {
        AbbreviationUndefined
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Vec<Occurrence> {
        scan(block.text, block.phrasebook)
    }

    fn relevant(&self, _: &BlockCtx<'_>, scan: &Vec<Occurrence>) -> bool {
        !scan.is_empty()
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Vec<Occurrence>>], out: &mut Vec<Finding>) {
        let occurrences = scans
            .iter()
            .flat_map(|p| {
                p.scan.iter().map(|o| {
                    let mut o = o.clone();
                    o.range = o.range.shift(p.offset);
                    o
                })
            })
            .collect();
        conclude(doc.text, occurrences, doc.config, doc.phrasebook, out);
    }
}
