//! Units of quantities and when two units name the same thing.
//!
//! The unit of a quantity is the noun phrase after the number ("chỉ tiêu thành phần").
//! Parts are compared with a total only when their units are compatible: one unit's head
//! noun must open the other (common prefix of at least two syllables, or the whole unit when
//! it has one syllable). "11 nhóm chỉ tiêu" and "28 chỉ tiêu thành phần" are different units;
//! "đảng viên" and "đảng bộ" are different units; "hồ sơ" and "hồ sơ hợp lệ" are the same.
//! An abbreviation defined in the text ("tổ chức cơ sở đảng (TCCSĐ)") is replaced by its
//! expansion before comparing.

use rustc_hash::FxHashMap;

/// Abbreviations defined in the document: lowercase abbreviation → expansion words.
pub type AbbreviationMap = FxHashMap<String, Vec<String>>;

/// The unit words with any defined abbreviation expanded.
pub fn expand<'a>(unit: &'a [String], abbreviations: &'a AbbreviationMap) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(unit.len());
    for word in unit {
        match abbreviations.get(word.as_str()) {
            Some(expansion) => out.extend(expansion.iter().map(String::as_str)),
            None => out.push(word.as_str()),
        }
    }
    out
}

/// Length of the common prefix when the units are compatible, `None` otherwise.
pub fn compatible(total: &[String], part: &[String], abbreviations: &AbbreviationMap) -> Option<usize> {
    let total = expand(total, abbreviations);
    let part = expand(part, abbreviations);
    let shorter = total.len().min(part.len());
    if shorter == 0 {
        return None;
    }
    let common = total.iter().zip(part.iter()).take_while(|(a, b)| a == b).count();
    (common >= shorter.min(2)).then_some(common)
}

/// Whether `abbreviation` (as written, e.g. "TCCSĐ") stands for `words` by their initials.
pub fn initials_match(abbreviation: &str, words: &[String]) -> bool {
    let letters: Vec<char> = abbreviation.chars().flat_map(char::to_lowercase).collect();
    if letters.len() < 2 || letters.len() != words.len() {
        return false;
    }
    words.iter().zip(letters).all(|(word, letter)| base_letter(word.chars().next()) == base_letter(Some(letter)))
}

/// The first letter without tone marks, keeping đ distinct from d (TCCSĐ = tổ chức cơ sở đảng).
fn base_letter(ch: Option<char>) -> Option<char> {
    use unicode_normalization::UnicodeNormalization;
    let ch = ch?;
    if ch == 'đ' || ch == 'Đ' {
        return Some('đ');
    }
    ch.to_lowercase().collect::<String>().nfd().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn compatible_units_share_their_head_noun() {
        let none = AbbreviationMap::default();
        assert!(compatible(&words("chỉ tiêu thành phần"), &words("chỉ tiêu thành phần"), &none).is_some());
        assert!(compatible(&words("chỉ tiêu thành phần"), &words("chỉ tiêu"), &none).is_some());
        assert!(compatible(&words("hồ sơ"), &words("hồ sơ hợp lệ"), &none).is_some());
        assert!(compatible(&words("xã"), &words("xã miền núi"), &none).is_some());
        assert!(compatible(&words("nhóm chỉ tiêu chủ yếu"), &words("chỉ tiêu thành phần"), &none).is_none());
        assert!(compatible(&words("đảng viên"), &words("đảng bộ"), &none).is_none());
        assert!(compatible(&words("đảng viên"), &words("cấp ủy viên"), &none).is_none());
    }

    #[test]
    fn defined_abbreviations_are_their_expansion() {
        let mut map = AbbreviationMap::default();
        map.insert("tccsđ".into(), words("tổ chức cơ sở đảng"));
        assert!(compatible(&words("tổ chức cơ sở đảng"), &words("tccsđ"), &map).is_some());
        assert!(initials_match("TCCSĐ", &words("tổ chức cơ sở đảng")));
        assert!(!initials_match("TCCSĐ", &words("tổ chức cơ sở")));
        assert!(initials_match("UBKT", &words("ủy ban kiểm tra")));
    }
}
