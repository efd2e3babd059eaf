//! Vietnamese numbers: digits with `.` thousands and `,` decimals, and number words.
//!
//! Values are exact decimals ([`Decimal`]), never floats. The documented rule for the
//! ambiguous `1.250`: a dot followed by exactly three digits is a thousands separator
//! (Luật Kế toán, Điều 12), so `1.250` is 1250; `1.1` or `4.0` are not numbers at all
//! (section numbers, version names).

use rust_decimal::Decimal;

/// A parsed digit number: its value and how many decimals were printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    pub value: Decimal,
    pub decimals: u32,
}

/// Parses `1.600`, `2.664,5`, `5,67`, `28`. Returns `None` for anything that is not a
/// well-formed Vietnamese number (`1.1`, `1,2,3`, `1.60`).
pub fn parse_digits(lexeme: &str) -> Option<Parsed> {
    if lexeme.is_empty() || lexeme.contains(['/', '-']) {
        return None;
    }
    let (int_part, frac_part) = match lexeme.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (lexeme, None),
    };
    let groups: Vec<&str> = int_part.split('.').collect();
    if groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    let mut digits: String = groups.concat();
    let mut decimals = 0;
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        decimals = frac.len() as u32;
        digits.push_str(frac);
    }
    // At most 20 digits: sums of many such values stay far below the decimal type's limit.
    if digits.len() > 20 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let value = Decimal::try_from_i128_with_scale(mantissa, decimals).ok()?;
    Some(Parsed { value, decimals })
}

/// The value of a single number word that can start a number.
fn digit_word(word: &str) -> Option<u32> {
    Some(match word {
        "một" => 1,
        "hai" => 2,
        "ba" => 3,
        "bốn" => 4,
        "năm" => 5,
        "sáu" => 6,
        "bảy" | "bẩy" => 7,
        "tám" => 8,
        "chín" => 9,
        _ => return None,
    })
}

/// A unit digit after `mươi`/`mười`, where `mốt`, `tư` and `lăm` replace `một`, `bốn`, `năm`.
fn unit_after_tens(word: &str, after_muoi: bool) -> Option<u32> {
    match word {
        "mốt" if after_muoi => Some(1),
        "tư" if after_muoi => Some(4),
        "lăm" => Some(5),
        "một" if !after_muoi => Some(1),
        _ => digit_word(word),
    }
}

/// Parses a number written in words at the start of `words` (lowercase NFC):
/// "hai mươi tám" → 28, "một trăm linh năm" → 105, "mười lăm nghìn" → 15000.
/// Returns the value and how many words it used; `None` if `words` does not start with one.
pub fn parse_words(words: &[&str]) -> Option<(u64, usize)> {
    let (below_thousand, mut used) = parse_below_thousand(words)?;
    let mut total: u64 = 0;
    let mut group = below_thousand;
    loop {
        let scale = match words.get(used) {
            Some(&("nghìn" | "ngàn")) => 1_000,
            Some(&"triệu") => 1_000_000,
            Some(&"tỷ" | &"tỉ") => 1_000_000_000,
            _ => break,
        };
        // A scale word ends a group; another group may follow ("hai nghìn ba trăm").
        total = total.checked_add(group.checked_mul(scale)?)?;
        used += 1;
        match parse_below_thousand(&words[used..]) {
            Some((next, n)) => {
                group = next;
                used += n;
            }
            None => {
                group = 0;
                break;
            }
        }
    }
    Some((total.checked_add(group)?, used))
}

fn parse_below_thousand(words: &[&str]) -> Option<(u64, usize)> {
    let mut used = 0;
    let mut value: u64 = 0;
    let first = *words.first()?;
    // Hundreds: "<digit> trăm".
    if let (Some(d), Some(&"trăm")) = (digit_word(first), words.get(1)) {
        value = u64::from(d) * 100;
        used = 2;
        match words.get(used) {
            Some(&("linh" | "lẻ")) => {
                if let Some(d) = words.get(used + 1).and_then(|w| digit_word(w)) {
                    return Some((value + u64::from(d), used + 2));
                }
                return Some((value, used));
            }
            Some(_) => {}
            None => return Some((value, used)),
        }
    }
    let rest = &words[used..];
    match rest {
        ["mười", tail @ ..] => {
            value += 10;
            used += 1;
            if let Some(d) = tail.first().and_then(|w| unit_after_tens(w, false)) {
                value += u64::from(d);
                used += 1;
            }
        }
        [tens, "mươi", tail @ ..] if digit_word(tens).is_some_and(|d| d >= 2) => {
            value += u64::from(digit_word(tens).unwrap_or(0)) * 10;
            used += 2;
            if let Some(d) = tail.first().and_then(|w| unit_after_tens(w, true)) {
                value += u64::from(d);
                used += 1;
            }
        }
        [unit, ..] if used == 0 => {
            value = u64::from(digit_word(unit)?);
            used = 1;
        }
        _ => {}
    }
    if used == 0 {
        None
    } else {
        Some((value, used))
    }
}

/// Formats a decimal the Vietnamese way: `1.250`, `2.664,5`, `72,0` (with `decimals` places).
pub fn format_vi(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut frac = frac_part;
    while (frac.len() as u32) < decimals {
        frac.push('0');
    }
    frac.truncate(decimals as usize);
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if decimals > 0 {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn digit_numbers_follow_the_vietnamese_convention() {
        let table: &[(&str, Option<(&str, u32)>)] = &[
            ("28", Some(("28", 0))),
            ("1.600", Some(("1600", 0))),
            ("15.000", Some(("15000", 0))),
            ("1.250.000", Some(("1250000", 0))),
            ("5,67", Some(("5.67", 2))),
            ("2.664,5", Some(("2664.5", 1))),
            ("72,0", Some(("72.0", 1))),
            ("1.1", None),
            ("4.0", None),
            ("1.60", None),
            ("1234.567", None),
            ("1,2,3", None),
            ("10/02/2022", None),
            ("2020-2025", None),
        ];
        for (input, expected) in table {
            let got = parse_digits(input).map(|p| (p.value, p.decimals));
            let want = expected.map(|(v, d)| (dec(v), d));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn number_words_compose() {
        let table: &[(&str, Option<(u64, usize)>)] = &[
            ("hai mươi tám chỉ tiêu", Some((28, 3))),
            ("một trăm linh năm", Some((105, 4))),
            ("một trăm lẻ năm", Some((105, 4))),
            ("mười lăm", Some((15, 2))),
            ("mười một", Some((11, 2))),
            ("hai mươi mốt", Some((21, 3))),
            ("ba mươi tư", Some((34, 3))),
            ("năm mươi lăm", Some((55, 3))),
            ("bốn nhiệm vụ", Some((4, 1))),
            ("năm nội dung", Some((5, 1))),
            ("hai năm", Some((2, 1))),
            ("ba trăm hai mươi", Some((320, 4))),
            ("hai nghìn ba trăm", Some((2300, 4))),
            ("mười lăm nghìn", Some((15000, 3))),
            ("một triệu hai trăm nghìn", Some((1_200_000, 5))),
            ("chỉ tiêu", None),
            ("tư", None),
            ("lăm", None),
        ];
        for (input, expected) in table {
            let words: Vec<&str> = input.split(' ').collect();
            assert_eq!(parse_words(&words), *expected, "{input}");
        }
    }

    #[test]
    fn formats_with_dots_and_commas() {
        assert_eq!(format_vi(dec("1250"), 0), "1.250");
        assert_eq!(format_vi(dec("72"), 1), "72,0");
        assert_eq!(format_vi(dec("2664.5"), 1), "2.664,5");
        assert_eq!(format_vi(dec("0.5"), 0), "1");
        assert_eq!(format_vi(dec("123456789"), 0), "123.456.789");
        assert_eq!(format_vi(dec("-25"), 0), "-25");
    }
}
