//! Per-block extraction: from one block's text to the facts the number checks need.
//!
//! The result depends only on the block's text, which is what makes it cacheable by content.
//! Ranges in [`BlockFacts`] are relative to the start of the block.
//!
//! What is recognised, in order:
//! 1. sentences (`.`/`!`/`?` before a capital, a heading or list line after a full stop) and
//!    clauses (`,` `;` `:` parentheses, and the words "trong đó", "gồm", "bao gồm");
//! 2. quantities: a number in digits or words, with its unit (the noun phrase after it),
//!    excluding dates, years, spans, document numbers, section numbers, identifiers
//!    ("Điều 5", "Chỉ thị số 26"), ordinals ("thứ 12"), phone numbers, "5K", slogan names;
//! 3. announcers that make a quantity a total ("tổng số", "trong đó", "gồm", "với N …, có");
//! 4. counted lists ("4 nhiệm vụ … gồm: a; b; c; d", "“5 rõ” (…)", "năm nội dung sau:");
//! 5. Markdown tables, and abbreviations defined in parentheses.
//!
//! One file per stage: `segment.rs` (1), `quantity.rs` (2), `announce.rs` (3), `lists.rs` (4,
//! and each line's list marker), `table.rs` (5); `lexicon.rs` holds the word lists the stages
//! consult. The stages share one reader, [`Ctx`], defined here.

use crate::lexer::{tokenize, Token, TokenKind};
use crate::number::{parse_digits, parse_words};
use crate::text::{lines, TextRange};
use crate::units::initials_match;
use rust_decimal::Decimal;

mod announce;
mod lexicon;
mod lists;
mod quantity;
mod segment;
mod table;

use lexicon::*;
use lists::*;
use segment::*;
use table::*;

/// What kind of number a quantity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityKind {
    Count,
    Percent,
    /// `X/N`: the quantity's value is X.
    Fraction {
        denominator: Decimal,
        denominator_decimals: u32,
    },
}

/// Why a quantity is announced as a total of the parts that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Announcer {
    /// "tổng số N …", "tổng cộng N …", "Tổng số … : N".
    TotalWord,
    /// "N …, trong đó …": parts may be subsets, not a breakdown.
    TrongDo,
    /// "N … gồm …", "bao gồm", "chia ra", "N …: a …, b …": the parts are a breakdown.
    Partition,
    /// "với N …, có a …; b …".
    VoiCo,
}

#[derive(Debug, Clone)]
pub struct Quantity {
    pub kind: QuantityKind,
    pub value: Decimal,
    /// Decimals printed (for rounding tolerance and formatting).
    pub decimals: u32,
    /// The number as written, multiplier included ("15.000 tỷ", "hai mươi tám", "11/40", "75,5%").
    pub written: String,
    /// The number (with `%` or multiplier).
    pub range: TextRange,
    /// The number and its unit: what a diagnostic points at.
    pub span: TextRange,
    /// Unit words, lowercase NFC; empty when the number has none.
    pub unit: Vec<String>,
    /// The multiplier word after the number ("tỷ" in "15.000 tỷ đồng"), folded into `value`.
    pub multiplier: Option<String>,
    /// Words after the unit, up to the end of the clause.
    pub qualifier: Vec<String>,
    /// Words before the number in its clause.
    pub pre: Vec<String>,
    pub sentence: usize,
    pub clause: usize,
    pub depth: u32,
    /// Semicolons at depth 0 before the number in its sentence: "a; b; c" are three segments.
    pub segment: usize,
    /// The topic ("Về kinh tế, …") the quantity is stated under, counted within the block.
    pub topic: usize,
    pub announcer: Option<Announcer>,
    /// A comparison or change ("tăng 20 hồ sơ", "so với cùng kỳ"), never a part of a breakdown.
    pub comparison: bool,
    /// For a percentage: the quantity it is a share of ("18 chỉ tiêu (chiếm 72%)").
    pub share_of: Option<usize>,
    /// The unit was taken from the words before the number ("Tổng số hồ sơ: 1.250").
    pub unit_before: bool,
    /// The words (and year or code numbers) before the number back to the clause boundary, a
    /// colon right before the number skipped: "khiển trách: 1" → ["khiển", "trách"].
    pub label: Vec<String>,
    /// The words and numbers after the unit in its clause ("nhận Huy hiệu 60 năm tuổi Đảng").
    pub tail: Vec<String>,
    /// What follows the quantity and makes it a whole of later quantities ("gồm", "(…)",
    /// "trong đó", a colon) or what makes it a total of earlier ones ("nâng tổng số … lên").
    pub cue: Option<Cue>,
    /// For a parenthesis cue: the range inside the parenthesis, where the parts are.
    pub paren: Option<TextRange>,
    /// The semicolon segment the cue stands in ("…; trong đó, có …" is one segment later).
    pub cue_segment: usize,
    /// The opener of the quantity's sentence when it refers to the previous sentence's whole:
    /// "Trong đó, …" (a subset), "Cụ thể, …" or "Gồm …" (a breakdown).
    pub opener: Option<Cue>,
    /// The sentence goes on with "…" or "v.v." after this quantity: a list left open.
    pub open_end: bool,
}

/// How a whole relates to the quantities that follow (or precede) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "gồm", "bao gồm", "chia ra", "cụ thể", "với hình thức:", a colon, a parenthesis, "trong đó:":
    /// the parts are a complete breakdown.
    Partition,
    /// "trong đó", "trong số N …, có": the parts may be overlapping subsets.
    Subset,
    /// "nâng tổng số … lên N", "lũy kế … là N": a total of the same-unit quantities before it.
    Closing,
}

impl Quantity {
    /// The unit as the drafter wrote it ("LĐ", "Chi bộ cơ sở"), for messages; `block` is the text
    /// the quantity's ranges point into. Falls back to the normalised words.
    pub fn unit_as_written(&self, block: &str) -> String {
        let written = block.get(self.range.end..self.span.end).unwrap_or_default();
        let words: Vec<&str> =
            written.split_whitespace().map(|w| w.trim_matches(|c| c == '*' || c == '_')).filter(|w| !w.is_empty()).collect();
        if words.len() == self.unit.len() && !words.is_empty() {
            use unicode_normalization::UnicodeNormalization;
            words.join(" ").nfc().collect()
        } else {
            self.unit.join(" ")
        }
    }

    pub fn is_count(&self) -> bool {
        self.kind == QuantityKind::Count
    }

    /// Unit words plus qualifier words: the description used in messages and in status checks.
    pub fn description(&self) -> String {
        self.unit.join(" ")
    }
}

/// A list marker at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    Heading,
    TableRow,
    Roman,
    /// "Một là", "Hai là" …
    Ordinal,
    /// "1.", "2)", "(3)".
    Numbered,
    /// "1.1.", "2.3".
    SubNumbered,
    /// "a)", "b."
    Letter,
    /// "-", "–", "+", "•", "*" (the character is kept: two bullet kinds are two levels).
    Bullet(char),
}

impl Marker {
    /// Lower is higher in the outline.
    pub fn rank(&self) -> u8 {
        match self {
            Marker::Heading | Marker::TableRow => 0,
            Marker::Roman => 1,
            Marker::Ordinal => 2,
            Marker::Numbered => 3,
            Marker::SubNumbered => 4,
            Marker::Letter => 5,
            Marker::Bullet(_) => 6,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LineInfo {
    pub start: usize,
    pub end: usize,
    pub marker: Option<Marker>,
    /// For a numbered line, its number ("12." → 12).
    pub number: Option<usize>,
}

/// Where the items of an announced count are.
#[derive(Debug, Clone)]
pub enum Items {
    /// Counted inside the block ("gồm: a; b; c", "“5 rõ” (…)"): how many, and their ranges.
    Inline(Vec<TextRange>),
    /// The list starts on the line beginning at this block-relative offset (maybe in a later block).
    FollowingLines { from: usize },
}

#[derive(Debug, Clone)]
pub struct CountClaim {
    /// The announced number of items.
    pub value: Decimal,
    /// The number as written ("4", "năm").
    pub written: String,
    /// The number alone: what a fix replaces.
    pub number: TextRange,
    /// The number and its noun ("4 nhiệm vụ trọng tâm", "5 rõ"): what a diagnostic points at.
    pub span: TextRange,
    /// The noun, for messages.
    pub noun: String,
    pub items: Items,
}

#[derive(Debug, Clone)]
pub struct TableCell {
    pub range: TextRange,
    pub text: String,
    pub value: Option<Decimal>,
    pub decimals: u32,
    /// Empty, "-" or "–": counts as zero, never as a wrong number.
    pub blank: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
}

#[derive(Debug, Clone, Default)]
pub struct BlockFacts {
    pub quantities: Vec<Quantity>,
    pub counts: Vec<CountClaim>,
    pub lines: Vec<LineInfo>,
    pub tables: Vec<Table>,
    /// Abbreviations defined here: (lowercase abbreviation, expansion words).
    pub abbreviations: Vec<(String, Vec<String>)>,
}

/// Extracts the facts of one block. Pure and total: any text gives a result.
pub fn extract_block(text: &str) -> BlockFacts {
    let mut facts = BlockFacts { lines: line_infos(text), ..BlockFacts::default() };
    facts.tables = tables(text, &facts.lines);
    let table_lines: Vec<(usize, usize)> =
        facts.lines.iter().filter(|l| l.marker == Some(Marker::TableRow)).map(|l| (l.start, l.end)).collect();
    let tokens: Vec<Token> = tokenize(text).into_iter().filter(|t| !table_lines.iter().any(|&(s, e)| t.start >= s && t.end <= e)).collect();
    if tokens.is_empty() {
        return facts;
    }
    let segments = segment(&tokens);
    facts.abbreviations = abbreviations(&tokens);
    let mut ctx = Ctx { text, tokens: &tokens, seg: &segments, quantities: Vec::new(), number_token: Vec::new() };
    ctx.find_quantities();
    debug_assert!(ctx.quantities.windows(2).all(|w| w[0].range.start < w[1].range.start), "quantities in text order");
    ctx.find_announcers();
    ctx.find_cues();
    ctx.find_shares();
    facts.counts = ctx.find_counts();
    facts.quantities = ctx.quantities;
    facts
}

/// The reader of one block, shared by the stages: its tokens, their segments, and what the
/// stages found so far.
struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    seg: &'a [Seg],
    quantities: Vec<Quantity>,
    /// Token index of each quantity's first number token.
    number_token: Vec<(usize, usize)>,
}

impl Ctx<'_> {
    /// The quantities that lie within `range`. Quantities are found in token order (one per
    /// first token, see `find_quantities`), so they are sorted by start and found by a binary
    /// search, not by reading all of them (issue 12: nothing quadratic in the block's size).
    fn quantities_within(&self, range: TextRange) -> impl Iterator<Item = &Quantity> + '_ {
        let from = self.quantities.partition_point(|o| o.range.start < range.start);
        self.quantities[from..].iter().take_while(move |o| o.range.start < range.end).filter(move |o| o.range.end <= range.end)
    }

    /// The end of the line from `pos` on (the first line break, or the end of the text) when
    /// nothing but blanks, ':', '*' and '_' stands before it; `None` at the first other sign.
    fn line_end_if_only_blanks(&self, pos: usize) -> Option<usize> {
        for (i, c) in self.text[pos..].char_indices() {
            if matches!(c, '\n' | '\r') {
                return Some(pos + i);
            }
            if !(c.is_whitespace() || c == ':' || c == '*' || c == '_') {
                return None;
            }
        }
        Some(self.text.len())
    }
}

/// The largest amount the checks consider (10^20).
fn max_amount() -> Decimal {
    Decimal::from(10u64.pow(10)) * Decimal::from(10u64.pow(10))
}

fn multiplier_value(word: &str) -> Option<Decimal> {
    Some(match word {
        "nghìn" | "ngàn" => Decimal::from(1_000),
        "triệu" => Decimal::from(1_000_000),
        "tỷ" | "tỉ" => Decimal::from(1_000_000_000),
        _ => return None,
    })
}

pub fn ends_with(words: &[String], tail: &[&str]) -> bool {
    words.len() >= tail.len() && words[words.len() - tail.len()..].iter().zip(tail).all(|(a, b)| a == b)
}

pub fn starts_with(words: &[String], head: &[&str]) -> bool {
    words.len() >= head.len() && words.iter().zip(head).all(|(a, b)| a == b)
}

pub fn window(words: &[String], pattern: &[&str]) -> bool {
    words.windows(pattern.len()).any(|w| w.iter().zip(pattern).all(|(a, b)| a == b))
}

/// Abbreviations defined as "expansion words (ABBR)".
fn abbreviations(tokens: &[Token]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for i in 1..tokens.len().saturating_sub(1) {
        let t = &tokens[i];
        if !(t.kind == TokenKind::Word && t.all_caps && tokens[i - 1].is_punct('(') && tokens[i + 1].is_punct(')')) {
            continue;
        }
        let abbreviation = &t.norm;
        let letters = abbreviation.chars().count();
        if i < letters + 1 {
            continue;
        }
        let words: Vec<String> =
            tokens[i - 1 - letters..i - 1].iter().filter(|w| w.kind == TokenKind::Word).map(|w| w.norm.clone()).collect();
        if words.len() == letters && initials_match(abbreviation, &words) {
            out.push((abbreviation.clone(), words));
        }
    }
    out
}
