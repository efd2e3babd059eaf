//! Rule: unicode-nfd
//!
//! Vietnamese written in decomposed Unicode (NFD: "ạ" as "a" + U+0323, as some older tools and
//! macOS file names produce), and the look-alike "Ð" (U+00D0, Icelandic Eth) or "ð" (U+00F0)
//! written for "Đ"/"đ" (U+0110/U+0111) — both seen in real pages (vn-standards.md §7). Such text
//! looks right but defeats search, sorting and every comparison with standard names.
//!
//! Also text typed in the legacy 8-bit TCVN3 (ABC) encoding and pasted into a Unicode file,
//! where its bytes show as Latin-1 characters: "§¶ng bé tØnh" for "Đảng bộ tỉnh". A line is
//! read as TCVN3 only when at least two of its words mix ASCII letters with the Latin-1 symbols
//! TCVN3 uses for Vietnamese letters (¡ … ¯, µ … ¿, ×, ÷), which no Unicode Vietnamese word does,
//! and it has no letter beyond Latin-1 (a Unicode Vietnamese line always has "ạ", "ư" or such).
//!
//! The text is never rewritten silently: each line with such words gets one finding whose fix
//! converts them to composed Unicode (NFC), plus a fix for the whole document.
//! Deliberately ignored: VNI (its two-character letters need a sourced table not bundled yet),
//! and single odd words ("½kg").

use super::{RuleCode, Setup};
use crate::phrasebook::words;
use crate::{Edit, Finding, Fix, Locale, TextRange};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// TCVN 5712:1993 (TCVN3, "ABC") bytes 0xA1–0xFF as Unicode, the byte read as the Latin-1
/// character of the same value. Source: the TCVN5712-1 converter of the GNU C Library
/// (https://sourceware.org/git/?p=glibc.git;a=blob;f=iconvdata/tcvn5712-1.c), generated with
/// `iconv -f TCVN5712-1 -t UTF-8`; 0xB0–0xB4 (combining tone marks) are left out.
const TCVN3: &[(char, char)] = &[
    ('\u{00A1}', 'Ă'),
    ('\u{00A2}', 'Â'),
    ('\u{00A3}', 'Ê'),
    ('\u{00A4}', 'Ô'),
    ('\u{00A5}', 'Ơ'),
    ('\u{00A6}', 'Ư'),
    ('\u{00A7}', 'Đ'),
    ('\u{00A8}', 'ă'),
    ('\u{00A9}', 'â'),
    ('\u{00AA}', 'ê'),
    ('\u{00AB}', 'ô'),
    ('\u{00AC}', 'ơ'),
    ('\u{00AD}', 'ư'),
    ('\u{00AE}', 'đ'),
    ('\u{00AF}', 'Ằ'),
    ('\u{00B5}', 'à'),
    ('\u{00B6}', 'ả'),
    ('\u{00B7}', 'ã'),
    ('\u{00B8}', 'á'),
    ('\u{00B9}', 'ạ'),
    ('\u{00BA}', 'Ẳ'),
    ('\u{00BB}', 'ằ'),
    ('\u{00BC}', 'ẳ'),
    ('\u{00BD}', 'ẵ'),
    ('\u{00BE}', 'ắ'),
    ('\u{00BF}', 'Ẵ'),
    ('\u{00C0}', 'Ắ'),
    ('\u{00C1}', 'Ầ'),
    ('\u{00C2}', 'Ẩ'),
    ('\u{00C3}', 'Ẫ'),
    ('\u{00C4}', 'Ấ'),
    ('\u{00C5}', 'Ề'),
    ('\u{00C6}', 'ặ'),
    ('\u{00C7}', 'ầ'),
    ('\u{00C8}', 'ẩ'),
    ('\u{00C9}', 'ẫ'),
    ('\u{00CA}', 'ấ'),
    ('\u{00CB}', 'ậ'),
    ('\u{00CC}', 'è'),
    ('\u{00CD}', 'Ể'),
    ('\u{00CE}', 'ẻ'),
    ('\u{00CF}', 'ẽ'),
    ('\u{00D0}', 'é'),
    ('\u{00D1}', 'ẹ'),
    ('\u{00D2}', 'ề'),
    ('\u{00D3}', 'ể'),
    ('\u{00D4}', 'ễ'),
    ('\u{00D5}', 'ế'),
    ('\u{00D6}', 'ệ'),
    ('\u{00D7}', 'ì'),
    ('\u{00D8}', 'ỉ'),
    ('\u{00D9}', 'Ễ'),
    ('\u{00DA}', 'Ế'),
    ('\u{00DB}', 'Ồ'),
    ('\u{00DC}', 'ĩ'),
    ('\u{00DD}', 'í'),
    ('\u{00DE}', 'ị'),
    ('\u{00DF}', 'ò'),
    ('\u{00E0}', 'Ổ'),
    ('\u{00E1}', 'ỏ'),
    ('\u{00E2}', 'õ'),
    ('\u{00E3}', 'ó'),
    ('\u{00E4}', 'ọ'),
    ('\u{00E5}', 'ồ'),
    ('\u{00E6}', 'ổ'),
    ('\u{00E7}', 'ỗ'),
    ('\u{00E8}', 'ố'),
    ('\u{00E9}', 'ộ'),
    ('\u{00EA}', 'ờ'),
    ('\u{00EB}', 'ở'),
    ('\u{00EC}', 'ỡ'),
    ('\u{00ED}', 'ớ'),
    ('\u{00EE}', 'ợ'),
    ('\u{00EF}', 'ù'),
    ('\u{00F0}', 'Ỗ'),
    ('\u{00F1}', 'ủ'),
    ('\u{00F2}', 'ũ'),
    ('\u{00F3}', 'ú'),
    ('\u{00F4}', 'ụ'),
    ('\u{00F5}', 'ừ'),
    ('\u{00F6}', 'ử'),
    ('\u{00F7}', 'ữ'),
    ('\u{00F8}', 'ứ'),
    ('\u{00F9}', 'ự'),
    ('\u{00FA}', 'ỳ'),
    ('\u{00FB}', 'ỷ'),
    ('\u{00FC}', 'ỹ'),
    ('\u{00FD}', 'ý'),
    ('\u{00FE}', 'ỵ'),
    ('\u{00FF}', 'Ố'),
];

/// Latin-1 symbols that TCVN3 uses for Vietnamese letters: a word mixing them with ASCII letters
/// is TCVN3 text.
fn tcvn3_symbol(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{AF}' | '\u{B5}'..='\u{BF}' | '\u{D7}' | '\u{F7}')
}

fn tcvn3_char(c: char) -> Option<char> {
    TCVN3.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

/// A word in TCVN3 as Unicode, if it is one: ASCII letters and TCVN3 characters only, with at
/// least one TCVN3 symbol.
fn from_tcvn3(word: &str) -> Option<String> {
    if !word.chars().any(tcvn3_symbol) || !word.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    word.chars().map(|c| if c.is_ascii_alphabetic() { Some(c) } else { tcvn3_char(c) }).collect()
}

/// Runs of ASCII letters and Latin-1 characters (`words` splits at the symbols TCVN3 uses).
fn latin1_words(line: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    crate::text::runs(line, |c| c.is_ascii_alphabetic() || ('\u{A1}'..='\u{FF}').contains(&c) && !('\u{B0}'..='\u{B4}').contains(&c))
}

/// VNI Windows, the other legacy Vietnamese encoding (keyboards and fonts "VNI-Times" …), writes a
/// letter as its base vowel followed by mark characters that show as Latin-1 in Unicode:
/// "Ñaûng boä" is "Đảng bộ". The layout is documented by the VNI tables of xvnkb
/// (github.com/lamdao/xvnkb, vni.h, 2002) and the `vietnamese-conversion` npm package
/// (github.com/duydev/vietnamese-conversion). Here each mark becomes Unicode combining marks and
/// `unicode-normalization` composes the letter, so no composed-letter table is written by hand.
fn vni_mark(c: char) -> Option<&'static str> {
    Some(match c {
        // Tone marks after a vowel.
        'ù' | 'Ù' => "\u{301}",
        'ø' | 'Ø' => "\u{300}",
        'û' | 'Û' => "\u{309}",
        'õ' | 'Õ' => "\u{303}",
        'ï' | 'Ï' => "\u{323}",
        // Circumflex, alone or with a tone.
        'â' | 'Â' => "\u{302}",
        'á' | 'Á' => "\u{302}\u{301}",
        'à' | 'À' => "\u{302}\u{300}",
        'å' | 'Å' => "\u{302}\u{309}",
        'ã' | 'Ã' => "\u{302}\u{303}",
        'ä' | 'Ä' => "\u{302}\u{323}",
        // Breve (only on "a"), alone or with a tone.
        'ê' | 'Ê' => "\u{306}",
        'é' | 'É' => "\u{306}\u{301}",
        'è' | 'È' => "\u{306}\u{300}",
        'ú' | 'Ú' => "\u{306}\u{309}",
        'ü' | 'Ü' => "\u{306}\u{303}",
        'ë' | 'Ë' => "\u{306}\u{323}",
        _ => return None,
    })
}

/// VNI characters that stand for a whole letter: ơ, ư, đ and the toned forms of i and of y with
/// a dot below.
fn vni_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ô' => "o\u{31B}",
        'Ô' => "O\u{31B}",
        'ö' => "u\u{31B}",
        'Ö' => "U\u{31B}",
        'ñ' => "đ",
        'Ñ' => "Đ",
        'í' => "i\u{301}",
        'Í' => "I\u{301}",
        'ì' => "i\u{300}",
        'Ì' => "I\u{300}",
        'æ' => "i\u{309}",
        'Æ' => "I\u{309}",
        'ó' => "i\u{303}",
        'Ó' => "I\u{303}",
        'ò' => "i\u{323}",
        'Ò' => "I\u{323}",
        'î' => "y\u{323}",
        'Î' => "Y\u{323}",
        _ => return None,
    })
}

/// Characters that VNI uses and Unicode Vietnamese never does: a line with them in two words
/// is VNI, not Vietnamese with a stray symbol.
fn vni_only(c: char) -> bool {
    "øûïäåëüæîöñØÛÏÄÅËÜÆÎÖÑ".contains(c)
}

/// The word converted from VNI, or `None` when it is not VNI (a mark without a vowel before it).
fn from_vni(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len() + 4);
    let mut after_vowel = false;
    for c in word.chars() {
        if let Some(letter) = vni_letter(c) {
            out.push_str(letter);
            after_vowel = !matches!(c, 'ñ' | 'Ñ');
        } else if let Some(mark) = vni_mark(c) {
            if !after_vowel {
                return None;
            }
            out.push_str(mark);
        } else if c.is_ascii_alphabetic() {
            out.push(c);
            after_vowel = "aeiouyAEIOUY".contains(c);
        } else {
            return None;
        }
    }
    Some(out.nfc().collect())
}

/// Whether a converted word is a possible Vietnamese syllable: fully composed, none of the
/// letters f, j, w, z, and ending in a vowel or one of the finals c, ch, m, n, ng, nh, p, t.
/// French words with ï or ë ("naïf", "Noël") fail it.
fn vietnamese_syllable(word: &str) -> bool {
    let lower = word.to_lowercase();
    if lower.chars().any(|c| is_combining_mark(c) || matches!(c, 'f' | 'j' | 'w' | 'z')) {
        return false;
    }
    let consonants = lower.chars().rev().take_while(|c| c.is_ascii_alphabetic() && !"aeiouy".contains(*c)).count();
    let tail: String = lower.chars().rev().take(consonants).collect::<Vec<_>>().into_iter().rev().collect();
    ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"].contains(&tail.as_str()) && consonants < lower.chars().count()
}

/// Whether `line` is typed in VNI: no letter beyond Latin-1, and at least two words that use
/// VNI-only characters and read as Vietnamese syllables once converted.
fn is_vni_line(line: &str) -> bool {
    if line.chars().any(|c| c > '\u{FF}' && c.is_alphabetic()) {
        return false;
    }
    latin1_words(line).filter(|(_, w)| w.chars().any(vni_only) && from_vni(w).is_some_and(|v| vietnamese_syllable(&v))).count() >= 2
}

/// The legacy 8-bit encodings whose text can be pasted into a Unicode file.
#[derive(Clone, Copy)]
enum Legacy {
    Tcvn3,
    Vni,
}

/// One finding for a line typed in a legacy encoding: the span of its converted words, a sample
/// of how it reads, and the conversion as the fix. `None` when no word needs converting.
fn legacy_line(encoding: Legacy, converted: Vec<Edit>, locale: Locale) -> Option<Finding> {
    let (first, last) = (converted.first()?, converted.last()?);
    let span = first.range.cover(last.range);
    let sample = converted.iter().take(3).map(|e| e.new_text.as_str()).collect::<Vec<_>>().join(" ");
    // The encoding's name in messages, and its short name in the fix's title.
    let (name, short) = match encoding {
        Legacy::Tcvn3 => ("TCVN3 (ABC)", "TCVN3"),
        Legacy::Vni => ("VNI", "VNI"),
    };
    Some(Finding::new(
        RuleCode::UnicodeNfd,
        span,
        locale.pick(
            format!("Chữ mã {name} dán vào tệp Unicode, đọc là “{sample} …”: cần chuyển sang Unicode"),
            format!("{name} text pasted into a Unicode file, reading “{sample} …”: convert it to Unicode"),
        ),
    )
    .with_fix(Fix::edits(locale.pick(format!("Chuyển từ mã {short} sang Unicode"), format!("Convert from {short} to Unicode")), converted)))
}

/// Findings for lines typed in VNI: one per line, with its conversion.
fn vni_lines(text: &str, locale: Locale, out: &mut Vec<Finding>) {
    if !text.chars().any(vni_only) {
        return;
    }
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        if is_vni_line(line) {
            let converted: Vec<Edit> = latin1_words(line)
                .filter(|(_, w)| !w.is_ascii())
                .filter_map(|(at, word)| {
                    let new_text = from_vni(word)?;
                    (new_text != word).then(|| Edit { range: TextRange::new(start + at, start + at + word.len()), new_text })
                })
                .collect();
            out.extend(legacy_line(Legacy::Vni, converted, locale));
        }
        start += line.len();
    }
}

/// Findings for lines typed in TCVN3: one per line, with its conversion.
fn tcvn3_lines(text: &str, locale: Locale, out: &mut Vec<Finding>) {
    if !text.chars().any(tcvn3_symbol) {
        return;
    }
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let converted: Vec<Edit> = latin1_words(line)
            .filter_map(|(at, word)| {
                let all_tcvn3 = word.chars().all(|c| c.is_ascii_alphabetic() || tcvn3_char(c).is_some());
                let fixed: Option<String> = if all_tcvn3 && !word.is_ascii() {
                    word.chars().map(|c| if c.is_ascii_alphabetic() { Some(c) } else { tcvn3_char(c) }).collect()
                } else {
                    None
                };
                fixed.map(|new_text| Edit { range: TextRange::new(start + at, start + at + word.len()), new_text })
            })
            .collect();
        // TCVN3 text is ASCII and Latin-1 only: a line with a letter beyond Latin-1 ("ạ", "ư")
        // is Unicode Vietnamese, whatever symbols it quotes with («…», ®).
        let unicode_vietnamese = line.chars().any(|c| c > '\u{FF}' && c.is_alphabetic());
        let strong = latin1_words(line).filter(|(_, w)| from_tcvn3(w).is_some()).count();
        if strong >= 2 && !unicode_vietnamese && !is_vni_line(line) {
            out.extend(legacy_line(Legacy::Tcvn3, converted, locale));
        }
        start += line.len();
    }
}

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
    tcvn3_lines(text, locale, out);
    vni_lines(text, locale, out);
    if is_nfc_quick(text.chars()) == IsNormalized::Yes && !text.contains(['\u{00D0}', '\u{00F0}']) {
        return;
    }
    // (line start, range of the first to the last bad word, the edits)
    let mut lines: Vec<(usize, TextRange, Vec<Edit>)> = Vec::new();
    // The words come in text order: the start of a word's line is looked for only since the
    // previous bad word (not in the whole text before it, issue 12).
    let (mut read_to, mut line_start) = (0, 0);
    for (start, word) in words(text) {
        let Some(fixed) = standard(word) else { continue };
        let range = TextRange::new(start, start + word.len());
        if let Some(i) = text[read_to..start].rfind(['\n', '\r']) {
            line_start = read_to + i + 1;
        }
        read_to = start;
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
    let share_fix_all = lines.len() <= super::tone_mark_mixed::MAX_SHARED_FIX_ALL;
    for (n, (_, span, edits)) in lines.iter().enumerate() {
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
        if lines.len() > 1 && (share_fix_all || n == 0) {
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
        out.push(Finding::new(RuleCode::UnicodeNfd, *span, message).with_fixes(fixes));
    }
}

/// The rule: every finding is local to its block.
pub struct UnicodeNfd;

local_rule!(UnicodeNfd, |_: &Setup<'_>| UnicodeNfd, |_rule, block, found| check(block.text, block.locale, &mut found));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vni_lines_are_converted() {
        let mut out = Vec::new();
        vni_lines("Ban Chaáp haønh Ñaûng boä tænh ñaõ hoïp, Trung öông ñoàng yù.\nXin chào các bạn, naïve café.", Locale::Vi, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        let fixed: Vec<&str> = out[0].fixes[0].edits.iter().map(|e| e.new_text.as_str()).collect();
        assert_eq!(fixed, ["Chấp", "hành", "Đảng", "bộ", "tỉnh", "đã", "họp", "ương", "đồng", "ý"]);
        // Unicode Vietnamese, French words with ï or ë, or a single stray symbol stay silent.
        let mut none = Vec::new();
        vni_lines("Hội nghị đồng ý naïve.\nLe naïf Noël à Zoë, Citroën Saïgon.\nGiá 5 ñ.", Locale::Vi, &mut none);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn tcvn3_lines_are_converted() {
        let mut out = Vec::new();
        tcvn3_lines("Ban ChÊp hµnh §¶ng bé tØnh ®· häp.\nGiá 2½kg, «Nghị quyết» số 5 — Acme® ©Bản quyền.", Locale::Vi, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        let fixed: Vec<&str> = out[0].fixes[0].edits.iter().map(|e| e.new_text.as_str()).collect();
        assert_eq!(fixed, ["Chấp", "hành", "Đảng", "bộ", "tỉnh", "đã", "họp"]);
    }

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
