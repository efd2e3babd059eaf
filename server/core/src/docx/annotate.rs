//! Findings back into the Word file as comments: `w:commentRangeStart`/`w:commentRangeEnd`
//! around the words concerned and a `w:commentReference` run in `word/document.xml` (a run is
//! split, keeping its `w:rPr`, where a finding starts or ends inside it), the comments in
//! `word/comments.xml` (created or extended), and the relationship and content type added when
//! missing. Every other zip entry is copied byte for byte (raw, still compressed).

use super::{malformed, open, read_entry, utf8, Docx, DocxError, Source, DOCUMENT_PART, MAX_ENTRY_BYTES};
use quick_xml::escape::escape;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::Write;
use std::ops::Range;

/// One comment to add: the range of [`Docx::text`] it concerns and its paragraphs of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    pub paragraphs: Vec<String>,
}

const COMMENTS_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const AUTHOR: &str = "baocao-ls";

/// Where a comment boundary goes in `document.xml`.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// Before the run's start tag.
    Before(usize),
    /// After the run's end tag.
    After(usize),
    /// Inside the run at this byte: the run is split there (inside a `w:t` when `text`).
    Inside { run: usize, at: usize, text: bool },
}

/// The byte offset in the raw (escaped) XML text `raw` of its `chars`-th character.
fn raw_offset(raw: &str, chars: usize) -> usize {
    let mut seen = 0;
    let mut i = 0;
    let bytes = raw.as_bytes();
    while i < bytes.len() && seen < chars {
        if bytes[i] == b'&' {
            i += raw[i..].find(';').map_or(1, |j| j + 1);
        } else {
            i += raw[i..].chars().next().map_or(1, char::len_utf8);
        }
        seen += 1;
    }
    i
}

fn first_of_run(docx: &Docx, span: usize, run: usize) -> bool {
    !docx.spans[..span].iter().rev().filter_map(|s| s.source.as_ref()).take_while(|s| s.run == run).any(|_| true)
}

fn last_of_run(docx: &Docx, span: usize, run: usize) -> bool {
    !docx.spans[span + 1..].iter().filter_map(|s| s.source.as_ref()).take_while(|s| s.run == run).any(|_| true)
}

fn point(docx: &Docx, xml: &str, offset: usize, is_start: bool) -> Option<Point> {
    let spans = &docx.spans;
    let (index, chars) = if is_start {
        let i = spans.partition_point(|s| s.range.end <= offset);
        let i = i + spans[i..].iter().position(|s| s.source.is_some())?;
        let s = &spans[i];
        let k = docx.text.get(s.range.start..offset.max(s.range.start)).map_or(0, |t| t.chars().count());
        (i, k)
    } else {
        let i = spans.partition_point(|s| s.range.end < offset);
        let upto = (i + 1).min(spans.len());
        let i = spans[..upto].iter().rposition(|s| s.source.is_some())?;
        let s = &spans[i];
        let end = offset.min(s.range.end).max(s.range.start);
        (i, docx.text.get(s.range.start..end).map_or(0, |t| t.chars().count()))
    };
    let span = &spans[index];
    let Source { run, xml: range, is_text, .. } = span.source.clone()?;
    let total_chars = docx.text.get(span.range.clone()).map_or(0, |t| t.chars().count());
    if is_start {
        if chars == 0 && first_of_run(docx, index, run) {
            return Some(Point::Before(run));
        }
    } else if chars >= total_chars && last_of_run(docx, index, run) {
        return Some(Point::After(run));
    }
    let at = if is_text {
        range.start + raw_offset(xml.get(range.clone())?, chars)
    } else if chars == 0 {
        range.start
    } else {
        range.end
    };
    Some(Point::Inside { run, at, text: is_text })
}

/// The byte where the root element's end tag starts, and every element's (local name, attributes).
/// An element's local name and its attributes (local names, unescaped values).
type Element = (String, Vec<(String, String)>);

fn scan(xml: &str, name: &str) -> Result<(usize, Vec<Element>), DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut elements = Vec::new();
    let mut root_end = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| malformed(format!("{name}: {e}")))?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let key = String::from_utf8_lossy(super::local(a.key.as_ref())).into_owned();
                        (key, a.unescape_value().map(|v| v.into_owned()).unwrap_or_default())
                    })
                    .collect();
                elements.push((String::from_utf8_lossy(super::local(e.name().as_ref())).into_owned(), attrs));
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    root_end = Some(before);
                }
            }
            _ => {}
        }
    }
    Ok((root_end.ok_or_else(|| malformed(format!("{name}: không có phần tử gốc / no root element")))?, elements))
}

fn get<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn comment_xml(id: u32, comment: &Comment) -> String {
    let mut out = format!("<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:initials=\"BC\">");
    for para in &comment.paragraphs {
        out.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        out.push_str(&escape(para.as_str()));
        out.push_str("</w:t></w:r></w:p>");
    }
    out.push_str("</w:comment>");
    out
}

/// The document with `comments` added, and the indexes of the comments that could not be
/// anchored (those in footnotes or text boxes). `docx` must be [`super::read`] of `bytes`.
pub fn annotate(bytes: &[u8], docx: &Docx, comments: &[Comment]) -> Result<(Vec<u8>, Vec<usize>), DocxError> {
    let mut archive = open(bytes)?;
    let document = read_entry(&mut archive, DOCUMENT_PART)?.ok_or_else(|| malformed(format!("thiếu / missing {DOCUMENT_PART}")))?;
    let document = utf8(DOCUMENT_PART, &document)?.to_string();
    if !document.contains(W_NS) {
        return Err(malformed(format!("{DOCUMENT_PART}: không phải WordprocessingML / not WordprocessingML")));
    }
    let matches = docx
        .spans
        .iter()
        .filter_map(|s| s.source.as_ref())
        .all(|s| s.run < docx.runs.len() && document.is_char_boundary(s.xml.start) && document.is_char_boundary(s.xml.end))
        && docx.runs.iter().all(|r| document.is_char_boundary(r.span.start) && document.is_char_boundary(r.span.end));
    if !matches {
        return Err(malformed("bản đọc không khớp tệp / the reading does not match the file"));
    }
    let rels_name = "word/_rels/document.xml.rels";
    let rels = read_entry(&mut archive, rels_name)?;
    let rels = match &rels {
        Some(r) => utf8(rels_name, r)?.to_string(),
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>".to_string(),
    };
    let (rels_end, rel_elements) = scan(&rels, rels_name)?;
    let existing = rel_elements.iter().find(|(n, a)| n == "Relationship" && get(a, "Type") == Some(COMMENTS_TYPE));
    let comments_part = match existing.and_then(|(_, a)| get(a, "Target")) {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_string(),
        Some(t) => format!("word/{t}"),
        None => "word/comments.xml".to_string(),
    };
    let new_rels = if existing.is_some() {
        None
    } else {
        let ids: Vec<&str> = rel_elements.iter().filter_map(|(_, a)| get(a, "Id")).collect();
        let mut n = 1;
        while ids.contains(&format!("rIdBaocao{n}").as_str()) {
            n += 1;
        }
        let rel = format!("<Relationship Id=\"rIdBaocao{n}\" Type=\"{COMMENTS_TYPE}\" Target=\"comments.xml\"/>");
        Some(format!("{}{rel}{}", &rels[..rels_end], &rels[rels_end..]))
    };

    let old_comments = read_entry(&mut archive, &comments_part)?;
    let (mut next_id, comments_head, comments_tail) = match &old_comments {
        Some(c) => {
            let c = utf8(&comments_part, c)?;
            let (end, elements) = scan(c, &comments_part)?;
            let max = elements.iter().filter(|(n, _)| n == "comment").filter_map(|(_, a)| get(a, "id")?.parse::<u32>().ok()).max();
            (max.map_or(0, |m| m + 1), c[..end].to_string(), c[end..].to_string())
        }
        None => (
            0,
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"{W_NS}\">"),
            "</w:comments>".to_string(),
        ),
    };

    let types_name = "[Content_Types].xml";
    let types = read_entry(&mut archive, types_name)?.ok_or_else(|| malformed(format!("thiếu / missing {types_name}")))?;
    let types = utf8(types_name, &types)?.to_string();
    let (types_end, type_elements) = scan(&types, types_name)?;
    let part_name = format!("/{comments_part}");
    let has_override = type_elements.iter().any(|(n, a)| n == "Override" && get(a, "PartName") == Some(part_name.as_str()));
    let new_types = (!has_override).then(|| {
        format!(
            "{}<Override PartName=\"{part_name}\" ContentType=\"{COMMENTS_CONTENT_TYPE}\"/>{}",
            &types[..types_end],
            &types[types_end..]
        )
    });

    // The edits to document.xml: (start, end, order, text), applied from the start.
    let mut edits: Vec<(usize, usize, u8, String)> = Vec::new();
    let mut added = String::new();
    let mut skipped = Vec::new();
    let mut preserve_tags = Vec::new();
    for (i, comment) in comments.iter().enumerate() {
        let start = point(docx, &document, comment.range.start, true);
        let end = point(docx, &document, comment.range.end.max(comment.range.start + 1), false);
        let (Some(start), Some(end)) = (start, end) else {
            skipped.push(i);
            continue;
        };
        let id = next_id;
        next_id += 1;
        let start_marker = format!("<w:commentRangeStart w:id=\"{id}\"/>");
        let end_marker = format!("<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>");
        for (p, marker, order) in [(start, start_marker, 1u8), (end, end_marker, 0u8)] {
            let (at, text) = match p {
                Point::Before(r) => (docx.runs[r].span.start, marker),
                Point::After(r) => (docx.runs[r].span.end, marker),
                Point::Inside { run, at, text } => {
                    let rpr = docx.runs[run].rpr.clone().and_then(|r| document.get(r)).unwrap_or("");
                    if text {
                        if let Some(tag) = docx
                            .spans
                            .iter()
                            .filter_map(|s| s.source.as_ref())
                            .find(|s| s.run == run && s.is_text && (s.xml.contains(&at) || s.xml.end == at))
                            .and_then(|s| s.tag.clone())
                        {
                            preserve_tags.push(tag);
                        }
                        (at, format!("</w:t></w:r>{marker}<w:r>{rpr}<w:t xml:space=\"preserve\">"))
                    } else {
                        (at, format!("</w:r>{marker}<w:r>{rpr}"))
                    }
                }
            };
            edits.push((at, at, order, text));
        }
        added.push_str(&comment_xml(id, comment));
    }
    preserve_tags.sort_by_key(|t| t.start);
    preserve_tags.dedup();
    for tag in preserve_tags {
        let Some(raw) = document.get(tag.clone()) else { continue };
        if raw.contains("xml:space") || !raw.ends_with('>') {
            continue;
        }
        let replaced = format!("{} xml:space=\"preserve\">", &raw[..raw.len() - 1]);
        edits.push((tag.start, tag.end, 0, replaced));
    }
    // Replacements (non-empty ranges) before insertions at the same byte; ends before starts.
    edits.sort_by_key(|(start, end, order, _)| (*start, *end == *start, *order));
    let mut new_document = String::with_capacity(document.len() + added.len());
    let mut at = 0;
    for (start, end, _, text) in &edits {
        if *start < at {
            continue;
        }
        new_document.push_str(document.get(at..*start).ok_or_else(|| malformed("vị trí chèn sai / bad insertion point"))?);
        new_document.push_str(text);
        at = *end;
    }
    new_document.push_str(&document[at..]);
    let new_comments = format!("{comments_head}{added}{comments_tail}");

    // Write the copy: changed parts deflated, everything else copied raw.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(bytes.len() + new_comments.len())));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let zip_err = |e: zip::result::ZipError| malformed(format!("zip: {e}"));
    let io_err = |e: std::io::Error| malformed(format!("zip: {e}"));
    let mut wrote_comments = false;
    let mut wrote_rels = false;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(zip_err)?;
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(DocxError::TooLarge(entry.name().to_string()));
        }
        let name = entry.name().to_string();
        let replacement: Option<&str> = if name == DOCUMENT_PART {
            Some(&new_document)
        } else if name == comments_part {
            wrote_comments = true;
            Some(&new_comments)
        } else if name == rels_name && new_rels.is_some() {
            wrote_rels = true;
            new_rels.as_deref()
        } else if name == types_name && new_types.is_some() {
            new_types.as_deref()
        } else {
            None
        };
        match replacement {
            Some(text) => {
                drop(entry);
                writer.start_file(name, options).map_err(zip_err)?;
                writer.write_all(text.as_bytes()).map_err(io_err)?;
            }
            None => writer.raw_copy_file(entry).map_err(zip_err)?,
        }
    }
    if !wrote_comments {
        writer.start_file(comments_part, options).map_err(zip_err)?;
        writer.write_all(new_comments.as_bytes()).map_err(io_err)?;
    }
    if !wrote_rels {
        if let Some(rels) = &new_rels {
            writer.start_file(rels_name, options).map_err(zip_err)?;
            writer.write_all(rels.as_bytes()).map_err(io_err)?;
        }
    }
    let out = writer.finish().map_err(zip_err)?.into_inner();
    Ok((out, skipped))
}
