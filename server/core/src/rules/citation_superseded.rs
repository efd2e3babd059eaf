//! Rule: citation-superseded
//!
//! A cited document that the catalogue records as replaced ("Quy định số 47-QĐ/TW" → replaced
//! by 37-QĐ/TW). Only full citations that resolve to exactly one catalogued document fire, and
//! not when the sentence already speaks of the replacement ("thay thế", "hết hiệu lực") or
//! cites the replacing document. Severity information: citing a replaced document is often a
//! look back ("sau 10 năm thực hiện …"), not an error.

use crate::catalogue::{dates_newest_first, latest_outside, sentence_around, Catalogue, Clues};
use crate::citations::{Citation, CitationKind, Resolution};
use crate::config::Locale;
use crate::rules::citation_conflict::provenance;
use crate::rules::RuleCode;
use crate::{Finding, Severity};

pub fn check(
    text: &str,
    citations: &[Citation],
    resolutions: &[Resolution],
    catalogue: &Catalogue,
    locale: Locale,
    out: &mut Vec<Finding>,
) {
    // The text's dates, found once and only when a citation needs them.
    let mut dates: Option<Vec<(crate::TextRange, crate::citations::date::Date)>> = None;
    for (i, c) in citations.iter().enumerate() {
        if c.kind != CitationKind::Full {
            continue;
        }
        let Some(r) = resolutions.get(i) else { continue };
        // One catalogued document, or the one candidate of a reused number that the issuer,
        // dates and subject words of the text leave; still several: say nothing.
        let n = match (r.entry, r.candidates.len()) {
            (Some(n), _) => n,
            (None, 2..) => match catalogue
                .narrow(&r.candidates, &Clues::with_dates(text, c, dates.get_or_insert_with(|| dates_newest_first(text))))
                .as_slice()
            {
                [one] => *one,
                _ => continue,
            },
            _ => continue,
        };
        let Some(entry) = catalogue.entries.get(n) else { continue };
        let Some(replacement) = entry.replaced_by.first() else { continue };
        let sentence = sentence_around(text, c.range).to_lowercase();
        if ["thay thế", "hết hiệu lực", "bãi bỏ", "trước đây"].iter().any(|w| sentence.contains(w)) {
            continue;
        }
        let replacing = crate::citations::symbol::parse_symbol(&replacement.number_symbol).map(|r| r.key);
        let replacing_cited = replacing.is_some_and(|key| citations.iter().any(|o| o.symbol.as_ref().is_some_and(|s| s.key == key)));
        if replacing_cited {
            continue;
        }
        // A text that mentions no day on or after the replacement took effect (or, when the
        // catalogue does not say, was issued), outside this citation, was written before it:
        // citing the document then in force is right.
        let in_force = replacement.in_force_date().or_else(|| catalogue.related(replacement).and_then(|e| e.in_force));
        if let Some(replaced_on) = in_force.or_else(|| replacement.date()) {
            let dates = dates.get_or_insert_with(|| dates_newest_first(text));
            if latest_outside(dates, c.date.as_ref().map(|d| d.range)).is_some_and(|d| d.days() < replaced_on.days()) {
                continue;
            }
        }
        let others: Vec<String> = entry.replaced_by.iter().map(|r| r.describe()).collect();
        // The relation's own source when it has one, else the entry's.
        let source = match &replacement.source {
            // The site's name only, as for the entry's own source: the address is in the hover.
            Some(url) => {
                let site = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or(url).trim_start_matches("www.");
                locale.pick(format!("nguồn: {site}"), format!("source: {site}"))
            }
            None => provenance(entry, locale),
        };
        let message = locale.pick(
            format!("{} đã được thay thế bởi {}; {source}", entry.number_symbol, others.join(", ")),
            format!("{} has been replaced by {}; {source}", entry.number_symbol, others.join(", ")),
        );
        // Citing a replaced document is often history ("sau 10 năm thực hiện …"): inform.
        out.push(
            Finding::new(RuleCode::CitationSuperseded, c.symbol.as_ref().map_or(c.range, |s| s.range), message)
                .with_severity(Severity::Information),
        );
    }
}

/// The rule: citations of replaced documents, read from the document's citation index (no scan of its own).
pub struct CitationSuperseded;

index_rule!(CitationSuperseded, |doc, out| check(doc.text, &doc.citations.citations, &doc.citations.resolutions, doc.catalogue, doc.locale, out));
