//! Rule: unicode-nfd
//!
//! Vietnamese written in decomposed Unicode (NFD: "ạ" as "a" + U+0323, as some older tools and
//! macOS file names produce), and the look-alike "Ð" (U+00D0, Icelandic Eth) or "ð" (U+00F0)
//! written for "Đ"/"đ" (U+0110/U+0111) — both seen in real pages (vn-standards.md §7). Such text
//! looks right but defeats search, sorting and every comparison with standard names.
//!
//! The text is never rewritten silently: each line with such words gets one finding whose fix
//! converts them to composed Unicode (NFC), plus a fix for the whole document.
//! Deliberately ignored: legacy 8-bit encodings (TCVN3/ABC, VNI) read as Latin-1 — no sourced
//! conversion table is bundled yet, and a guess would rewrite text wrongly.

use super::RuleCode;
use crate::phrasebook::words;
use crate::{Edit, Finding, Fix, Locale, TextRange};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The word written the standard way, when it is not.
fn standard(word: &str) -> Option<String> {
    let has_eth = word.contains(['\u{00D0}', '\u{00F0}']);
    let nfc = is_nfc_quick(word.chars()) == IsNormalized::Yes || unicode_normalization::is_nfc(word);
    if nfc && !has_eth {
        return None;
    }
    // An Eth inside a word that is otherwise plain ASCII may be a real Eth (Icelandic "Ðór"); only
    // words with Vietnamese letters, or the abbreviations of vn-standards.md §7, are converted.
    if has_eth && nfc {
        // Letters beyond Latin-1 (ả, ơ, ư, ạ …) are Vietnamese, not Icelandic.
        let vietnamese = word.chars().any(|c| c > '\u{00FF}');
        let abbreviation = word.chars().all(|c| c.is_uppercase());
        if !vietnamese && !abbreviation {
            return None;
        }
    }
    Some(
        word.nfc()
            .map(|c| match c {
                '\u{00D0}' => 'Đ',
                '\u{00F0}' => 'đ',
                other => other,
            })
            .collect(),
    )
}

pub fn check(text: &str, locale: Locale, out: &mut Vec<Finding>) {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes && !text.contains(['\u{00D0}', '\u{00F0}']) {
        return;
    }
    // (line start, range of the first to the last bad word, the edits)
    let mut lines: Vec<(usize, TextRange, Vec<Edit>)> = Vec::new();
    for (start, word) in words(text) {
        let Some(fixed) = standard(word) else { continue };
        let range = TextRange::new(start, start + word.len());
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let edit = Edit { range, new_text: fixed };
        match lines.last_mut() {
            Some((ls, span, edits)) if *ls == line_start => {
                *span = span.cover(range);
                edits.push(edit);
            }
            _ => lines.push((line_start, range, vec![edit])),
        }
    }
    let all: Vec<Edit> = lines.iter().flat_map(|(_, _, e)| e.iter().cloned()).collect();
    let n_words = all.len();
    for (_, span, edits) in &lines {
        let eth = edits.iter().any(|e| text[e.range.as_range()].contains(['\u{00D0}', '\u{00F0}']));
        let message = if eth {
            locale.pick(
                "Chữ “Ð” (U+00D0, chữ Eth) hoặc chữ tổ hợp được dùng thay cho chữ tiếng Việt dựng sẵn “Đ” (U+0110): tìm kiếm và so khớp sẽ sai".to_string(),
                "“Ð” (U+00D0, Eth) or decomposed letters stand for the Vietnamese “Đ” (U+0110): search and matching will fail".to_string(),
            )
        } else {
            locale.pick(
                format!("{} chữ ở dạng Unicode tổ hợp (NFD) — nhìn giống nhưng không khớp khi tìm kiếm, so sánh", edits.len()),
                format!("{} word(s) in decomposed Unicode (NFD) — they look the same but fail search and comparison", edits.len()),
            )
        };
        let mut fixes = vec![Fix {
            title: locale.pick("Chuyển sang Unicode dựng sẵn (NFC)".to_string(), "Convert to composed Unicode (NFC)".to_string()),
            edits: edits.clone(),
            preferred: true,
            snippet: false,
        }];
        if lines.len() > 1 {
            fixes.push(Fix {
                title: locale.pick(
                    format!("Chuyển cả văn bản sang NFC ({n_words} chữ)"),
                    format!("Convert the whole document to NFC ({n_words} words)"),
                ),
                edits: all.clone(),
                preferred: false,
                snippet: false,
            });
        }
        out.push(Finding {
            code: RuleCode::UnicodeNfd,
            range: *span,
            severity: RuleCode::UnicodeNfd.default_severity(),
            message,
            related: Vec::new(),
            fixes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_words_and_eth_are_converted() {
        let nfd: String = "Tỉnh ủy".nfd().collect();
        assert_eq!(standard(&nfd[..nfd.find(' ').unwrap_or(nfd.len())]), Some("Tỉnh".to_string()));
        assert_eq!(standard("Ðảng"), Some("Đảng".to_string()));
        assert_eq!(standard("BCÐTW"), Some("BCĐTW".to_string()));
        assert_eq!(standard("Ðór"), None);
        assert_eq!(standard("Đảng"), None);
    }
}
