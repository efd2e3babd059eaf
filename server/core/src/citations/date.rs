//! Calendar dates as written in reports: "25/10/2021", "10-2-2022", "4.5.2025",
//! "ngày 10 tháng 02 năm 2022", optionally after a weekday ("Thứ Hai, ngày 21/11/2026").
//!
//! A date is recognised only after the word "ngày" (or inside a citation, which the citation
//! recogniser handles): "11/40" or "45.799/36.875" in running text are ratios, not dates.

use crate::TextRange;
use regex::Regex;
use std::sync::OnceLock;

/// A date as written: the numbers need not form a real date (that is what `date-invalid` checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i64, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Parses ISO `yyyy-mm-dd` (the catalogue's format).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let date = Date { year, month, day };
        (parts.next().is_none() && date.problem().is_none()).then_some(date)
    }

    /// The year with a two-digit year read as 20yy.
    pub fn full_year(&self) -> i64 {
        if self.year < 100 {
            2000 + self.year
        } else {
            self.year
        }
    }

    pub fn is_leap(year: i64) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    pub fn days_in_month(year: i64, month: u32) -> u32 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if Date::is_leap(year) => 29,
            2 => 28,
            _ => 0,
        }
    }

    /// Why this date cannot exist, or `None` when it can. A two-digit year ("25/10/21") is read
    /// as 20yy; three or five digits ("5/3/202", "27/9/20119") are typos.
    pub fn problem(&self) -> Option<DateProblem> {
        if (100..1000).contains(&self.year) || self.year > 9999 {
            return Some(DateProblem::Year);
        }
        if !(1..=12).contains(&self.month) {
            return Some(DateProblem::Month);
        }
        if self.day == 0 || self.day > Date::days_in_month(self.full_year(), self.month) {
            return Some(DateProblem::Day);
        }
        None
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(&self) -> i64 {
        let year = self.full_year();
        let y = if self.month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.days() + 3).rem_euclid(7) as u32
    }

    /// dd/mm/yyyy, the form hover shows.
    pub fn dmy(&self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Day,
    Month,
    Year,
}

/// How the date was written, so a fix can keep the writer's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// "25/10/2021", "10-2-2022", "4.5.2025": the separator.
    Numeric(char),
    /// "ngày 10 tháng 02 năm 2022".
    Words,
}

impl DateStyle {
    /// Writes `date` in this style (day always two digits, month padded for 01 and 02 only,
    /// the convention of central Party texts).
    pub fn render(self, date: &Date) -> String {
        let month = if date.month <= 2 { format!("{:02}", date.month) } else { date.month.to_string() };
        match self {
            DateStyle::Numeric(sep) => format!("{:02}{sep}{month}{sep}{}", date.day, date.year),
            DateStyle::Words => format!("{:02} tháng {month} năm {}", date.day, date.year),
        }
    }
}

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub date: Date,
    /// The numbers only ("25/10/2021", "10 tháng 02 năm 2022"), without "ngày".
    pub range: TextRange,
    pub style: DateStyle,
    /// "Thứ Hai" before it: (range of the weekday words, 0 = Monday … 6 = Sunday).
    pub weekday: Option<(TextRange, u32)>,
}

impl DateMention {
    /// Replaces the mention's ranges `r` (the date's, its weekday's) by `f(r)`.
    pub fn map_ranges(&mut self, f: &impl Fn(TextRange) -> TextRange) {
        self.range = f(self.range);
        if let Some((r, _)) = &mut self.weekday {
            *r = f(*r);
        }
    }
}

fn numeric_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{1,6})").unwrap_or_else(|e| panic!("date regex: {e}")))
}

fn words_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{1,6})").unwrap_or_else(|e| panic!("date regex: {e}")))
}

fn ngay_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\bngày\s+").unwrap_or_else(|e| panic!("date regex: {e}")))
}

fn weekday_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(thứ\s+(hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật)\s*,?\s*$").unwrap_or_else(|e| panic!("date regex: {e}"))
    })
}

/// How many non-blank characters before "ngày" a weekday is looked for in (see [`find_dates`]).
const WEEKDAY_WINDOW: usize = 64;

/// The weekday named by "Hai", "ba", "7", "Chủ nhật": 0 = Monday … 6 = Sunday.
pub fn weekday_number(words: &str) -> Option<u32> {
    let lower = words.to_lowercase();
    if lower.starts_with("chủ") {
        return Some(6);
    }
    let name = lower.split_whitespace().nth(1)?;
    Some(match name {
        "hai" | "2" => 0,
        "ba" | "3" => 1,
        "tư" | "4" => 2,
        "năm" | "5" => 3,
        "sáu" | "6" => 4,
        "bảy" | "7" => 5,
        _ => return None,
    })
}

/// The Vietnamese weekday name, capitalised as in headers ("Thứ Hai", "Chủ nhật").
pub fn weekday_name(weekday: u32) -> &'static str {
    ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][weekday as usize % 7]
}

/// English weekday name for English messages.
pub fn weekday_name_en(weekday: u32) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday as usize % 7]
}

/// Reads a date that starts exactly at `at` (after "ngày" and its spaces).
pub fn date_at(text: &str, at: usize) -> Option<DateMention> {
    let rest = text.get(at..)?;
    if let Some(c) = numeric_re().captures(rest) {
        let whole = c.get(0)?;
        // "25/10/2021" but not "25/10-2021": one separator, used twice.
        if c.get(2)?.as_str() != c.get(4)?.as_str() {
            return None;
        }
        // A following digit or letter means this is something else ("10.2.2022a", "1.2.30000").
        if rest[whole.end()..].chars().next().is_some_and(|ch| ch.is_alphanumeric()) {
            return None;
        }
        let sep = c.get(2)?.as_str().chars().next()?;
        let date = Date::new(c.get(5)?.as_str().parse().ok()?, c.get(3)?.as_str().parse().ok()?, c.get(1)?.as_str().parse().ok()?);
        let date = Date::new(date.full_year(), date.month, date.day);
        return Some(DateMention { date, range: TextRange::new(at, at + whole.end()), style: DateStyle::Numeric(sep), weekday: None });
    }
    if let Some(c) = words_re().captures(rest) {
        let whole = c.get(0)?;
        if rest[whole.end()..].chars().next().is_some_and(|ch| ch.is_alphanumeric()) {
            return None;
        }
        let date = Date::new(c.get(3)?.as_str().parse().ok()?, c.get(2)?.as_str().parse().ok()?, c.get(1)?.as_str().parse().ok()?);
        let date = Date::new(date.full_year(), date.month, date.day);
        return Some(DateMention { date, range: TextRange::new(at, at + whole.end()), style: DateStyle::Words, weekday: None });
    }
    None
}

/// Whether "thứ hai" after `before` names a weekday: at the start of a line or clause, or after
/// a time word ("vào", "sáng", "chiều"). After "lần", "đợt", "kỳ" it is an ordinal ("Hội nghị lần
/// thứ hai, ngày 15/3/2024") and is not read.
fn weekday_context(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.is_empty() || trimmed.ends_with(['\n', '\r', ',', '.', ';', ':', '(', '-', '–', '*', '_']) {
        return true;
    }
    let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("").to_lowercase();
    ["vào", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "nay", "là", "từ", "đến"].contains(&last.as_str())
}

/// Every date written after "ngày" in `text`, with the weekday in front of it if any.
pub fn find_dates(text: &str) -> Vec<DateMention> {
    let mut out = Vec::new();
    for m in ngay_re().find_iter(text) {
        let Some(mut mention) = date_at(text, m.end()) else { continue };
        let before = &text[..m.start()];
        // A weekday holds at most 8 non-blank characters ("chủ nhật,"): it is looked for in a
        // bounded window, not in the whole text before every date (issue 12).
        let window = super::window_start(before, WEEKDAY_WINDOW);
        if let Some(w) = weekday_re().find(&before[window..]).filter(|w| weekday_context(&before[..window + w.start()])) {
            let words = w.as_str().trim_end_matches([',', ' ']).trim_end();
            if let Some(day) = weekday_number(words) {
                let start = window + w.start();
                mention.weekday = Some((TextRange::new(start, start + words.len()), day));
            }
        }
        out.push(mention);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_follow_the_calendar() {
        assert_eq!(Date::new(2026, 11, 21).weekday(), 5); // Saturday
        assert_eq!(Date::new(2000, 1, 1).weekday(), 5); // Saturday
        assert_eq!(Date::new(2022, 2, 10).weekday(), 3); // Thursday
    }

    #[test]
    fn leap_years_and_month_lengths() {
        assert_eq!(Date::new(2023, 2, 29).problem(), Some(DateProblem::Day));
        assert_eq!(Date::new(2024, 2, 29).problem(), None);
        assert_eq!(Date::new(1900, 2, 29).problem(), Some(DateProblem::Day));
        assert_eq!(Date::new(2000, 2, 29).problem(), None);
        assert_eq!(Date::new(2024, 4, 31).problem(), Some(DateProblem::Day));
        assert_eq!(Date::new(2024, 13, 1).problem(), Some(DateProblem::Month));
        assert_eq!(Date::new(20119, 9, 27).problem(), Some(DateProblem::Year));
        assert_eq!(Date::new(202, 3, 5).problem(), Some(DateProblem::Year));
        assert_eq!(Date::new(21, 10, 25).problem(), None);
        assert_eq!(Date::new(23, 2, 29).problem(), Some(DateProblem::Day));
    }

    #[test]
    fn every_written_form_is_read() {
        let text = "ngày 25/10/2021, ngày 10-2-2022, ngày 4.5.2025 và ngày 10 tháng 02 năm 2022";
        let dates: Vec<Date> = find_dates(text).iter().map(|d| d.date).collect();
        assert_eq!(dates, vec![Date::new(2021, 10, 25), Date::new(2022, 2, 10), Date::new(2025, 5, 4), Date::new(2022, 2, 10)]);
    }

    #[test]
    fn two_digit_years_are_read_as_20yy() {
        let found = find_dates("ngày 25/10/21");
        assert_eq!(found[0].date, Date::new(2021, 10, 25));
    }

    #[test]
    fn ratios_without_ngay_are_not_dates() {
        assert!(find_dates("đạt 11/40 chỉ tiêu, 45.799/36.875 tỷ đồng").is_empty());
    }

    #[test]
    fn ordinals_are_not_weekdays() {
        let found = find_dates("Hội nghị lần thứ hai, ngày 21/11/2026 và đợt thứ ba ngày 22/11/2026");
        assert!(found.iter().all(|d| d.weekday.is_none()));
        let found = find_dates("Hội nghị khai mạc vào thứ sáu ngày 10/02/2022");
        assert_eq!(found[0].weekday.map(|(_, d)| d), Some(4));
    }

    #[test]
    fn weekday_before_a_date_is_kept() {
        let found = find_dates("Thứ Hai, ngày 21/11/2026");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].weekday.map(|(_, d)| d), Some(0));
    }
}
