//! Rule: term-typo
//!
//! Misspellings of the genre's standard terms, from the phrasebook's list of misspellings, each
//! with the context that makes it certain: "Đãng bộ" → "Đảng bộ", "quán chiệt" → "quán triệt",
//! "khiến trách" → "khiển trách", the name "Ban chấp hành" → "Ban Chấp hành" (matched only with
//! its capital B, so the common noun "các ban chấp hành" stays silent); and a two-word phrase
//! written twice in a row ("Thực hiện Thực hiện").
//!
//! Deliberately not a spell checker: a word is flagged only when the list names it in its
//! certain context; single repeated words are left alone (Vietnamese reduplicates: "ngày ngày").

use super::{RuleCode, Setup};
use crate::phrasebook::{words, PhraseKind, Phrasebook};
use crate::{Finding, Fix, Locale, TextRange};

fn is_letter(c: char) -> bool {
    crate::lexer::is_word_char(c)
}

/// Whether `text[start..end]` stands as whole words.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    !text[..start].chars().next_back().is_some_and(is_letter) && !text[end..].chars().next().is_some_and(is_letter)
}

fn with_first(word: &str, upper: bool) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if upper => first.to_uppercase().chain(chars).collect(),
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The typo entries with their spelling variants and searchers, built once per analysis
/// rather than once per block.
pub struct Prepared {
    entries: Vec<(crate::phrasebook::Phrase, bool, Vec<Variant>)>,
}

/// One spelling of a typo ("quán chiệt", "Quán chiệt") and its searcher.
type Variant = (String, memchr::memmem::Finder<'static>);

pub fn prepare(phrasebook: &Phrasebook) -> Prepared {
    let entries = phrasebook
        .of_kind(PhraseKind::Typo)
        .map(|entry| {
            let mut variants = vec![entry.wrong.clone()];
            if !entry.case_sensitive {
                for upper in [true, false] {
                    let v = with_first(&entry.wrong, upper);
                    if !variants.contains(&v) {
                        variants.push(v);
                    }
                }
            }
            let capitalisation = entry.wrong.to_lowercase() == entry.right.to_lowercase();
            // memmem searches with SIMD; a valid UTF-8 needle matches only on char boundaries.
            let finders = variants.into_iter().map(|v| {
                let finder = memchr::memmem::Finder::new(v.as_bytes()).into_owned();
                (v, finder)
            });
            (entry.clone(), capitalisation, finders.collect())
        })
        .collect();
    Prepared { entries }
}

pub fn check_prepared(text: &str, prepared: &Prepared, locale: Locale, out: &mut Vec<Finding>) {
    for (entry, capitalisation, variants) in &prepared.entries {
        let capitalisation = *capitalisation;
        for (variant, finder) in variants {
            for start in finder.find_iter(text.as_bytes()) {
                let end = start + variant.len();
                let matched = &text[start..end];
                if !whole_words(text, start, end) {
                    continue;
                }
                let next_word = crate::phrasebook::words(&text[end..]).next().map(|(_, w)| w.to_lowercase());
                if next_word.is_some_and(|w| entry.not_followed_by.iter().any(|n| n.to_lowercase() == w)) {
                    continue;
                }
                let upper = matched.chars().next().is_some_and(char::is_uppercase);
                let right = if entry.case_sensitive { entry.right.clone() } else { with_first(&entry.right, upper) };
                let message = if capitalisation {
                    locale.pick(
                        format!("Tên riêng viết hoa là “{right}”, không phải “{matched}”"),
                        format!("The name is capitalised “{right}”, not “{matched}”"),
                    )
                } else {
                    locale.pick(format!("“{matched}” viết sai, đúng là “{right}”"), format!("“{matched}” is a misspelling of “{right}”"))
                };
                let range = TextRange::new(start, end);
                out.push(Finding::new(RuleCode::TermTypo, range, message).with_fix(Fix::replace(
                    locale.pick(format!("Sửa thành “{right}”"), format!("Change to “{right}”")),
                    range,
                    right.clone(),
                )));
            }
        }
    }
    doubled_phrases(text, locale, out);
}

/// "Thực hiện Thực hiện": two words repeated at once, with only spaces between them.
fn doubled_phrases(text: &str, locale: Locale, out: &mut Vec<Finding>) {
    let all: Vec<(usize, &str)> = words(text).collect();
    let only_space = |from: usize, to: usize| from <= to && text[from..to].chars().all(|c| c == ' ' || c == '\u{a0}') && from < to;
    let mut i = 0;
    while i + 3 < all.len() {
        let [(s0, w0), (s1, w1), (s2, w2), (s3, w3)] = [all[i], all[i + 1], all[i + 2], all[i + 3]];
        // Written identically, the second copy capitalised mid-sentence: a paste stutter.
        // "Ủy ban Kiểm tra kiểm tra …" (the committee inspects) differs in case and stays silent.
        let same = w0 == w2 && w1 == w3 && w0 != w1 && w2.chars().next().is_some_and(char::is_uppercase);
        let joined = only_space(s0 + w0.len(), s1) && only_space(s1 + w1.len(), s2) && only_space(s2 + w2.len(), s3);
        if same && joined {
            let first = &text[s0..s1 + w1.len()];
            let delete = TextRange::new(s1 + w1.len(), s3 + w3.len());
            out.push(Finding::new(
                RuleCode::TermTypo,
                TextRange::new(s2, s3 + w3.len()),
                locale.pick(format!("“{first}” bị viết lặp hai lần"), format!("“{first}” is written twice")),
            )
            .with_fix(Fix::replace(
                locale.pick(format!("Xóa “{}” lặp lại", &text[s2..s3 + w3.len()]), format!("Delete the repeated “{}”", &text[s2..s3 + w3.len()])),
                delete,
                String::new(),
            )));
            i += 4;
        } else {
            i += 1;
        }
    }
}

/// The rule, with the phrasebook's misspellings and their searchers prepared once per
/// configuration; every finding is local to its block.
pub struct TermTypo {
    prepared: Prepared,
}

local_rule!(TermTypo, |setup: &Setup<'_>| TermTypo { prepared: prepare(setup.phrasebook) }, |rule, block, found| check_prepared(block.text, &rule.prepared, block.locale, &mut found));
