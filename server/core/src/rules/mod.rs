//! The checks: one module per rule code, registered here.
//!
//! Each module starts with a `//! Rule:` block that says what it flags and why; `docs/rules.md`
//! holds the same with examples. A rule sees one block's facts ([`BlockCtx`]) and returns
//! findings with block-relative ranges; the document-level pass in [`crate::analysis`] links
//! blocks (remaining parts stated elsewhere, lists that start in the next paragraph).

pub mod abbreviation_undefined;
pub mod citation_conflict;
pub mod citation_order;
pub mod citation_superseded;
pub mod count_mismatch;
pub mod date_format_mixed;
pub mod date_invalid;
pub mod fraction_mismatch;
pub mod groups;
pub mod percent_mismatch;
pub mod ratio_mismatch;
pub mod resolution_name;
pub mod table_total_mismatch;
pub mod term_typo;
pub mod tone_mark_mixed;
pub mod total_mismatch;
pub mod unicode_nfd;
pub mod weekday_mismatch;

use crate::config::Locale;
use crate::extract::BlockFacts;
use crate::units::AbbreviationMap;
use crate::Severity;

/// Stable rule codes: the keys of settings, `diagnostic.code`, and anchors in `docs/rules.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleCode {
    CitationConflict,
    CitationOrder,
    CitationSuperseded,
    DateInvalid,
    WeekdayMismatch,
    CountMismatch,
    FractionMismatch,
    PercentMismatch,
    RatioMismatch,
    TableTotalMismatch,
    TotalMismatch,
    ResolutionName,
    AbbreviationUndefined,
    ToneMarkMixed,
    UnicodeNfd,
    TermTypo,
    DateFormatMixed,
}

/// Where the rules are documented; `codeDescription.href` is this plus `#code`.
pub const RULES_DOC_URL: &str = "https://github.com/baocao-ls/baocao-ls/blob/main/docs/rules.md";

impl RuleCode {
    pub const ALL: [RuleCode; 17] = [
        RuleCode::CitationConflict,
        RuleCode::CitationOrder,
        RuleCode::CitationSuperseded,
        RuleCode::DateInvalid,
        RuleCode::WeekdayMismatch,
        RuleCode::CountMismatch,
        RuleCode::FractionMismatch,
        RuleCode::PercentMismatch,
        RuleCode::RatioMismatch,
        RuleCode::TableTotalMismatch,
        RuleCode::TotalMismatch,
        RuleCode::ResolutionName,
        RuleCode::AbbreviationUndefined,
        RuleCode::ToneMarkMixed,
        RuleCode::UnicodeNfd,
        RuleCode::TermTypo,
        RuleCode::DateFormatMixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleCode::CitationConflict => "citation-conflict",
            RuleCode::CitationOrder => "citation-order",
            RuleCode::CitationSuperseded => "citation-superseded",
            RuleCode::DateInvalid => "date-invalid",
            RuleCode::WeekdayMismatch => "weekday-mismatch",
            RuleCode::CountMismatch => "count-mismatch",
            RuleCode::FractionMismatch => "fraction-mismatch",
            RuleCode::PercentMismatch => "percent-mismatch",
            RuleCode::RatioMismatch => "ratio-mismatch",
            RuleCode::TableTotalMismatch => "table-total-mismatch",
            RuleCode::TotalMismatch => "total-mismatch",
            RuleCode::ResolutionName => "resolution-name",
            RuleCode::AbbreviationUndefined => "abbreviation-undefined",
            RuleCode::ToneMarkMixed => "tone-mark-mixed",
            RuleCode::UnicodeNfd => "unicode-nfd",
            RuleCode::TermTypo => "term-typo",
            RuleCode::DateFormatMixed => "date-format-mixed",
        }
    }

    pub fn parse(code: &str) -> Option<RuleCode> {
        RuleCode::ALL.into_iter().find(|c| c.as_str() == code.trim())
    }

    pub fn default_severity(self) -> Severity {
        match self {
            // Style choices the standards accept either way: a hint to be consistent, not an error.
            RuleCode::ResolutionName | RuleCode::AbbreviationUndefined | RuleCode::ToneMarkMixed | RuleCode::DateFormatMixed => {
                Severity::Information
            }
            _ => Severity::Warning,
        }
    }

    /// The link to this rule's section of `docs/rules.md`.
    pub fn doc_url(self) -> String {
        format!("{RULES_DOC_URL}#{}", self.as_str())
    }
}

impl std::fmt::Display for RuleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule sees of one block.
pub struct BlockCtx<'a> {
    pub text: &'a str,
    pub facts: &'a BlockFacts,
    pub abbreviations: &'a AbbreviationMap,
    pub locale: Locale,
}

/// Words that open a status category of a breakdown ("đạt và vượt", "chưa đạt", "đúng hạn").
/// A set of parts all described by such words is a partition of its total.
pub const STATUS_START: &[&str] = &[
    "đạt", "vượt", "chưa", "không", "hoàn", "đúng", "trễ", "quá", "chậm", "trước", "dự", "khó", "hợp", "đang", "xếp", "nữ", "nam", "tốt",
    "khá", "xuất", "trung", "yếu", "kém", "giải", "còn", "bị", "được", "thuận", "có", "đã", "triển", "thực", "thi", "tán", "nhất", "phản",
    "vắng",
];

/// Whether a part's description (the words after its shared unit) names a status category.
pub fn is_status(tail: &[String]) -> bool {
    let skip = ["đã", "được", "đều", "là", "có", "thì", "với", "trong", "đó", "gồm", "bao", "số", "còn"];
    let first = tail.iter().find(|w| !skip.contains(&w.as_str()));
    match first {
        Some(word) => STATUS_START.contains(&word.as_str()),
        None => tail.iter().any(|w| w == "còn" || w == "đã"),
    }
}
