//! Rule: citation-order
//!
//! A document that implements another ("Kế hoạch số 147-KH/TU ngày 14/01/2022 thực hiện Nghị
//! quyết số 11-NQ/TW ngày 10/02/2022") but is dated before it. Both dates must be written (or
//! known from an earlier full citation) and the verb ("thực hiện", "triển khai", "quán triệt",
//! "cụ thể hóa") must join the two citations within one clause.

use crate::citations::{Citation, Resolution};
use crate::config::Locale;
use crate::rules::RuleCode;
use crate::{Finding, Related};

const VERBS: &[&str] = &["thực hiện", "triển khai", "quán triệt", "cụ thể hóa", "cụ thể hoá", "triển khai thực hiện"];

pub fn check(text: &str, citations: &[Citation], resolutions: &[Resolution], locale: Locale, out: &mut Vec<Finding>) {
    for (i, pair) in citations.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let Some(da) = a.date.as_ref().filter(|d| d.date.problem().is_none()) else { continue };
        let b_date =
            b.date.as_ref().map(|d| d.date).filter(|d| d.problem().is_none()).or_else(|| resolutions.get(i + 1).and_then(|r| r.date));
        let Some(db) = b_date else { continue };
        // Between the end of A's date/body and B: optional "về (việc)", then the verb.
        let from = a.issuer.as_ref().map_or(da.range.end, |(_, r)| r.end.max(da.range.end));
        // Only a short gap can hold "thực hiện" or "triển khai"; checking the length first keeps
        // this pass from lowercasing the whole document on every keystroke.
        if from > b.range.start || b.range.start - from > 64 {
            continue;
        }
        let between = text[from..b.range.start].trim().trim_start_matches(',').trim().to_lowercase();
        let between = between.strip_prefix("về").map_or(between.as_str(), str::trim_start);
        let between = between.strip_prefix("việc").map_or(between, str::trim_start);
        if !VERBS.contains(&between) {
            continue;
        }
        if da.date >= db {
            continue;
        }
        out.push(Finding::new(
            RuleCode::CitationOrder,
            da.range,
            locale.pick(
                format!("{} ngày {} thực hiện {} nhưng ban hành trước văn bản đó (ngày {})", a.label(), da.date.dmy(), b.label(), db.dmy()),
                format!("{} dated {} implements {} but is dated before it ({})", a.label(), da.date.dmy(), b.label(), db.dmy()),
            ),
        )
        .with_related(vec![Related {
            range: b.date.as_ref().map_or(b.range, |d| d.range),
            message: locale.pick("ngày của văn bản được thực hiện".into(), "the implemented document's date".into()),
        }]));
    }
}

/// The rule: citations listed out of the standard order, read from the document's citation index (no scan of its own).
pub struct CitationOrder;

index_rule!(CitationOrder, |doc, out| check(doc.text, &doc.citations.citations, &doc.citations.resolutions, doc.locale, out));
