//! The checks: one module per rule code, registered here.
//!
//! Each module starts with a `//! Rule:` block that says what it flags and why; `docs/rules.md`
//! holds the same with examples. Every rule has one shape ([`Rule`]): a scan of one block
//! ([`BlockCtx`], block-relative ranges, cached with the block by [`crate::analysis`]) and a
//! conclusion over the placed scans of the whole document ([`DocCtx`]).

pub mod groups;

use crate::catalogue::Catalogue;
use crate::citations::{BlockCitations, CitationIndex};
use crate::config::{Config, Locale};
use crate::extract::BlockFacts;
use crate::phrasebook::Phrasebook;
use crate::units::AbbreviationMap;
use crate::{Finding, Severity};
use std::any::Any;
use std::cell::OnceCell;
use std::sync::Arc;

/// A rule whose findings need nothing outside their block: its scan is the block's findings and
/// its conclusion places them in the document. `local_rule!(Type, new, |rule, block, found| body)`:
/// `new` builds the rule from the [`Setup`], `body` pushes the block's findings into `found`.
macro_rules! local_rule {
    ($name:ident, $new:expr, |$rule:ident, $block:ident, $found:ident| $body:expr) => {
        impl crate::rules::Rule for $name {
            type Scan = Vec<crate::Finding>;

            fn new(setup: &crate::rules::Setup<'_>) -> $name {
                #[allow(clippy::redundant_closure_call)]
                ($new)(setup)
            }

            fn scan(&self, $block: &crate::rules::BlockCtx<'_>) -> Vec<crate::Finding> {
                let $rule = self;
                let mut $found = Vec::new();
                $body;
                $found
            }

            fn relevant(&self, _: &crate::rules::BlockCtx<'_>, scan: &Vec<crate::Finding>) -> bool {
                !scan.is_empty()
            }

            fn conclude(
                &self,
                _: &crate::rules::DocCtx<'_>,
                scans: &[crate::rules::Placed<'_, Vec<crate::Finding>>],
                out: &mut Vec<crate::Finding>,
            ) {
                crate::rules::place_findings(scans, out);
            }
        }
    };
}

/// A rule that reads only the document's citation index (no scan of its own): it depends on the
/// blocks that hold citations or dates ([`cites_or_dates`]). `index_rule!(Type, |doc, out| body)`.
macro_rules! index_rule {
    ($name:ident, |$doc:ident, $out:ident| $body:expr) => {
        impl crate::rules::Rule for $name {
            type Scan = ();

            fn new(_: &crate::rules::Setup<'_>) -> $name {
                $name
            }

            fn scan(&self, _: &crate::rules::BlockCtx<'_>) {}

            fn relevant(&self, block: &crate::rules::BlockCtx<'_>, _: &()) -> bool {
                crate::rules::cites_or_dates(block)
            }

            fn conclude(&self, $doc: &crate::rules::DocCtx<'_>, _: &[crate::rules::Placed<'_, ()>], $out: &mut Vec<crate::Finding>) {
                $body
            }
        }
    };
}

/// The one table of rules. Each row: the `RuleCode` variant, the stable code string, the default
/// severity, and the module and type that implement [`Rule`]. It generates `RuleCode`, its list
/// of all codes, `as_str`, `default_severity`, and the engine's dispatch list, so adding a rule is
/// one file, one row, its fixtures and its section of `docs/rules.md`.
///
/// The order of rows is the order of `RuleCode` (findings at the same range sort by it).
macro_rules! rules {
    ($( $variant:ident = $code:literal, $severity:ident, $module:ident :: $rule:ident; )*) => {
        $( pub mod $module; )*

        /// Stable rule codes: the keys of settings, `diagnostic.code`, and anchors in `docs/rules.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleCode {
            $( $variant, )*
        }

        impl RuleCode {
            /// Every rule code, in registry order.
            pub const ALL: [RuleCode; [$( $code ),*].len()] = [$( RuleCode::$variant ),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $( RuleCode::$variant => $code, )*
                }
            }

            pub fn default_severity(self) -> Severity {
                match self {
                    $( RuleCode::$variant => Severity::$severity, )*
                }
            }
        }

        /// Every rule, built for one setting of the configuration, in registry order.
        pub(crate) fn build_all(setup: &Setup<'_>) -> Vec<Box<dyn DynRule>> {
            vec![$( Box::new(Registered { code: RuleCode::$variant, rule: <$module::$rule as Rule>::new(setup) }) ),*]
        }
    };
}

// Style choices the standards accept either way (resolution names, abbreviations, tone marks,
// date separators) are information: a hint to be consistent, not an error.
rules! {
    CitationConflict = "citation-conflict", Warning, citation_conflict::CitationConflict;
    CitationOrder = "citation-order", Warning, citation_order::CitationOrder;
    CitationSuperseded = "citation-superseded", Warning, citation_superseded::CitationSuperseded;
    DateInvalid = "date-invalid", Warning, date_invalid::DateInvalid;
    WeekdayMismatch = "weekday-mismatch", Warning, weekday_mismatch::WeekdayMismatch;
    CountMismatch = "count-mismatch", Warning, count_mismatch::CountMismatch;
    FractionMismatch = "fraction-mismatch", Warning, fraction_mismatch::FractionMismatch;
    PercentMismatch = "percent-mismatch", Warning, percent_mismatch::PercentMismatch;
    RatioMismatch = "ratio-mismatch", Warning, ratio_mismatch::RatioMismatch;
    TableTotalMismatch = "table-total-mismatch", Warning, table_total_mismatch::TableTotalMismatch;
    TotalMismatch = "total-mismatch", Warning, total_mismatch::TotalMismatch;
    ResolutionName = "resolution-name", Information, resolution_name::ResolutionName;
    AbbreviationUndefined = "abbreviation-undefined", Information, abbreviation_undefined::AbbreviationUndefined;
    ToneMarkMixed = "tone-mark-mixed", Information, tone_mark_mixed::ToneMarkMixed;
    UnicodeNfd = "unicode-nfd", Warning, unicode_nfd::UnicodeNfd;
    TermTypo = "term-typo", Warning, term_typo::TermTypo;
    Spelling = "spelling", Warning, spelling::Spelling;
    DateFormatMixed = "date-format-mixed", Information, date_format_mixed::DateFormatMixed;
}

/// Where the rules are documented; `codeDescription.href` is this plus `#code`.
pub const RULES_DOC_URL: &str = "https://github.com/baocao-ls/baocao-ls/blob/main/docs/rules.md";

impl RuleCode {
    pub fn parse(code: &str) -> Option<RuleCode> {
        RuleCode::ALL.into_iter().find(|c| c.as_str() == code.trim())
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

/// The one shape of every rule.
///
/// - [`Rule::scan`] reads one block (block-relative ranges) and is cached with the block: the
///   engine keys it by the block's content and by a fingerprint of everything else a scan may
///   read (settings, phrasebook, catalogue, the document's abbreviations), so a keystroke
///   re-scans one block and no setting can be forgotten.
/// - [`Rule::conclude`] sees every block's scan, placed in the document, and the shared
///   document indexes ([`DocCtx`]), and emits findings with document ranges.
///
/// A conclusion that reads only the blocks its scans mark [`Rule::relevant`] (and their text)
/// is reused, moved, when those blocks are unchanged: the engine memoises it by their keys.
pub trait Rule: Send + Sync + 'static {
    /// What the rule keeps of one block. `()` for rules that need only the document indexes.
    type Scan: Send + Sync + 'static;

    /// The rule, prepared for one setting of the configuration (searchers, word lists …).
    fn new(setup: &Setup<'_>) -> Self
    where
        Self: Sized;

    fn scan(&self, block: &BlockCtx<'_>) -> Self::Scan;

    /// Whether the conclusion can depend on this block. The default, every block, is always
    /// correct; a narrower answer lets the engine reuse the conclusion across keystrokes.
    fn relevant(&self, _block: &BlockCtx<'_>, _scan: &Self::Scan) -> bool {
        true
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Self::Scan>], out: &mut Vec<Finding>);
}

/// What a rule is built from (once per configuration).
pub struct Setup<'a> {
    pub config: &'a Config,
    pub phrasebook: &'a Phrasebook,
}

/// What a rule's scan sees of one block.
pub struct BlockCtx<'a> {
    pub text: &'a str,
    /// The block's quantities, totals, counted lists and tables.
    pub facts: &'a BlockFacts,
    /// The block's citations and dates.
    pub citations: &'a BlockCitations,
    /// Abbreviations defined anywhere in the document ("Ban Thường vụ (BTV)").
    pub abbreviations: &'a AbbreviationMap,
    pub config: &'a Config,
    pub phrasebook: &'a Phrasebook,
    pub locale: Locale,
    groups: OnceCell<Vec<groups::Group>>,
    breakdowns: OnceCell<Vec<groups::Breakdown>>,
    shares_over_hundred: OnceCell<Vec<percent_mismatch::SharesOverHundred>>,
}

impl<'a> BlockCtx<'a> {
    pub fn new(
        text: &'a str,
        facts: &'a BlockFacts,
        citations: &'a BlockCitations,
        abbreviations: &'a AbbreviationMap,
        config: &'a Config,
        phrasebook: &'a Phrasebook,
    ) -> BlockCtx<'a> {
        BlockCtx {
            text,
            facts,
            citations,
            abbreviations,
            config,
            phrasebook,
            locale: config.locale,
            groups: OnceCell::new(),
            breakdowns: OnceCell::new(),
            shares_over_hundred: OnceCell::new(),
        }
    }

    /// Totals and their parts in this block, computed once for all the number rules.
    pub fn groups(&self) -> &[groups::Group] {
        self.groups.get_or_init(|| groups::groups(&self.facts.quantities, self.abbreviations))
    }

    /// Wholes and the parts that follow them, across the sentences of this block (what
    /// `total-mismatch` sums; the share rules read it too), computed once.
    pub fn breakdowns(&self) -> &[groups::Breakdown] {
        self.breakdowns.get_or_init(|| groups::breakdowns(&self.facts.quantities, self.abbreviations))
    }

    /// The cross-sentence share sets over 100% (`percent-mismatch` reports them, `ratio-mismatch`
    /// leaves their shares alone), computed once for both.
    pub fn shares_over_hundred(&self) -> &[percent_mismatch::SharesOverHundred] {
        self.shares_over_hundred.get_or_init(|| percent_mismatch::shares_over_hundred_in_breakdowns(self))
    }
}

/// One block of the document, as the conclusions see it.
pub struct DocBlock<'a> {
    /// Byte offset of the block in the document.
    pub offset: usize,
    /// A blank line stands before the block.
    pub blank_before: bool,
    pub text: &'a str,
    pub facts: &'a BlockFacts,
}

/// What a rule's conclusion sees of the whole document.
pub struct DocCtx<'a> {
    pub text: &'a str,
    pub blocks: &'a [DocBlock<'a>],
    pub abbreviations: &'a AbbreviationMap,
    /// The document's citations linked to each other and to the catalogue.
    pub citations: &'a CitationIndex,
    pub catalogue: &'a Catalogue,
    pub config: &'a Config,
    pub phrasebook: &'a Phrasebook,
    pub locale: Locale,
}

/// One block's scan, placed in the document.
pub struct Placed<'a, S> {
    /// Index of the block in [`DocCtx::blocks`].
    pub block: usize,
    /// Byte offset of the block in the document: add it to the scan's ranges.
    pub offset: usize,
    pub scan: &'a S,
}

/// A rule's scan with its type erased, as the block cache keeps it.
pub(crate) type AnyScan = Arc<dyn Any + Send + Sync>;

/// The engine's view of a rule: [`Rule`] with the scan type erased, so one cache and one
/// loop serve every rule.
pub(crate) trait DynRule: Send + Sync {
    fn code(&self) -> RuleCode;
    /// The block's scan and whether the conclusion can depend on the block.
    fn scan_any(&self, block: &BlockCtx<'_>) -> (AnyScan, bool);
    fn conclude_any(&self, doc: &DocCtx<'_>, scans: &[(usize, usize, &AnyScan)], out: &mut Vec<Finding>);
}

struct Registered<R> {
    code: RuleCode,
    rule: R,
}

impl<R: Rule> DynRule for Registered<R> {
    fn code(&self) -> RuleCode {
        self.code
    }

    fn scan_any(&self, block: &BlockCtx<'_>) -> (AnyScan, bool) {
        let scan = self.rule.scan(block);
        let relevant = self.rule.relevant(block, &scan);
        (Arc::new(scan), relevant)
    }

    fn conclude_any(&self, doc: &DocCtx<'_>, scans: &[(usize, usize, &AnyScan)], out: &mut Vec<Finding>) {
        // Every scan handed back was made by `scan_any` of this rule, so the downcast holds.
        let mut placed: Vec<Placed<'_, R::Scan>> = Vec::with_capacity(scans.len());
        placed.extend(
            scans.iter().filter_map(|&(block, offset, scan)| scan.downcast_ref::<R::Scan>().map(|scan| Placed { block, offset, scan })),
        );
        self.rule.conclude(doc, &placed, out);
    }
}

/// Whether a block can matter to the citation rules: it holds a citation or a date, or it is
/// short enough to be all of the words between two citations ("thực hiện", read by
/// `citation-order` over gaps of at most 64 bytes).
/// The first group (by index) each quantity is a part of: what `groups.iter().find(|g|
/// g.parts.contains(&part))` answers, for every part at once, so that a block with thousands of
/// groups does not read all of them for every share (issue 12).
pub fn first_group_of_part(groups: &[groups::Group]) -> rustc_hash::FxHashMap<usize, usize> {
    let mut map = rustc_hash::FxHashMap::default();
    for (g, group) in groups.iter().enumerate() {
        for &part in &group.parts {
            map.entry(part).or_insert(g);
        }
    }
    map
}

pub fn cites_or_dates(block: &BlockCtx<'_>) -> bool {
    !block.citations.citations.is_empty() || !block.citations.dates.is_empty() || block.text.len() <= 64
}

/// Findings with block-relative ranges, moved into the document: what most rules' conclusions
/// do with findings their scans already made.
pub fn place_findings(scans: &[Placed<'_, Vec<Finding>>], out: &mut Vec<Finding>) {
    for placed in scans {
        out.extend(placed.scan.iter().map(|f| f.shifted(placed.offset)));
    }
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
