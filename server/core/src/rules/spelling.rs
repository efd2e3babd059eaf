//! Rule: spelling
//!
//! Two kinds of slip that no context can excuse, each with its fix:
//! - a word that mixes Latin letters with their Cyrillic or Greek look-alikes (“GRDР” with a
//!   Cyrillic Р, pasted from another document or typed on the wrong layout): it looks right but
//!   defeats search and comparison. The fix replaces each look-alike by its Latin letter, from
//!   [`LOOK_ALIKES`] (a subset of Unicode's confusables.txt, UTS #39). Scripts are read with the
//!   `unicode-script` crate. “Ð” (U+00D0, Latin Eth) is Latin, so “Ðảng” is not mixed: the
//!   character is `unicode-nfd`'s finding, and here it reads as “Đ”.
//! - a Vietnamese word that is not a valid syllable ([`crate::syllable`]): a tone mark on the
//!   wrong vowel (“gíup” → “giúp”), a stop coda without sắc or nặng (“thưc” → “thức”, “thực”), an
//!   onset against the spelling rules (“nghành” → “ngành”, “kông” → “công”), a doubled or stray
//!   letter. The fixes are the valid syllables one keystroke away, the likeliest first.
//!
//! Deliberately ignored (precision first): words without a Vietnamese letter (ASCII words may be
//! English, codes or unaccented text), capitalised words inside a sentence (names) and words in
//! capitals, words with f, j, w, z or letters beyond Vietnamese, words of several vowel runs
//! (“ôtô”, foreign names), words in tokens with digits, “@”, “_”, “://” (codes, e-mails, URLs),
//! and a slip with no valid syllable one keystroke away. Valid syllables wrong in context
//! (“đúng đán”) are not checked yet.

use super::{RuleCode, Setup};
use crate::config::ToneMarks;
use crate::phrasebook::words;
use crate::syllable::{self, Edit, Spelled};
use crate::{Finding, Fix, Locale, TextRange};
use unicode_script::{Script, UnicodeScript};

/// Cyrillic and Greek letters that Unicode's confusables.txt (UTS #39, “Unicode Security
/// Mechanisms”, https://www.unicode.org/Public/security/latest/confusables.txt) maps to one
/// ASCII Latin letter: the subset that looks the same in ordinary fonts.
pub const LOOK_ALIKES: &[(char, char)] = &[
    // Cyrillic lowercase
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('һ', 'h'),
    // Cyrillic capitals
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('І', 'I'),
    ('Ј', 'J'),
    ('Ѕ', 'S'),
    ('Ү', 'Y'),
    ('Ԛ', 'Q'),
    ('Ԝ', 'W'),
    // Greek lowercase
    ('ο', 'o'),
    ('α', 'a'),
    ('ν', 'v'),
    ('ρ', 'p'),
    ('ι', 'i'),
    ('γ', 'y'),
    // Greek capitals
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
];

/// At most this many fixes per finding: the likeliest syllables, not every one in reach.
const MAX_FIXES: usize = 3;

fn look_alike(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

/// The word with its look-alikes made Latin, and the first look-alike, when it mixes Latin
/// letters with Cyrillic or Greek ones that all have a Latin twin.
fn mixed_script(word: &str) -> Option<(String, char, Script)> {
    let (mut latin, mut first) = (false, None);
    let mut fixed = String::with_capacity(word.len());
    for c in word.chars() {
        match c.script() {
            Script::Latin => {
                latin = true;
                fixed.push(c);
            }
            script @ (Script::Cyrillic | Script::Greek) => {
                fixed.push(look_alike(c)?);
                first.get_or_insert((c, script));
            }
            _ => fixed.push(c),
        }
    }
    let (c, script) = first?;
    latin.then_some((fixed, c, script))
}

/// The whitespace-delimited token around `start..end`, to tell words of prose from parts of
/// URLs, e-mail addresses and codes.
fn token(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let to = text[end..].find(char::is_whitespace).map_or(text.len(), |i| end + i);
    &text[from..to]
}

fn code_like(token: &str) -> bool {
    token.contains("://")
        || token.contains("www.")
        || token.chars().any(|c| c.is_ascii_digit() || matches!(c, '@' | '_' | '=' | '\\' | '{' | '}' | '<' | '>' | '`' | '|' | '~'))
}

/// Whether a word at `start` opens a sentence, a line or a list item (where a capital is no name).
fn opens_sentence(text: &str, start: usize) -> bool {
    match text[..start].trim_end_matches([' ', '\t', '\u{a0}']).chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '\n' | '.' | '!' | '?' | ':' | '…' | '"' | '“' | '\'' | '‘' | '(' | '[' | '-' | '–' | '—' | '*' | '+' | '#' | '>' | '•' | ')'
        ),
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The likely intended syllables for a word that is not one, best first; empty when the word is
/// not a Vietnamese slip (or not one we can be sure of).
/// A capitalised word (a sentence's first, or a name) is reported only for the slips a name
/// cannot have: the mark on the wrong vowel, a stop coda without its tone, the onset's spelling.
pub fn suggestions(word: &str, style: ToneMarks, capitalised: bool) -> Vec<String> {
    let Some(s) = Spelled::read(word) else { return Vec::new() };
    let letters = &s.letters;
    if letters.len() > 7 || !syllable::one_vowel_run(letters) || !syllable::vietnamese_shape(letters) || syllable::is_valid(&s) {
        return Vec::new();
    }
    // A doubled letter is Telex or VNI left unconverted (“nhaát”, “ddaành”): `unicode-nfd`'s
    // matter, or a loan (“xoong”, which is valid).
    if letters.windows(2).any(|w| w[0] == w[1]) {
        return Vec::new();
    }
    let all = syllable::candidates(&s, style);
    let Some(best) = all.first().map(|(_, edit)| *edit) else { return Vec::new() };
    match best {
        // Certain edits: only those (“gíup” is “giúp”, not also “giụp”).
        Edit::Onset | Edit::MoveMark | Edit::Tone => {
            all.into_iter().filter(|(_, edit)| *edit == best).map(|(c, _)| c.write()).collect()
        }
        _ if capitalised => Vec::new(),
        _ => all.into_iter().map(|(c, _)| c.write()).collect(),
    }
}

/// Whether the word touches Markdown emphasis or an apostrophe: a piece of a longer word
/// (“th**iết**”, “đườ**n**g”) or of a name (“H’đing”, “M’gar”).
fn fragment(text: &str, start: usize, end: usize) -> bool {
    let joiner = |c: char| matches!(c, '*' | '_' | '\'' | '’' | 'ʼ' | '`');
    text[..start].chars().next_back().is_some_and(joiner) || text[end..].chars().next().is_some_and(joiner)
}

/// The block's findings (block-relative ranges).
pub fn check(text: &str, style: ToneMarks, locale: Locale, out: &mut Vec<Finding>) {
    for (start, word) in words(text) {
        // Most words of a report are ASCII or plain Vietnamese: both are cheap to pass over.
        if word.is_ascii() {
            continue;
        }
        let end = start + word.len();
        let range = TextRange::new(start, end);
        if let Some((fixed, c, script)) = mixed_script(word) {
            let script_vi = if script == Script::Cyrillic { "Kirin" } else { "Hy Lạp" };
            let script_en = if script == Script::Cyrillic { "Cyrillic" } else { "Greek" };
            let code = format!("U+{:04X}", u32::from(c));
            out.push(
                Finding::new(
                    RuleCode::Spelling,
                    range,
                    locale.pick(
                        format!("“{word}” trộn chữ Latin với chữ {script_vi} trông giống (“{c}” {code}); nên viết “{fixed}”"),
                        format!("“{word}” mixes Latin letters with a {script_en} look-alike (“{c}” {code}); write “{fixed}”"),
                    ),
                )
                .with_fix(Fix::replace(locale.pick(format!("Sửa thành “{fixed}”"), format!("Change to “{fixed}”")), range, fixed.clone())),
            );
            continue;
        }
        let mut chars = word.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        if chars.any(char::is_uppercase) || (first_upper && !opens_sentence(text, start)) {
            continue;
        }
        let lower = if first_upper { word.to_lowercase() } else { word.to_string() };
        if fragment(text, start, end) {
            continue;
        }
        let found = suggestions(&lower, style, first_upper);
        if found.is_empty() || code_like(token(text, start, end)) {
            continue;
        }
        let found: Vec<String> = found.into_iter().take(MAX_FIXES).map(|c| if first_upper { capitalise(&c) } else { c }).collect();
        let listed = found.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join(locale.pick(" hoặc ", " or "));
        let mut finding = Finding::new(
            RuleCode::Spelling,
            range,
            locale.pick(
                format!("“{word}” không phải âm tiết tiếng Việt; có lẽ là {listed}"),
                format!("“{word}” is not a Vietnamese syllable; probably {listed}"),
            ),
        );
        for (n, c) in found.iter().enumerate() {
            let mut fix = Fix::replace(locale.pick(format!("Sửa thành “{c}”"), format!("Change to “{c}”")), range, c.clone());
            fix.preferred = n == 0;
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
}

/// The rule: reads the house tone-mark style once, then checks each block on its own.
pub struct Spelling {
    style: ToneMarks,
}

local_rule!(Spelling, |setup: &Setup<'_>| Spelling { style: setup.config.tone_marks }, |rule, block, found| check(
    block.text,
    rule.style,
    block.locale,
    &mut found
));

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        check(text, ToneMarks::Majority, Locale::Vi, &mut out);
        out.into_iter()
            .map(|f| (text[f.range.as_range()].to_string(), f.fixes.iter().map(|x| x.edits[0].new_text.clone()).collect()))
            .collect()
    }

    #[test]
    fn mixed_scripts_are_fixed() {
        let found = messages("Tốc độ tăng GRDР đạt 8,2%.");
        assert_eq!(found, [("GRDР".to_string(), vec!["GRDP".to_string()])]);
        assert_eq!(messages("Hệ số α = 0,5; Москва; Ðảng bộ"), []);
    }

    #[test]
    fn slips_are_reported_and_names_skipped() {
        let found = messages("Đề nghị gíup đỡ; thưc hiện nghành y tế.");
        let words: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["gíup", "thưc", "nghành"]);
        assert_eq!(found[0].1[0], "giúp");
        assert_eq!(found[2].1[0], "ngành");
        assert_eq!(messages("Gíup đỡ."), [("Gíup".to_string(), vec!["Giúp".to_string()])]);
        assert_eq!(messages("ông Nghành, GÍUP, ôtô, façade, user_thưc, thưc@x.vn, th**iết** bị, Ea H’đing, Krông Pắc"), []);
    }
}
