//! Settings the analysis depends on. Parsed from JSON or TOML by the callers, never here.

use crate::rules::RuleCode;
use crate::Severity;
use std::collections::HashMap;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub fn parse(name: &str) -> Option<Locale> {
        match name.trim().to_ascii_lowercase().as_str() {
            "vi" | "vi-vn" | "vietnamese" => Some(Locale::Vi),
            "en" | "en-us" | "en-gb" | "english" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the Vietnamese or the English text.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Locale::Vi => vi,
            Locale::En => en,
        }
    }
}

/// What the user chose for one rule: turn it off, or give it another severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSetting {
    Off,
    Severity(Severity),
}

/// Where the tone mark of "oa", "oe", "uy" goes in open syllables (the house style for `tone-mark-mixed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ToneMarks {
    /// Whatever most occurrences in the document use.
    #[default]
    Majority,
    /// On the first vowel: "hòa", "khỏe", "Tỉnh ủy" (state texts, NĐ 30/2020 excerpts).
    Old,
    /// On the main vowel: "hoà", "khoẻ", "Tỉnh uỷ" (QĐ 1989/QĐ-BGDĐT, VPTW texts).
    New,
}

impl ToneMarks {
    pub fn parse(name: &str) -> Option<ToneMarks> {
        match name.trim().to_lowercase().as_str() {
            "majority" | "auto" | "đa số" => Some(ToneMarks::Majority),
            "old" | "cũ" | "ủy" => Some(ToneMarks::Old),
            "new" | "mới" | "uỷ" => Some(ToneMarks::New),
            _ => None,
        }
    }
}

/// The separator of numeric dates in running text (the house style for `date-format-mixed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateSeparator {
    /// Whatever most dates in the document use.
    #[default]
    Majority,
    /// "10/02/2022".
    Slash,
    /// "10-02-2022".
    Hyphen,
    /// "10.02.2022".
    Dot,
}

impl DateSeparator {
    pub fn parse(name: &str) -> Option<DateSeparator> {
        match name.trim().to_lowercase().as_str() {
            "majority" | "auto" => Some(DateSeparator::Majority),
            "slash" | "/" | "dd/mm/yyyy" => Some(DateSeparator::Slash),
            "hyphen" | "dash" | "-" | "dd-mm-yyyy" => Some(DateSeparator::Hyphen),
            "dot" | "." | "dd.mm.yyyy" => Some(DateSeparator::Dot),
            _ => None,
        }
    }

    /// The separator character, `None` for the majority style.
    pub fn char(self) -> Option<char> {
        match self {
            DateSeparator::Majority => None,
            DateSeparator::Slash => Some('/'),
            DateSeparator::Hyphen => Some('-'),
            DateSeparator::Dot => Some('.'),
        }
    }
}

/// Abbreviations that may be used without being spelled out when no setting says otherwise:
/// the "cụm từ thông dụng" NĐ 30/2020 itself abbreviates (see docs/phrasebook.md).
pub const DEFAULT_ALLOWED_ABBREVIATIONS: &[&str] = &["UBND", "HĐND"];

/// Everything the analysis needs to know about the user's choices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub locale: Locale,
    /// Per-rule overrides; rules not listed keep their default severity.
    pub rules: HashMap<RuleCode, RuleSetting>,
    /// House style for tone-mark placement (`tone-mark-mixed`).
    pub tone_marks: ToneMarks,
    /// House style for numeric dates (`date-format-mixed`).
    pub date_separator: DateSeparator,
    /// Abbreviations allowed without being spelled out; `None` means
    /// [`DEFAULT_ALLOWED_ABBREVIATIONS`].
    pub allowed_abbreviations: Option<Vec<String>>,
    /// Bundled plus workspace phrasebook (`.baocao/phrasebook.json`); `None` means the bundled one.
    pub phrasebook: Option<std::sync::Arc<crate::phrasebook::Phrasebook>>,
}

impl Config {
    /// The severity a finding of `code` gets, or `None` when the rule is off.
    /// `default` is the severity the rule chose (a reconciled total is information, for example);
    /// an explicit user setting wins over it.
    pub fn severity_for(&self, code: RuleCode, default: Severity) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(RuleSetting::Off) => None,
            // A finding the rule itself lowered below the rule's default (a reconciled total) is
            // not raised again by the user's grading of the rule.
            Some(RuleSetting::Severity(s)) => Some(if default > code.default_severity() { default.max(*s) } else { *s }),
            None => Some(default),
        }
    }

    /// Whether `abbreviation` may be used without being spelled out.
    pub fn abbreviation_allowed(&self, abbreviation: &str) -> bool {
        match &self.allowed_abbreviations {
            Some(list) => list.iter().any(|a| a == abbreviation),
            None => DEFAULT_ALLOWED_ABBREVIATIONS.contains(&abbreviation),
        }
    }

    /// Sets one setting by the name used in fixture headers (`tone-marks`, `date-style`,
    /// `abbreviations-allowed`, and `off` with a list of rule codes to turn off); `Err` names
    /// what is wrong.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key.trim() {
            "off" => {
                for code in value.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
                    let rule = RuleCode::parse(code).ok_or(format!("off: unknown rule {code}"))?;
                    self.rules.insert(rule, RuleSetting::Off);
                }
            }
            "tone-marks" | "toneMarks" => {
                self.tone_marks = ToneMarks::parse(value).ok_or(format!("tone-marks: “{value}”: use old, new or majority"))?
            }
            "date-style" | "dateStyle" => {
                self.date_separator =
                    DateSeparator::parse(value).ok_or(format!("date-style: “{value}”: use slash, hyphen, dot or majority"))?
            }
            "abbreviations-allowed" | "allowedAbbreviations" => {
                self.allowed_abbreviations =
                    Some(value.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
            }
            other => return Err(format!("unknown setting {other}")),
        }
        Ok(())
    }

    /// A hash of every setting: the engine's cache key. Destructured field by field so that a
    /// new setting cannot be left out of the key.
    pub fn fingerprint(&self) -> u64 {
        let Config { locale, rules, tone_marks, date_separator, allowed_abbreviations, phrasebook } = self;
        let mut rules: Vec<_> = rules.iter().collect();
        rules.sort_by_key(|(code, _)| **code);
        let phrasebook = phrasebook.as_ref().map(|p| p.fingerprint());
        crate::fingerprint_of(&(locale, rules, tone_marks, date_separator, allowed_abbreviations, phrasebook))
    }

    pub fn is_enabled(&self, code: RuleCode) -> bool {
        self.rules.get(&code) != Some(&RuleSetting::Off)
    }
}
