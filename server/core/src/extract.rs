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

use crate::lexer::{tokenize, Token, TokenKind};
use crate::number::{parse_digits, parse_words};
use crate::text::{lines, TextRange};
use crate::units::initials_match;
use rust_decimal::Decimal;

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
    ctx.find_announcers();
    ctx.find_cues();
    ctx.find_shares();
    facts.counts = ctx.find_counts();
    facts.quantities = ctx.quantities;
    facts
}

/// Sentence, clause and parenthesis depth of each token.
#[derive(Debug, Clone, Copy, Default)]
struct Seg {
    sentence: usize,
    clause: usize,
    depth: u32,
    /// Semicolons at depth 0 before this token in its sentence.
    semicolons: usize,
    /// Counts sentences that open a topic ("Về kinh tế, …"): quantities under two topics
    /// belong to two different wholes.
    topic: usize,
}

fn segment(tokens: &[Token]) -> Vec<Seg> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut seg = Seg::default();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            let prev = &tokens[i - 1];
            let after_stop = prev.is_any_punct(".!?…");
            let new_sentence = if token.line_start {
                let soft = prev.is_any_punct(":;,(") || (prev.kind != TokenKind::Punct && !line_opens_item(tokens, i));
                after_stop || !soft
            } else {
                after_stop && (token.capitalized || token.is_any_punct("“\"‘'(") || token.kind == TokenKind::Number)
            };
            if new_sentence {
                seg.sentence += 1;
                seg.clause += 1;
                seg.depth = 0;
                seg.semicolons = 0;
                if token.is_word("về") || (token.is_any_punct("-–+•") && tokens.get(i + 1).is_some_and(|t| t.is_word("về"))) {
                    seg.topic += 1;
                }
            } else if prev.is_punct(';') && seg.depth == 0 {
                seg.semicolons += 1;
                seg.clause += 1;
            } else if prev.is_any_punct(",;:()") || starts_clause_word(tokens, i) {
                seg.clause += 1;
            }
        }
        if token.is_punct('(') {
            out.push(seg);
            seg.depth += 1;
            continue;
        }
        if token.is_punct(')') {
            seg.depth = seg.depth.saturating_sub(1);
        }
        out.push(seg);
    }
    out
}

/// A line that opens a list item or a heading starts a new sentence even after a soft break.
fn line_opens_item(tokens: &[Token], i: usize) -> bool {
    let token = &tokens[i];
    if token.is_any_punct("-–+•#|") {
        return true;
    }
    if token.kind == TokenKind::Number && tokens.get(i + 1).is_some_and(|n| n.is_any_punct(".)") && !n.space_before) {
        return true;
    }
    token.kind == TokenKind::Word && token.capitalized && tokens.get(i + 1).is_some_and(|n| n.is_word("là"))
}

/// "trong đó", "trong số đó", "gồm", "bao gồm" open a new clause even without a comma.
fn starts_clause_word(tokens: &[Token], i: usize) -> bool {
    let word = |k: usize| tokens.get(k).filter(|t| t.kind == TokenKind::Word).map(|t| t.norm.as_str());
    match word(i) {
        Some("trong") => word(i + 1) == Some("đó") || (word(i + 1) == Some("số") && word(i + 2) == Some("đó")),
        Some("gồm") => word(i.wrapping_sub(1)) != Some("bao"),
        Some("bao") => word(i + 1) == Some("gồm"),
        _ => false,
    }
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    seg: &'a [Seg],
    quantities: Vec<Quantity>,
    /// Token index of each quantity's first number token.
    number_token: Vec<(usize, usize)>,
}

/// Words after which a number is an identifier, not an amount ("Điều 5", "lần 2", "thứ 12").
const IDENTIFIER_BEFORE: &[&str] = &[
    "điều",
    "khoản",
    "điểm",
    "mục",
    "chương",
    "phần",
    "lục",
    "biểu",
    "bảng",
    "thứ",
    "lần",
    "kỳ",
    "khóa",
    "khoá",
    "tuần",
    "tháng",
    "quý",
    "ngày",
    "giờ",
    "phòng",
    "tầng",
    "đường",
    "lộ",
    "km",
    "lô",
    "tổ",
    "ấp",
    "thôn",
    "khu",
    "phường",
    "quận",
    "xóm",
    "đội",
    "hình",
    "trang",
    "câu",
    "bước",
    "đợt",
    "khối",
    "lớp",
    "mẫu",
    "top",
    "hạng",
    "kênh",
    "hotline",
    "điện",
    "thoại",
    "fax",
    "mã",
    "phiên",
    "vòng",
    "hiệu",
    "vực",
    "ký",
    "lúc",
    "sáng",
    "chiều",
    "tối",
    "trưa",
    "đêm",
    "năm",
];

/// Words that end the unit of a quantity: the start of a predicate or a qualifier.
const UNIT_STOP: &[&str] = &[
    "đạt", "vượt", "chưa", "không", "được", "đã", "đang", "sẽ", "là", "có", "của", "trong", "tại", "với", "và", "hoặc", "hay", "so",
    "chiếm", "bằng", "trên", "dưới", "theo", "thuộc", "ở", "do", "cho", "về", "từ", "đến", "tới", "nhằm", "để", "bị", "gồm", "bao", "như",
    "sau", "trước", "này", "đó", "đều", "còn", "cần", "phải", "nhưng", "mà", "thì", "nên", "vì", "khi", "nếu", "tăng", "giảm", "dự",
    "hoàn", "đề", "trở", "thực", "triển", "tham", "ra", "vào", "lên", "xuống", "nữa", "khác", "nhất", "cùng", "ước", "gấp", "hơn", "đúng",
    "trễ", "quá", "chậm", "hợp", "mới", "đi", "lại", "cả", "tất", "mỗi", "khó", "tán", "từng", "riêng", "chung", "tổng", "cụ", "gần",
    "khoảng", "hiện", "nay", "đây", "năm",
];

/// Nouns whose first syllable is otherwise a unit stop word: "dự án", "đề án", "hợp tác xã".
const NOUN_COMPOUNDS: &[(&str, &str)] = &[
    ("dự", "án"),
    ("dự", "toán"),
    ("đề", "án"),
    ("đề", "tài"),
    ("đề", "xuất"),
    ("hợp", "tác"),
    ("hợp", "đồng"),
    ("trung", "tâm"),
    ("cùng", "cấp"),
    ("thực", "thể"),
    ("tham", "luận"),
    ("hoàn", "cảnh"),
    ("chậm", "tiến"),
];

/// Words before a number that make it a change or a comparison, not a part.
const COMPARISON: &[&str] = &["tăng", "giảm", "hơn", "gấp", "trước", "ngoái", "bình", "mỗi", "thêm", "bớt", "thiếu", "lệch"];

/// Number words that may open a number in words.
const NUMBER_WORDS: &[&str] = &["hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười", "một"];

/// Words after "một" that make it "a", "some" or "one of", not the amount 1.
const MOT_NOT_ONE: &[&str] = &[
    "số", "vài", "cách", "trong", "phần", "bộ", "chút", "mặt", "lúc", "thời", "khi", "mình", "loạt", "hệ", "lòng", "nửa", "khác", "khi",
    "lần", "ít", "nào", "khía", "dấu", "chiều", "sự", "điều", "việc", "người", "tấm", "nền",
];

/// Words after "năm" (or before it) that make it "year", not five.
const NAM_YEAR_NEXT: &[&str] = &[
    "nay", "qua", "tới", "sau", "trước", "học", "đó", "này", "ấy", "nào", "liền", "liên", "tài", "kế", "rồi", "thứ", "tháng", "đầu",
    "cuối", "kia", "ngoái", "là", "mới", "gần", "đây", "và", "hoặc", "trở", "thực", "kỷ",
];
const NAM_YEAR_PREV: &[&str] = &[
    "các", "mỗi", "hằng", "hàng", "trong", "những", "nhiều", "cả", "từng", "vài", "mấy", "của", "sau", "trước", "cuối", "đầu", "giữa",
    "qua", "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười", "mươi", "một", "lăm", "cùng", "kỳ", "tết", "trăm", "nghìn", "đến",
    "tới", "từ", "vào", "là",
];

/// Words before a four-digit number that make it a year.
const YEAR_BEFORE: &[&str] = &[
    "năm", "giai", "đoạn", "kỳ", "từ", "đến", "tới", "cuối", "đầu", "giữa", "trước", "sau", "khóa", "khoá", "quý", "tháng", "vào", "trong",
    "của", "niên", "mùa", "vụ", "hè", "xuân", "tết",
];

/// Nouns of places, whose lists are lists of names.
const PLACE_NOUNS: &[&str] = &["tỉnh", "xã", "phường", "huyện", "quận", "thị", "thôn", "bản", "nước", "quốc", "đặc"];

/// How far (in tokens) a pattern looks ahead or back. Keeps extraction linear on huge sentences.
const LOOKAHEAD: usize = 200;

fn is_percent_sign(token: &Token) -> bool {
    token.is_punct('%')
}

impl Ctx<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).filter(|t| t.kind == TokenKind::Word).map(|t| t.norm.as_str())
    }

    fn glued(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    fn find_quantities(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            let token = &self.tokens[i];
            let consumed = match token.kind {
                TokenKind::Number => self.digit_quantity(i),
                TokenKind::Word if NUMBER_WORDS.contains(&token.norm.as_str()) => self.word_quantity(i),
                _ => None,
            };
            i = consumed.unwrap_or(i + 1).max(i + 1);
        }
    }

    /// Recognises a quantity written in digits at token `i`; returns the index after it.
    fn digit_quantity(&mut self, i: usize) -> Option<usize> {
        let token = &self.tokens[i];
        let lexeme = token.norm.as_str();
        if lexeme.contains('-') {
            return None; // dates (27-5-2023) and spans (2020-2025)
        }
        // Glued to a symbol on either side: 147-KH/TU, 15/CT-TTg, 30/2020/NĐ-CP, 5K, 8h30.
        if i > 0 && self.glued(i - 1, i) && self.tokens[i - 1].is_any_punct("/-.–") {
            return None;
        }
        // Letters glued before the digits: a code, not an amount (PLO12, QH15, DV08).
        if i > 0 && self.glued(i - 1, i) && self.tokens[i - 1].kind == TokenKind::Word {
            return None;
        }
        if let Some(next) = self.tokens.get(i + 1) {
            if self.glued(i, i + 1) {
                // "21.091đơn", "3.004tổ chức": a grouped amount typed without its space.
                let glued_amount = lexeme.contains('.')
                    && !next.capitalized
                    && next.norm.chars().count() >= 2
                    && parse_digits(lexeme).is_some_and(|p| p.decimals == 0);
                if next.kind == TokenKind::Word && !glued_amount {
                    return None;
                }
                if next.is_any_punct("/-–") {
                    return None;
                }
                if next.is_any_punct(".)") && token.line_start {
                    return None; // "1." or "2)" opening a list item
                }
            }
        }
        // A closing quote right after: a slogan name ("“3 dám”") is handled by count claims.
        let prev_word = if i > 0 { self.word(i - 1) } else { None };
        if let Some(prev) = prev_word {
            // "tồn đầu kỳ 40 đơn": the period's opening balance, not period number 40.
            let balance = prev == "kỳ" && matches!(self.word(i.wrapping_sub(2)), Some("đầu" | "cuối"));
            if IDENTIFIER_BEFORE.contains(&prev) && !lexeme.contains('/') && !balance {
                return None;
            }
            if prev == "số" && !self.word(i.wrapping_sub(2)).is_some_and(|w| w == "tổng" || w == "trong") {
                return None;
            }
        }
        let (kind, value, decimals) = if let Some((num, den)) = lexeme.split_once('/') {
            if den.contains('/') {
                return None; // d/m/yyyy
            }
            let x = parse_digits(num)?;
            let n = parse_digits(den)?;
            let small_date = x.decimals == 0 && n.decimals == 0 && x.value <= Decimal::from(31) && n.value <= Decimal::from(12);
            if small_date && prev_word.is_some_and(|w| ["ngày", "hôm", "từ", "đến", "tới", "đêm", "sáng", "chiều", "tối"].contains(&w))
            {
                return None;
            }
            if den.len() == 4 && (1900..=2100).contains(&den.parse::<u32>().unwrap_or(0)) {
                return None; // month/year or number/year
            }
            if n.value.is_zero() {
                return None;
            }
            (QuantityKind::Fraction { denominator: n.value, denominator_decimals: n.decimals }, x.value, x.decimals)
        } else {
            let parsed = parse_digits(lexeme)?;
            let digits = lexeme.bytes().filter(u8::is_ascii_digit).count();
            if digits >= 9 && lexeme.starts_with('0') {
                return None; // phone number
            }
            if lexeme.len() == 4 && lexeme.bytes().all(|b| b.is_ascii_digit()) {
                let n: u32 = lexeme.parse().unwrap_or(0);
                if (1900..=2100).contains(&n) {
                    let year_context = prev_word.is_some_and(|w| YEAR_BEFORE.contains(&w))
                        || self.tokens.get(i + 1).is_some_and(|t| t.is_any_punct("-–/"))
                        || self.word(i + 1).is_none_or(|w| UNIT_STOP.contains(&w))
                        || self.tokens.get(i + 1).is_some_and(|t| t.capitalized);
                    if year_context {
                        return None;
                    }
                }
            }
            if self.tokens.get(i + 1).is_some_and(is_percent_sign) {
                (QuantityKind::Percent, parsed.value, parsed.decimals)
            } else {
                (QuantityKind::Count, parsed.value, parsed.decimals)
            }
        };
        let end_number = if kind == QuantityKind::Percent { i + 2 } else { i + 1 };
        // A number directly inside a slogan name: “3 dám”.
        if i > 0 && self.tokens[i - 1].is_any_punct("“\"‘'") && self.glued(i - 1, i) {
            return None;
        }
        Some(self.finish_quantity(i, end_number, kind, value, decimals))
    }

    /// Recognises a quantity written in words at token `i` ("hai mươi tám chỉ tiêu").
    fn word_quantity(&mut self, i: usize) -> Option<usize> {
        let token = &self.tokens[i];
        if token.capitalized && !(token.line_start || i == 0 || self.seg[i].sentence != self.seg[i - 1].sentence) {
            return None; // "Năm" in the middle of a sentence is a name, not a number
        }
        let mut words: Vec<&str> = Vec::new();
        let mut k = i;
        while let Some(t) = self.tokens.get(k) {
            if t.kind != TokenKind::Word || words.len() >= 8 || (k > i && t.capitalized) {
                break;
            }
            words.push(t.norm.as_str());
            k += 1;
        }
        let (value, used) = parse_words(&words)?;
        let next = self.word(i + used);
        let next_token = self.tokens.get(i + used);
        // "Một là, …": an enumerator.
        if next == Some("là") {
            return None;
        }
        // A number word must be followed by its unit.
        let unit_word = next?;
        if next_token.is_some_and(|t| t.capitalized && !t.all_caps) || UNIT_STOP.contains(&unit_word) && unit_word != "năm" {
            return None;
        }
        let first = words[0];
        let prev = if i > 0 { self.word(i - 1) } else { None };
        if first == "một" && (used == 1 && MOT_NOT_ONE.contains(&unit_word)) {
            return None;
        }
        // "tập trung vào năm nhóm:": a count when its noun is directly followed by a colon.
        let counted_before_colon = self.tokens.get(i + 2).is_some_and(|t| t.is_punct(':'))
            || (self.word(i + 2).is_some() && self.tokens.get(i + 3).is_some_and(|t| t.is_punct(':')));
        if used == 1 && first == "năm" && (!counted_before_colon || NAM_YEAR_NEXT.contains(&unit_word)) {
            if NAM_YEAR_NEXT.contains(&unit_word) || prev.is_some_and(|p| NAM_YEAR_PREV.contains(&p)) {
                return None;
            }
            if self.tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number) {
                return None;
            }
        }
        if used == 1 && first == "ba" && prev.is_some_and(|p| ["ông", "bà", "cha", "mẹ", "bố"].contains(&p)) {
            return None;
        }
        if prev.is_some_and(|p| IDENTIFIER_BEFORE.contains(&p) && p != "năm") {
            return None;
        }
        Some(self.finish_quantity(i, i + used, QuantityKind::Count, Decimal::from(value), 0))
    }

    /// Reads the multiplier, the unit and the qualifier after a number and records the quantity.
    fn finish_quantity(&mut self, first: usize, after_number: usize, kind: QuantityKind, value: Decimal, decimals: u32) -> usize {
        let tokens = self.tokens;
        let mut k = after_number;
        let mut value = value;
        let mut multiplier = None;
        if kind == QuantityKind::Count {
            if let Some(scale) = self.word(k).and_then(multiplier_value) {
                if tokens[first].kind == TokenKind::Number {
                    // Amounts beyond 10^20 are not figures of a report; dropping them keeps every
                    // later sum far from the decimal type's limit.
                    match value.checked_mul(scale).filter(|v| *v < max_amount()) {
                        Some(v) => value = v,
                        None => return k + 1,
                    }
                    multiplier = Some(tokens[k].norm.clone());
                    k += 1;
                }
            }
        }
        let number_end = tokens[k - 1].end;
        let mut unit = Vec::new();
        if kind != QuantityKind::Percent {
            while let Some(t) = tokens.get(k) {
                if t.kind != TokenKind::Word || unit.len() >= 6 {
                    break;
                }
                // A capitalised noun opens a unit only when a lowercase word follows ("6 Nghị
                // quyết", "48 Bí thư đảng bộ"); otherwise it starts a name ("3 tỉnh Nam Định").
                if unit.is_empty()
                    && t.capitalized
                    && !t.all_caps
                    && !tokens
                        .get(k + 1)
                        .is_some_and(|n| n.kind == TokenKind::Word && !n.capitalized && !n.all_caps && n.start == t.end + 1)
                {
                    break;
                }
                if !unit.is_empty() && (t.capitalized || t.all_caps) {
                    break;
                }
                // "15.400 II": a roman section number on the next line is no unit.
                if t.all_caps && t.norm.chars().all(|c| "ivxlc".contains(c)) {
                    break;
                }
                let compound = self.word(k + 1).is_some_and(|next| NOUN_COMPOUNDS.contains(&(t.norm.as_str(), next)))
                    || (t.norm == "hợp" && unit.last().is_some_and(|w: &String| w == "trường"));
                if !compound && (UNIT_STOP.contains(&t.norm.as_str()) || NUMBER_WORDS.contains(&t.norm.as_str()) && !unit.is_empty()) {
                    break;
                }
                unit.push(t.norm.clone());
                k += 1;
            }
        }
        let span_end = if unit.is_empty() { number_end } else { tokens[k - 1].end };
        // "900 đồng/gói", "14,1 tiêu chí/xã": a rate per item, never a whole or a part.
        let rate = !unit.is_empty()
            && tokens.get(k).is_some_and(|t| t.is_punct('/'))
            && self.glued(k - 1, k)
            && tokens.get(k + 1).is_some_and(|t| t.kind == TokenKind::Word && self.glued(k, k + 1));
        let here = self.seg[first];
        // Qualifier: the rest of the clause.
        let mut qualifier = Vec::new();
        let mut tail = Vec::new();
        let mut q = k;
        while let Some(t) = tokens.get(q) {
            if self.seg[q].clause != here.clause || qualifier.len() >= 16 || q >= k + 40 {
                break;
            }
            if t.kind == TokenKind::Word {
                qualifier.push(t.norm.clone());
            }
            if tail.len() < 10 && matches!(t.kind, TokenKind::Word | TokenKind::Number) {
                tail.push(t.norm.clone());
            }
            q += 1;
        }
        // Pre: the clause up to the number.
        let mut pre = Vec::new();
        let mut p = first;
        while p > 0 && first - p < 40 {
            p -= 1;
            if self.seg[p].clause != here.clause {
                break;
            }
            if tokens[p].kind == TokenKind::Word {
                pre.push(tokens[p].norm.clone());
            }
        }
        pre.reverse();
        // "thiếu hụt" (deprived of) is a category, "thiếu 3 chỉ tiêu" a shortfall.
        // "thiếu hụt" (deprived of) is a category, "thiếu 3 chỉ tiêu" a shortfall; "Hòa Bình" is a
        // name, "bình quân" an average; "các năm trước" is a time, "trước 5 ngày" a comparison.
        let comparison = pre.iter().enumerate().any(|(i, w)| {
            let next = pre.get(i + 1).map(String::as_str);
            let prev = if i > 0 { pre.get(i - 1).map(String::as_str) } else { None };
            COMPARISON.contains(&w.as_str())
                && !(w == "thiếu" && next == Some("hụt"))
                && !(w == "bình" && next != Some("quân"))
                && !(matches!(w.as_str(), "trước" | "ngoái")
                    && matches!(prev, Some("năm" | "kỳ" | "tháng" | "quý" | "đợt"))
                    && i + 1 < pre.len())
                && !(w == "trước" && next == Some("hạn"))
        }) || window(&pre, &["so", "với"])
            || window(&pre, &["cùng", "kỳ"])
            || window(&qualifier, &["so", "với"])
            || window(&qualifier, &["cùng", "kỳ"])
            || qualifier.first().is_some_and(|w| (w == "trước" && qualifier.get(1).is_none_or(|n| n != "hạn")) || w == "ngoái")
            || rate;
        let written = match kind {
            QuantityKind::Percent => format!("{}%", tokens[first].norm),
            _ => self.text[tokens[first].start..number_end].split_whitespace().collect::<Vec<_>>().join(" "),
        };
        let written = written.replace(['*', '_'], "");
        self.quantities.push(Quantity {
            kind,
            value,
            decimals,
            written,
            range: TextRange::new(tokens[first].start, number_end),
            span: TextRange::new(tokens[first].start, span_end),
            unit,
            multiplier,
            qualifier,
            pre,
            sentence: here.sentence,
            clause: here.clause,
            depth: here.depth,
            segment: here.semicolons,
            topic: here.topic,
            announcer: None,
            comparison,
            share_of: None,
            unit_before: false,
            label: self.label_before(first),
            tail,
            cue: None,
            paren: None,
            cue_segment: here.semicolons,
            opener: None,
            open_end: false,
        });
        self.number_token.push((first, k));
        k
    }

    /// The label of the number at token `first`: words and numbers that are not amounts back to
    /// the clause boundary ("Hoàn thành tốt nhiệm vụ 35", "khiển trách: 1", "năm 2017 có 61").
    fn label_before(&self, first: usize) -> Vec<String> {
        let tokens = self.tokens;
        let mut out = Vec::new();
        let mut p = first;
        if p > 0 && tokens[p - 1].is_punct(':') {
            p -= 1;
        }
        while p > 0 && out.len() < 12 {
            p -= 1;
            let t = &tokens[p];
            if self.seg[p].sentence != self.seg[first].sentence {
                break;
            }
            match t.kind {
                TokenKind::Word => out.push(t.norm.clone()),
                TokenKind::Number => {
                    // Another amount with its own unit ends the label ("cho 13 tập thể và 14 …").
                    if self.quantities.iter().rev().take(6).any(|q| q.range.start == t.start && !q.unit.is_empty()) {
                        break;
                    }
                    out.push(t.norm.clone());
                }
                TokenKind::Punct => {
                    if t.is_any_punct(",;:()[].!?…") {
                        break;
                    }
                }
            }
        }
        out.reverse();
        out
    }

    /// Marks what makes each quantity a whole: a cue after it, the opener of its sentence, the
    /// words of a closing total, and whether its sentence trails off with "…".
    fn find_cues(&mut self) {
        let tokens = self.tokens;
        // First token of each sentence, in order.
        let mut sentence_start: Vec<usize> = Vec::new();
        for (i, s) in self.seg.iter().enumerate() {
            if i == 0 || self.seg[i - 1].sentence != s.sentence {
                sentence_start.push(i);
            }
        }
        // Per sentence, in one pass: whether it is a formula ("= …", "+", "×"), and where its last
        // "…" (or "..", "v.v.") stands.
        let mut formula_sentences = rustc_hash::FxHashSet::default();
        let mut ellipsis_at: rustc_hash::FxHashMap<usize, usize> = rustc_hash::FxHashMap::default();
        for (j, t) in tokens.iter().enumerate() {
            let sentence = self.seg[j].sentence;
            if t.is_any_punct("=+×") {
                formula_sentences.insert(sentence);
            }
            let dots = t.is_punct('.') && j > 0 && tokens[j - 1].is_punct('.');
            let vv = t.is_word("v") && tokens.get(j + 2).is_some_and(|n| n.is_word("v"));
            if t.is_punct('…') || dots || vv {
                ellipsis_at.insert(sentence, j);
            }
        }
        // Which quantity starts at a byte offset: keeps the scans below linear.
        let by_start: rustc_hash::FxHashMap<usize, usize> = self.quantities.iter().enumerate().map(|(i, q)| (q.range.start, i)).collect();
        let start_of = |sentence: usize| -> Option<usize> {
            sentence_start.binary_search_by(|&i| self.seg[i].sentence.cmp(&sentence)).ok().map(|k| sentence_start[k])
        };
        for idx in 0..self.quantities.len() {
            let (first, after) = self.number_token[idx];
            let q = &self.quantities[idx];
            if q.kind == QuantityKind::Percent {
                continue;
            }
            let here = self.seg[first];
            let mut cue = None;
            let mut paren = None;
            let mut cue_segment = here.semicolons;
            // A formula ("(9 triệu đồng + 1,5 triệu đồng) = 22 triệu đồng") states no breakdown.
            if formula_sentences.contains(&here.sentence) {
                continue;
            }
            let mut k = after;
            while let Some(t) = tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 40 || self.seg[k].depth < here.depth {
                    break;
                }
                if t.is_punct('(') {
                    let close = self.matching_paren(k);
                    let Some(close) = close else { break };
                    let has_count = (k + 1..close).any(|j| {
                        tokens[j].kind == TokenKind::Number
                            && by_start.get(&tokens[j].start).is_some_and(|&o| {
                                let o = &self.quantities[o];
                                o.kind == QuantityKind::Count && !o.comparison
                            })
                    });
                    if has_count {
                        let inner = TextRange::new(tokens[k].end, tokens[close].start);
                        let w1 = self.word(k + 1);
                        let subset = w1 == Some("trong") && matches!(self.word(k + 2), Some("đó" | "số"));
                        let gom = subset && (self.word(k + 3) == Some("gồm") || self.tokens.get(k + 3).is_some_and(|t| t.is_punct(':')));
                        cue = Some(if subset && !gom { Cue::Subset } else { Cue::Partition });
                        paren = Some(inner);
                        break;
                    }
                    k = close + 1;
                    continue;
                }
                if t.is_punct(':') {
                    // A colon right after the unit (a few words at most, no comma) announces the
                    // parts; "3.083 đơn, địa phương: 18.008 đơn" is a label's colon.
                    let between = &tokens[after..k];
                    let plain = between.len() <= 3 && !between.iter().any(|t| t.is_punct(','));
                    let worded = (after..k).any(|j| self.word(j) == Some("hình") || self.word(j) == Some("sau"));
                    if (plain || worded) && self.rest_has_compatible_number(k) {
                        cue = Some(Cue::Partition);
                    }
                    break;
                }
                if t.kind == TokenKind::Number {
                    // Percentages between a total and its parts ("1.225 đơn, chiếm 34% (…)").
                    if by_start.get(&t.start).is_some_and(|&o| self.quantities[o].kind == QuantityKind::Percent) {
                        k += 2;
                        continue;
                    }
                    break;
                }
                if t.kind == TokenKind::Word {
                    let w = t.norm.as_str();
                    let n1 = self.word(k + 1);
                    let n2 = self.word(k + 2);
                    if w == "trong" && (n1 == Some("đó") || (n1 == Some("số") && n2 == Some("đó"))) {
                        cue_segment = self.seg[k].semicolons;
                        let after_cue = if n1 == Some("đó") { k + 2 } else { k + 3 };
                        let colon = tokens.get(after_cue).is_some_and(|t| t.is_punct(':')) || (self.word(after_cue) == Some("gồm"));
                        cue = Some(if colon { Cue::Partition } else { Cue::Subset });
                        break;
                    }
                    let partition = w == "gồm"
                        || (w == "bao" && n1 == Some("gồm"))
                        || (matches!(w, "chia" | "phân") && matches!(n1, Some("ra" | "thành")))
                        || (w == "cụ" && n1 == Some("thể") && tokens.get(k + 2).is_some_and(|t| t.is_any_punct(":,")))
                        || (matches!(w, "với" | "bằng" | "theo") && (n1 == Some("hình") || (n1 == Some("các") && n2 == Some("hình"))));
                    if partition {
                        cue = Some(Cue::Partition);
                        break;
                    }
                }
                if t.is_punct(';') && !(self.word(k + 1) == Some("trong") && self.word(k + 2) == Some("đó")) {
                    break;
                }
                if t.is_punct('.') {
                    break;
                }
                k += 1;
            }
            // "Trong (tổng) số 26 chỉ tiêu …, có …", "Trong 48 Bí thư …, có …".
            let pre = &q.pre;
            if cue.is_none() && (ends_with(pre, &["trong", "số"]) || ends_with(pre, &["trong", "tổng", "số"]) || ends_with(pre, &["trong"]))
            {
                cue = Some(Cue::Subset);
            }

            // "nâng tổng số … lên N", "nâng tổng vốn … lên N", "lũy kế … là N", "trên tổng số N".
            let closing = (pre.len() >= 3
                && ends_with(pre, &["tổng", "số"])
                && matches!(pre[pre.len() - 3].as_str(), "trên" | "trong")
                && pre.len() > 3)
                || (pre.first().is_some_and(|w| w == "nâng")
                    && pre.get(1).is_some_and(|w| w == "tổng")
                    && pre.last().is_some_and(|w| w == "lên" || w == "là"))
                || (pre.first().is_some_and(|w| w == "lũy" || w == "luỹ") && pre.get(1).is_some_and(|w| w == "kế"));
            if cue.is_none() && closing {
                cue = Some(Cue::Closing);
            }
            if cue.is_none() && q.announcer == Some(Announcer::VoiCo) {
                cue = Some(Cue::Subset);
            }
            // The sentence opener.
            let opener = start_of(here.sentence).and_then(|s| {
                let a = self.word(s);
                let b = self.word(s + 1);
                match (a, b) {
                    (Some("trong"), Some("đó")) => Some(Cue::Subset),
                    (Some("trong"), Some("số")) if matches!(self.word(s + 2), Some("đó" | "này" | "trên")) => Some(Cue::Subset),
                    (Some("cụ"), Some("thể")) => Some(Cue::Partition),
                    (Some("gồm" | "bao"), _) => Some(Cue::Partition),
                    _ => None,
                }
            });
            // "…", "...", "v.v." later in the sentence.
            let open_end = ellipsis_at.get(&here.sentence).is_some_and(|&e| e >= after);
            let q = &mut self.quantities[idx];
            q.cue = cue;
            q.paren = paren;
            q.cue_segment = cue_segment;
            q.opener = opener;
            q.open_end = open_end;
        }
    }

    fn matching_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (j, t) in self.tokens.iter().enumerate().skip(open).take(LOOKAHEAD) {
            if j > open && t.line_start {
                return None;
            }
            if t.is_punct('(') {
                depth += 1;
            } else if t.is_punct(')') {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    }

    /// Marks quantities that announce a total of the parts after them.
    fn find_announcers(&mut self) {
        for idx in 0..self.quantities.len() {
            let (first, after) = self.number_token[idx];
            let q = &self.quantities[idx];
            if q.kind == QuantityKind::Percent {
                continue;
            }
            let pre = &q.pre;
            let mut announcer = None;
            if ends_with(pre, &["tổng", "số"])
                || ends_with(pre, &["tổng", "cộng"])
                || ends_with(pre, &["tổng"])
                || ends_with(pre, &["tổng", "số", "là"])
                || (starts_with(pre, &["tổng", "số"]) && pre.last().is_some_and(|w| w == "là"))
            {
                announcer = Some(Announcer::TotalWord);
            }
            // "Tổng số hồ sơ tiếp nhận: 1.250" or "Tổng số hồ sơ tiếp nhận là 1.250".
            let mut unit_from_before = None;
            if q.unit.is_empty() && q.kind == QuantityKind::Count {
                let lead = if pre.len() >= 3 && (starts_with(pre, &["tổng", "số"]) || starts_with(pre, &["tổng", "cộng"])) {
                    Some(pre[2..].iter().take_while(|w| *w != "là").cloned().collect::<Vec<_>>())
                } else {
                    self.previous_clause_words(first).and_then(|words| {
                        (starts_with(&words, &["tổng", "số"]) || starts_with(&words, &["tổng", "cộng"])).then(|| words[2..].to_vec())
                    })
                };
                if let Some(words) = lead.filter(|w| !w.is_empty() && w.len() <= 8) {
                    announcer = Some(Announcer::TotalWord);
                    unit_from_before = Some(words);
                }
            }
            // What follows the unit: "trong đó", "gồm", "bao gồm", "chia ra", ":".
            let mut k = after;
            let here = self.seg[first];
            while let Some(t) = self.tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 12 {
                    break;
                }
                if t.is_punct(':') {
                    if self.rest_has_compatible_number(k) {
                        announcer = announcer.or(Some(Announcer::Partition));
                    }
                    break;
                }
                if t.kind == TokenKind::Word {
                    match t.norm.as_str() {
                        "trong" if self.word(k + 1) == Some("đó") || (self.word(k + 1) == Some("số") && self.word(k + 2) == Some("đó")) =>
                        {
                            announcer =
                                Some(
                                    announcer
                                        .map_or(Announcer::TrongDo, |a| if a == Announcer::TotalWord { a } else { Announcer::TrongDo }),
                                );
                            break;
                        }
                        "gồm" => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        "chia" | "phân" if matches!(self.word(k + 1), Some("ra" | "thành")) => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        "bao" if self.word(k + 1) == Some("gồm") => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        _ => {}
                    }
                }
                if t.is_any_punct(".(")
                    || (t.is_any_punct(",;") && self.word(k + 1).is_none_or(|w| !["trong", "gồm", "bao", "chia"].contains(&w)))
                {
                    break;
                }
                if t.kind == TokenKind::Number {
                    break;
                }
                k += 1;
            }
            // "với 28 chỉ tiêu thành phần, có …"
            if announcer.is_none() && pre.first().is_some_and(|w| w == "với") {
                let sentence = here.sentence;
                let clause = here.clause;
                // Bounded look-ahead: "có" follows "với N …," closely; a long sentence must not
                // make this quadratic.
                let later_co = self.tokens.iter().enumerate().skip(first).take(LOOKAHEAD).any(|(j, t)| {
                    self.seg[j].sentence == sentence
                        && self.seg[j].clause > clause
                        && t.is_word("có")
                        && (j == 0 || self.seg[j - 1].clause != self.seg[j].clause)
                });
                if later_co {
                    announcer = Some(Announcer::VoiCo);
                }
            }
            let q = &mut self.quantities[idx];
            q.announcer = announcer;
            if let Some(words) = unit_from_before {
                q.unit = words;
                q.unit_before = true;
            }
        }
    }

    /// Words of the clause just before the one holding token `i`, if that clause ends with ":"
    /// or "là" and lies in the same sentence.
    fn previous_clause_words(&self, i: usize) -> Option<Vec<String>> {
        let here = self.seg[i];
        let mut j = i;
        while j > 0 && self.seg[j - 1].clause == here.clause && i - j < 40 {
            j -= 1;
        }
        if j == 0 || !self.tokens[j - 1].is_punct(':') || self.seg[j - 1].sentence != here.sentence {
            return None;
        }
        let clause = self.seg[j - 1].clause;
        let mut words = Vec::new();
        let mut k = j - 1;
        while k > 0 && self.seg[k - 1].clause == clause {
            k -= 1;
            match self.tokens[k].kind {
                TokenKind::Word => words.push(self.tokens[k].norm.clone()),
                TokenKind::Number => return None,
                TokenKind::Punct => {}
            }
        }
        words.reverse();
        Some(words)
    }

    fn rest_has_compatible_number(&self, colon: usize) -> bool {
        let sentence = self.seg[colon].sentence;
        self.tokens[colon + 1..]
            .iter()
            .zip(&self.seg[colon + 1..])
            .take(LOOKAHEAD)
            .take_while(|(_, s)| s.sentence == sentence)
            .any(|(t, _)| t.kind == TokenKind::Number)
    }

    /// Attaches percentages to the quantity they are a share of.
    fn find_shares(&mut self) {
        for idx in 0..self.quantities.len() {
            if self.quantities[idx].kind != QuantityKind::Percent || self.quantities[idx].comparison {
                continue;
            }
            let p = &self.quantities[idx];
            let pre: Vec<&str> = p.pre.iter().map(String::as_str).collect();
            let share_words = matches!(
                pre.as_slice(),
                [] | ["chiếm"]
                    | ["chiếm", "tỷ", "lệ"]
                    | ["chiếm", "tỉ", "lệ"]
                    | ["bằng"]
                    | ["tỷ", "lệ"]
                    | ["tỉ", "lệ"]
                    | ["đạt", "tỷ", "lệ"]
                    | ["đạt", "tỉ", "lệ"]
            );
            if !share_words {
                continue;
            }
            let bad_after = ["kế", "cùng", "dự", "mục", "so", "chỉ", "năm", "nhiệm"];
            if p.qualifier.first().is_some_and(|w| bad_after.contains(&w.as_str())) {
                continue;
            }
            // "(chiếm 38,2% tổng vốn)": the share names its own base, which may be another whole.
            if p.depth > 0 && !p.qualifier.is_empty() {
                continue;
            }
            let (first, _) = self.number_token[idx];
            // Bare "(72%)" must sit right after a "(": the owner is what the parenthesis follows.
            let in_paren = first > 0 && self.seg[first].depth > 0;
            if pre.is_empty() && !in_paren {
                continue;
            }
            // The owner: the closest count or fraction before, in the same sentence, with at most
            // one clause between.
            let owner = (0..idx).rev().take(8).take_while(|&o| self.quantities[o].sentence == p.sentence).find(|&o| {
                let q = &self.quantities[o];
                q.kind != QuantityKind::Percent && p.clause <= q.clause + 2 && !q.comparison
            });
            if let Some(o) = owner {
                if self.quantities[o].depth + u32::from(in_paren) >= p.depth {
                    self.quantities[idx].share_of = Some(o);
                }
            }
        }
    }

    /// Announced counts and where their items are.
    fn find_counts(&self) -> Vec<CountClaim> {
        let mut claims = Vec::new();
        for (idx, q) in self.quantities.iter().enumerate() {
            let (first, after) = self.number_token[idx];
            if q.kind != QuantityKind::Count || q.unit.is_empty() || q.unit_before || q.comparison {
                continue;
            }
            if q.value < Decimal::from(2) || q.value > Decimal::from(60) || q.decimals > 0 || q.multiplier.is_some() {
                continue;
            }
            let lexicon = crate::categories::lexicon();
            // A list is announced with a noun a report enumerates ("4 nhiệm vụ"), never with a
            // duration, an age or a measure ("từ 06 tháng đến 03 năm:", "dưới 16 tuổi như:").
            let unit_words: Vec<&str> = q.unit.iter().map(String::as_str).collect();
            if lexicon.never_counted(unit_words[0]) || !lexicon.is_enumeration_noun(&unit_words) {
                continue;
            }
            if self.tokens[after - 1].all_caps || self.tokens[first..after].iter().any(|t| t.all_caps) {
                continue;
            }
            // "ít nhất 01 trong 02 tiêu chí", "từ 3 nhiệm vụ trở lên", "khoảng 5 nội dung": not the
            // number of items listed.
            let threshold =
                ["trong", "từ", "trên", "dưới", "quá", "đến", "tới", "khoảng", "hơn", "gần", "mỗi", "hàng", "đủ", "thêm", "những"];
            if q.pre.last().is_some_and(|w| threshold.contains(&w.as_str()))
                || ends_with(&q.pre, &["ít", "nhất"])
                || ends_with(&q.pre, &["tối", "đa"])
                || ends_with(&q.pre, &["tối", "thiểu"])
            {
                continue;
            }
            let here = self.seg[first];
            // "(11 chỉ tiêu)" closing a line: the list follows on the next lines.
            if here.depth > 0 && first > 0 && self.tokens[first - 1].is_punct('(') {
                if let Some(close) = self.tokens.get(after).filter(|t| t.is_punct(')')) {
                    let line_end = self.line_end_after(close.end);
                    let rest = self.text[close.end..line_end].trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '*' || c == '_');
                    if rest.is_empty()
                        && !self.tokens[..first].iter().rev().take(LOOKAHEAD).take_while(|t| !t.line_start).any(|t| t.is_punct(':'))
                    {
                        claims.push(self.claim(q, Items::FollowingLines { from: line_end }));
                    }
                }
                continue;
            }
            // Places are listed by name: "4 tỉnh Nam Định, Đồng Nai, Hưng Yên và Hà Nam",
            // "6 tỉnh (Nam Định, …)", "8 xã: Ngọc Sơn, …, Nhân Nghĩa, tỉnh Phú Thọ".
            let place =
                PLACE_NOUNS.contains(&unit_words[0]) || starts_with(&q.unit, &["địa", "phương"]) || starts_with(&q.unit, &["thành", "phố"]);
            if place {
                let direct = self.tokens.get(after).filter(|t| t.kind == TokenKind::Word && t.capitalized).map(|_| after);
                let paren = self.tokens.get(after).filter(|t| t.is_punct('(')).map(|_| after + 1);
                if let Some(items) = direct.or(paren).and_then(|s| self.name_items(s, here.sentence)) {
                    claims.push(self.claim(q, Items::Inline(items)));
                    continue;
                }
            }
            // Look for "gồm", "bao gồm", "sau:", "như sau:", "là:", "cụ thể:", or ":" after the unit.
            let mut k = after;
            let mut list_start = None;
            while let Some(t) = self.tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 12 || self.seg[k].depth != here.depth {
                    break;
                }
                // A number, a name or another noun phrase ("các xã sau:") between the count and
                // the colon: the list is announced by something else.
                if t.kind == TokenKind::Number || (k > after && t.capitalized) || t.is_word("các") || t.is_word("những") {
                    break;
                }
                if t.is_punct(':') {
                    list_start = Some(k + 1);
                    break;
                }
                if t.is_word("gồm") {
                    let next = k + 1;
                    list_start = Some(if self.tokens.get(next).is_some_and(|t| t.is_punct(':')) { next + 1 } else { next });
                    break;
                }
                if t.is_punct(',') && matches!(self.word(k + 1), Some("gồm" | "bao")) {
                    k += 1;
                    continue;
                }
                // "9 xã, phường không có hộ nghèo gồm …"
                if place && t.is_punct(',') && self.word(k + 1).is_some_and(|w| PLACE_NOUNS.contains(&w)) {
                    k += 1;
                    continue;
                }
                // "tốp năm địa phương … nhiều nhất là TPHCM (…); Hà Nội (…)": "là" before names.
                if place && t.is_word("là") && self.tokens.get(k + 1).is_some_and(|n| n.capitalized) {
                    if let Some(items) = self.name_items(k + 1, here.sentence) {
                        claims.push(self.claim(q, Items::Inline(items)));
                    }
                    break;
                }
                if t.is_any_punct(",;.()") {
                    break;
                }
                if t.kind == TokenKind::Number
                    && self.quantities[idx + 1..]
                        .iter()
                        .take(4)
                        .any(|o| o.range.start == t.start && o.kind == QuantityKind::Count && !o.unit.is_empty())
                {
                    break;
                }
                k += 1;
            }
            let Some(start) = list_start else { continue };
            if place {
                if let Some(items) = self.name_items(start, here.sentence) {
                    claims.push(self.claim(q, Items::Inline(items)));
                    continue;
                }
                // Places are never counted from lines ("34 tỉnh thành như sau:" then one line per
                // conference).
                if self.tokens.get(start).is_none_or(|t| t.line_start) {
                    continue;
                }
            }
            match self.tokens.get(start) {
                None => {
                    let from = self.line_end_after(self.tokens[start - 1].end);
                    claims.push(self.claim(q, Items::FollowingLines { from }));
                }
                Some(t) if t.line_start => {
                    claims.push(self.claim(q, Items::FollowingLines { from: self.line_start_before(t.start) }));
                }
                Some(_) => {
                    if let Some(items) = self.semicolon_items(start, here.sentence, here.depth, Some(unit_words[0])) {
                        // "9 cuộc kiểm tra: 4 cuộc …; 5 cuộc …" is a breakdown of numbers, which
                        // total-mismatch checks; it is not a list of items to count.
                        // An item opening with a number ("22 xã, 30 phường") makes the list a
                        // breakdown.
                        let numeric_items = items
                            .iter()
                            .filter(|item| {
                                // Only amounts of the counted noun make a breakdown ("9 cuộc: 4 cuộc …;
                                // 5 cuộc …"); "Dưới 40 tuổi" in a list of age brackets does not.
                                self.quantities.iter().any(|o| {
                                    o.kind == QuantityKind::Count
                                        && o.range.start >= item.start
                                        && o.range.end <= item.end
                                        && o.unit.first() == q.unit.first()
                                })
                            })
                            .count();
                        let opens_with_number = items.iter().any(|item| {
                            self.tokens
                                .iter()
                                .skip(start)
                                .take(20 * LOOKAHEAD)
                                .find(|t| t.start >= item.start)
                                .is_some_and(|t| t.kind == TokenKind::Number)
                        });
                        if numeric_items < 2 && !opens_with_number {
                            claims.push(self.claim(q, Items::Inline(items)));
                        }
                    }
                }
            }
        }
        claims.extend(self.slogan_claims());
        claims
    }

    fn line_end_after(&self, pos: usize) -> usize {
        self.text[pos..].find(['\n', '\r']).map_or(self.text.len(), |i| pos + i)
    }

    fn line_start_before(&self, pos: usize) -> usize {
        self.text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// Names of places listed from token `start`: runs of capitalised words separated by commas,
    /// semicolons or "và", each with an optional parenthesis ("Tân Thạnh (Tam Kỳ)"). The list ends
    /// at the first lowercase word, number or other sign. `None` unless there are two names.
    fn name_items(&self, start: usize, sentence: usize) -> Option<Vec<TextRange>> {
        let tokens = self.tokens;
        let mut items = Vec::new();
        let mut current: Option<(usize, usize, usize)> = None; // start, end, words
        let mut k = start;
        let _ = sentence;
        while let Some(t) = tokens.get(k).filter(|_| k < start + LOOKAHEAD) {
            // Sentence ends are read from the signs: "TP.Hội An" in a parenthesis ends nothing, and
            // a name may be wrapped onto the next line.
            if t.is_any_punct(".!?…") {
                break;
            }
            if t.kind == TokenKind::Word && (t.capitalized || t.all_caps) {
                let c = current.get_or_insert((t.start, t.end, 0));
                c.1 = t.end;
                c.2 += 1;
                if c.2 > 5 {
                    return None;
                }
                k += 1;
                continue;
            }
            if t.is_punct('(') && current.is_some() {
                let close = self.matching_paren(k)?;
                k = close + 1;
                continue;
            }
            if t.is_any_punct(",;") || t.is_word("và") {
                match current.take() {
                    Some((s, e, _)) => items.push(TextRange::new(s, e)),
                    None if t.is_punct(';') && items.is_empty() => {}
                    None => return None,
                }
                k += 1;
                continue;
            }
            break;
        }
        if let Some((s, e, _)) = current {
            items.push(TextRange::new(s, e));
        }
        (items.len() >= 2).then_some(items)
    }

    /// Items of an inline list separated by semicolons, up to the end of the sentence.
    /// `None` when there is no semicolon (a comma list is too ambiguous to count).
    fn semicolon_items(&self, start: usize, sentence: usize, depth: u32, key: Option<&str>) -> Option<Vec<TextRange>> {
        let mut items = Vec::new();
        let mut item_start: Option<usize> = None;
        let mut last_end = 0;
        let mut semicolons = 0;
        let mut k = start;
        while let Some(t) = self.tokens.get(k).filter(|_| k < start + 20 * LOOKAHEAD) {
            if self.seg[k].sentence != sentence || self.seg[k].depth < depth {
                break;
            }
            if t.is_punct(';') && self.seg[k].depth == depth {
                if let Some(s) = item_start.take() {
                    items.push(TextRange::new(s, last_end));
                }
                semicolons += 1;
                // "…; đồng thời …", "…; ngoài ra …": the sentence goes on, the list has ended.
                if self.starts_connective(k + 1) {
                    break;
                }
            } else if t.is_word("và") && key.is_some() && self.word(k + 1) == key && self.seg[k].depth == depth && item_start.is_some() {
                // "…; phương pháp B và phương pháp C": the last two items joined by "và".
                if let Some(s) = item_start.take() {
                    items.push(TextRange::new(s, last_end));
                }
            } else if !(t.is_any_punct(".") && self.tokens.get(k + 1).is_none_or(|_| self.seg[k + 1].sentence != sentence)) {
                item_start.get_or_insert(t.start);
                last_end = t.end;
            }
            k += 1;
        }
        if let Some(s) = item_start {
            items.push(TextRange::new(s, last_end));
        }
        (semicolons > 0).then_some(items)
    }

    /// Words that continue a sentence after a list instead of adding an item.
    fn starts_connective(&self, k: usize) -> bool {
        let pairs: &[(&str, &str)] = &[
            ("đồng", "thời"),
            ("ngoài", "ra"),
            ("bên", "cạnh"),
            ("qua", "đó"),
            ("từ", "đó"),
            ("trong", "đó"),
            ("tuy", "nhiên"),
            ("nhờ", "đó"),
        ];
        let (Some(a), Some(b)) = (self.word(k), self.word(k + 1)) else { return false };
        pairs.contains(&(a, b)) || matches!(a, "song" | "nhưng" | "nhằm" | "để")
    }

    /// “5 rõ” (rõ người, rõ việc, …): a quoted slogan with its items in parentheses.
    fn slogan_claims(&self) -> Vec<CountClaim> {
        let mut claims = Vec::new();
        let tokens = self.tokens;
        for i in 0..tokens.len() {
            if !(tokens[i].is_any_punct("“\"") && tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number) && self.glued(i, i + 1))
            {
                continue;
            }
            let Some(n) = parse_digits(&tokens[i + 1].norm).filter(|p| p.decimals == 0) else { continue };
            // The slogan word(s), then a closing quote, then "(".
            let mut k = i + 2;
            let mut slogan_words = Vec::new();
            while tokens.get(k).is_some_and(|t| t.kind == TokenKind::Word) && slogan_words.len() < 3 {
                slogan_words.push(tokens[k].norm.as_str());
                k += 1;
            }
            if slogan_words.is_empty() || !tokens.get(k).is_some_and(|t| t.is_any_punct("”\"")) {
                continue;
            }
            if !tokens.get(k + 1).is_some_and(|t| t.is_punct('(')) {
                // “7 dám”, đó là: “Dám nghĩ; dám nói; …; và dám hành động …”: items after a colon,
                // separated by semicolons (an item may hold a comma) or "và" before the key word.
                if let Some(claim) = self.slogan_after_colon(i, k, &slogan_words, n.value) {
                    claims.push(claim);
                }
                continue;
            }
            let key = slogan_words[slogan_words.len() - 1];
            let open = k + 1;
            let mut depth = 0;
            let mut close = None;
            for (j, t) in tokens.iter().enumerate().skip(open).take(LOOKAHEAD) {
                if t.is_punct('(') {
                    depth += 1;
                } else if t.is_punct(')') {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
            }
            let Some(close) = close else { continue };
            // Split on commas, then on "và" when the slogan word follows it.
            let mut items: Vec<Vec<usize>> = vec![Vec::new()];
            for (j, t) in tokens.iter().enumerate().take(close).skip(open + 1) {
                if t.is_any_punct(",;") || (t.is_word("và") && self.word(j + 1) == Some(key)) {
                    items.push(Vec::new());
                } else if let Some(last) = items.last_mut() {
                    last.push(j);
                }
            }
            items.retain(|item| !item.is_empty());
            let all_keyed = items.iter().all(|item| tokens[item[0]].norm == key || item.iter().take(3).any(|&j| tokens[j].norm == key));
            if !all_keyed || items.is_empty() {
                continue;
            }
            let ranges: Vec<TextRange> =
                items.iter().map(|item| TextRange::new(tokens[item[0]].start, tokens[item[item.len() - 1]].end)).collect();
            let span = TextRange::new(tokens[i + 1].start, tokens[k - 1].end);
            claims.push(CountClaim {
                value: n.value,
                written: tokens[i + 1].norm.clone(),
                number: TextRange::new(tokens[i + 1].start, tokens[i + 1].end),
                span,
                noun: slogan_words.join(" "),
                items: Items::Inline(ranges),
            });
        }
        claims
    }

    fn slogan_after_colon(&self, quote: usize, close: usize, slogan_words: &[&str], value: Decimal) -> Option<CountClaim> {
        let tokens = self.tokens;
        let key = *slogan_words.last()?;
        let colon = (close + 1..close + 6).find(|&j| tokens.get(j).is_some_and(|t| t.is_punct(':')))?;
        if (close + 1..colon).any(|j| tokens.get(j).is_some_and(|t| t.kind == TokenKind::Number)) {
            return None;
        }
        let mut j = colon + 1;
        let quoted = tokens.get(j).is_some_and(|t| t.is_any_punct("“\""));
        if quoted {
            j += 1;
        }
        let sentence = self.seg[colon].sentence;
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        while let Some(t) = tokens.get(j).filter(|_| j < colon + LOOKAHEAD) {
            if self.seg[j].sentence != sentence || (quoted && t.is_any_punct("”\"")) {
                break;
            }
            if t.is_punct(';') || (t.is_word("và") && self.word(j + 1) == Some(key)) {
                if let Some(c) = current.take() {
                    items.push(c);
                }
            } else if !t.is_punct('.') {
                let c = current.get_or_insert((j, j));
                c.1 = j;
            }
            j += 1;
        }
        if let Some(c) = current {
            items.push(c);
        }
        if items.len() < 2 || !items.iter().all(|&(a, _)| tokens[a].norm == key) {
            return None;
        }
        let ranges: Vec<TextRange> = items.iter().map(|&(a, b)| TextRange::new(tokens[a].start, tokens[b].end)).collect();
        Some(CountClaim {
            value,
            written: tokens[quote + 1].norm.clone(),
            number: TextRange::new(tokens[quote + 1].start, tokens[quote + 1].end),
            span: TextRange::new(tokens[quote + 1].start, tokens[close - 1].end),
            noun: slogan_words.join(" "),
            items: Items::Inline(ranges),
        })
    }

    fn claim(&self, q: &Quantity, items: Items) -> CountClaim {
        CountClaim { value: q.value, written: q.written.clone(), number: q.range, span: q.span, noun: q.unit.join(" "), items }
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

fn line_infos(text: &str) -> Vec<LineInfo> {
    lines(text)
        .map(|(start, end, _)| {
            let line = &text[start..end];
            let marker = marker_of(line);
            let number = match marker {
                Some(Marker::Numbered) => {
                    let digits = line.trim_start().trim_start_matches(['*', '_', '(']);
                    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
                    digits[..len].parse().ok()
                }
                _ => None,
            };
            LineInfo { start, end, marker, number }
        })
        .collect()
}

/// The list marker opening a line, if any.
pub fn marker_of(line: &str) -> Option<Marker> {
    let trimmed = line.trim_start();
    let first = trimmed.chars().next()?;
    if first == '#' {
        return Some(Marker::Heading);
    }
    if first == '|' {
        return Some(Marker::TableRow);
    }
    let mut chars = trimmed.chars();
    chars.next();
    let second = chars.next();
    if matches!(first, '-' | '–' | '+' | '•' | '*' | '—') && second.is_some_and(char::is_whitespace) {
        return Some(Marker::Bullet(if first == '—' { '–' } else { first }));
    }
    let unbolded = trimmed.trim_start_matches(['*', '_']);
    // Numbered: "1." "12)" "(3)"; sub-numbered "1.1." "2.3".
    let digits: String = unbolded.trim_start_matches('(').chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let after = &unbolded.trim_start_matches('(')[digits.len()..];
        let mut rest = after.chars();
        match (rest.next(), rest.next()) {
            (Some('.'), Some(c)) if c.is_ascii_digit() => return Some(Marker::SubNumbered),
            (Some('.' | ')'), Some(c)) if c.is_whitespace() || c == '*' => return Some(Marker::Numbered),
            (Some('.' | ')'), None) => return Some(Marker::Numbered),
            _ => return None,
        }
    }
    // Roman: "I." "II-" "IV." followed by a space or text.
    let roman: String = unbolded.chars().take_while(|c| "IVXLC".contains(*c)).collect();
    if !roman.is_empty() {
        let after = unbolded[roman.len()..].chars().next();
        if matches!(after, Some('.' | '-' | ')' | '–')) {
            return Some(Marker::Roman);
        }
    }
    // Letter: "a)" "b." "đ)".
    let mut it = unbolded.chars();
    if let (Some(l), Some(p), Some(s)) = (it.next(), it.next(), it.next()) {
        if l.is_lowercase() && l.is_alphabetic() && (p == ')' || (p == '.' && s.is_whitespace())) && (s.is_whitespace() || p == ')') {
            return Some(Marker::Letter);
        }
    }
    // Ordinal: "Một là", "Hai là", "Mười một là".
    let words: Vec<String> = unbolded
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '*')
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.to_lowercase())
        .collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    if unbolded.chars().next().is_some_and(char::is_uppercase) {
        if let Some((_, used)) = parse_words(&refs) {
            if refs.get(used) == Some(&"là") {
                return Some(Marker::Ordinal);
            }
        }
    }
    None
}

fn split_row(line: &str, line_start: usize) -> Vec<TableCell> {
    let mut cells = Vec::new();
    let trimmed_start = line.len() - line.trim_start().len();
    let body = line.trim();
    let body = body.strip_prefix('|').unwrap_or(body);
    let body_offset = line_start + trimmed_start + 1;
    let body = body.strip_suffix('|').unwrap_or(body);
    let mut offset = body_offset;
    for raw in body.split('|') {
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        let start = offset + lead;
        let clean: String = text.trim_matches(|c| c == '*' || c == '_' || c == ' ').to_string();
        // The range covers the cell's value without Markdown emphasis, so a fix keeps the bold.
        let inner_lead = text.find(clean.as_str()).unwrap_or(0);
        let start = if clean.is_empty() { start } else { start + inner_lead };
        let parsed = parse_digits(clean.trim_end_matches('%').trim());
        let blank = clean.is_empty() || clean == "-" || clean == "–" || clean == "—";
        cells.push(TableCell {
            range: TextRange::new(start, start + if clean.is_empty() { text.len() } else { clean.len() }),
            text: clean,
            value: parsed.map(|p| p.value),
            decimals: parsed.map_or(0, |p| p.decimals),
            blank,
        });
        offset += raw.len() + 1;
    }
    cells
}

fn is_separator_row(cells: &[TableCell]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let t = c.text.trim_matches(':');
            !t.is_empty() && t.chars().all(|ch| ch == '-')
        })
}

fn tables(text: &str, line_infos: &[LineInfo]) -> Vec<Table> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line_infos.len() {
        if line_infos[i].marker != Some(Marker::TableRow) {
            i += 1;
            continue;
        }
        let start = i;
        while i < line_infos.len() && line_infos[i].marker == Some(Marker::TableRow) {
            i += 1;
        }
        let rows: Vec<Vec<TableCell>> = line_infos[start..i].iter().map(|l| split_row(&text[l.start..l.end], l.start)).collect();
        if rows.len() < 3 || !is_separator_row(&rows[1]) {
            continue;
        }
        let header = rows[0].iter().map(|c| c.text.clone()).collect();
        out.push(Table { header, rows: rows.into_iter().skip(2).collect() });
    }
    out
}
