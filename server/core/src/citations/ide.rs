//! Editor queries on citations, as pure functions: hover text, go-to-definition target,
//! references, completion items and the document outline. Byte offsets in, byte ranges and
//! plain data out; the server converts them to LSP types (texlab's `\cite` support is the model).

use super::date::{Date, DateStyle};
use super::symbol::{explain_issuer, SymbolKey};
use super::{resolve, scan_document, type_fits, Citation, CitationKind, Meeting, Resolution, DOC_TYPES};
use crate::catalogue::{Catalogue, Entry, Origin};
use crate::config::Locale;
use crate::text::{lines, TextRange};
use regex::Regex;
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

fn relations(entry: &Entry, locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    let list = |docs: &[crate::catalogue::RelatedDoc]| docs.iter().map(|d| d.describe()).collect::<Vec<_>>().join(", ");
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

fn entry_markdown(entry: &Entry, locale: Locale) -> String {
    let mut md = format!("**{} số {}**\n\n", entry.doc_type, entry.number_symbol);
    let date = entry.issue_date.map_or_else(|| locale.pick("chưa rõ".to_string(), "unknown".to_string()), |d| d.dmy());
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
    md.push_str(&format!("- {}: {}\n", locale.pick("Tình trạng", "Status"), relations(entry, locale).join("; ")));
    match &entry.origin {
        Origin::Bundled => {
            md.push_str(&format!("\n{}", locale.pick("Nguồn: danh mục kèm theo baocao-ls — ", "Source: bundled catalogue — ")));
            md.push_str(&entry.sources.iter().map(|s| format!("<{s}>")).collect::<Vec<_>>().join(", "));
            md.push('\n');
        }
        Origin::Workspace { path, line } => {
            md.push_str(&format!("\n{}\n", locale.pick(format!("Nguồn: {path}, dòng {line}"), format!("Source: {path}, line {line}"))));
        }
    }
    md
}

fn citation_markdown(text: &str, c: &Citation, locale: Locale) -> String {
    let mut md = format!("**{}**\n\n", c.label());
    if let Some(d) = &c.date {
        md.push_str(&format!("- {}: {}\n", locale.pick("Ngày ban hành", "Date"), d.date.dmy()));
    }
    if let Some((issuer, _)) = &c.issuer {
        md.push_str(&format!("- {}: {issuer}\n", locale.pick("Cơ quan ban hành", "Issued by")));
    }
    if let Some((title, _)) = &c.title {
        md.push_str(&format!("- {}: {title}\n", locale.pick("Trích yếu", "Title")));
    }
    let line = line_number(text, c.range.start);
    md.push_str(&format!(
        "\n{}\n",
        locale.pick(
            format!("Nguồn: trích dẫn đầy đủ ở dòng {line} của văn bản này (không có trong danh mục)"),
            format!("Source: the full citation on line {line} of this document (not in the catalogue)"),
        )
    ));
    md
}

/// Hover on a citation (full or short, its date included) or on an issuer code inside a symbol.
pub fn hover(text: &str, offset: usize, catalogue: &Catalogue, locale: Locale) -> Option<Hover> {
    let citations = scan_document(text);
    let i = at_offset(&citations, offset)?;
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
    let resolutions = resolve(&citations, catalogue);
    let r = resolutions.get(i)?;
    let markdown = describe(text, &citations, r, catalogue, locale).or_else(|| {
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

fn describe(text: &str, citations: &[Citation], r: &Resolution, catalogue: &Catalogue, locale: Locale) -> Option<String> {
    if let Some(entry) = r.entry.and_then(|n| catalogue.entries.get(n)) {
        return Some(entry_markdown(entry, locale));
    }
    if let Some(full) = r.full.and_then(|n| citations.get(n)) {
        return Some(citation_markdown(text, full, locale));
    }
    if r.candidates.len() > 1 {
        let mut md = locale.pick(
            "**Nhiều văn bản cùng số, ký hiệu** — ghi thêm ngày ban hành để xác định:\n\n".to_string(),
            "**Several documents share this number** — add the date to tell them apart:\n\n".to_string(),
        );
        for n in &r.candidates {
            if let Some(e) = catalogue.entries.get(*n) {
                let date = e.issue_date.map_or_else(|| "?".to_string(), |d| d.dmy());
                md.push_str(&format!("- {} {} ({date}, {}): {}\n", e.doc_type, e.number_symbol, e.issuing_body, e.title));
            }
        }
        return Some(md);
    }
    None
}

/// Short mention → the full citation in this document; otherwise a workspace catalogue entry.
pub fn definition(text: &str, offset: usize, catalogue: &Catalogue) -> Option<Target> {
    let citations = scan_document(text);
    let i = at_offset(&citations, offset)?;
    let resolutions = resolve(&citations, catalogue);
    let r = resolutions.get(i)?;
    if let Some(full) = r.full.and_then(|n| citations.get(n)) {
        return Some(Target::InDocument(full.range));
    }
    match r.entry.and_then(|n| catalogue.entries.get(n)).map(|e| &e.origin) {
        Some(Origin::Workspace { path, line }) => Some(Target::CatalogueFile { path: path.clone(), line: *line }),
        _ => None,
    }
}

fn identity_of(citations: &[Citation], r: &Resolution, i: usize) -> Option<Identity> {
    let key = r.key.clone().or_else(|| citations.get(i)?.symbol.as_ref().map(|s| s.key()))?;
    Some(Identity { key, date: r.date })
}

/// The document a citation at `offset` refers to.
pub fn identity_at(text: &str, offset: usize, catalogue: &Catalogue) -> Option<Identity> {
    let citations = scan_document(text);
    let i = at_offset(&citations, offset)?;
    let resolutions = resolve(&citations, catalogue);
    identity_of(&citations, resolutions.get(i)?, i)
}

/// Every mention of the document `identity` in `text` (full citations and short mentions).
pub fn mentions(text: &str, identity: &Identity, catalogue: &Catalogue) -> Vec<TextRange> {
    let citations = scan_document(text);
    let resolutions = resolve(&citations, catalogue);
    let mut out = Vec::new();
    for (i, r) in resolutions.iter().enumerate() {
        let Some(id) = identity_of(&citations, r, i) else { continue };
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
            Origin::Workspace { path, line } => format!("{path}:{line}"),
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
    let mut out: Vec<Entry> = Vec::new();
    for c in scan_document(text) {
        let (Some(s), Some(d), Some((issuer, _))) = (&c.symbol, &c.date, &c.issuer) else { continue };
        if d.date.problem().is_some() || out.iter().any(|e| e.key() == Some(s.key()) && e.issue_date == Some(d.date)) {
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
            origin: Origin::Workspace { path: path.to_string(), line: line_number(text, c.range.start) },
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
    let citations: Vec<Citation> = scan_document(text).into_iter().filter(|c| c.kind == CitationKind::Full).collect();
    let mut next_citation = 0;
    let mut place_citations = |stack: &mut Vec<(usize, OutlineItem)>, roots: &mut Vec<OutlineItem>, upto: usize| {
        while let Some(c) = citations.get(next_citation).filter(|c| c.range.start < upto) {
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
            next_citation += 1;
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
