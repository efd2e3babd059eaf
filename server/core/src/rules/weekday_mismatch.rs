//! Rule: weekday-mismatch
//!
//! A weekday that is not the weekday of the date after it: "Thứ Hai, ngày 21/11/2026" when
//! 21/11/2026 is a Saturday. The quick fix writes the right weekday, keeping the writer's case.

use crate::citations::date::{weekday_name, weekday_name_en, DateMention};
use crate::config::Locale;
use crate::rules::RuleCode;
use crate::{Finding, Fix};

pub fn check(text: &str, dates: &[DateMention], locale: Locale, out: &mut Vec<Finding>) {
    for d in dates {
        let Some((range, written)) = d.weekday else { continue };
        if d.date.problem().is_some() {
            continue; // date-invalid says it
        }
        let actual = d.date.weekday();
        if actual == written {
            continue;
        }
        let as_written = &text[range.as_range()];
        let mut right = weekday_name(actual).to_string();
        if as_written.starts_with(|c: char| c.is_lowercase()) {
            right = right.to_lowercase();
        } else if as_written.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
            right = right.to_uppercase();
        }
        let date = d.date.dmy();
        let message = locale.pick(
            format!("ngày {date} là {}, không phải {}", weekday_name(actual), weekday_name(written)),
            format!("{date} is a {}, not a {}", weekday_name_en(actual), weekday_name_en(written)),
        );
        out.push(Finding::new(RuleCode::WeekdayMismatch, range, message)
            .with_fix(Fix::replace(locale.pick(format!("Sửa thành “{right}”"), format!("Change to “{right}”")), range, right)));
    }
}

/// The rule: weekdays that do not fall on their date, read from the document's citation index (no scan of its own).
pub struct WeekdayMismatch;

index_rule!(WeekdayMismatch, |doc, out| check(doc.text, &doc.citations.dates, doc.locale, out));
