//! Rule: date-invalid
//!
//! A date that cannot exist: "ngày 29/02/2023" (2023 is not a leap year), "ngày 31/4/2024"
//! (April has 30 days), month 13, a year that is not four digits ("ngày 27/9/20119").
//! Only dates written after "ngày" are read, so ratios such as "11/40" never fire.

use crate::citations::date::{Date, DateMention, DateProblem};
use crate::config::Locale;
use crate::rules::RuleCode;
use crate::Finding;

pub fn check(dates: &[DateMention], locale: Locale, out: &mut Vec<Finding>) {
    for d in dates {
        let Some(problem) = d.date.problem() else { continue };
        let Date { month, day, .. } = d.date;
        let year = if problem == DateProblem::Year { d.date.year } else { d.date.full_year() };
        let message = match problem {
            DateProblem::Year => locale.pick(
                format!("năm {year} không phải năm có bốn chữ số: ngày này không tồn tại"),
                format!("the year {year} does not have four digits: this date does not exist"),
            ),
            DateProblem::Month => locale.pick(
                format!("không có tháng {month}: một năm chỉ có 12 tháng"),
                format!("there is no month {month}: a year has 12 months"),
            ),
            DateProblem::Day if month == 2 && day == 29 => locale.pick(
                format!("ngày 29/02/{year} không tồn tại: năm {year} không phải năm nhuận"),
                format!("29/02/{year} does not exist: {year} is not a leap year"),
            ),
            DateProblem::Day => {
                let days = Date::days_in_month(year, month);
                locale.pick(
                    format!("ngày {day} tháng {month} năm {year} không tồn tại: tháng {month} chỉ có {days} ngày"),
                    format!("day {day} of month {month} of {year} does not exist: month {month} has {days} days"),
                )
            }
        };
        out.push(Finding::new(RuleCode::DateInvalid, d.range, message));
    }
}

/// The rule: dates that do not exist, read from the document's citation index (no scan of its own).
pub struct DateInvalid;

index_rule!(DateInvalid, |doc, out| check(&doc.citations.dates, doc.locale, out));
