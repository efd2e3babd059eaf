//! Number-symbols (số và ký hiệu): Party `21-KL/TW`, `147-KH/TU`, `08-QĐi/TW`; state
//! `30/2020/NĐ-CP`, `15/CT-TTg`, `238/UBND-KGVX`, `03/2003/QH11`.
//!
//! Detection is lenient (spaces around separators, an en dash, "TƯ"/"T.Ư" for "TW", the state
//! pattern used for a Party document) so that non-standard spellings are still linked to their
//! document; [`Symbol::standard`] gives the standard form for a quick fix.
//! The rules are those of `../shared/research/vn-standards.md` §1 (HD 36-HD/VPTW; NĐ 30/2020/NĐ-CP).

use crate::TextRange;
use regex::Regex;
use std::sync::OnceLock;

/// A number-symbol as written, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub range: TextRange,
    pub written: String,
    pub number: u32,
    /// The digits as written ("05").
    pub number_text: String,
    /// The year group of state documents ("2020" in `30/2020/NĐ-CP`).
    pub year: Option<i64>,
    /// Letter groups in order: type then issuer (`["KL", "TW"]`, `["NĐ", "CP"]`, `["UBND", "KGVX"]`).
    pub groups: Vec<String>,
    pub system: System,
    /// Byte range (absolute) of the last group: the issuing body's code.
    pub issuer_range: TextRange,
    /// The punctuation-independent identity, computed once (compared often).
    pub key: SymbolKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum System {
    Party,
    State,
}

/// What identifies a symbol regardless of how it was punctuated: the number, the year group
/// and the letter groups, upper-cased, with "TƯ"/"T.Ư" read as "TW" and "Ð" (U+00D0) as "Đ".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymbolKey {
    pub number: u32,
    pub year: Option<i64>,
    pub groups: Vec<String>,
}

/// Issuer codes of Party bodies (vn-standards.md §2.3; "TƯ"/"T.Ư" are non-standard spellings of TW).
const PARTY_ISSUERS: &[&str] =
    &["TW", "TƯ", "T.Ư", "T.W", "TU", "HU", "ĐU", "QU", "VPTW", "BTCTW", "TCTW", "BTGTW", "UBKTTW", "BCĐTW", "UBKTTU"];

pub fn normalise_group(group: &str) -> String {
    let g = group.replace('\u{D0}', "Đ").replace('\u{F0}', "đ").to_uppercase();
    match g.as_str() {
        "TƯ" | "T.Ư" | "T.W" => "TW".to_string(),
        _ => g,
    }
}

fn is_party_issuer(group: &str) -> bool {
    let g = group.replace('\u{D0}', "Đ");
    PARTY_ISSUERS.contains(&g.as_str()) || PARTY_ISSUERS.contains(&g.to_uppercase().as_str())
}

impl Symbol {
    pub fn key(&self) -> SymbolKey {
        self.key.clone()
    }

    /// The standard spelling: Party `số-LOẠI/CƠQUAN`, state `số[/năm]/LOẠI-CƠQUAN`.
    pub fn standard(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let g = g.replace('\u{D0}', "Đ");
                if matches!(g.as_str(), "TƯ" | "T.Ư" | "T.W") {
                    "TW".to_string()
                } else {
                    g
                }
            })
            .collect();
        match self.system {
            System::Party if groups.len() == 2 => format!("{}-{}/{}", self.number_text, groups[0], groups[1]),
            _ => {
                let mut out = self.number_text.clone();
                if let Some(year) = self.year {
                    out.push_str(&format!("/{year}"));
                }
                out.push('/');
                out.push_str(&groups.join("-"));
                out
            }
        }
    }

    /// The type abbreviation (first group) when there is one ("KL", "NĐ"); công văn have none.
    pub fn type_abbreviation(&self) -> Option<&str> {
        if self.groups.len() >= 2 {
            self.groups.first().map(String::as_str)
        } else {
            None
        }
    }

    pub fn issuer_code(&self) -> &str {
        self.groups.last().map_or("", String::as_str)
    }
}

fn symbol_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // number, optional /year, then letter groups joined by -, /, – with optional spaces
        // (spaces or tabs only: a symbol never runs across a line break).
        Regex::new(
            r"(?x)
            (?P<num>\d{1,5})
            (?: [\t\x20]?/[\t\x20]?(?P<year>\d{4}) )?
            (?P<rest>
              (?: [\t\x20]?[-–/][\t\x20]? [A-ZĐÐƯ][A-Za-zĐđÐƯư0-9]*(?:\.[A-ZĐƯ][A-Za-zĐđƯư0-9]*)* ){1,4}
            )",
        )
        .unwrap_or_else(|e| panic!("symbol regex: {e}"))
    })
}

fn group_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([\t\x20]?[-–/][\t\x20]?)([A-ZĐÐƯ][A-Za-zĐđÐƯư0-9]*(?:\.[A-ZĐƯ][A-Za-zĐđƯư0-9]*)*)")
            .unwrap_or_else(|e| panic!("group regex: {e}"))
    })
}

/// Every number-symbol in `text`, with absolute ranges (`text` starts at `offset`).
pub fn find_symbols(text: &str, offset: usize) -> Vec<Symbol> {
    find(text, offset, false)
}

/// `single_group`: accept `240/QĐ` (one letter group, no year), which catalogue entries may
/// record but which running text uses too loosely to be read as a symbol.
fn find(text: &str, offset: usize, single_group: bool) -> Vec<Symbol> {
    let mut out = Vec::new();
    for c in symbol_re().captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let Some(num) = c.name("num") else { continue };
        // Part of a longer number or word ("A12-KL/TW", "1.234/BC").
        if text[..whole.start()].chars().next_back().is_some_and(|ch| ch.is_alphanumeric() || ch == '.' || ch == ',' || ch == '/') {
            continue;
        }
        // A form's code ("Mẫu 20-ĐK-TCT", "mẫu số 05-ĐK-TH-TCT") or an identifier inside a link
        // or a file name names no document.
        if after_form_word(&text[..whole.start()]) || inside_link_or_file_name(text, whole.start(), whole.end()) {
            continue;
        }
        // A following lowercase letter or digit means a word, not a code ("5-Năm", "11/Tháng").
        if text[whole.end()..].chars().next().is_some_and(|ch| ch.is_alphanumeric()) {
            continue;
        }
        let Some(rest) = c.name("rest") else { continue };
        let mut groups = Vec::new();
        let mut separators = Vec::new();
        let mut last_range = TextRange::default();
        for g in group_re().captures_iter(rest.as_str()) {
            let (Some(sep), Some(name)) = (g.get(1), g.get(2)) else { continue };
            separators.push(sep.as_str().trim().to_string());
            groups.push(name.as_str().to_string());
            last_range = TextRange::new(offset + rest.start() + name.start(), offset + rest.start() + name.end());
        }
        let year = c.name("year").and_then(|y| y.as_str().parse().ok());
        // A single letter group is a code only with a year (03/2003/QH11) or when it is a
        // known issuer ("159-TB" alone is not enough to be sure).
        if groups.is_empty() || (groups.len() == 1 && year.is_none() && !groups[0].starts_with("QH") && !single_group) {
            continue;
        }
        // A lone trailing dot belongs to the sentence.
        let mut end = whole.end();
        if let Some(last) = groups.last_mut() {
            while last.ends_with('.') {
                last.pop();
                end -= 1;
                last_range.end -= 1;
            }
        }
        let Ok(number) = num.as_str().parse() else { continue };
        let party = year.is_none()
            && groups.len() == 2
            && (is_party_issuer(&groups[1])
                || (separators.first().is_some_and(|s| s != "/") && separators.get(1).is_some_and(|s| s == "/")));
        let key = SymbolKey { number, year, groups: groups.iter().map(|g| normalise_group(g)).collect() };
        out.push(Symbol {
            key,
            range: TextRange::new(offset + whole.start(), offset + end),
            written: text[whole.start()..end].to_string(),
            number,
            number_text: num.as_str().to_string(),
            year,
            groups,
            system: if party { System::Party } else { System::State },
            issuer_range: last_range,
        });
    }
    out
}

/// Whether `before` ends with the word "mẫu" (a form), optionally followed by "số" and a colon.
fn after_form_word(before: &str) -> bool {
    let tail: String = before.chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
    let tail = tail.trim_end().trim_end_matches(':').trim_end().to_lowercase();
    let tail = tail.strip_suffix("số").map_or(tail.as_str(), str::trim_end);
    tail.strip_suffix("mẫu").is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
}

/// File extensions after which a symbol-like run is part of a file name.
const FILE_EXTENSIONS: &[&str] =
    &[".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".htm", ".html", ".aspx", ".php", ".epi"];

/// Whether the run `start..end` of `text` sits in a URL, a Markdown link target or a file name:
/// the space-delimited token around it (looked at over at most 256 bytes each way) holds "://",
/// "www.", "](" or ends with a file extension.
fn inside_link_or_file_name(text: &str, start: usize, end: usize) -> bool {
    let stop = |c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>';
    let mut from = start;
    for (i, c) in text[..start].char_indices().rev() {
        if stop(c) || start - i > 256 {
            break;
        }
        from = i;
    }
    let mut to = end;
    for (i, c) in text[end..].char_indices() {
        if stop(c) || i > 256 {
            break;
        }
        to = end + i + c.len_utf8();
    }
    let before = text[from..start].to_lowercase();
    // The text of a Markdown link ("[Nghị quyết số 57-NQ/TW](…)") is running text: the token
    // ends where the link target starts.
    let after = text[end..to].to_lowercase();
    let after = after.split("](").next().unwrap_or("");
    if before.contains("://") || before.contains("www.") || before.contains("](") {
        return true;
    }
    let token = format!("{before}x{after}");
    let token = token.trim_end_matches([')', ']', '.', ',', ';', ':']);
    FILE_EXTENSIONS.iter().any(|x| token.ends_with(x))
}

/// Parses a whole string as one symbol (catalogue entries).
pub fn parse_symbol(text: &str) -> Option<Symbol> {
    let found = find(text.trim(), 0, true);
    match found.as_slice() {
        [one] if one.written.len() == text.trim().len() => Some(one.clone()),
        _ => None,
    }
}

/// What an issuer code stands for (vn-standards.md §2.3), for hover.
pub fn explain_issuer(code: &str) -> Option<(&'static str, &'static str)> {
    let code = normalise_group(code);
    let (vi, en) = match code.as_str() {
        "TW" => (
            "Trung ương (Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư dùng chung ký hiệu TW)",
            "Central Committee level (used by the Central Committee, the Politburo and the Secretariat alike)",
        ),
        "VPTW" => ("Văn phòng Trung ương Đảng", "Party Central Office"),
        "BTCTW" | "TCTW" => ("Ban Tổ chức Trung ương", "Central Organisation Commission"),
        "BTGTW" => ("Ban Tuyên giáo Trung ương", "Central Propaganda Commission"),
        "UBKTTW" => ("Ủy ban Kiểm tra Trung ương", "Central Inspection Commission"),
        "BCĐTW" => ("Ban Chỉ đạo Trung ương", "Central Steering Committee"),
        "TU" => ("Tỉnh ủy (cấp ủy tỉnh)", "Provincial Party Committee"),
        "HU" => ("Huyện ủy (cấp ủy huyện)", "District Party Committee"),
        "ĐU" => ("Đảng ủy", "Party Committee"),
        "UBKTTU" => ("Ủy ban Kiểm tra Tỉnh ủy", "Inspection Commission of the Provincial Party Committee"),
        "CP" => ("Chính phủ", "the Government"),
        "TTG" => ("Thủ tướng Chính phủ", "the Prime Minister"),
        "UBND" => ("Ủy ban nhân dân", "People's Committee"),
        "HĐND" => ("Hội đồng nhân dân", "People's Council"),
        "VPCP" => ("Văn phòng Chính phủ", "Government Office"),
        "VPQH" => ("Văn phòng Quốc hội", "Office of the National Assembly"),
        "BNV" => ("Bộ Nội vụ", "Ministry of Home Affairs"),
        "BTC" => ("Bộ Tài chính", "Ministry of Finance"),
        "BGDĐT" => ("Bộ Giáo dục và Đào tạo", "Ministry of Education and Training"),
        c if c.starts_with("UBTVQH") => {
            ("Ủy ban Thường vụ Quốc hội (kèm số khóa)", "Standing Committee of the National Assembly (with the term number)")
        }
        c if c.starts_with("QH") => ("Quốc hội (kèm số khóa)", "National Assembly (with the term number)"),
        _ => return None,
    };
    Some((vi, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Symbol {
        let found = find_symbols(text, 0);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found[0].clone()
    }

    #[test]
    fn party_and_state_shapes() {
        let s = one("Kết luận số 21-KL/TW ngày");
        assert_eq!((s.system, s.number, s.groups.clone()), (System::Party, 21, vec!["KL".to_string(), "TW".to_string()]));
        let s = one("Nghị định số 30/2020/NĐ-CP.");
        assert_eq!((s.system, s.year, s.written.as_str()), (System::State, Some(2020), "30/2020/NĐ-CP"));
        assert_eq!(one("Chỉ thị 15/CT-TTg").system, System::State);
        assert_eq!(one("Luật số 03/2003/QH11").groups, vec!["QH11".to_string()]);
        assert_eq!(one("Công văn 238/UBND-KGVX").groups.len(), 2);
    }

    #[test]
    fn non_standard_spellings_have_a_standard_form() {
        assert_eq!(one("Chỉ thị 22/CT-TW").standard(), "22-CT/TW");
        // Form codes and identifiers in links or file names are no document's symbol.
        assert!(find_symbols("Tờ khai theo Mẫu 20-ĐK-TCT của cơ quan thuế", 0).is_empty());
        assert!(find_symbols("kê khai (mẫu số 05-ĐK-TH-TCT) qua cơ quan chi trả", 0).is_empty());
        assert!(find_symbols("![Ảnh](images/bao-cao-57-NQ/TW.png)", 0).is_empty());
        assert!(find_symbols("xem https://example.vn/van-ban/Nghi-quyet-18-NQ/TW-2017 để biết", 0).is_empty());
        assert!(find_symbols("[Nghị quyết](https://x.vn/nq?so=18-NQ/TW)", 0).is_empty());
        assert_eq!(find_symbols("Mẫu hóa đơn theo Nghị định 123/2020/NĐ-CP.", 0).len(), 1);
        assert_eq!(find_symbols("[Nghị quyết số 57-NQ/TW](https://x.vn/nq-57.pdf) của Bộ Chính trị", 0).len(), 1);
        assert_eq!(find_symbols("theo Nghị quyết 57-NQ/TW.", 0).len(), 1);
        assert_eq!(one("Chỉ thị số 03-CT/T.Ư").standard(), "03-CT/TW");
        assert_eq!(one("Nghị quyết số 11- NQ/TW").standard(), "11-NQ/TW");
        assert_eq!(one("Quy định 41-QĐ/TƯ").key(), one("41-QĐ/TW").key());
        assert_eq!(one("Nghị quyết 18/NQ-TW").key(), one("18-NQ/TW").key());
    }

    #[test]
    fn ratios_and_ranges_are_not_symbols() {
        for text in ["đạt 11/40 chỉ tiêu", "45.799/36.875 tỷ đồng", "giai đoạn 2021-2025", "COVID-19", "số 159-TB"] {
            assert!(find_symbols(text, 0).is_empty(), "{text}");
        }
    }
}
