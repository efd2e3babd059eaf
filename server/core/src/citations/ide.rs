//! Editor queries on citations, as pure functions: hover text, go-to-definition target,
//! references, completion items and the document outline. Byte offsets in, byte ranges and
//! plain data out; the server converts them to LSP types (texlab's `\cite` support is the model).
//!
//! Each query has an `…_in` form that reads a document's [`CitationIndex`] (or its citations)
//! instead of scanning the text: the server passes the index the engine built for the
//! diagnostics of that version, so the editor features never disagree with them and never
//! re-scan the document per request. The forms without `_in` scan the text, for callers without
//! an engine (tests, one-off tools). Every query is linear in the document: line numbers come
//! from one [`LineNumbers`] per call, never from counting line breaks per citation.

use super::date::{Date, DateStyle};
use super::symbol::{explain_issuer, SymbolKey};
use super::{
    resolve, same_document_window, scan_document, type_fits, Body, Citation, CitationIndex, CitationKind, Meeting, Resolution, DOC_TYPES,
};
use crate::catalogue::{Catalogue, Clues, Entry, Origin, RelatedDoc};
use crate::config::Locale;
use crate::text::{lines, TextRange};
use regex::Regex;
use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// Hover content (Markdown) and the range it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// Where a citation is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The full citation in the same document.
    InDocument(TextRange),
    /// An entry of a workspace catalogue file (1-based line).
    CatalogueFile { path: String, line: usize },
}

/// What a citation refers to, for finding its other mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub key: SymbolKey,
    pub date: Option<Date>,
}

fn at_offset(citations: &[Citation], offset: usize) -> Option<usize> {
    citations.iter().position(|c| c.range.start <= offset && offset <= c.range.end)
}

fn line_number(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// 1-based line numbers of byte offsets in one text (lines end at `\n`, as in [`line_number`]),
/// from one pass over the text: each lookup is a binary search, so numbering every citation of
/// a document is O(n + k log n), not O(n·k).
pub struct LineNumbers {
    /// Byte offset just after each `\n`, in order.
    breaks: Vec<usize>,
}

impl LineNumbers {
    pub fn of(text: &str) -> LineNumbers {
        LineNumbers { breaks: memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1).collect() }
    }

    /// The line of byte `at` (the line break itself belongs to the line it ends).
    pub fn line(&self, at: usize) -> usize {
        self.breaks.partition_point(|&b| b <= at) + 1
    }
}

/// "Quy định số 377-QĐ/TW ngày 08/10/2025 của Bộ Chính trị về …": a related document with the
/// facts the relation records, completed from its own catalogue entry.
fn describe_related(doc: &RelatedDoc, catalogue: &Catalogue, locale: Locale) -> String {
    let entry = catalogue.related(doc);
    let mut out = match entry {
        Some(e) => format!("{} số {}", e.doc_type, doc.number_symbol),
        None => doc.number_symbol.clone(),
    };
    if let Some(d) = doc.date().or_else(|| entry.and_then(|e| e.issue_date)) {
        out.push_str(&locale.pick(format!(" ngày {}", d.dmy()), format!(" dated {}", d.dmy())));
    }
    let body = doc.issuing_body.clone().or_else(|| entry.map(|e| e.issuing_body.clone())).filter(|b| !b.is_empty());
    if let Some(body) = body {
        out.push_str(&locale.pick(format!(" của {body}"), format!(", {body}")));
    }
    let title = doc.title.clone().or_else(|| entry.map(|e| e.title.clone())).filter(|t| !t.trim().is_empty());
    if let Some(title) = title {
        let title = title.trim();
        let about = title.to_lowercase().starts_with("về ");
        out.push_str(&match (locale, about) {
            (Locale::En, _) => format!(": {title}"),
            (_, true) => format!(" {title}"),
            (_, false) => format!(" về {title}"),
        });
    }
    out
}

fn relations(entry: &Entry, catalogue: &Catalogue, locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    let list = |docs: &[RelatedDoc]| docs.iter().map(|d| describe_related(d, catalogue, locale)).collect::<Vec<_>>().join("; ");
    if !entry.replaced_by.is_empty() {
        out.push(
            locale.pick(format!("đã được thay thế bởi {}", list(&entry.replaced_by)), format!("replaced by {}", list(&entry.replaced_by))),
        );
    }
    if !entry.amended_by.is_empty() {
        out.push(
            locale
                .pick(format!("được sửa đổi, bổ sung bởi {}", list(&entry.amended_by)), format!("amended by {}", list(&entry.amended_by))),
        );
    }
    if !entry.replaces.is_empty() {
        out.push(locale.pick(format!("thay thế {}", list(&entry.replaces)), format!("replaces {}", list(&entry.replaces))));
    }
    if entry.replaced_by.is_empty() {
        out.push(
            locale.pick("danh mục không ghi nhận văn bản thay thế".to_string(), "no replacement recorded in the catalogue".to_string()),
        );
    }
    out
}

/// How a citation differs from the catalogue entry it names: the catalogue's facts stand, the
/// draft's are quoted as what the draft wrote.
fn differences(c: &Citation, entry: &Entry, locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = &c.symbol {
        if s.written != entry.number_symbol && entry.key_ref() == Some(&s.key) {
            out.push(locale.pick(
                format!("bản thảo viết “{}”, số-ký hiệu chuẩn là “{}”", s.written, entry.number_symbol),
                format!("the draft writes “{}”, the standard number-symbol is “{}”", s.written, entry.number_symbol),
            ));
        }
    }
    if let Some(written) = c.date.as_ref().filter(|d| d.date.problem().is_none()) {
        match entry.issue_date {
            Some(d) if d != written.date => out.push(locale.pick(
                format!("bản thảo ghi ngày {}, danh mục ghi ngày {}", written.date.dmy(), d.dmy()),
                format!("the draft has the date {}, the catalogue {}", written.date.dmy(), d.dmy()),
            )),
            None => out.push(locale.pick(
                format!("danh mục chưa có ngày ban hành; bản thảo ghi ngày {} (chưa đối chiếu)", written.date.dmy()),
                format!("the catalogue has no date; the draft has {} (not checked)", written.date.dmy()),
            )),
            _ => {}
        }
    }
    if let Some((issuer, _)) = &c.issuer {
        if let (Some(a), Some(b)) = (Body::of(issuer), Body::of(&entry.issuing_body)) {
            if a != b {
                out.push(locale.pick(
                    format!("bản thảo ghi cơ quan ban hành “{issuer}”, danh mục ghi “{}”", entry.issuing_body),
                    format!("the draft names the issuer “{issuer}”, the catalogue “{}”", entry.issuing_body),
                ));
            }
        }
    }
    out
}

fn entry_markdown(entry: &Entry, catalogue: &Catalogue, diffs: &[String], locale: Locale) -> String {
    if let Origin::Cited { path, line } = &entry.origin {
        return cited_markdown(
            &format!("{} số {}", entry.doc_type, entry.number_symbol),
            entry.issue_date,
            Some(entry.issuing_body.as_str()).filter(|b| !b.is_empty()),
            locale.pick(format!("{path}, dòng {line}"), format!("{path}, line {line}")),
            locale,
        );
    }
    let mut md = format!("**{} số {}**\n\n", entry.doc_type, entry.number_symbol);
    if !diffs.is_empty() {
        md.push_str(&format!("⚠ **{}**: {}.\n\n", locale.pick("Khác với danh mục", "Differs from the catalogue"), diffs.join("; ")));
    }
    let date =
        entry.issue_date.map_or_else(|| locale.pick("chưa có trong danh mục".to_string(), "not in the catalogue".to_string()), |d| d.dmy());
    md.push_str(&format!("- {}: {date}\n", locale.pick("Ngày ban hành", "Date")));
    if !entry.issuing_body.is_empty() {
        md.push_str(&format!("- {}: {}\n", locale.pick("Cơ quan ban hành", "Issued by"), entry.issuing_body));
    }
    if let Some(meeting) = &entry.meeting {
        md.push_str(&format!("- {}: {meeting}\n", locale.pick("Hội nghị", "Meeting")));
    }
    if !entry.title.is_empty() {
        md.push_str(&format!("- {}: {}\n", locale.pick("Trích yếu", "Title"), entry.title));
    }
    md.push_str(&format!("- {}: {}\n", locale.pick("Tình trạng", "Status"), relations(entry, catalogue, locale).join("; ")));
    match &entry.origin {
        Origin::Bundled => {
            md.push_str(&format!("\n{}", locale.pick("Nguồn: danh mục kèm theo baocao-ls — ", "Source: bundled catalogue — ")));
            md.push_str(&entry.sources.iter().map(|s| format!("<{s}>")).collect::<Vec<_>>().join(", "));
            md.push('\n');
        }
        Origin::Workspace { path, line } | Origin::Cited { path, line } => {
            md.push_str(&format!("\n{}\n", locale.pick(format!("Nguồn: {path}, dòng {line}"), format!("Source: {path}, line {line}"))));
        }
    }
    md
}

/// A document that is not in the catalogue: said plainly, with only what a draft itself writes
/// (date and issuer, labelled as the draft's), never a title cut from the sentence.
fn cited_markdown(label: &str, date: Option<Date>, issuer: Option<&str>, place: String, locale: Locale) -> String {
    let mut md = format!("**{label}**\n\n");
    md.push_str(&locale.pick(
        format!("Văn bản này không có trong danh mục. Trích dẫn ở {place} ghi (chưa đối chiếu với nguồn nào):\n"),
        format!("This document is not in the catalogue. The citation at {place} writes (not checked against any source):\n"),
    ));
    let mut any = false;
    if let Some(d) = date {
        md.push_str(&format!("- {}: {}\n", locale.pick("Ngày ban hành theo trích dẫn", "Date as cited"), d.dmy()));
        any = true;
    }
    if let Some(issuer) = issuer {
        md.push_str(&format!("- {}: {issuer}\n", locale.pick("Cơ quan ban hành theo trích dẫn", "Issuer as cited"),));
        any = true;
    }
    if !any {
        md.push_str(&format!("- {}\n", locale.pick("không ghi ngày và cơ quan ban hành", "no date and no issuer")));
    }
    md
}

fn citation_markdown(text: &str, c: &Citation, locale: Locale) -> String {
    let label = match &c.symbol {
        Some(s) => format!("{} số {}", c.doc_type.unwrap_or("Văn bản"), s.standard()),
        None => c.label(),
    };
    let line = line_number(text, c.range.start);
    cited_markdown(
        &label,
        c.date.as_ref().map(|d| d.date).filter(|d| d.problem().is_none()),
        c.issuer.as_ref().map(|(t, _)| t.as_str()),
        locale.pick(format!("dòng {line} của văn bản này"), format!("line {line} of this document")),
        locale,
    )
}

/// Hover on a citation (full or short, its date included) or on an issuer code inside a symbol.
pub fn hover(text: &str, offset: usize, catalogue: &Catalogue, locale: Locale) -> Option<Hover> {
    hover_in(&CitationIndex::of_text(text, catalogue), text, offset, catalogue, locale)
}

/// [`hover`] over the document's citation index (the engine's, built for this text with this
/// catalogue), so that the hover reads the same links as the diagnostics.
pub fn hover_in(index: &CitationIndex, text: &str, offset: usize, catalogue: &Catalogue, locale: Locale) -> Option<Hover> {
    let citations = &index.citations;
    let i = at_offset(citations, offset)?;
    let c = &citations[i];
    if let Some(s) = &c.symbol {
        if s.issuer_range.start <= offset && offset < s.issuer_range.end {
            let code = &text[s.issuer_range.as_range()];
            // A code we cannot explain ("KGVX", a drafting unit) falls through to the citation.
            if let Some((vi, en)) = explain_issuer(code) {
                return Some(Hover { range: s.issuer_range, markdown: format!("**{code}**: {}", locale.pick(vi, en)) });
            }
        }
    }
    let resolutions = &index.resolutions;
    let markdown = describe(text, citations, resolutions, i, catalogue, locale).or_else(|| {
        let label = c.label();
        match &c.meeting {
            Some(Meeting::Congress { number, national: true }) => Some(locale.pick(
                format!("**{label}**\n\nNghị quyết Đại hội đại biểu toàn quốc lần thứ {number} của Đảng."),
                format!("**{label}**\n\nThe resolution of the {number} National Party Congress."),
            )),
            _ if c.kind == CitationKind::Full => Some(citation_markdown(text, c, locale)),
            _ => None,
        }
    })?;
    Some(Hover { range: c.range, markdown })
}

/// The catalogue entry citation `i` names, by the linking of [`resolve`] or, when that found
/// none, as the catalogue's record of a mis-dated citation (same symbol, a date close enough to
/// be a slip, or the only entry of that symbol with no date) or the one candidate of a reused
/// number that the issuer, dates and subject words of the text leave.
pub fn catalogue_entry(text: &str, citations: &[Citation], resolutions: &[Resolution], i: usize, catalogue: &Catalogue) -> Option<usize> {
    let c = citations.get(i)?;
    let r = resolutions.get(i)?;
    if r.entry.is_some() {
        return r.entry;
    }
    if let Some(full) = r.full.filter(|&f| f != i) {
        if let Some(n) = resolutions.get(full).and_then(|fr| fr.entry) {
            return Some(n);
        }
    }
    if let (CitationKind::Full, Some(s)) = (c.kind, &c.symbol) {
        if let Some(written) = c.date.as_ref().map(|d| d.date).filter(|d| d.problem().is_none()) {
            let same: Vec<usize> =
                catalogue.entries.iter().enumerate().filter(|(_, e)| e.key_ref() == Some(&s.key)).map(|(n, _)| n).collect();
            let nearest = same
                .iter()
                .filter_map(|&n| catalogue.entries[n].issue_date.map(|d| (n, d)))
                .filter(|(_, d)| same_document_window(s, *d, written))
                .min_by_key(|(_, d)| (d.days() - written.days()).abs());
            if let Some((n, _)) = nearest {
                return Some(n);
            }
            let undated: Vec<usize> = same.iter().copied().filter(|&n| catalogue.entries[n].issue_date.is_none()).collect();
            let dated_elsewhere =
                same.iter().any(|&n| catalogue.entries[n].issue_date.is_some_and(|d| same_document_window(s, d, written)));
            if let ([one], false) = (undated.as_slice(), dated_elsewhere) {
                return Some(*one);
            }
            return None;
        }
    }
    if r.candidates.len() > 1 {
        if let [one] = catalogue.narrow(&r.candidates, &Clues::of(text, c)).as_slice() {
            return Some(*one);
        }
    }
    None
}

fn describe(
    text: &str,
    citations: &[Citation],
    resolutions: &[Resolution],
    i: usize,
    catalogue: &Catalogue,
    locale: Locale,
) -> Option<String> {
    let r = resolutions.get(i)?;
    if let Some(entry) = catalogue_entry(text, citations, resolutions, i, catalogue).and_then(|n| catalogue.entries.get(n)) {
        // The draft's own words to compare: this citation, or the full citation it shortens.
        let written = match citations.get(i) {
            Some(c) if c.kind == CitationKind::Full => Some(c),
            _ => r.full.and_then(|f| citations.get(f)),
        };
        let diffs = written.map(|c| differences(c, entry, locale)).unwrap_or_default();
        return Some(entry_markdown(entry, catalogue, &diffs, locale));
    }
    if let Some(full) = r.full.and_then(|n| citations.get(n)) {
        return Some(citation_markdown(text, full, locale));
    }
    let candidates = match citations.get(i) {
        Some(c) if r.candidates.len() > 1 => catalogue.narrow(&r.candidates, &Clues::of(text, c)),
        _ => Vec::new(),
    };
    if candidates.len() > 1 {
        let mut md = locale.pick(
            "**Nhiều văn bản cùng số, ký hiệu** — chưa xác định được văn bản nào; ghi thêm ngày ban hành hoặc cơ quan ban hành:\n\n"
                .to_string(),
            "**Several documents share this number** — which one is meant is not clear; add the date or the issuer:\n\n".to_string(),
        );
        for n in &candidates {
            if let Some(e) = catalogue.entries.get(*n) {
                let date = e.issue_date.map_or_else(|| "?".to_string(), |d| d.dmy());
                md.push_str(&format!("- {} số {} ({date}, {}): {}\n", e.doc_type, e.number_symbol, e.issuing_body, e.title));
            }
        }
        return Some(md);
    }
    None
}

/// Short mention → the full citation in this document; otherwise a workspace catalogue entry.
pub fn definition(text: &str, offset: usize, catalogue: &Catalogue) -> Option<Target> {
    definition_in(&CitationIndex::of_text(text, catalogue), offset, catalogue)
}

/// [`definition`] over the document's citation index.
pub fn definition_in(index: &CitationIndex, offset: usize, catalogue: &Catalogue) -> Option<Target> {
    let citations = &index.citations;
    let i = at_offset(citations, offset)?;
    let r = index.resolutions.get(i)?;
    if let Some(full) = r.full.and_then(|n| citations.get(n)) {
        return Some(Target::InDocument(full.range));
    }
    match r.entry.and_then(|n| catalogue.entries.get(n)).map(|e| &e.origin) {
        Some(Origin::Workspace { path, line } | Origin::Cited { path, line }) => {
            Some(Target::CatalogueFile { path: path.clone(), line: *line })
        }
        _ => None,
    }
}

fn identity_of(citations: &[Citation], r: &Resolution, i: usize) -> Option<Identity> {
    let key = r.key.clone().or_else(|| citations.get(i)?.symbol.as_ref().map(|s| s.key()))?;
    Some(Identity { key, date: r.date })
}

/// The document a citation at `offset` refers to.
pub fn identity_at(text: &str, offset: usize, catalogue: &Catalogue) -> Option<Identity> {
    identity_at_in(&CitationIndex::of_text(text, catalogue), offset)
}

/// [`identity_at`] over the document's citation index.
pub fn identity_at_in(index: &CitationIndex, offset: usize) -> Option<Identity> {
    let i = at_offset(&index.citations, offset)?;
    identity_of(&index.citations, index.resolutions.get(i)?, i)
}

/// Every mention of the document `identity` in `text` (full citations and short mentions).
pub fn mentions(text: &str, identity: &Identity, catalogue: &Catalogue) -> Vec<TextRange> {
    let citations = scan_document(text);
    let resolutions = resolve(&citations, catalogue);
    mentions_of(&citations, &resolutions, identity)
}

/// [`mentions`] over a document's citation index.
pub fn mentions_in(index: &CitationIndex, identity: &Identity) -> Vec<TextRange> {
    mentions_of(&index.citations, &index.resolutions, identity)
}

/// [`mentions`] over citations already linked (`resolutions[i]` is `citations[i]`'s).
pub fn mentions_of(citations: &[Citation], resolutions: &[Resolution], identity: &Identity) -> Vec<TextRange> {
    let mut out = Vec::new();
    for (i, r) in resolutions.iter().enumerate() {
        let Some(id) = identity_of(citations, r, i) else { continue };
        let same_date = match (id.date, identity.date) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if id.key == identity.key && same_date {
            out.push(citations[i].range);
        }
    }
    out
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    /// The number-symbol.
    pub label: String,
    /// Date and issuing body.
    pub detail: String,
    /// What replaces the typed prefix: the rest of the standard citation.
    pub insert_text: String,
    /// Symbol and title words, so the editor filters on either.
    pub filter_text: String,
    pub documentation: String,
}

/// Proposals and the range they replace (what was typed after "số ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub range: TextRange,
    pub items: Vec<CompletionItem>,
}

fn completion_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let types = DOC_TYPES.iter().map(|(w, _)| w.to_lowercase()).collect::<Vec<_>>().join("|");
        Regex::new(&format!(r"(?i)(?:^|[^\p{{L}}])({types})\s+số\s*:?\s+(\S*)$")).unwrap_or_else(|e| panic!("completion regex: {e}"))
    })
}

/// Completion after "Nghị quyết số ", "Kết luận số " …: the catalogued documents of that type,
/// filtered on the typed prefix (symbol or a word of the title), inserting the full citation.
pub fn complete(text: &str, offset: usize, catalogue: &Catalogue, locale: Locale) -> Option<Completion> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let c = completion_re().captures(before)?;
    let typed_type = c.get(1)?.as_str().to_lowercase();
    let prefix = c.get(2)?;
    let range = TextRange::new(line_start + prefix.start(), offset);
    let typed = prefix.as_str().to_lowercase();
    let doc_type = DOC_TYPES.iter().find(|(w, _)| w.to_lowercase() == typed_type).map(|(w, _)| *w)?;
    let mut items: Vec<(Option<Date>, CompletionItem)> = Vec::new();
    for e in &catalogue.entries {
        if e.doc_type != doc_type || e.symbol.as_ref().is_some_and(|s| !type_fits(doc_type, s)) {
            continue;
        }
        let matches = typed.is_empty()
            || e.number_symbol.to_lowercase().starts_with(&typed)
            || e.title.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| !w.is_empty() && w.starts_with(&typed));
        if !matches {
            continue;
        }
        let date = e.issue_date.map(|d| DateStyle::Numeric('/').render(&d));
        let detail = match &date {
            Some(d) => format!("{d} — {}", e.issuing_body),
            None => e.issuing_body.clone(),
        };
        let origin = match &e.origin {
            Origin::Bundled => locale.pick("danh mục kèm theo".to_string(), "bundled catalogue".to_string()),
            Origin::Workspace { path, line } | Origin::Cited { path, line } => format!("{path}:{line}"),
        };
        items.push((
            e.issue_date,
            CompletionItem {
                label: e.number_symbol.clone(),
                detail,
                insert_text: e.citation(false),
                filter_text: format!("{} {}", e.number_symbol, e.title),
                documentation: format!("{}\n\n({origin})", e.title),
            },
        ));
    }
    // Newest first: recent documents are cited most.
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    Some(Completion { range, items: items.into_iter().map(|(_, i)| i).collect() })
}

/// The fully cited documents of a text (symbol, date and issuer all written), as catalogue
/// entries from `path`: documents cited in workspace files count for hover and completion.
pub fn document_entries(text: &str, path: &str) -> Vec<Entry> {
    document_entries_in(text, &scan_document(text), path)
}

/// [`document_entries`] from the text's citations (the engine's index of that text, or one
/// scan): the first full citation of each (symbol, date), numbered by one [`LineNumbers`].
pub fn document_entries_in(text: &str, citations: &[Citation], path: &str) -> Vec<Entry> {
    let lines = LineNumbers::of(text);
    let mut seen: FxHashSet<(SymbolKey, Date)> = FxHashSet::default();
    let mut out: Vec<Entry> = Vec::new();
    for c in citations {
        let (Some(s), Some(d), Some((issuer, _))) = (&c.symbol, &c.date, &c.issuer) else { continue };
        if d.date.problem().is_some() || !seen.insert((s.key(), d.date)) {
            continue;
        }
        out.push(Entry {
            id: format!("{}@{}", s.standard(), d.date.iso()),
            system: None,
            doc_type: c.doc_type.unwrap_or("Văn bản").to_string(),
            number_symbol: s.standard(),
            symbol: Some(s.clone()),
            issue_date: Some(d.date),
            issuing_body: issuer.clone(),
            meeting: None,
            title: c.title.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
            sources: Vec::new(),
            replaces: Vec::new(),
            replaced_by: Vec::new(),
            amended_by: Vec::new(),
            origin: Origin::Cited { path: path.to_string(), line: lines.line(c.range.start) },
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineKind {
    Heading,
    Citation,
}

/// One entry of the document outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// The whole section (a heading runs to the next heading of its level or above).
    pub range: TextRange,
    /// The heading line or the citation itself.
    pub selection_range: TextRange,
    pub children: Vec<OutlineItem>,
}

fn heading_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?:(?P<md>#{1,6})\s+\S|(?P<roman>[IVXLC]+)\s*[.\-–]\s*\S|(?P<deep>\d+\.\d+\.\d+)\.?\s+\S|(?P<sub>\d+\.\d+)\.?\s+\S|(?P<num>\d+)\s*[.\-)]\s+\S|(?P<ordinal>(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười) là)[,:]?\s)",
        )
        .unwrap_or_else(|e| panic!("heading regex: {e}"))
    })
}

fn heading_level(line: &str) -> Option<usize> {
    let c = heading_re().captures(line)?;
    if let Some(md) = c.name("md") {
        return Some(md.as_str().len());
    }
    Some(if c.name("roman").is_some() {
        1
    } else if c.name("num").is_some() {
        2
    } else if c.name("sub").is_some() {
        3
    } else if c.name("deep").is_some() {
        4
    } else {
        5
    })
}

/// The report's outline: headings (Markdown, "I.", "1.", "1.1.", "Một là …") nested by level,
/// with the fully cited documents under the section that cites them.
pub fn outline(text: &str) -> Vec<OutlineItem> {
    outline_in(text, &scan_document(text))
}

/// [`outline`] with the citations of `text` given (the engine's index of that text, in
/// document order): one pass over the lines for the headings, one over the citations, each
/// citation placed under the section open where it starts. Linear in the text and the citations.
pub fn outline_in(text: &str, citations: &[Citation]) -> Vec<OutlineItem> {
    // (level, item) stack of open sections.
    let mut stack: Vec<(usize, OutlineItem)> = Vec::new();
    let mut roots: Vec<OutlineItem> = Vec::new();
    fn close(stack: &mut Vec<(usize, OutlineItem)>, roots: &mut Vec<OutlineItem>, end: usize) {
        if let Some((_, mut item)) = stack.pop() {
            item.range.end = end.max(item.range.start);
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(item),
                None => roots.push(item),
            }
        }
    }
    let mut citations = citations.iter().filter(|c| c.kind == CitationKind::Full).peekable();
    let mut place_citations = |stack: &mut Vec<(usize, OutlineItem)>, roots: &mut Vec<OutlineItem>, upto: usize| {
        while let Some(c) = citations.next_if(|c| c.range.start < upto) {
            let item = OutlineItem {
                name: c.label(),
                detail: c.date.as_ref().map(|d| d.date.dmy()),
                kind: OutlineKind::Citation,
                range: c.range,
                selection_range: c.range,
                children: Vec::new(),
            };
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(item),
                None => roots.push(item),
            }
        }
    };
    for (start, end, _) in lines(text) {
        let line = &text[start..end];
        let trimmed = line.trim_start();
        let Some(level) = heading_level(trimmed) else { continue };
        place_citations(&mut stack, &mut roots, start);
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            close(&mut stack, &mut roots, start);
        }
        let lead = line.len() - trimmed.len();
        let mut name: String = trimmed.trim_start_matches('#').trim().chars().take(80).collect();
        if trimmed.chars().count() > 80 + trimmed.len() - trimmed.trim_start_matches('#').len() {
            name.push('…');
        }
        let item = OutlineItem {
            name,
            detail: None,
            kind: OutlineKind::Heading,
            range: TextRange::new(start + lead, end),
            selection_range: TextRange::new(start + lead, end),
            children: Vec::new(),
        };
        stack.push((level, item));
    }
    place_citations(&mut stack, &mut roots, usize::MAX);
    while !stack.is_empty() {
        close(&mut stack, &mut roots, text.trim_end().len());
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` paragraphs, each citing three documents in full, under a heading every tenth one.
    fn cited(n: usize) -> String {
        (0..n)
            .map(|i| {
                let heading = if i % 10 == 0 { format!("{}. Mục {i}\n\n", i / 10 + 1) } else { String::new() };
                format!(
                    "{heading}Thực hiện Nghị quyết số {i}-NQ/TW ngày {:02}/{:02}/{} của Ban Chấp hành; theo Kết luận số {i}-KL/TW và Quyết định số {i}/QĐ-UBND ngày {}/{}/20{}.\n\n",
                    1 + i % 28,
                    1 + i % 12,
                    1990 + i % 35,
                    1 + i % 30,
                    1 + i % 12,
                    10 + i % 15
                )
            })
            .collect()
    }

    fn count(items: &[OutlineItem], kind: OutlineKind) -> usize {
        items.iter().map(|i| usize::from(i.kind == kind) + count(&i.children, kind)).sum()
    }

    #[test]
    fn line_numbers_agree_with_counting_line_breaks() {
        let text = "Dòng một\nhai\r\nba\rbốn\n\nsáu 🎉\n";
        let lines = LineNumbers::of(text);
        for at in (0..=text.len() + 2).filter(|&at| at >= text.len() || text.is_char_boundary(at)) {
            assert_eq!(lines.line(at), line_number(text, at), "offset {at}");
        }
    }

    /// The outline reads the citations it is given (the engine's index), not the text: a list
    /// without citations gives the headings alone, and the engine's index gives what a scan gives.
    #[test]
    fn the_outline_reads_the_given_citations() {
        let text = cited(30);
        let scanned = scan_document(&text);
        assert_eq!(outline_in(&text, &scanned), outline(&text));
        let headings = outline_in(&text, &[]);
        assert_eq!(count(&headings, OutlineKind::Citation), 0);
        assert_eq!(count(&headings, OutlineKind::Heading), 3);
        let mut analyzer = crate::Analyzer::new();
        analyzer.analyze(&text, &crate::Config::default());
        let Some(index) = analyzer.citation_index() else { panic!("no index after an analysis") };
        assert_eq!(outline_in(&text, &index.citations), outline(&text));
        let debug = |entries: Vec<Entry>| format!("{entries:?}");
        assert_eq!(debug(document_entries_in(&text, &index.citations, "a.md")), debug(document_entries(&text, "a.md")));
    }

    /// 10,000 paragraphs of citations: every full citation is one outline entry, under its
    /// section, in document order. The work is linear by construction (one pass over the lines,
    /// one over the citations, no search from the start per item); timings are recorded in
    /// docs/performance.md, not asserted here.
    #[test]
    fn ten_thousand_cited_paragraphs_give_one_entry_per_full_citation() {
        let text = cited(10_000);
        let citations = scan_document(&text);
        let full = citations.iter().filter(|c| c.kind == CitationKind::Full).count();
        assert_eq!(full, 30_000);
        let items = outline_in(&text, &citations);
        assert_eq!(items.len(), 1_000);
        assert_eq!(count(&items, OutlineKind::Citation), full);
        for section in &items {
            assert_eq!(section.children.len(), 30);
            assert!(section.children.iter().all(|c| section.range.start <= c.range.start && c.range.end <= section.range.end));
        }
        let starts: Vec<usize> = items.iter().flat_map(|s| s.children.iter().map(|c| c.range.start)).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
        let entries = document_entries_in(&text, &citations, "a.md");
        // Dated and with an issuer: the first citation of each paragraph only.
        assert_eq!(entries.len(), 10_000);
        for n in [0, 1, 4_999, 9_999] {
            let line = line_number(&text, citations[3 * n].range.start);
            assert_eq!(entries[n].origin, Origin::Cited { path: "a.md".to_string(), line });
        }
    }
}
