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

/// Everything the analysis needs to know about the user's choices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    pub locale: Locale,
    /// Per-rule overrides; rules not listed keep their default severity.
    pub rules: HashMap<RuleCode, RuleSetting>,
}

impl Config {
    /// The severity a finding of `code` gets, or `None` when the rule is off.
    /// `default` is the severity the rule chose (a reconciled total is information, for example);
    /// an explicit user setting wins over it.
    pub fn severity_for(&self, code: RuleCode, default: Severity) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(RuleSetting::Off) => None,
            Some(RuleSetting::Severity(s)) => Some(if default > Severity::Warning { default.max(*s) } else { *s }),
            None => Some(default),
        }
    }

    pub fn is_enabled(&self, code: RuleCode) -> bool {
        self.rules.get(&code) != Some(&RuleSetting::Off)
    }
}
