//! Rule: date-format-mixed
//!
//! One document writing numeric dates with different separators: "ngày 10/02/2022" here,
//! "ngày 10-2-2022" or "ngày 4.5.2025" there. Each form occurs in real Party-related prose and
//! no rule text prescribes one for running text (vn-standards.md §4), so only the mixture is
//! flagged: one finding per date in a minority style — or, when the house style is set
//! (`date-style: slash|hyphen|dot`), per date in another style. The fix rewrites the
//! separators and keeps the digits as written.
//!
//! Deliberately ignored: dates written in words ("ngày 05 tháng 3 năm 2020", the header form),
//! numbers not read as a real date after "ngày", and "achieved/target" pairs ("16/28").

use super::{BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::citations::date::{find_dates, DateStyle};
use crate::config::Config;
use crate::{Edit, Finding, Fix, TextRange};

fn name(sep: char, locale: crate::Locale) -> String {
    match sep {
        '/' => locale.pick("dấu gạch chéo (10/02/2022)", "slashes (10/02/2022)").to_string(),
        '-' => locale.pick("dấu gạch ngang (10-02-2022)", "hyphens (10-02-2022)").to_string(),
        _ => locale.pick("dấu chấm (10.02.2022)", "dots (10.02.2022)").to_string(),
    }
}

/// The valid numeric dates of `text` with their separator (ranges relative to `text`).
/// Depends only on the text, so it is computed once per block and cached.
pub fn scan(text: &str) -> Vec<(TextRange, char)> {
    find_dates(text)
        .into_iter()
        .filter(|d| d.date.problem().is_none())
        .filter_map(|d| match d.style {
            DateStyle::Numeric(sep) => Some((d.range, sep)),
            DateStyle::Words => None,
        })
        .collect()
}

/// The findings from the dates of the whole document (ranges relative to `text`).
pub fn conclude(text: &str, dates: Vec<(TextRange, char)>, config: &Config, out: &mut Vec<Finding>) {
    let locale = config.locale;
    let count = |sep: char| dates.iter().filter(|(_, s)| *s == sep).count();
    let house = match config.date_separator.char() {
        Some(sep) => sep,
        None => {
            let mut styles: Vec<char> = dates.iter().map(|(_, s)| *s).collect();
            styles.dedup();
            styles.sort();
            styles.dedup();
            if styles.len() < 2 {
                return;
            }
            // The most used separator; on a tie, the one used first.
            let first = dates.first().map_or('/', |(_, s)| *s);
            let best = styles.iter().copied().max_by_key(|s| (count(*s), *s == first));
            best.unwrap_or(first)
        }
    };
    let wrong: Vec<&(TextRange, char)> = dates.iter().filter(|(_, s)| *s != house).collect();
    let edits_for =
        |range: TextRange, sep: char| -> Edit { Edit { range, new_text: text[range.as_range()].replace(sep, &house.to_string()) } };
    let all: Vec<Edit> = wrong.iter().map(|(r, s)| edits_for(*r, *s)).collect();
    let why = match config.date_separator.char() {
        Some(_) => locale.pick(
            format!("quy ước của đơn vị là viết ngày với {}", name(house, locale)),
            format!("the house style writes dates with {}", name(house, locale)),
        ),
        None => locale.pick(
            format!("văn bản chủ yếu viết ngày với {}, {} chỗ", name(house, locale), count(house)),
            format!("the document mostly writes dates with {}, {} places", name(house, locale), count(house)),
        ),
    };
    let share_fix_all = wrong.len() <= super::tone_mark_mixed::MAX_SHARED_FIX_ALL;
    for (n, (range, sep)) in wrong.iter().enumerate() {
        let edit = edits_for(*range, *sep);
        let written = &text[range.as_range()];
        let mut fixes = vec![Fix {
            title: locale.pick(format!("Sửa thành {}", edit.new_text), format!("Change to {}", edit.new_text)),
            edits: vec![edit.clone()],
            preferred: true,
            snippet: false,
        }];
        if all.len() > 1 && (share_fix_all || n == 0) {
            fixes.push(Fix {
                title: locale
                    .pick(format!("Sửa cả {} ngày trong văn bản", all.len()), format!("Fix all {} dates in the document", all.len())),
                edits: all.clone(),
                preferred: false,
                snippet: false,
            });
        }
        out.push(Finding::new(
            RuleCode::DateFormatMixed,
            *range,
            locale.pick(format!("Ngày “{written}” viết khác kiểu: {why}"), format!("The date “{written}” is written differently: {why}")),
        )
        .with_fixes(fixes));
    }
}

/// The rule: a scan finds each block's numeric dates; the conclusion finds the house separator
/// (the setting or the document's majority) and flags the others.
pub struct DateFormatMixed;

impl Rule for DateFormatMixed {
    type Scan = Vec<(TextRange, char)>;

    fn new(_: &Setup<'_>) -> DateFormatMixed {
        DateFormatMixed
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Self::Scan {
        scan(block.text)
    }

    fn relevant(&self, _: &BlockCtx<'_>, scan: &Self::Scan) -> bool {
        !scan.is_empty()
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Self::Scan>], out: &mut Vec<Finding>) {
        let dates = scans.iter().flat_map(|p| p.scan.iter().map(|(r, sep)| (r.shift(p.offset), *sep))).collect();
        conclude(doc.text, dates, doc.config, out);
    }
}
