//! Reading percentages and ratios as printed: how precise a stated number is, the hedges around
//! it ("trên", "gần", "khoảng"), and the words that tie a percentage to the numbers it is a ratio
//! of. Used by `ratio-mismatch`; works on a block's [`Quantity`] list and its text.
//!
//! Every stated number becomes an interval: an exact count is a point; a number printed with
//! decimals or a multiplier ("48,2", "1.763 tỷ") is any value that rounds to it; a hedged number
//! ("trên 46,8 ha", "gần 13.000") is the interval the hedge allows. A ratio computed from such
//! intervals is an interval too, and a stated percentage agrees with it when the interval meets
//! what the percentage's own precision (rounding or truncation) and hedge accept.

use crate::extract::Quantity;
use crate::number::parse_digits;
use rust_decimal::Decimal;

/// A hedge on a stated number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hedge {
    Exact,
    /// "trên", "hơn", "vượt": at least this much.
    Above,
    /// "gần", "dưới": at most this much.
    Below,
    /// "khoảng", "xấp xỉ", "ước", "chừng": roughly.
    About,
}

impl Hedge {
    /// The hedge named by one word, if it is one.
    pub fn of_word(word: &str) -> Option<Hedge> {
        Some(match word {
            "trên" | "hơn" | "vượt" => Hedge::Above,
            "gần" | "dưới" => Hedge::Below,
            "khoảng" | "xấp" | "xỉ" | "ước" | "chừng" | "độ" => Hedge::About,
            _ => return None,
        })
    }

    /// The hedge among the last few words before a number ("ước đạt trên 32 nghìn tấn").
    pub fn before(words: &[String]) -> Hedge {
        // The hedge closest to the number wins ("ước đạt trên" is "trên"); only verbs such as
        // "đạt" may stand between ("trên địa bàn 50 hộ" is not "trên 50").
        for word in words.iter().rev().take(4) {
            if let Some(h) = Hedge::of_word(word) {
                return h;
            }
            if !["đạt", "được", "có", "là", "còn", "tính"].contains(&word.as_str()) {
                break;
            }
        }
        Hedge::Exact
    }
}

/// A closed interval of values a stated number may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub lo: Decimal,
    pub hi: Decimal,
}

impl Bounds {
    pub fn point(v: Decimal) -> Bounds {
        Bounds { lo: v, hi: v }
    }

    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }

    pub fn meets(&self, other: &Bounds) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// `self / other * 100`, or `None` when the base may be zero.
    pub fn percent_of(&self, other: &Bounds) -> Option<Bounds> {
        if other.lo <= Decimal::ZERO || self.lo < Decimal::ZERO {
            return None;
        }
        let hundred = Decimal::from(100);
        Some(Bounds { lo: self.lo.checked_mul(hundred)?.checked_div(other.hi)?, hi: self.hi.checked_mul(hundred)?.checked_div(other.lo)? })
    }

    /// `self / other`, or `None` when the base may be zero.
    pub fn ratio_to(&self, other: &Bounds) -> Option<Bounds> {
        if other.lo <= Decimal::ZERO || self.lo < Decimal::ZERO {
            return None;
        }
        Some(Bounds { lo: self.lo.checked_div(other.hi)?, hi: self.hi.checked_div(other.lo)? })
    }

    pub fn plus(&self, other: &Bounds) -> Bounds {
        Bounds { lo: self.lo + other.lo, hi: self.hi + other.hi }
    }

    pub fn minus(&self, other: &Bounds) -> Bounds {
        Bounds { lo: self.lo - other.hi, hi: self.hi - other.lo }
    }

    /// The middle of the interval: the value a message shows.
    pub fn mid(&self) -> Decimal {
        (self.lo + self.hi) / Decimal::TWO
    }
}

/// How much one step of the last printed digit is worth: `0,1` for "48,2", a billion for
/// "1.763 tỷ", 1 for an exact count.
fn last_digit_step(q: &Quantity) -> Decimal {
    let step = Decimal::new(1, q.decimals);
    let printed = q.written.split_whitespace().next().and_then(parse_digits).map(|p| p.value);
    match printed {
        Some(p) if !p.is_zero() && q.multiplier.is_some() => step * (q.value / p),
        _ => step,
    }
}

/// Multiplies by a small factor written as hundredths (`frac(110)` = 1,1).
fn frac(v: Decimal, hundredths: i64) -> Decimal {
    v * Decimal::new(hundredths, 2)
}

/// The values a stated count or amount stands for, from its precision and the hedge before it.
pub fn bounds_of(q: &Quantity) -> Bounds {
    let v = q.value;
    let step = last_digit_step(q);
    let rounded = q.decimals > 0 || q.multiplier.is_some();
    let half = if rounded { step / Decimal::TWO } else { Decimal::ZERO };
    match Hedge::before(&q.pre) {
        Hedge::Exact => Bounds { lo: v - half, hi: v + half },
        Hedge::Above => Bounds { lo: v, hi: frac(v, 110) + step },
        Hedge::Below => Bounds { lo: frac(v, 90) - step, hi: v },
        Hedge::About => Bounds { lo: frac(v, 90), hi: frac(v, 110) },
    }
}

/// The computed values a stated percentage (or multiple) accepts: rounding or truncation of its
/// printed precision, widened by its hedge.
pub fn accepted(stated: Decimal, decimals: u32, hedge: Hedge) -> Bounds {
    let step = Decimal::new(1, decimals);
    let half = step / Decimal::TWO;
    match hedge {
        Hedge::Exact => Bounds { lo: stated - half, hi: stated + step },
        Hedge::Above => Bounds { lo: stated - half, hi: frac(stated, 115) + step },
        Hedge::Below => Bounds { lo: frac(stated, 85) - step, hi: stated + half },
        Hedge::About => Bounds { lo: frac(stated, 95) - step, hi: frac(stated, 105) + step },
    }
}

/// The lowercase words of `text` (letters only), or `None` when it holds a digit, a sentence end
/// or is too long to be the few words between two numbers of one statement.
pub fn words_between(text: &str) -> Option<Vec<String>> {
    if text.len() > 160 || text.contains(|c: char| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | '\n' | ';')) {
        return None;
    }
    Some(text.split(|c: char| !crate::lexer::is_word_char(c)).filter(|w| !w.is_empty()).map(str::to_lowercase).collect())
}

/// What ties a percentage to the number before it, read from the words between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "chiếm", "chiếm tỷ lệ", "tỷ lệ", "tương đương", "tương ứng", or a bare "(p%)".
    Share,
    /// "đạt", "đạt tỷ lệ", "bằng": a share of a stated base, or completion of a plan.
    Reach,
    /// "tăng", "giảm", "tương ứng tỷ lệ giảm": a rate of change.
    Change { up: bool },
}

/// Reads the cue and the hedge in the words between a number and the percentage after it.
/// `paren` says a parenthesis opens between them.
pub fn cue_of(between: &[String], paren: bool) -> Option<(Cue, Hedge)> {
    let mut hedge = Hedge::Exact;
    let mut core: Vec<&str> = Vec::new();
    for word in between {
        if let Some(h) = Hedge::of_word(word) {
            hedge = h;
            continue;
        }
        if ["và", "với", "là", "thì", "đều", "hay", "tức", "mức", "ở"].contains(&word.as_str()) {
            continue;
        }
        core.push(word.as_str());
    }
    let core: Vec<&str> = core.into_iter().map(|w| if w == "tỉ" { "tỷ" } else { w }).collect();
    let cue = match core.as_slice() {
        [] if paren => Cue::Share,
        ["chiếm"] | ["chiếm", "tỷ", "lệ"] | ["tỷ", "lệ"] | ["tương", "đương"] | ["tương", "ứng"] | ["tương", "ứng", "tỷ", "lệ"] => {
            Cue::Share
        }
        ["đạt"] | ["đạt", "tỷ", "lệ"] | ["tỷ", "lệ", "đạt"] | ["bằng"] => Cue::Reach,
        ["tăng"] | ["tương", "ứng", "tăng"] | ["tương", "ứng", "tỷ", "lệ", "tăng"] | ["tỷ", "lệ", "tăng"] => {
            Cue::Change { up: true }
        }
        ["giảm"] | ["tương", "ứng", "giảm"] | ["tương", "ứng", "tỷ", "lệ", "giảm"] | ["tỷ", "lệ", "giảm"] => {
            Cue::Change { up: false }
        }
        _ => return None,
    };
    Some((cue, hedge))
}

/// The first noun a percentage's trailing words name as its base ("chiếm 48% số đảng viên mới"
/// → "đảng"), skipping "số", "tổng", "trong", "của"; `None` when nothing follows.
pub fn named_base(qualifier: &[String]) -> Option<&str> {
    qualifier.iter().map(String::as_str).find(|w| !["số", "tổng", "trong", "của", "trên", "so", "với", "tỷ", "tỉ", "lệ"].contains(w))
}

/// Trailing words that make a percentage a comparison with a plan or another period.
pub fn names_plan_or_period(qualifier: &[String]) -> bool {
    qualifier.first().is_some_and(|w| {
        ["kế", "kh", "dự", "mục", "chỉ", "nghị", "nq", "so", "cùng", "năm", "nhiệm", "tháng", "quý", "bình", "mỗi"].contains(&w.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn rounding_and_truncation_are_both_accepted() {
        let a = accepted(d("23.25"), 2, Hedge::Exact);
        // 10/43 = 23,2558…: truncated to 23,25.
        assert!(a.meets(&Bounds::point(d("23.2558"))));
        assert!(a.meets(&Bounds::point(d("23.245"))));
        assert!(!a.meets(&Bounds::point(d("23.27"))));
    }

    #[test]
    fn hedges_widen_the_accepted_values() {
        assert!(accepted(d("28"), 0, Hedge::Above).meets(&Bounds::point(d("28.31"))));
        assert!(!accepted(d("28"), 0, Hedge::Above).meets(&Bounds::point(d("26.0"))));
        assert!(accepted(d("40"), 0, Hedge::Below).meets(&Bounds::point(d("38.9"))));
        assert!(!accepted(d("40"), 0, Hedge::Below).meets(&Bounds::point(d("42"))));
    }

    #[test]
    fn cues_are_read_from_the_words_between() {
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(cue_of(&w("chiếm tỉ lệ trên"), false), Some((Cue::Share, Hedge::Above)));
        assert_eq!(cue_of(&w("tương ứng tỷ lệ giảm"), false), Some((Cue::Change { up: false }, Hedge::Exact)));
        assert_eq!(cue_of(&[], true), Some((Cue::Share, Hedge::Exact)));
        assert_eq!(cue_of(&[], false), None);
        assert_eq!(cue_of(&w("có từ trên"), false), None);
    }

    #[test]
    fn words_between_stop_at_numbers_and_sentence_ends() {
        assert_eq!(words_between(" thôn, (chiếm "), Some(vec!["thôn".to_string(), "chiếm".to_string()]));
        assert_eq!(words_between(" thôn. Có "), None);
        assert_eq!(words_between(" 12 thôn "), None);
    }
}
