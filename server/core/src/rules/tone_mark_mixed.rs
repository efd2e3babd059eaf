//! Rule: tone-mark-mixed
//!
//! A document that places the tone mark of the open syllables "oa", "oe", "uy" both ways:
//! the old style on the first vowel ("hòa", "khỏe", "Tỉnh ủy") and the new style on the main
//! vowel ("hoà", "khoẻ", "Tỉnh uỷ"). Both are accepted (QĐ 1989/QĐ-BGDĐT prescribes the new
//! one; state texts keep the old one), so only mixing is flagged: one finding per occurrence of
//! the minority style — or, when the house style is set (`tone-marks: old|new`), per occurrence
//! of the other style. Each finding fixes its word, and offers to fix every such word at once.
//!
//! Deliberately ignored: closed syllables ("hoàn", "toán": the mark has one place), "qu"
//! syllables ("quý", "quả": u belongs to the initial), text in decomposed (NFD) form (that is
//! `unicode-nfd`'s finding).

use super::{BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::config::{Config, ToneMarks};
use crate::phrasebook::words;
use crate::{Edit, Finding, Fix, TextRange};

/// Above this many findings, only the first carries the "fix all in document" fix. Each copy
/// holds every edit and travels with every diagnostic on every keystroke: 64 findings sharing
/// a 64-edit fix were 4,096 edits to convert and serialise per keystroke.
pub const MAX_SHARED_FIX_ALL: usize = 20;

const O_TONED: [&str; 2] = ["óòỏõọ", "ÓÒỎÕỌ"];
const U_TONED: [&str; 2] = ["úùủũụ", "ÚÙỦŨỤ"];
const A_TONED: [&str; 2] = ["áàảãạ", "ÁÀẢÃẠ"];
const E_TONED: [&str; 2] = ["éèẻẽẹ", "ÉÈẺẼẸ"];
const Y_TONED: [&str; 2] = ["ýỳỷỹỵ", "ÝỲỶỸỴ"];

/// The tone (0..5) and case (0 lower, 1 upper) of `c` in a table, if it is there.
fn toned(c: char, table: [&str; 2]) -> Option<(usize, usize)> {
    table.iter().enumerate().find_map(|(case, row)| row.chars().position(|t| t == c).map(|tone| (tone, case)))
}

fn nth(table: [&str; 2], tone: usize, case: usize) -> char {
    table[case].chars().nth(tone).unwrap_or('?')
}

fn plain(c: char) -> char {
    // ASCII letters never carry a tone mark; most characters of a document are ASCII.
    if c.is_ascii() {
        return c;
    }
    match c {
        'o' | 'u' | 'a' | 'e' | 'y' | 'O' | 'U' | 'A' | 'E' | 'Y' => c,
        _ => {
            for (table, base) in [(O_TONED, 'o'), (U_TONED, 'u'), (A_TONED, 'a'), (E_TONED, 'e'), (Y_TONED, 'y')] {
                if let Some((_, case)) = toned(c, table) {
                    return if case == 1 { base.to_ascii_uppercase() } else { base };
                }
            }
            c
        }
    }
}

/// How one word places its tone mark, and the word written the other way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    style: ToneMarks,
    other: String,
}

/// Reads a word ending in a toned "oa", "oe" or "uy" after consonants only.
fn placement(word: &str) -> Option<Placement> {
    // Most words end in a consonant: reject them before collecting characters.
    let last = word.chars().next_back()?;
    let ends_in_a_e_y = matches!(plain(last).to_ascii_lowercase(), 'a' | 'e' | 'y');
    if !ends_in_a_e_y {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 {
        return None;
    }
    let (first, second) = (chars[n - 2], chars[n - 1]);
    let initial = &chars[..n - 2];
    let consonant = |c: &char| "bcdđghklmnprstvx".contains(c.to_lowercase().next().unwrap_or(' '));
    if !initial.iter().all(consonant) || initial.first().is_some_and(|c| c.eq_ignore_ascii_case(&'q')) {
        return None;
    }
    let base_first = plain(first).to_ascii_lowercase();
    let base_second = plain(second).to_ascii_lowercase();
    let (first_table, second_table) = match (base_first, base_second) {
        ('o', 'a') => (O_TONED, A_TONED),
        ('o', 'e') => (O_TONED, E_TONED),
        ('u', 'y') => (U_TONED, Y_TONED),
        _ => return None,
    };
    let rebuild = |a: char, b: char| -> String { initial.iter().chain([a, b].iter()).collect() };
    if let Some((tone, _)) = toned(first, first_table) {
        if second == plain(second) {
            let second_case = usize::from(second.is_uppercase());
            let other = rebuild(plain(first), nth(second_table, tone, second_case));
            return Some(Placement { style: ToneMarks::Old, other });
        }
    }
    if let Some((tone, _)) = toned(second, second_table) {
        if first == plain(first) {
            let first_case = usize::from(first.is_uppercase());
            let other = rebuild(nth(first_table, tone, first_case), plain(second));
            return Some(Placement { style: ToneMarks::New, other });
        }
    }
    None
}

fn describe(style: ToneMarks, locale: crate::Locale) -> &'static str {
    match style {
        ToneMarks::Old => locale.pick("kiểu cũ (“hòa”, “ủy”)", "old style (“hòa”, “ủy”)"),
        _ => locale.pick("kiểu mới (“hoà”, “uỷ”)", "new style (“hoà”, “uỷ”)"),
    }
}

/// The words of `text` with a tone mark placed the old or the new way (ranges relative to
/// `text`). Depends only on the text, so it is computed once per block and cached.
pub fn scan(text: &str) -> Vec<(TextRange, Placement)> {
    let mut found: Vec<(TextRange, Placement)> = Vec::new();
    for (start, word) in words(text) {
        if let Some(p) = placement(word) {
            found.push((TextRange::new(start, start + word.len()), p));
        }
    }
    found
}

/// The findings from the placements of the whole document (ranges relative to `text`).
pub fn conclude(text: &str, found: Vec<(TextRange, Placement)>, config: &Config, out: &mut Vec<Finding>) {
    let locale = config.locale;
    let n_old = found.iter().filter(|(_, p)| p.style == ToneMarks::Old).count();
    let n_new = found.len() - n_old;
    let house = match config.tone_marks {
        ToneMarks::Majority => {
            if n_old == 0 || n_new == 0 {
                return;
            }
            match n_old.cmp(&n_new) {
                std::cmp::Ordering::Greater => ToneMarks::Old,
                std::cmp::Ordering::Less => ToneMarks::New,
                std::cmp::Ordering::Equal => found[0].1.style,
            }
        }
        set => set,
    };
    let house_count = if house == ToneMarks::Old { n_old } else { n_new };
    let wrong: Vec<&(TextRange, Placement)> = found.iter().filter(|(_, p)| p.style != house).collect();
    if wrong.is_empty() {
        return;
    }
    let all_edits: Vec<Edit> = wrong.iter().map(|(r, p)| Edit { range: *r, new_text: p.other.clone() }).collect();
    let fix_all = Fix {
        title: locale.pick(
            format!("Sửa cả {} chỗ trong văn bản theo {}", wrong.len(), describe(house, locale)),
            format!("Fix all {} in the document to the {}", wrong.len(), describe(house, locale)),
        ),
        edits: all_edits,
        preferred: false,
        snippet: false,
    };
    let why = match config.tone_marks {
        ToneMarks::Majority => locale.pick(
            format!("văn bản chủ yếu đặt dấu {}, {house_count} chỗ", describe(house, locale)),
            format!("the document mostly uses the {}, {house_count} places", describe(house, locale)),
        ),
        _ => locale.pick(
            format!("quy ước của đơn vị là đặt dấu {}", describe(house, locale)),
            format!("the house style is the {}", describe(house, locale)),
        ),
    };
    // Every finding carries the "fix all" fix, unless there are so many that the copies would
    // weigh more than the document (each copy holds every edit): then only the first one does.
    let share_fix_all = wrong.len() <= MAX_SHARED_FIX_ALL;
    for (n, (range, p)) in wrong.into_iter().enumerate() {
        let written = &text[range.as_range()];
        out.push(Finding::new(
            RuleCode::ToneMarkMixed,
            *range,
            locale.pick(
                format!("“{written}” đặt dấu thanh khác phần còn lại: {why}; nên viết “{}”", p.other),
                format!("“{written}” places its tone mark differently: {why}; write “{}”", p.other),
            ),
        )
        .with_fix(Fix::replace(locale.pick(format!("Sửa thành “{}”", p.other), format!("Change to “{}”", p.other)), *range, p.other.clone()))
        .with_fixes((share_fix_all || n == 0).then(|| fix_all.clone())));
    }
}

/// The rule: a scan finds each block's placements; the conclusion finds the house style (the
/// setting or the document's majority) and flags the others.
pub struct ToneMarkMixed;

impl Rule for ToneMarkMixed {
    type Scan = Vec<(TextRange, Placement)>;

    fn new(_: &Setup<'_>) -> ToneMarkMixed {
        ToneMarkMixed
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Self::Scan {
        scan(block.text)
    }

    fn relevant(&self, _: &BlockCtx<'_>, scan: &Self::Scan) -> bool {
        !scan.is_empty()
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Self::Scan>], out: &mut Vec<Finding>) {
        let found = scans.iter().flat_map(|p| p.scan.iter().map(|(r, placement)| (r.shift(p.offset), placement.clone()))).collect();
        conclude(doc.text, found, doc.config, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn other(word: &str) -> Option<(ToneMarks, String)> {
        placement(word).map(|p| (p.style, p.other))
    }

    #[test]
    fn many_findings_share_one_fix_all() {
        let n = MAX_SHARED_FIX_ALL + 20;
        let text = format!("{} {}", "Tỉnh uỷ.".repeat(n + 1), "Tỉnh ủy.".repeat(n));
        let mut out = Vec::new();
        conclude(&text, scan(&text), &Config::default(), &mut out);
        assert_eq!(out.len(), n);
        let with_fix_all: Vec<usize> = out.iter().enumerate().filter(|(_, f)| f.fixes.len() == 2).map(|(i, _)| i).collect();
        assert_eq!(with_fix_all, [0]);
        assert_eq!(out[0].fixes[1].edits.len(), n);
    }

    #[test]
    fn placements_are_read_and_swapped_keeping_case() {
        assert_eq!(other("ủy"), Some((ToneMarks::Old, "uỷ".to_string())));
        assert_eq!(other("uỷ"), Some((ToneMarks::New, "ủy".to_string())));
        assert_eq!(other("ỦY"), Some((ToneMarks::Old, "UỶ".to_string())));
        assert_eq!(other("Hòa"), Some((ToneMarks::Old, "Hoà".to_string())));
        assert_eq!(other("khoẻ"), Some((ToneMarks::New, "khỏe".to_string())));
        assert_eq!(other("HOÁ"), Some((ToneMarks::New, "HÓA".to_string())));
        assert_eq!(other("Thủy"), Some((ToneMarks::Old, "Thuỷ".to_string())));
        for fixed in ["hoàn", "toán", "quý", "quả", "hoa", "uy", "tủ", "khuya", "thuở"] {
            assert_eq!(other(fixed), None, "{fixed}");
        }
    }
}
