//! Rule: resolution-name
//!
//! The first mention of a congress or plenum resolution in a short form that does not say whose
//! it is: "Nghị quyết Đại hội XIX", "NQ Đại hội XI", "NQTW4". The standard writes the full name
//! at first mention — "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX", "Nghị quyết Đại
//! hội đại biểu toàn quốc lần thứ XIII của Đảng", "Nghị quyết Trung ương 4 khóa XII" — and the
//! short form afterwards. The level (toàn quốc, Đảng bộ tỉnh …), the term (nhiệm kỳ) and the
//! khóa come from the document's own context where it states them; otherwise the fix is a
//! snippet with placeholders.
//!
//! Deliberately silent: short forms that name the level ("Nghị quyết Đại hội XIII của Đảng",
//! "Nghị quyết Đại hội XVI Đảng bộ tỉnh"), later mentions, "Nghị quyết Đại hội" without a
//! number, and "Nghị quyết Trung ương 4" written out.

use super::{BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::{Edit, Finding, Fix, Locale, Related, TextRange};
use regex::Regex;
use std::sync::OnceLock;

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("resolution-name regex: {e}")))
}

fn congress_short() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"\b(Nghị quyết|NQ)\s+(?:Đại hội|ĐH)\s+([IVXL]+)\b")
}

fn plenum_short() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"\b(NQ\s*(?:TW|TƯ|T\.Ư|Trung ương)|Nghị quyết\s*(?:TW|TƯ|T\.Ư))\s*(\d{1,2})\b((?:\s*,)?\s*(?:khóa|khoá)\s+[IVXL]+\b)?")
}

fn national() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"Đại hội (?:đại biểu toàn quốc lần thứ ([IVXL]+)\b|([IVXL]+) của Đảng\b(?: Cộng sản Việt Nam)?(?:[^ ]|$| [^b]))")
}

fn local() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(
        &RE,
        r"Đại hội (?:(?:đại biểu )?Đảng bộ ((?:thành phố|[\p{Ll}]+)(?: [\p{Lu}][\p{Ll}]*)*) lần thứ ([IVXL]+)\b|([IVXL]+) (?:của )?Đảng bộ ((?:thành phố|[\p{Ll}]+)(?: [\p{Lu}][\p{Ll}]*)*))((?:\s*,)?\s*nhiệm kỳ \d{4}\s*-\s*\d{4})?",
    )
}

fn khoa() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"\b(khóa|khoá)\s+([IVXL]+)\b")
}

fn roman_value(roman: &str) -> u32 {
    let value = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 0,
    };
    let digits: Vec<u32> = roman.chars().map(value).collect();
    let mut total = 0i64;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= i64::from(*d);
        } else {
            total += i64::from(*d);
        }
    }
    total.max(0) as u32
}

/// What the document says about one congress: its standard resolution name and where.
#[derive(Debug, Clone)]
struct Stated {
    roman: String,
    name: String,
    range: TextRange,
}

fn stated_congresses(text: &str) -> Vec<Stated> {
    let mut out = Vec::new();
    for c in national().captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let Some(roman) = c.get(1).or_else(|| c.get(2)) else { continue };
        out.push(Stated {
            roman: roman.as_str().to_string(),
            name: format!("Nghị quyết Đại hội đại biểu toàn quốc lần thứ {} của Đảng", roman.as_str()),
            range: TextRange::new(whole.start(), whole.end()),
        });
    }
    for c in local().captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let (Some(place), Some(roman)) = (c.get(1).or_else(|| c.get(4)), c.get(2).or_else(|| c.get(3))) else { continue };
        let term = c.get(5).map(|t| format!(", {}", t.as_str().trim_start_matches([',', ' ']).trim())).unwrap_or_default();
        out.push(Stated {
            roman: roman.as_str().to_string(),
            name: format!("Nghị quyết Đại hội đại biểu Đảng bộ {} lần thứ {}{term}", place.as_str(), roman.as_str()),
            range: TextRange::new(whole.start(), whole.end()),
        });
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// Whether the words after a short form name the level ("của Đảng", "Đảng bộ tỉnh").
fn names_level(after: &str) -> bool {
    let after = after.trim_start_matches([' ', ',']);
    ["của Đảng", "Đảng bộ", "Đảng Cộng sản", "toàn quốc", "đại biểu"].iter().any(|w| after.starts_with(w))
}

fn finding(range: TextRange, message: String, related: Vec<Related>, mut fixes: Vec<Fix>) -> Finding {
    if let Some(first) = fixes.first_mut() {
        first.preferred = true;
    }
    Finding::new(RuleCode::ResolutionName, range, message).with_related(related).with_fixes(fixes)
}

fn fix(title: String, range: TextRange, new_text: String, snippet: bool) -> Fix {
    Fix { title, edits: vec![Edit { range, new_text }], preferred: false, snippet }
}

/// A short mention of a congress resolution ("Nghị quyết Đại hội XIX", "NQ ĐH XI").
#[derive(Debug, Clone)]
struct CongressMention {
    range: TextRange,
    roman: String,
    abbreviated: bool,
    /// The level follows ("… của Đảng", "… Đảng bộ tỉnh"): only the abbreviation may be wrong.
    level_named: bool,
    written: String,
}

/// A short plenum form ("NQTW4", "NQ TW 4") with its number.
#[derive(Debug, Clone)]
struct PlenumMention {
    range: TextRange,
    number: String,
    /// A term follows ("… khóa XII").
    has_term: bool,
    written: String,
}

/// What `resolution-name` reads of one block (block-relative ranges). Depends only on the
/// text, so it is computed once per block and cached; [`conclude`] works on the merged scans.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    congress: Vec<CongressMention>,
    stated: Vec<Stated>,
    plenums: Vec<PlenumMention>,
    terms: Vec<String>,
    /// How often "khoá" and "khóa" are written, to follow the document's spelling.
    khoa_new: usize,
    khoa_old: usize,
}

impl Scan {
    /// Appends `other` (a later block's scan) moved `by` bytes to the right.
    pub fn append_shifted(&mut self, other: &Scan, by: usize) {
        self.congress.extend(other.congress.iter().cloned().map(|mut m| {
            m.range = m.range.shift(by);
            m
        }));
        self.stated.extend(other.stated.iter().cloned().map(|mut s| {
            s.range = s.range.shift(by);
            s
        }));
        self.plenums.extend(other.plenums.iter().cloned().map(|mut p| {
            p.range = p.range.shift(by);
            p
        }));
        self.terms.extend(other.terms.iter().cloned());
        self.khoa_new += other.khoa_new;
        self.khoa_old += other.khoa_old;
    }
}

pub fn scan(text: &str) -> Scan {
    // The term spelling and the terms count in every block.
    let mut scan = Scan {
        terms: khoa().captures_iter(text).filter_map(|c| c.get(2).map(|m| m.as_str().to_string())).collect(),
        khoa_new: text.matches("khoá").count(),
        khoa_old: text.matches("khóa").count(),
        ..Scan::default()
    };
    if !text.contains("Đại hội") && !text.contains("ĐH") && !text.contains("NQ") && !text.contains("Nghị quyết") {
        return scan;
    }
    for c in congress_short().captures_iter(text) {
        let (Some(whole), Some(roman)) = (c.get(0), c.get(2)) else { continue };
        scan.congress.push(CongressMention {
            range: TextRange::new(whole.start(), whole.end()),
            roman: roman.as_str().to_string(),
            abbreviated: c.get(1).is_some_and(|m| m.as_str() == "NQ"),
            level_named: names_level(&text[whole.end()..]),
            written: whole.as_str().to_string(),
        });
    }
    if text.contains("Đại hội") {
        scan.stated = stated_congresses(text);
    }
    for c in plenum_short().captures_iter(text) {
        let (Some(head), Some(number_match)) = (c.get(1), c.get(2)) else { continue };
        let range = TextRange::new(head.start(), number_match.end());
        scan.plenums.push(PlenumMention {
            range,
            number: number_match.as_str().to_string(),
            has_term: c.get(3).is_some(),
            written: text[range.as_range()].to_string(),
        });
    }
    scan
}

/// The findings from the merged scans of the whole document (ranges as in the scans).
pub fn conclude(scan: Scan, locale: Locale, out: &mut Vec<Finding>) {
    let stated = &scan.stated;
    let mut seen_congress: Vec<String> = Vec::new();
    for mention in &scan.congress {
        let roman = mention.roman.clone();
        if seen_congress.contains(&roman) {
            continue;
        }
        seen_congress.push(roman.clone());
        let (abbreviated, level_named) = (mention.abbreviated, mention.level_named);
        if level_named && !abbreviated {
            continue;
        }
        // Stated in full before this mention: the short form is fine.
        if !abbreviated && stated.iter().any(|s| s.roman == roman && s.range.end <= mention.range.start) {
            continue;
        }
        let range = mention.range;
        let written = mention.written.as_str();
        if level_named {
            // "NQ Đại hội XIII của Đảng": only the abbreviation is wrong.
            let replaced = written.replacen("NQ", "Nghị quyết", 1).replacen("ĐH", "Đại hội", 1);
            out.push(finding(
                range,
                locale.pick(format!("Viết đầy đủ “{replaced}”, không viết tắt “NQ”"), format!("Write “{replaced}” in full, not “NQ”")),
                Vec::new(),
                vec![fix(locale.pick(format!("Sửa thành “{replaced}”"), format!("Change to “{replaced}”")), range, replaced, false)],
            ));
            continue;
        }
        // The same number may name two congresses in one document (the 13th national congress
        // and a province's 13th): then the short form is ambiguous and no fix is preferred.
        let mut names: Vec<&Stated> = stated.iter().filter(|s| s.roman == roman).collect();
        names.dedup_by(|a, b| a.name == b.name);
        let mut distinct: Vec<&str> = names.iter().map(|s| s.name.as_str()).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() > 1 {
            let fixes: Vec<Fix> = distinct
                .iter()
                .map(|name| {
                    fix(
                        locale.pick(format!("Ghi tên đầy đủ “{name}”"), format!("Write the full name “{name}”")),
                        range,
                        name.to_string(),
                        false,
                    )
                })
                .collect();
            out.push(Finding::new(
                RuleCode::ResolutionName,
                range,
                locale.pick(
                    format!(
                        "“{written}” có thể là {} đại hội khác nhau được nêu trong văn bản: lần đầu nhắc đến nên ghi tên đầy đủ",
                        distinct.len()
                    ),
                    format!(
                        "“{written}” may be any of {} congresses the document names: write the full name at first mention",
                        distinct.len()
                    ),
                ),
            )
            .with_fixes(fixes));
            continue;
        }
        let known = names.first();
        let (message, related, fixes) = match known {
            Some(s) => (
                locale.pick(
                    format!("Lần đầu nhắc đến nên ghi tên đầy đủ “{}”; sau đó mới dùng tên gọi tắt", s.name),
                    format!("Write the full name “{}” at first mention; the short form afterwards", s.name),
                ),
                vec![Related {
                    range: s.range,
                    message: locale.pick("tên đầy đủ nêu ở đây".to_string(), "the full name is stated here".to_string()),
                }],
                vec![fix(
                    locale.pick(format!("Ghi tên đầy đủ “{}”", s.name), format!("Write the full name “{}”", s.name)),
                    range,
                    s.name.clone(),
                    false,
                )],
            ),
            None => {
                let mut fixes = vec![fix(
                    locale.pick(
                        "Ghi tên đầy đủ (Đảng bộ …, nhiệm kỳ …)".to_string(),
                        "Write the full name (Đảng bộ …, nhiệm kỳ …)".to_string(),
                    ),
                    range,
                    format!("Nghị quyết Đại hội đại biểu Đảng bộ ${{1:tỉnh …}} lần thứ {roman}, nhiệm kỳ ${{2:2020 - 2025}}"),
                    true,
                )];
                if roman_value(&roman) <= 14 {
                    let name = format!("Nghị quyết Đại hội đại biểu toàn quốc lần thứ {roman} của Đảng");
                    fixes.push(fix(
                        locale.pick(format!("Ghi tên đầy đủ “{name}”"), format!("Write the full name “{name}”")),
                        range,
                        name,
                        false,
                    ));
                }
                (
                    locale.pick(
                        format!("“{written}” không cho biết Đại hội nào (toàn quốc hay đảng bộ nào): lần đầu nhắc đến nên ghi tên đầy đủ"),
                        format!("“{written}” does not say which congress (national or which party committee): write the full name at first mention"),
                    ),
                    Vec::new(),
                    fixes,
                )
            }
        };
        out.push(finding(range, message, related, fixes));
    }

    // Plenum resolutions written "NQTW4", "NQ TW 4", "Nghị quyết TW4".
    if scan.plenums.is_empty() {
        return;
    }
    let khoa_word = if scan.khoa_new > scan.khoa_old { "khoá" } else { "khóa" };
    let terms: Vec<String> = {
        let mut t = scan.terms.clone();
        t.sort();
        t.dedup();
        t
    };
    let mut seen_plenum: Vec<String> = Vec::new();
    for mention in &scan.plenums {
        let number = mention.number.as_str();
        if seen_plenum.iter().any(|n| n == number) {
            continue;
        }
        seen_plenum.push(number.to_string());
        let range = mention.range;
        let written = mention.written.as_str();
        let (new_text, snippet) = match (mention.has_term.then_some(()), terms.as_slice()) {
            (Some(_), _) => (format!("Nghị quyết Trung ương {number}"), false),
            (None, [only]) => (format!("Nghị quyết Trung ương {number} {khoa_word} {only}"), false),
            (None, _) => (format!("Nghị quyết Trung ương {number} {khoa_word} ${{1:…}}"), true),
        };
        let shown = crate::phrasebook::snippet_to_plain(&new_text);
        out.push(finding(
            range,
            locale.pick(
                format!("“{written}” là cách viết tắt không chuẩn; viết “{shown}”"),
                format!("“{written}” is a non-standard short form; write “{shown}”"),
            ),
            Vec::new(),
            vec![fix(locale.pick(format!("Sửa thành “{shown}”"), format!("Change to “{shown}”")), range, new_text, snippet)],
        ));
    }
}

/// The rule: a scan reads each block's congress and plenum mentions and stated names; the
/// conclusion judges every short form against the names stated anywhere before it.
pub struct ResolutionName;

impl Rule for ResolutionName {
    type Scan = Scan;

    fn new(_: &Setup<'_>) -> ResolutionName {
        ResolutionName
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Scan {
        scan(block.text)
    }

    fn relevant(&self, _: &BlockCtx<'_>, scan: &Scan) -> bool {
        !(scan.congress.is_empty() && scan.stated.is_empty() && scan.plenums.is_empty() && scan.terms.is_empty())
            || scan.khoa_new + scan.khoa_old > 0
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Scan>], out: &mut Vec<Finding>) {
        let mut merged = Scan::default();
        for placed in scans {
            merged.append_shifted(placed.scan, placed.offset);
        }
        conclude(merged, doc.locale, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("XIII"), 13);
        assert_eq!(roman_value("XIV"), 14);
        assert_eq!(roman_value("XIX"), 19);
        assert_eq!(roman_value("XL"), 40);
    }

    #[test]
    fn stated_names_are_read() {
        let names: Vec<String> = stated_congresses(
            "Đại hội đại biểu Đảng bộ tỉnh Bắc Giang lần thứ XIX, nhiệm kỳ 2020 - 2025 và Đại hội XIII của Đảng đã đề ra.",
        )
        .into_iter()
        .map(|s| s.name)
        .collect();
        assert_eq!(
            names,
            [
                "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Bắc Giang lần thứ XIX, nhiệm kỳ 2020 - 2025",
                "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
            ]
        );
    }
}
