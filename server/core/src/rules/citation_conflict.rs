//! Rule: citation-conflict
//!
//! A citation that contradicts itself, another citation of the same document, or the catalogue:
//! - the same number-symbol cited with two dates (close enough to be one document: Party numbers
//!   restart each term, so "18-NQ/TW" of 2017 and of 2022 are two documents) or two issuers;
//! - a date or issuing body other than the catalogue's (the message names the catalogue's value
//!   and its source, and the quick fix writes it);
//! - a state number whose year group contradicts its date ("12/2019/NĐ-CP ngày 05/3/2018");
//! - a Party symbol in the state pattern or with a non-standard issuer ("22/CT-TW",
//!   "03-CT/T.Ư", "11- NQ/TW"): a hint with the standard form (vn-standards.md §1.3).
//!
//! Issuers are compared only when both name a central body (Bộ Chính trị, Ban Bí thư, Ban Chấp
//! hành Trung ương, Chính phủ, Thủ tướng); local bodies are written in too many ways.

use crate::catalogue::{Catalogue, Entry, Origin};
use crate::citations::date::DateStyle;
use crate::citations::symbol::System;
use crate::citations::{same_document_window, Body, Citation, CitationKind, Resolution};
use crate::config::Locale;
use crate::rules::RuleCode;
use crate::{Edit, Finding, Fix, Related, Severity};

/// Where an entry's facts come from, for messages.
pub fn provenance(entry: &Entry, locale: Locale) -> String {
    match &entry.origin {
        Origin::Bundled => match entry.sources.first() {
            // The site's name only: the full address is in the hover, a diagnostic stays short.
            Some(url) => {
                let site = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or(url).trim_start_matches("www.");
                locale.pick(format!("nguồn: {site} (danh mục kèm theo)"), format!("source: {site} (bundled catalogue)"))
            }
            None => locale.pick("nguồn: danh mục kèm theo".to_string(), "source: bundled catalogue".to_string()),
        },
        Origin::Workspace { path, line } | Origin::Cited { path, line } => {
            locale.pick(format!("nguồn: {path} dòng {line}"), format!("source: {path} line {line}"))
        }
    }
}

fn finding(range: crate::TextRange, severity: Severity, message: String, related: Vec<Related>, fixes: Vec<Fix>) -> Finding {
    Finding::new(RuleCode::CitationConflict, range, message).with_severity(severity).with_related(related).with_fixes(fixes)
}

pub fn check(citations: &[Citation], resolutions: &[Resolution], catalogue: &Catalogue, locale: Locale, out: &mut Vec<Finding>) {
    check_with(citations, resolutions, catalogue, locale, out, false);
}

/// [`check`]; with `every_earlier`, each citation goes through all the earlier citations of its
/// symbol instead of only those that can matter (the tests compare the two).
fn check_with(
    citations: &[Citation],
    resolutions: &[Resolution],
    catalogue: &Catalogue,
    locale: Locale,
    out: &mut Vec<Finding>,
    every_earlier: bool,
) {
    // Issuers repeat across a report ("của Bộ Chính trị"): classify each distinct text once.
    let mut known: rustc_hash::FxHashMap<&str, Option<Body>> = rustc_hash::FxHashMap::default();
    let bodies: Vec<Option<Body>> =
        citations.iter().map(|c| c.issuer.as_ref().and_then(|(t, _)| *known.entry(t.as_str()).or_insert_with(|| Body::of(t)))).collect();
    // The only full citations of a symbol a later one is compared with (see below): the first
    // with a valid date, and the first two with a known body.
    let mut earlier_of_key: rustc_hash::FxHashMap<&crate::citations::symbol::SymbolKey, Earlier> = Default::default();
    for (i, c) in citations.iter().enumerate() {
        if let (CitationKind::Full, Some(s)) = (c.kind, &c.symbol) {
            let e = earlier_of_key.entry(&s.key).or_default();
            if e.dated.is_none() && c.date.as_ref().is_some_and(|d| d.date.problem().is_none()) {
                e.dated = Some(i);
            }
            if bodies[i].is_some() {
                match e.bodied {
                    [None, _] => e.bodied[0] = Some(i),
                    [Some(_), None] => e.bodied[1] = Some(i),
                    _ => {}
                }
            }
        }
    }
    let mut every_of_key: rustc_hash::FxHashMap<&crate::citations::symbol::SymbolKey, Vec<usize>> = Default::default();
    if every_earlier {
        for (i, c) in citations.iter().enumerate() {
            if let (CitationKind::Full, Some(s)) = (c.kind, &c.symbol) {
                every_of_key.entry(&s.key).or_default().push(i);
            }
        }
    }
    for (i, c) in citations.iter().enumerate() {
        let (CitationKind::Full, Some(s)) = (c.kind, &c.symbol) else { continue };
        let standard = s.standard();
        if standard != s.written {
            let why = if s.system == System::Party && s.written.contains('/') && !s.written.contains('-') && !s.written.contains('–') {
                locale.pick("văn bản của Đảng viết số-LOẠI/CƠQUAN", "Party documents are numbered NUMBER-TYPE/ISSUER")
            } else if s.system == System::Party && s.written.find('/') < s.written.find('-') {
                locale.pick("ký hiệu văn bản của Đảng viết theo kiểu văn bản nhà nước", "a Party symbol written in the state pattern")
            } else {
                locale.pick("ký hiệu chưa đúng dạng chuẩn", "the symbol is not in its standard form")
            };
            out.push(finding(
                s.range,
                Severity::Hint,
                locale.pick(format!("{why}: viết “{standard}”"), format!("{why}: write “{standard}”")),
                Vec::new(),
                vec![Fix {
                    title: locale.pick(format!("Sửa thành “{standard}”"), format!("Change to “{standard}”")),
                    edits: vec![Edit { range: s.range, new_text: standard.clone() }],
                    preferred: true,
                    snippet: false,
                }],
            ));
        }
        let Some(written) = &c.date else { continue };
        if written.date.problem().is_some() {
            continue; // date-invalid says it
        }
        if let Some(year) = s.year {
            if year != written.date.year {
                out.push(finding(
                    written.range,
                    Severity::Warning,
                    locale.pick(
                        format!("số {} mang năm {year} nhưng ngày ban hành là {}", s.written, written.date.dmy()),
                        format!("{} carries the year {year} but the date is {}", s.written, written.date.dmy()),
                    ),
                    Vec::new(),
                    Vec::new(),
                ));
                continue;
            }
        }
        let key = s.key();
        // The catalogue: same symbol, another date close enough to be the same document.
        let entries: Vec<&Entry> = catalogue.by_key(&key).collect();
        if !entries.iter().any(|e| e.issue_date == Some(written.date)) {
            let nearest = entries
                .iter()
                .filter_map(|e| e.issue_date.map(|d| (e, d)))
                .filter(|(_, d)| same_document_window(s, *d, written.date))
                .min_by_key(|(_, d)| (d.days() - written.date.days()).abs());
            if let Some((entry, date)) = nearest {
                let right = match written.style {
                    DateStyle::Numeric(sep) => DateStyle::Numeric(sep).render(&date),
                    DateStyle::Words => DateStyle::Words.render(&date),
                };
                out.push(finding(
                    written.range,
                    Severity::Warning,
                    locale.pick(
                        format!(
                            "danh mục ghi {} ngày {} ({}), không phải ngày {}; {}",
                            entry.number_symbol,
                            date.dmy(),
                            entry.issuing_body,
                            written.date.dmy(),
                            provenance(entry, locale)
                        ),
                        format!(
                            "the catalogue has {} dated {} ({}), not {}; {}",
                            entry.number_symbol,
                            date.dmy(),
                            entry.issuing_body,
                            written.date.dmy(),
                            provenance(entry, locale)
                        ),
                    ),
                    Vec::new(),
                    vec![Fix {
                        title: locale.pick(format!("Sửa ngày thành {right}"), format!("Change the date to {right}")),
                        edits: vec![Edit { range: written.range, new_text: right }],
                        preferred: true,
                        snippet: false,
                    }],
                ));
                continue;
            }
        }
        // The catalogue's issuing body.
        if let (Some((issuer, range)), Some(entry)) =
            (&c.issuer, resolutions.get(i).and_then(|r| r.entry).and_then(|n| catalogue.entries.get(n)))
        {
            if let (Some(a), Some(b)) = (Body::of(issuer), Body::of(&entry.issuing_body)) {
                if a != b {
                    out.push(finding(
                        *range,
                        Severity::Warning,
                        locale.pick(
                            format!(
                                "danh mục ghi {} do {} ban hành; {}",
                                entry.number_symbol,
                                entry.issuing_body,
                                provenance(entry, locale)
                            ),
                            format!(
                                "the catalogue has {} issued by {}; {}",
                                entry.number_symbol,
                                entry.issuing_body,
                                provenance(entry, locale)
                            ),
                        ),
                        Vec::new(),
                        vec![Fix {
                            title: locale
                                .pick(format!("Sửa thành “{}”", entry.issuing_body), format!("Change to “{}”", entry.issuing_body)),
                            edits: vec![Edit { range: *range, new_text: entry.issuing_body.clone() }],
                            preferred: false,
                            snippet: false,
                        }],
                    ));
                    continue;
                }
            }
        }
        // Another citation of the same document earlier in this document.
        // Compared with the first earlier dated citation and the first with a known body only:
        // enough to catch a disagreement, and linear in documents that cite one symbol often.
        // Of the earlier citations of the symbol, in order, only those can do anything below:
        // the first with a valid date (the date comparison), and the first with a known body
        // (the issuer comparison) — or the second, when the first is that dated one and its
        // date differs, which skips its issuer. Every other one is passed over, so they are
        // not read at all (reading them all is quadratic in a document citing one symbol
        // thousands of times without a known body).
        let earlier_here = earlier_of_key.get(&key).copied().unwrap_or_default();
        let mut same_symbol: Vec<usize> =
            [earlier_here.dated, earlier_here.bodied[0], earlier_here.bodied[1]].into_iter().flatten().filter(|&j| j < i).collect();
        same_symbol.sort_unstable();
        same_symbol.dedup();
        if every_earlier {
            same_symbol = every_of_key.get(&key).map_or(&[][..], Vec::as_slice).iter().copied().filter(|&j| j < i).collect();
        }
        let (mut date_done, mut issuer_done) = (false, false);
        for &j in &same_symbol {
            if date_done && issuer_done {
                break;
            }
            let earlier = &citations[j];
            let here = resolutions.get(i).and_then(|r| r.entry);
            let there = resolutions.get(j).and_then(|r| r.entry);
            if let Some(ed) = earlier.date.as_ref().filter(|d| d.date.problem().is_none() && !date_done) {
                date_done = true;
                let distinct_known = here.is_some() && there.is_some() && here != there;
                if ed.date != written.date && !distinct_known && same_document_window(s, ed.date, written.date) {
                    out.push(finding(
                        written.range,
                        Severity::Warning,
                        locale.pick(
                            format!("{} đã được trích dẫn với ngày {}, ở đây ngày {}", s.written, ed.date.dmy(), written.date.dmy()),
                            format!("{} was cited earlier dated {}, here {}", s.written, ed.date.dmy(), written.date.dmy()),
                        ),
                        vec![Related {
                            range: ed.range,
                            message: locale.pick("ngày ở lần trích dẫn trước".into(), "the earlier date".into()),
                        }],
                        Vec::new(),
                    ));
                    break;
                }
                if ed.date != written.date {
                    continue;
                }
            }
            if let (Some((a, ar)), Some((b, br)), false) = (&earlier.issuer, &c.issuer, issuer_done) {
                if let (Some(x), Some(y)) = (bodies[j], bodies[i]) {
                    issuer_done = true;
                    if x != y {
                        out.push(finding(
                            *br,
                            Severity::Warning,
                            locale.pick(
                                format!("{} đã được ghi là của {a}, ở đây là của {b}", s.written),
                                format!("{} was attributed to {a} earlier, here to {b}", s.written),
                            ),
                            vec![Related {
                                range: *ar,
                                message: locale.pick("cơ quan ở lần trích dẫn trước".into(), "the earlier issuer".into()),
                            }],
                            Vec::new(),
                        ));
                        break;
                    }
                }
            }
        }
    }
}

/// Indices of the full citations of one symbol that later ones are compared with.
#[derive(Debug, Clone, Copy, Default)]
struct Earlier {
    /// The first with a valid date.
    dated: Option<usize>,
    /// The first two whose issuer names a known body.
    bodied: [Option<usize>; 2],
}

/// The rule: citations that contradict the catalogue or each other, read from the document's citation index (no scan of its own).
pub struct CitationConflict;

index_rule!(CitationConflict, |doc, out| check(&doc.citations.citations, &doc.citations.resolutions, doc.catalogue, doc.locale, out));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citations::CitationIndex;

    /// Documents citing a few symbols many times with dates (valid, another, invalid, none) and
    /// issuers (central bodies, a local one, none) drawn at random: comparing each citation with
    /// only the earlier ones that can matter gives the findings of comparing it with all of them.
    #[test]
    fn the_earlier_citations_compared_are_those_that_can_matter() {
        let symbols = ["12-NQ/TW", "30/QĐ-TTg", "05-CT/TW"];
        let dates = ["", " ngày 10/02/2022", " ngày 11/02/2022", " ngày 31/02/2022", " ngày 10/02/2023"];
        let issuers = ["", " của Bộ Chính trị", " của Ban Bí thư", " của Tỉnh ủy", " của Chính phủ"];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let catalogue = Catalogue::default();
        let mut compared = 0;
        for _ in 0..300 {
            let citations = 1 + next(12);
            let text: String = (0..citations)
                .map(|_| format!("Nghị quyết số {}{}{} được triển khai. ", symbols[next(3)], dates[next(5)], issuers[next(5)]))
                .collect();
            let index = CitationIndex::of_text(&text, &catalogue);
            let (mut only, mut every) = (Vec::new(), Vec::new());
            check_with(&index.citations, &index.resolutions, &catalogue, Locale::Vi, &mut only, false);
            check_with(&index.citations, &index.resolutions, &catalogue, Locale::Vi, &mut every, true);
            assert_eq!(only, every, "{text}");
            compared += every.len();
        }
        assert!(compared > 100, "{compared} findings: the documents should disagree often");
    }

    /// One symbol cited thousands of times without a known body: each citation is compared with
    /// the first dated one only, not with all before it (issue 12).
    #[test]
    fn one_symbol_cited_thousands_of_times() {
        let n = 5_000;
        let text = "Quyết định số 12/QĐ-UBND ngày 5/3/2020 của UBND tỉnh. ".repeat(n) + "Quyết định số 12/QĐ-UBND ngày 6/3/2020.";
        let catalogue = Catalogue::default();
        let index = CitationIndex::of_text(&text, &catalogue);
        let mut out = Vec::new();
        check(&index.citations, &index.resolutions, &catalogue, Locale::Vi, &mut out);
        assert_eq!(index.citations.len(), n + 1);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].message.contains("05/03/2020"), "{}", out[0].message);
    }
}
