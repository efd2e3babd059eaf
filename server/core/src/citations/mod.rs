//! Citations of Party and state documents: recognition, linking, and the per-block cache the
//! citation checks run on.
//!
//! Three shapes are recognised, block by block:
//! - full citations: an optional type word ("Nghị quyết số"), a number-symbol (`11-NQ/TW`,
//!   `30/2020/NĐ-CP`), then optionally a date ("ngày 10/02/2022"), the issuing body ("của Bộ
//!   Chính trị khóa XIII") and the trích yếu ("về …"), in the order of vn-standards.md §3;
//! - short mentions: a type word or abbreviation and a bare number ("Kết luận số 21", "NQ 11",
//!   "Chỉ thị 05", "Chỉ thị số 26 của Ban Thường vụ Tỉnh ủy");
//! - meeting-style names ("Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Đại hội XIII").
//!
//! Short mentions and meeting names are linked (see [`resolve`]) to a full citation earlier in
//! the document, or to the catalogue when exactly one catalogued document fits.

pub mod date;
pub mod ide;
pub mod symbol;

use crate::catalogue::{Catalogue, Entry};
use crate::text::TextRange;
use date::{date_at, find_dates, Date, DateMention};
use regex::Regex;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;
use symbol::{find_symbols, Symbol, SymbolKey};

/// Document types: the word, and the abbreviations its symbols use (vn-standards.md §2.1–2.2).
pub const DOC_TYPES: &[(&str, &[&str])] = &[
    ("Nghị quyết", &["NQ"]),
    ("Nghị định", &["NĐ"]),
    ("Chỉ thị", &["CT"]),
    ("Kết luận", &["KL"]),
    ("Quy định", &["QĐ", "QĐI", "QYĐ"]),
    ("Quyết định", &["QĐ"]),
    ("Hướng dẫn", &["HD"]),
    ("Kế hoạch", &["KH"]),
    ("Thông báo", &["TB"]),
    ("Thông tri", &[]),
    ("Thông tư", &["TT"]),
    ("Công văn", &["CV"]),
    ("Công điện", &["CĐ"]),
    ("Chương trình", &["CTR"]),
    ("Đề án", &["ĐA"]),
    ("Báo cáo", &["BC"]),
    ("Quy chế", &["QC"]),
    ("Luật", &[]),
    ("Pháp lệnh", &[]),
];

/// Abbreviations used for the type in running text ("NQ 11", "KL 21").
const SHORT_ABBREVIATIONS: &[(&str, &str)] =
    &[("NQ", "Nghị quyết"), ("CT", "Chỉ thị"), ("KL", "Kết luận"), ("QĐi", "Quy định"), ("NĐ", "Nghị định")];

/// Types whose bare "Type N" (without "số") is read as a short mention; others ("Kế hoạch 5
/// năm", "Chương trình 135") are too often something else.
const SHORT_WITHOUT_SO: &[&str] = &["Nghị quyết", "Chỉ thị", "Kết luận", "Quy định", "Nghị định"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationKind {
    /// With a number-symbol.
    Full,
    /// Type and bare number.
    Short,
    /// "Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Đại hội XIII".
    Meeting,
}

/// A meeting named instead of a symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meeting {
    /// Hội nghị Trung ương `plenum` of term `term` (Roman numerals as written).
    Plenum { plenum: u32, term: String },
    /// A congress of that number ("XIII"): the national Party congress when followed by "của
    /// Đảng" or "toàn quốc", otherwise a local one ("Đại hội XVI Đảng bộ tỉnh").
    Congress { number: String, national: bool },
}

/// One citation, with document-absolute ranges once shifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub kind: CitationKind,
    /// From the type word (or the symbol) to the end of the last part recognised (date, body).
    pub range: TextRange,
    /// The canonical type word ("Nghị quyết"), from the text or the symbol.
    pub doc_type: Option<&'static str>,
    pub symbol: Option<Symbol>,
    /// The bare number of a short mention.
    pub number: Option<(u32, TextRange)>,
    pub date: Option<DateMention>,
    pub issuer: Option<(String, TextRange)>,
    pub title: Option<(String, TextRange)>,
    pub meeting: Option<Meeting>,
}

impl Citation {
    fn shift(&mut self, by: usize) {
        self.move_by(by as isize);
    }

    /// Moves every range of the citation `by` bytes (to the left when negative).
    fn move_by(&mut self, by: isize) {
        self.map_ranges(&|r: TextRange| r.move_by(by));
    }

    /// Replaces every range of the citation `r` by `f(r)`.
    pub fn map_ranges(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        self.range = f(self.range);
        if let Some(s) = &mut self.symbol {
            s.range = f(s.range);
            s.issuer_range = f(s.issuer_range);
        }
        if let Some((_, r)) = &mut self.number {
            *r = f(*r);
        }
        if let Some(d) = &mut self.date {
            d.map_ranges(f);
        }
        if let Some((_, r)) = &mut self.issuer {
            *r = f(*r);
        }
        if let Some((_, r)) = &mut self.title {
            *r = f(*r);
        }
    }

    /// The citation's number as written (symbol or bare number), for messages.
    pub fn label(&self) -> String {
        let head = self.doc_type.unwrap_or("Văn bản");
        match (&self.symbol, &self.number, &self.meeting) {
            (Some(s), _, _) => format!("{head} số {}", s.written),
            (None, Some((n, _)), _) => format!("{head} số {n}"),
            (None, None, Some(Meeting::Plenum { plenum, term })) => format!("{head} Trung ương {plenum} khóa {term}"),
            (None, None, Some(Meeting::Congress { number, .. })) => format!("{head} Đại hội {number}"),
            _ => head.to_string(),
        }
    }
}

/// What one block cites and dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockCitations {
    pub citations: Vec<Citation>,
    pub dates: Vec<DateMention>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("citation regex {pattern}: {e}"))
}

fn type_alternation() -> String {
    DOC_TYPES.iter().map(|(w, _)| w.to_lowercase()).collect::<Vec<_>>().join("|")
}

/// How many non-blank characters before a symbol the type word is looked for in: the type
/// word, "số" and a colon hold at most 15 ("Chương trình số:"), so every match of
/// [`type_before_re`] lies in that window. Bounded so that a block without line breaks is not
/// read again from its start for every symbol (issue 12).
const TYPE_WINDOW: usize = 64;

/// The start of the shortest tail of `before` that holds `non_blank` non-whitespace characters
/// (0 when `before` holds fewer): a window for a pattern anchored at the end of `before`
/// whose matches contain fewer non-whitespace characters than that. Reads only the window.
pub(crate) fn window_start(before: &str, non_blank: usize) -> usize {
    let mut seen = 0;
    for (i, ch) in before.char_indices().rev() {
        if !ch.is_whitespace() {
            seen += 1;
            if seen == non_blank {
                return i;
            }
        }
    }
    0
}

/// Whether `text`, lower-cased, starts with `prefix` (which is lower case): the remainder of
/// `text` after it if so. The same answer as `text.to_lowercase().starts_with(prefix)` for a
/// prefix without 'i', 'σ' or 'ς' (the only letters whose lowering depends on context or
/// gives several characters), reading only as much of `text` as the prefix is long.
fn lowercase_strip_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut want = prefix.chars();
    let mut lowered = String::new();
    for (i, ch) in text.char_indices() {
        if want.clone().next().is_none() {
            return Some(&text[i..]);
        }
        lowered.clear();
        lowered.extend(ch.to_lowercase());
        for l in lowered.chars() {
            if want.next() != Some(l) {
                return None;
            }
        }
    }
    want.next().is_none().then_some("")
}

fn type_before_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(&format!(r"(?i)(?:^|[^\p{{L}}])({})\s+(?:số\s*:?\s*)?$", type_alternation())))
}

fn short_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let abbreviations = SHORT_ABBREVIATIONS.iter().map(|(a, _)| *a).collect::<Vec<_>>().join("|");
        re(&format!(r"(?P<type>(?i:{})|{abbreviations})\s+(?P<so>số\s*:?\s*)?(?P<num>\d{{1,5}})", type_alternation()))
    })
}

fn meeting_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)nghị quyết\s+(?:(?:hội nghị\s+)?(?:ban chấp hành\s+)?trung ương\s+(?:lần thứ\s+)?(?P<plenum>\d{1,2})\s*,?\s*kh(?:óa|oá)\s+(?P<term>[IVXLC]+)|đại hội\s+(?:đại biểu toàn quốc\s+)?(?:lần thứ\s+)?(?P<congress>[IVXLC]+))")
    })
}

fn date_lead_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"^\s*,?\s*(?:ban hành\s+)?ngày\s+"))
}

fn issuer_lead_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"^\s*,?\s*(?:của|do)\s+"))
}

fn title_lead_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"^\s*,?\s*(?:quy định\s+)?về\s+"))
}

/// Words that end an issuing body ("… của Bộ Chính trị về …", "… của Tỉnh ủy thực hiện …").
const ISSUER_STOP_WORDS: &[&str] = &[
    "về", "quy", "thực", "triển", "quán", "đã", "thì", "là", "và", "ngày", "đến", "nhằm", "với", "trong", "cho", "theo", "được", "có",
    "đề", "nêu", "yêu", "chỉ", "tiếp", "tại", "sau", "nay", "này", "gồm", "trên", "đối", "bao", "cũng", "sẽ", "vừa", "mới", "nhấn",
    "khẳng", "xác", "cụ", "đánh", "hướng", "lãnh", "tổ", "xây", "phê", "bổ", "sửa", "chương", "kế",
];

fn canonical_type(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    DOC_TYPES
        .iter()
        .find(|(w, _)| w.to_lowercase() == lower)
        .map(|(w, _)| *w)
        .or_else(|| SHORT_ABBREVIATIONS.iter().find(|(a, _)| *a == word).map(|(_, w)| *w))
}

/// The type word for a symbol's type abbreviation when it names one type only (QĐ does not).
fn type_of_abbreviation(abbreviation: &str) -> Option<&'static str> {
    let upper = symbol::normalise_group(abbreviation);
    let mut found = DOC_TYPES.iter().filter(|(_, abbrs)| abbrs.contains(&upper.as_str()));
    let first = found.next()?;
    found.next().is_none().then_some(first.0)
}

/// Whether a symbol's type abbreviation fits a type word ("KL" fits "Kết luận").
pub fn type_fits(doc_type: &str, symbol: &Symbol) -> bool {
    let Some(abbreviation) = symbol.type_abbreviation() else { return true };
    let upper = symbol::normalise_group(abbreviation);
    DOC_TYPES.iter().find(|(w, _)| *w == doc_type).is_none_or(|(_, abbrs)| abbrs.is_empty() || abbrs.contains(&upper.as_str()))
}

/// Reads the date, issuing body and title after a citation's number; returns the end of the
/// last part read.
fn read_tail(text: &str, mut at: usize, citation: &mut Citation) -> usize {
    if let Some(m) = date_lead_re().find(&text[at..]) {
        if let Some(d) = date_at(text, at + m.end()) {
            at = d.range.end;
            citation.date = Some(d);
        }
    }
    if let Some(m) = issuer_lead_re().find(&text[at..]) {
        let start = at + m.end();
        let mut end = start;
        for (words, (i, word)) in word_spans(&text[start..]).enumerate() {
            let w = word.to_lowercase();
            let trimmed = w.trim_end_matches([',', ';', '.', ':', ')', '(']);
            // Names are capitalised ("Ban Tổ chức"); a lowercase stop word ends the body.
            if words > 0 && word.starts_with(char::is_lowercase) && ISSUER_STOP_WORDS.contains(&trimmed) {
                break;
            }
            if words >= 12 || word.starts_with(['(', '"', '“']) {
                break;
            }
            end = start + i + word.trim_end_matches([',', ';', '.', ':', ')', '(']).len();
            if word.ends_with([',', ';', '.', ':', ')', '(']) || text[start + i + word.len()..].starts_with(['\n', '\r']) {
                break;
            }
        }
        if end > start {
            citation.issuer = Some((text[start..end].to_string(), TextRange::new(start, end)));
            at = end;
            if citation.date.is_none() {
                if let Some(m) = date_lead_re().find(&text[at..]) {
                    if let Some(d) = date_at(text, at + m.end()) {
                        at = d.range.end;
                        citation.date = Some(d);
                    }
                }
            }
        }
    }
    at
}

/// (byte offset, word) pairs of `text`'s whitespace-separated words on the first line.
///
/// Lazy: the line is not looked for first (in a document without line breaks that would read
/// the whole rest of the text for every citation), the words are cut at the first line break
/// as they come.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(' ')
        .scan((0usize, false), |(pos, ended), w| {
            if *ended {
                return None;
            }
            let start = *pos;
            *pos += w.len() + 1;
            match w.find(['\n', '\r']) {
                Some(cut) => {
                    *ended = true;
                    Some((start, &w[..cut]))
                }
                None => Some((start, w)),
            }
        })
        .filter(|(_, w)| !w.is_empty())
}

/// Reads "về …" after a citation, up to the end of the clause or the next citation.
fn read_title(text: &str, at: usize, limit: usize) -> Option<(String, TextRange)> {
    let m = title_lead_re().find(&text[at..limit])?;
    let start = at + m.end();
    let rest = &text[start..limit];
    let mut end = rest.len();
    for (i, ch) in rest.char_indices() {
        if matches!(ch, '\n' | '\r' | ';' | '(' | ')') || (ch == '.' && (rest[i + 1..].starts_with([' ', '\n']) || i + 1 == rest.len())) {
            end = i;
            break;
        }
    }
    let mut end = end.min(300);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let title = rest[..end].trim_end_matches([',', ' ', ':']);
    (!title.is_empty()).then(|| (title.to_string(), TextRange::new(start, start + title.len())))
}

/// Finds the citations and dates of one block (block-relative ranges).
pub fn scan(text: &str) -> BlockCitations {
    let mut citations: Vec<Citation> = Vec::new();
    for s in find_symbols(text, 0) {
        let before = &text[..s.range.start];
        let window = window_start(before, TYPE_WINDOW);
        let (start, doc_type) = match type_before_re().captures(&before[window..]) {
            Some(c) => match c.get(1) {
                Some(word) => (window + word.start(), canonical_type(word.as_str())),
                None => (s.range.start, None),
            },
            None => (s.range.start, s.type_abbreviation().and_then(type_of_abbreviation)),
        };
        let mut citation = Citation {
            kind: CitationKind::Full,
            range: TextRange::new(start, s.range.end),
            doc_type,
            symbol: None,
            number: None,
            date: None,
            issuer: None,
            title: None,
            meeting: None,
        };
        let end = read_tail(text, s.range.end, &mut citation);
        citation.range.end = end;
        citation.symbol = Some(s);
        citations.push(citation);
    }
    // Whether a position lies in a citation found so far, answered by a sweep instead of a
    // comparison with every citation (issue 12): the full citations' ranges by start (they may
    // overlap: an issuer can run over the next symbol), the matches below come in text order,
    // and each short mention starts before the next match. `covered_to` is the furthest end of
    // the citations that start at or before the position asked about.
    let mut full_spans: Vec<(usize, usize)> = citations.iter().map(|c| (c.range.start, c.range.end)).collect();
    full_spans.sort_unstable();
    let mut next_full = 0;
    let mut covered_to = 0;
    for c in short_re().captures_iter(text) {
        let (Some(whole), Some(kind), Some(num)) = (c.get(0), c.name("type"), c.name("num")) else { continue };
        if text[..whole.start()].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        while let Some(&(_, end)) = full_spans.get(next_full).filter(|(start, _)| *start <= num.start()) {
            covered_to = covered_to.max(end);
            next_full += 1;
        }
        if num.start() < covered_to {
            continue;
        }
        let after = &text[num.end()..];
        // Part of a symbol, a ratio or a decimal ("21-KL", "5/2020", "1.000").
        if after.starts_with(|ch: char| ch.is_alphanumeric() || matches!(ch, '/' | '-' | '–' | '%'))
            || (after.starts_with(['.', ',']) && after[1..].starts_with(|ch: char| ch.is_ascii_digit()))
        {
            continue;
        }
        let Some(doc_type) = canonical_type(kind.as_str()) else { continue };
        if doc_type == "Luật" || doc_type == "Pháp lệnh" {
            continue;
        }
        let has_so = c.name("so").is_some();
        if !has_so && !SHORT_WITHOUT_SO.contains(&doc_type) {
            continue;
        }
        // "Nghị quyết 11 năm …", "Chỉ thị 05 điểm": a count, not a number.
        let next_word = after.split_whitespace().next().unwrap_or("").to_lowercase();
        if !has_so && ["năm", "tháng", "ngày", "điểm", "nội", "nhiệm", "chỉ", "giải", "điều", "văn", "lần"].contains(&next_word.as_str())
        {
            continue;
        }
        let Ok(number) = num.as_str().parse() else { continue };
        let mut citation = Citation {
            kind: CitationKind::Short,
            range: TextRange::new(whole.start(), num.end()),
            doc_type: Some(doc_type),
            symbol: None,
            number: Some((number, TextRange::new(num.start(), num.end()))),
            date: None,
            issuer: None,
            title: None,
            meeting: None,
        };
        citation.range.end = read_tail(text, num.end(), &mut citation);
        covered_to = covered_to.max(citation.range.end);
        citations.push(citation);
    }
    // The same sweep for overlaps with the full citations and the short mentions (sorted by
    // start together); earlier meeting names end before the next match starts.
    let mut spans: Vec<(usize, usize)> = citations.iter().map(|c| (c.range.start, c.range.end)).collect();
    spans.sort_unstable();
    let (mut next, mut covered_to) = (0, 0);
    for c in meeting_re().captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        while let Some(&(_, end)) = spans.get(next).filter(|(start, _)| *start < whole.end()) {
            covered_to = covered_to.max(end);
            next += 1;
        }
        if whole.start() < covered_to {
            continue;
        }
        let meeting = match (c.name("plenum"), c.name("term"), c.name("congress")) {
            (Some(p), Some(t), _) => match p.as_str().parse() {
                Ok(plenum) => Meeting::Plenum { plenum, term: t.as_str().to_uppercase() },
                Err(_) => continue,
            },
            (_, _, Some(n)) => {
                // Only the next words are read (not the rest of the block lower-cased).
                let after = text[whole.end()..].trim_start();
                let national = whole.as_str().to_lowercase().contains("toàn quốc")
                    || lowercase_strip_prefix(after, "của đảng")
                        .is_some_and(|rest| lowercase_strip_prefix(rest.trim_start(), "bộ").is_none());
                Meeting::Congress { number: n.as_str().to_uppercase(), national }
            }
            _ => continue,
        };
        citations.push(Citation {
            kind: CitationKind::Meeting,
            range: TextRange::new(whole.start(), whole.end()),
            doc_type: Some("Nghị quyết"),
            symbol: None,
            number: None,
            date: None,
            issuer: None,
            title: None,
            meeting: Some(meeting),
        });
    }
    citations.sort_by_key(|c| c.range.start);
    // Titles run to the end of the clause but never into the next citation.
    let starts: Vec<usize> = citations.iter().map(|c| c.range.start).collect();
    for (i, c) in citations.iter_mut().enumerate() {
        if c.kind == CitationKind::Meeting {
            continue;
        }
        let limit = starts.get(i + 1).copied().unwrap_or(text.len()).max(c.range.end);
        c.title = read_title(text, c.range.end, limit);
    }
    BlockCitations { citations, dates: find_dates(text) }
}

/// Every citation of a whole document, with absolute ranges.
pub fn scan_document(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    for block in crate::text::split_blocks(text) {
        for mut c in scan(block.text).citations {
            c.shift(block.offset);
            out.push(c);
        }
    }
    out
}

/// A central body a citation or an entry names, when it is one of the few that can be compared
/// safely (local bodies are written too many ways to compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    CentralCommittee,
    Politburo,
    Secretariat,
    Government,
    PrimeMinister,
}

impl Body {
    pub fn of(text: &str) -> Option<Body> {
        let t = text.to_lowercase().replace("khoá", "khóa");
        let politburo = t.contains("bộ chính trị");
        let secretariat = t.contains("ban bí thư");
        if politburo && secretariat {
            return None;
        }
        if politburo {
            return Some(Body::Politburo);
        }
        if secretariat {
            return Some(Body::Secretariat);
        }
        if ["ban chấp hành trung ương", "bch trung ương", "bch tw", "bch t.ư", "hội nghị trung ương", "trung ương đảng"]
            .iter()
            .any(|p| t.contains(p))
        {
            return Some(Body::CentralCommittee);
        }
        if t.starts_with("thủ tướng") {
            return Some(Body::PrimeMinister);
        }
        if t == "chính phủ" || t.starts_with("chính phủ ") {
            return Some(Body::Government);
        }
        None
    }
}

/// What a citation refers to, once linked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    pub key: Option<SymbolKey>,
    pub date: Option<Date>,
    /// The full citation in this document it repeats or shortens (index into the citations).
    pub full: Option<usize>,
    /// The catalogue entry (index into the catalogue's entries).
    pub entry: Option<usize>,
    /// Several catalogue entries fit (same symbol, no date): their indices.
    pub candidates: Vec<usize>,
}

fn roman_of_term(body: &str) -> Option<String> {
    let lower = body.replace("khoá", "khóa");
    let at = lower.find("khóa ")?;
    let roman: String = lower[at + "khóa ".len()..].chars().take_while(|c| "IVXLC".contains(*c)).collect();
    (!roman.is_empty()).then_some(roman)
}

/// The plenum number named in a catalogue entry's `meeting` ("Hội nghị lần thứ tư", "Trung ương 8").
fn plenum_of(meeting: &str) -> Option<u32> {
    let lower = meeting.to_lowercase();
    for lead in ["trung ương ", "lần thứ "] {
        if let Some(at) = lower.find(lead) {
            let rest = &lower[at + lead.len()..];
            let word = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            if let Ok(n) = word.parse() {
                return Some(n);
            }
            let ordinals = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"];
            if let Some(i) = ordinals.iter().position(|o| *o == word) {
                return Some(i as u32 + 1);
            }
        }
    }
    None
}

/// A citation matching exactly one catalogue entry takes that entry's key and date; several
/// matches are kept as candidates (hover lists them, no check relies on them).
fn settle(r: &mut Resolution, found: Vec<usize>, catalogue: &Catalogue) {
    match found.as_slice() {
        [one] => {
            r.entry = Some(*one);
            r.key = catalogue.entries[*one].key();
            r.date = catalogue.entries[*one].issue_date;
        }
        _ => r.candidates = found,
    }
}

/// Links each citation to its full form in the document and to the catalogue.
pub fn resolve(citations: &[Citation], catalogue: &Catalogue) -> Vec<Resolution> {
    let mut out: Vec<Resolution> = Vec::with_capacity(citations.len());
    // Indexes so that linking stays linear in long documents: the first dated full citation of
    // each symbol, and the full citations of each number.
    let mut first_dated: FxHashMap<&SymbolKey, usize> = FxHashMap::default();
    let mut by_number: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, c) in citations.iter().enumerate() {
        if let (CitationKind::Full, Some(s)) = (c.kind, &c.symbol) {
            by_number.entry(s.number).or_default().push(i);
        }
    }
    // The full citations a short mention of (number, type) can shorten, in document order;
    // made on the first mention of each pair (a mention is not compared with every full
    // citation of its number, which may all be of other types).
    let mut fitting: FxHashMap<(u32, &str), Vec<usize>> = FxHashMap::default();
    // The full citations of a resolution issued by each plenum (plenum, term), in document
    // order; made at the first meeting name.
    let mut by_plenum: Option<FxHashMap<(u32, String), Vec<usize>>> = None;
    for (i, c) in citations.iter().enumerate() {
        let mut r = Resolution::default();
        match c.kind {
            CitationKind::Full => {
                let Some(s) = &c.symbol else {
                    out.push(r);
                    continue;
                };
                let key = s.key();
                r.date = c.date.as_ref().map(|d| d.date).filter(|d| d.problem().is_none());
                // A repeat without a date takes the date of the first dated full citation.
                let earlier = first_dated.get(&s.key).copied();
                if earlier.is_none() && c.date.is_some() {
                    first_dated.insert(&s.key, i);
                }
                if let Some(e) = earlier {
                    if r.date.is_none() {
                        r.full = Some(e);
                        r.date = citations[e].date.as_ref().map(|d| d.date);
                    }
                }
                fill_entry(&mut r, &key, catalogue);
                r.key = Some(key);
            }
            CitationKind::Short => {
                let Some((number, _)) = c.number else {
                    out.push(r);
                    continue;
                };
                let doc_type = c.doc_type.unwrap_or("");
                let fits = |e: &Citation| {
                    e.kind == CitationKind::Full
                        && e.symbol.as_ref().is_some_and(|s| s.number == number && type_fits(doc_type, s))
                        && e.doc_type.is_none_or(|t| t == doc_type)
                };
                let candidates = fitting.entry((number, doc_type)).or_insert_with(|| {
                    let same_number = by_number.get(&number).map_or(&[][..], Vec::as_slice);
                    same_number.iter().copied().filter(|&f| fits(&citations[f])).collect()
                });
                // The last one before the mention, else the first one after it.
                let before = candidates.partition_point(|&f| f < i);
                let full = if before > 0 { Some(candidates[before - 1]) } else { candidates.first().copied() };
                if let Some(f) = full {
                    r.full = Some(f);
                    r.key = citations[f].symbol.as_ref().map(Symbol::key);
                    r.date = out.get(f).and_then(|fr| fr.date).or_else(|| citations[f].date.as_ref().map(|d| d.date));
                    r.entry = out.get(f).and_then(|fr| fr.entry);
                } else if c.issuer.as_ref().is_none_or(|(t, _)| Body::of(t).is_some()) {
                    // Only central documents are catalogued: a short mention of a local body's
                    // document ("Chỉ thị số 26 của Ban Thường vụ Tỉnh ủy") is never linked there.
                    let date = c.date.as_ref().map(|d| d.date);
                    let found: Vec<usize> = catalogue
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| {
                            e.doc_type == doc_type
                                && e.symbol.as_ref().is_some_and(|s| s.number == number)
                                && date.is_none_or(|d| e.issue_date == Some(d))
                        })
                        .map(|(n, _)| n)
                        .collect();
                    settle(&mut r, found, catalogue);
                }
            }
            CitationKind::Meeting => {
                // An earlier full citation issued by that plenum ("… của Hội nghị Trung ương 8
                // khóa XII") is what the meeting name repeats.
                let earlier = match &c.meeting {
                    Some(Meeting::Plenum { plenum, term }) => {
                        let by_plenum = by_plenum.get_or_insert_with(|| {
                            let mut map: FxHashMap<(u32, String), Vec<usize>> = FxHashMap::default();
                            for (f, e) in citations.iter().enumerate() {
                                if e.kind != CitationKind::Full || e.doc_type != Some("Nghị quyết") {
                                    continue;
                                }
                                let Some((body, _)) = &e.issuer else { continue };
                                if let (Some(p), Some(t)) = (plenum_of(body), roman_of_term(body)) {
                                    map.entry((p, t)).or_default().push(f);
                                }
                            }
                            map
                        });
                        by_plenum.get(&(*plenum, term.clone())).and_then(|fs| {
                            let before = fs.partition_point(|&f| f < i);
                            before.checked_sub(1).map(|k| fs[k])
                        })
                    }
                    _ => None,
                };
                if let Some(f) = earlier {
                    r.full = Some(f);
                    r.key = citations[f].symbol.as_ref().map(Symbol::key);
                    r.date = out.get(f).and_then(|fr| fr.date);
                    r.entry = out.get(f).and_then(|fr| fr.entry);
                } else if let Some(Meeting::Plenum { plenum, term }) = &c.meeting {
                    let found: Vec<usize> = catalogue
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| {
                            e.doc_type == "Nghị quyết"
                                && roman_of_term(&e.issuing_body).as_deref() == Some(term.as_str())
                                && e.meeting.as_deref().and_then(plenum_of) == Some(*plenum)
                        })
                        .map(|(n, _)| n)
                        .collect();
                    settle(&mut r, found, catalogue);
                }
            }
        }
        out.push(r);
    }
    out
}

fn fill_entry(r: &mut Resolution, key: &SymbolKey, catalogue: &Catalogue) {
    let all: Vec<usize> = catalogue.entries.iter().enumerate().filter(|(_, e)| e.key_ref() == Some(key)).map(|(n, _)| n).collect();
    match r.date {
        Some(d) => r.entry = all.iter().copied().find(|&n| catalogue.entries[n].issue_date == Some(d)),
        None => match all.as_slice() {
            [one] => r.entry = Some(*one),
            _ => r.candidates = all,
        },
    }
}

/// A catalogue entry of `catalogue` by index (helper for callers holding a [`Resolution`]).
pub fn entry<'a>(catalogue: &'a Catalogue, r: &Resolution) -> Option<&'a Entry> {
    r.entry.and_then(|n| catalogue.entries.get(n))
}

/// The document's citations and dates (absolute ranges), each citation linked to the full
/// citation it repeats and to its catalogue entry. Built by the engine once per analysis from
/// the cached block scans, read by the citation rules and by the editor features, so
/// diagnostics and hovers always agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitationIndex {
    pub citations: Vec<Citation>,
    pub dates: Vec<DateMention>,
    /// One per citation, in the same order.
    pub resolutions: Vec<Resolution>,
}

impl CitationIndex {
    /// The index of blocks' scans placed at their offsets: `(offset, scan)` in document order.
    pub fn from_blocks<'a>(blocks: impl Iterator<Item = (usize, &'a BlockCitations)>, catalogue: &Catalogue) -> CitationIndex {
        let (citations, dates) = place(blocks);
        let resolutions = resolve(&citations, catalogue);
        CitationIndex { citations, dates, resolutions }
    }

    /// The index of a whole document, scanned now (for callers without an engine).
    pub fn of_text(text: &str, catalogue: &Catalogue) -> CitationIndex {
        let scans: Vec<(usize, BlockCitations)> = crate::text::split_blocks(text).iter().map(|b| (b.offset, scan(b.text))).collect();
        CitationIndex::from_blocks(scans.iter().map(|(offset, s)| (*offset, s)), catalogue)
    }

    /// Moves the citations and dates of each block by `moves[k]` bytes, where `k` is the
    /// position of their block among the blocks the index was built from: the same blocks,
    /// some of them moved by an edit above them. The links stay as they are.
    pub fn move_blocks(&mut self, moves: &[isize], citations_per_block: &[usize], dates_per_block: &[usize]) {
        let mut c = 0;
        let mut d = 0;
        for (k, &by) in moves.iter().enumerate() {
            let (nc, nd) = (citations_per_block.get(k).copied().unwrap_or(0), dates_per_block.get(k).copied().unwrap_or(0));
            if by != 0 {
                for citation in self.citations.iter_mut().skip(c).take(nc) {
                    citation.move_by(by);
                }
                for date in self.dates.iter_mut().skip(d).take(nd) {
                    date.map_ranges(&|r: TextRange| r.move_by(by));
                }
            }
            c += nc;
            d += nd;
        }
    }

    /// Replaces every range of the index `r` by `f(r)` (the links stay as they are): the index
    /// of a normalised text (BOM left out, `\r\n` read as `\n`) carried over to the text itself.
    pub fn map_ranges(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        for citation in &mut self.citations {
            citation.map_ranges(f);
        }
        for date in &mut self.dates {
            date.map_ranges(f);
        }
    }
}

/// How far apart two dates of one symbol may be and still be one document cited twice.
pub fn same_document_window(symbol: &Symbol, a: Date, b: Date) -> bool {
    match (symbol.system, symbol.year) {
        // The year group is part of the number: one document per number and year.
        (symbol::System::State, Some(_)) => true,
        // State numbers without a year restart every calendar year.
        (symbol::System::State, None) => a.year == b.year,
        // Party numbers restart each term (five years); a wrong date is usually close to the right one.
        (symbol::System::Party, _) => (a.days() - b.days()).abs() <= 400,
    }
}

fn place<'a>(blocks: impl Iterator<Item = (usize, &'a BlockCitations)>) -> (Vec<Citation>, Vec<DateMention>) {
    let mut citations = Vec::new();
    let mut dates = Vec::new();
    for (offset, scanned) in blocks {
        for c in &scanned.citations {
            let mut c = c.clone();
            c.shift(offset);
            citations.push(c);
        }
        for d in &scanned.dates {
            let mut d = d.clone();
            d.range = d.range.shift(offset);
            if let Some((r, _)) = &mut d.weekday {
                *r = r.shift(offset);
            }
            dates.push(d);
        }
    }
    (citations, dates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_party_citation_has_all_its_parts() {
        let text = "Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng.";
        let found = scan(text).citations;
        assert_eq!(found.len(), 1);
        let c = &found[0];
        assert_eq!(c.doc_type, Some("Kết luận"));
        assert_eq!(c.date.as_ref().map(|d| d.date), Some(Date::new(2021, 10, 25)));
        assert_eq!(c.issuer.as_ref().map(|i| i.0.as_str()), Some("Ban Chấp hành Trung ương Đảng khóa XIII"));
        assert_eq!(c.title.as_ref().map(|t| t.0.as_str()), Some("đẩy mạnh xây dựng, chỉnh đốn Đảng"));
    }

    #[test]
    fn comma_and_hyphen_date_forms() {
        let text = "Nghị quyết số 11-NQ/TW, ngày 10-2-2022, của Bộ Chính trị";
        let c = &scan(text).citations[0];
        assert_eq!(c.date.as_ref().map(|d| d.date), Some(Date::new(2022, 2, 10)));
        assert_eq!(c.issuer.as_ref().map(|i| i.0.as_str()), Some("Bộ Chính trị"));
    }

    #[test]
    fn short_mentions_and_their_limits() {
        let kinds = |t: &str| scan(t).citations.iter().map(|c| (c.kind, c.number.map(|n| n.0))).collect::<Vec<_>>();
        assert_eq!(kinds("theo Kết luận số 21"), vec![(CitationKind::Short, Some(21))]);
        assert_eq!(kinds("thực hiện NQ 11 của Bộ Chính trị"), vec![(CitationKind::Short, Some(11))]);
        assert_eq!(kinds("Chỉ thị 05"), vec![(CitationKind::Short, Some(5))]);
        assert!(kinds("Kế hoạch 5 năm 2021-2025").is_empty());
        assert!(kinds("Nghị quyết 3 năm").is_empty());
    }

    #[test]
    fn meeting_names() {
        let c = &scan("Nghị quyết Trung ương 4 khóa XII").citations[0];
        assert_eq!(c.meeting, Some(Meeting::Plenum { plenum: 4, term: "XII".to_string() }));
        let c = &scan("Nghị quyết Đại hội XIII của Đảng").citations[0];
        assert_eq!(c.meeting, Some(Meeting::Congress { number: "XIII".to_string(), national: true }));
        let c = &scan("Nghị quyết Đại hội XIX của Đảng bộ tỉnh").citations[0];
        assert_eq!(c.meeting, Some(Meeting::Congress { number: "XIX".to_string(), national: false }));
    }

    #[test]
    fn meeting_names_link_to_the_full_citation_of_that_plenum() {
        let text = "Nghị quyết số 05-NQ/TU ngày 10/3/2021 của Hội nghị Trung ương 3 khóa XIX về du lịch. Nghị quyết Trung ương 3 khóa XIX được quán triệt.";
        let citations = scan_document(text);
        let r = resolve(&citations, &Catalogue::default());
        assert_eq!(citations[1].kind, CitationKind::Meeting);
        assert_eq!(r[1].full, Some(0));
    }

    #[test]
    fn short_mentions_link_to_the_full_citation() {
        let text = "Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị. Sau đó NQ 11 được triển khai.";
        let citations = scan_document(text);
        let r = resolve(&citations, &Catalogue::default());
        assert_eq!(r[1].full, Some(0));
        assert_eq!(r[1].date, Some(Date::new(2022, 2, 10)));
    }

    /// The old reading of the words after "của": the first line found first.
    fn word_spans_of_the_first_line(text: &str) -> Vec<(usize, &str)> {
        let line = text.split(['\n', '\r']).next().unwrap_or("");
        line.split(' ')
            .scan(0usize, |pos, w| {
                let start = *pos;
                *pos += w.len() + 1;
                Some((start, w))
            })
            .filter(|(_, w)| !w.is_empty())
            .collect()
    }

    #[test]
    fn issuer_words_are_those_of_the_first_line() {
        for text in [
            "",
            "\n",
            "Bộ Chính trị",
            "Bộ  Chính trị\nvề",
            "Bộ Chính\r\ntrị",
            " Ban\rBí thư",
            "Tỉnh ủy về việc\n\nabc",
            "Chính phủ   ",
            "a\n b c",
        ] {
            assert_eq!(word_spans(text).collect::<Vec<_>>(), word_spans_of_the_first_line(text), "{text:?}");
        }
    }

    #[test]
    fn the_type_word_window_finds_what_the_whole_text_finds() {
        let whole = |before: &str| type_before_re().captures(before).and_then(|c| c.get(1)).map(|m| (m.start(), m.as_str().to_string()));
        let windowed = |before: &str| {
            let w = window_start(before, TYPE_WINDOW);
            type_before_re().captures(&before[w..]).and_then(|c| c.get(1)).map(|m| (w + m.start(), m.as_str().to_string()))
        };
        let long = "x".repeat(200);
        let blanks = " ".repeat(500);
        let mut cases = vec![
            String::new(),
            "Nghị quyết số ".to_string(),
            "Nghị quyết".to_string(),
            "theo Chương trình số: ".to_string(),
            format!("{long} Kế hoạch số "),
            format!("{long}Kế hoạch số "),
            format!("Kế hoạch{blanks}số{blanks}:{blanks}"),
            format!("{long}, CHỈ THỊ\n\tSố  "),
            // The Kelvin sign folds to "k": three bytes for one letter.
            format!("{long} \u{212A}ế hoạch số "),
            format!("{long} Nghị quyết {long} "),
            "Quyết định số ".to_string(),
            "Quy định  ".to_string(),
            "Luật".to_string(),
            "Luật ".to_string(),
        ];
        for (i, word) in DOC_TYPES.iter().map(|(w, _)| *w).enumerate() {
            cases.push(format!("{} {word} {}", long.repeat(i % 3), ["số ", "", "số: ", "SỐ "][i % 4]));
            cases.push(format!("á{word} số "));
        }
        for before in &cases {
            assert_eq!(windowed(before), whole(before), "{before:?}");
        }
    }

    #[test]
    fn congress_national_reads_only_the_next_words() {
        let national = |t: &str| match &scan(t).citations[..] {
            [c] => c.meeting == Some(Meeting::Congress { number: "XIII".to_string(), national: true }),
            found => panic!("{t}: {found:?}"),
        };
        assert!(national("Nghị quyết Đại hội XIII của Đảng"));
        assert!(national("Nghị quyết Đại hội XIII   CỦA ĐẢNG đã chỉ ra"));
        assert!(!national("Nghị quyết Đại hội XIII của Đảng bộ tỉnh"));
        assert!(!national("Nghị quyết Đại hội XIII của Đảng   BỘ xã"));
        assert!(!national("Nghị quyết Đại hội XIII của Đản"));
        assert!(national("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII"));
        for (text, prefix) in [("Của Đảng bộ", "của đảng"), ("của đản", "của đảng"), ("CỦA ĐẢNG", "của đảng"), ("", "bộ"), ("Bộ", "bộ")]
        {
            assert_eq!(lowercase_strip_prefix(text, prefix).is_some(), text.to_lowercase().starts_with(prefix), "{text:?} {prefix:?}");
        }
    }

    #[test]
    fn short_mentions_inside_a_citation_are_not_read_again() {
        // The issuer of the first runs over "Kết luận số 5" ("Kết" is capitalised, no stop word).
        let text = "Chỉ thị số 26 của Ban Thường vụ Tỉnh ủy Kết luận số 5 và NQ 11. Nghị quyết số 12-NQ/TU của Tỉnh ủy NQ 13";
        let found: Vec<_> = scan(text).citations.iter().map(|c| (c.kind, c.number.map(|n| n.0))).collect();
        assert_eq!(found, vec![(CitationKind::Short, Some(26)), (CitationKind::Short, Some(11)), (CitationKind::Full, None)]);
    }

    /// A document without line breaks is one block (issue 12). Every look-back of the scan is
    /// bounded and every comparison with earlier citations goes through an index, so 20,000
    /// paragraphs on one line are read in linear time; the quadratic scan needed minutes for this
    /// in a debug build.
    #[test]
    fn twenty_thousand_paragraphs_of_citations_on_one_line() {
        let n = 20_000;
        let text: String = (0..n)
            .map(|i| {
                format!(
                    "Nghị quyết số {}-NQ/TW ngày {:02}/{:02}/20{:02} của Bộ Chính trị, theo Kế hoạch số {}/KH-UBND, NQ {} và Nghị quyết Trung ương {} khóa XII được triển khai. ",
                    1 + i % 997,
                    1 + i % 28,
                    1 + i % 12,
                    i % 25,
                    45 + i,
                    1 + i % 997,
                    1 + i % 12
                )
            })
            .collect();
        assert!(!text.contains('\n'));
        let scanned = scan(&text);
        let kinds = |kind: CitationKind| scanned.citations.iter().filter(|c| c.kind == kind).count();
        assert_eq!((kinds(CitationKind::Full), kinds(CitationKind::Short), kinds(CitationKind::Meeting)), (2 * n, n, n));
        assert_eq!(scanned.dates.len(), n);
        let party: Vec<&Citation> = scanned.citations.iter().filter(|c| c.doc_type == Some("Nghị quyết") && c.symbol.is_some()).collect();
        assert_eq!(party.len(), n);
        assert!(party.iter().all(|c| c.date.is_some() && c.issuer.as_ref().is_some_and(|(t, _)| t == "Bộ Chính trị")));
        let resolved = resolve(&scanned.citations, &Catalogue::default());
        // Each "NQ k" shortens the "Nghị quyết số k-NQ/TW" of its own paragraph, the last before it.
        for (i, c) in scanned.citations.iter().enumerate().filter(|(_, c)| c.kind == CitationKind::Short) {
            let full = resolved[i].full.map(|f| &scanned.citations[f]);
            assert_eq!(full.and_then(|f| f.symbol.as_ref()).map(|s| s.number), c.number.map(|n| n.0));
            assert!(full.is_some_and(|f| f.range.end < c.range.start && c.range.start - f.range.end < 200));
        }
    }

    #[test]
    fn many_full_citations_of_one_number_and_other_types() {
        // Short mentions of a number whose full citations are all of another type: linked to none,
        // without reading them all for each mention.
        let n = 5_000;
        let text = "Quyết định số 12/QĐ-UBND ngày 5/3/2020 và Nghị quyết số 12. ".repeat(n);
        let scanned = scan(&text);
        let resolved = resolve(&scanned.citations, &Catalogue::default());
        assert_eq!(scanned.citations.len(), 2 * n);
        assert!(resolved.iter().zip(&scanned.citations).filter(|(_, c)| c.kind == CitationKind::Short).all(|(r, _)| r.full.is_none()));
    }
}
