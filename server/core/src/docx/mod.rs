//! Word documents (.docx, Office Open XML): bytes in, the text the rules read plus a location
//! map out, and the same document back with findings as Word comments ([`annotate`]).
//!
//! Pure: no file I/O. The zip container is read with the `zip` crate and the XML parts are
//! streamed with `quick-xml`. What is read: body paragraphs in order (the text of all runs
//! joined: `w:t`, `w:tab` → tab, `w:br`/`w:cr` → line break, tracked insertions and moves in,
//! deletions and moves away out), list numbering from `numbering.xml` rendered as a prefix
//! (decimal, letters, roman numerals, bullets as "-"), tables as Markdown rows with a separator
//! after the first row, text boxes and footnotes as blocks of their own. Headers, footers,
//! comments and endnotes are not read. Each produced paragraph is a block (joined with "\n\n").

mod annotate;
mod numbering;

pub use annotate::{annotate, Comment};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::Read;
use std::ops::Range;

/// The largest uncompressed zip entry read or copied (a guard against zip bombs).
pub const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;

/// The main document part.
pub const DOCUMENT_PART: &str = "word/document.xml";

/// The first bytes of an OLE compound file: a legacy Word `.doc`.
pub const OLE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Why a Word file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// A legacy binary `.doc` (OLE), not Office Open XML.
    LegacyDoc,
    /// Not a zip, a damaged zip, a missing part or XML that does not parse.
    Malformed(String),
    /// A zip entry larger than [`MAX_ENTRY_BYTES`] once uncompressed.
    TooLarge(String),
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocxError::LegacyDoc => write!(f, "tệp .doc cũ: hãy lưu thành .docx / legacy .doc: save as .docx"),
            DocxError::Malformed(why) => write!(f, "tệp Word hỏng hoặc không đọc được / malformed Word file: {why}"),
            DocxError::TooLarge(name) => write!(
                f,
                "phần {name} lớn hơn {} MB khi giải nén, bỏ qua / entry {name} is larger than {} MB uncompressed: refused",
                MAX_ENTRY_BYTES / (1024 * 1024),
                MAX_ENTRY_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for DocxError {}

fn malformed(what: impl std::fmt::Display) -> DocxError {
    DocxError::Malformed(what.to_string())
}

/// Which block of the Word document a piece of text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Block {
    /// A body paragraph, numbered from 1 in body order (empty ones count; table cells do not).
    Paragraph(usize),
    /// A table cell: table, row and column, each from 1.
    Cell { table: usize, row: usize, column: usize },
    /// A footnote, numbered from 1 in the order of `footnotes.xml`.
    Footnote(usize),
    /// A text box, numbered from 1 in body order.
    TextBox(usize),
}

/// Where a text offset lies in the Word document: the block and the character offset (0-based)
/// inside the block's own text (list prefixes and table markup not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub block: Block,
    pub offset: usize,
}

/// Where in `word/document.xml` a span's text came from (for annotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// Index into [`Docx::runs`].
    pub run: usize,
    /// The raw (escaped) bytes of a `w:t`'s content, or the whole element for a tab or break.
    pub xml: Range<usize>,
    /// True for `w:t` content, false for an element that stands for one character.
    pub is_text: bool,
    /// The `w:t` start tag, to be given `xml:space="preserve"` when the text is split.
    pub tag: Option<Range<usize>>,
}

/// A `w:r` of `word/document.xml`: its byte span, its properties and where its content begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub span: Range<usize>,
    pub rpr: Option<Range<usize>>,
}

/// A piece of the produced text and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in [`Docx::text`].
    pub range: Range<usize>,
    pub block: Block,
    /// Characters of the block's own text before this span.
    pub chars_before: usize,
    /// False for list prefixes, table markup and separators, which are not in the document's text.
    pub real: bool,
    pub(crate) source: Option<Source>,
}

/// A Word document read for analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docx {
    /// The text the rules read: one block per paragraph, table rows as Markdown.
    pub text: String,
    /// Sorted, non-overlapping, covering the produced text piece by piece.
    pub spans: Vec<Span>,
    pub(crate) runs: Vec<Run>,
}

impl Docx {
    /// The location of byte `offset` of [`Docx::text`]; `None` past the end or in a separator.
    pub fn locate(&self, offset: usize) -> Option<Location> {
        let i = self.spans.partition_point(|s| s.range.end <= offset);
        let span = self.spans.get(i)?;
        if offset < span.range.start {
            return None;
        }
        let inside = if span.real { self.text.get(span.range.start..offset).map_or(0, |t| t.chars().count()) } else { 0 };
        Some(Location { block: span.block, offset: span.chars_before + inside })
    }

    /// The location of the first real text at or after `offset` (for a range that starts in a
    /// list prefix or between blocks).
    pub fn locate_forward(&self, offset: usize) -> Option<Location> {
        let i = self.spans.partition_point(|s| s.range.end <= offset);
        let span = self.spans[i..].iter().find(|s| s.real)?;
        self.locate(offset.max(span.range.start))
    }
}

/// Reads a zip entry whole, refusing one larger than [`MAX_ENTRY_BYTES`].
pub(crate) fn read_entry<R: Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
    let entry = match archive.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(malformed(format!("{name}: {e}"))),
    };
    if entry.size() > MAX_ENTRY_BYTES {
        return Err(DocxError::TooLarge(name.to_string()));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    // The declared size may lie: never read more than the limit.
    entry.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut bytes).map_err(|e| malformed(format!("{name}: {e}")))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(DocxError::TooLarge(name.to_string()));
    }
    Ok(Some(bytes))
}

pub(crate) fn open(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, DocxError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(DocxError::LegacyDoc);
    }
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| malformed(format!("không phải tệp zip / not a zip archive: {e}")))
}

pub(crate) fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, DocxError> {
    std::str::from_utf8(bytes).map_err(|_| malformed(format!("{name}: không phải UTF-8 / not UTF-8")))
}

/// Reads a `.docx` given as bytes.
pub fn read(bytes: &[u8]) -> Result<Docx, DocxError> {
    let mut archive = open(bytes)?;
    let document = read_entry(&mut archive, DOCUMENT_PART)?.ok_or_else(|| malformed(format!("thiếu / missing {DOCUMENT_PART}")))?;
    let numbering = match read_entry(&mut archive, "word/numbering.xml")? {
        Some(b) => {
            numbering::Numbering::parse(utf8("word/numbering.xml", &b)?).map_err(|e| malformed(format!("word/numbering.xml: {e}")))?
        }
        None => numbering::Numbering::default(),
    };
    let footnotes = read_entry(&mut archive, "word/footnotes.xml")?;
    let mut out = Builder { numbering, ..Builder::default() };
    let document = utf8(DOCUMENT_PART, &document)?;
    out.read_part(document, Part::Body).map_err(|e| malformed(format!("{DOCUMENT_PART}: {e}")))?;
    if let Some(footnotes) = footnotes {
        let footnotes = utf8("word/footnotes.xml", &footnotes)?;
        out.read_part(footnotes, Part::Footnotes).map_err(|e| malformed(format!("word/footnotes.xml: {e}")))?;
    }
    Ok(out.docx)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Body,
    Footnotes,
}

/// One paragraph being read: its pieces (text, and where it came from).
#[derive(Default)]
struct Para {
    prefix: String,
    pieces: Vec<(String, Option<Source>)>,
    num: Option<(Option<String>, Option<String>)>,
}

impl Para {
    fn push(&mut self, text: &str, source: Option<Source>) {
        self.pieces.push((text.to_string(), source));
    }

    fn is_empty(&self) -> bool {
        self.pieces.iter().all(|(t, _)| t.is_empty())
    }
}

#[derive(Default)]
struct Cell {
    paras: Vec<Para>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
}

#[derive(Default)]
struct Builder {
    docx: Docx,
    numbering: numbering::Numbering,
    paragraphs: usize,
    tables: usize,
    text_boxes: usize,
    footnotes: usize,
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

impl Builder {
    /// Appends `"\n\n"` between blocks, then the pieces of one block.
    fn emit(&mut self, block: Block, pieces: Vec<(String, Option<Source>, bool)>) {
        if pieces.iter().all(|(t, _, _)| t.is_empty()) {
            return;
        }
        if !self.docx.text.is_empty() {
            self.docx.text.push_str("\n\n");
        }
        let mut chars = 0;
        for (text, source, real) in pieces {
            if text.is_empty() {
                continue;
            }
            let start = self.docx.text.len();
            self.docx.text.push_str(&text);
            self.docx.spans.push(Span { range: start..self.docx.text.len(), block, chars_before: chars, real, source });
            if real {
                chars += text.chars().count();
            }
        }
    }

    fn emit_para(&mut self, block: Block, para: Para) {
        let mut pieces = Vec::new();
        if !para.prefix.is_empty() && !para.is_empty() {
            pieces.push((para.prefix, None, false));
        }
        pieces.extend(para.pieces.into_iter().map(|(t, s)| (t, s, true)));
        self.emit(block, pieces);
    }

    fn push_piece(&mut self, block: Block, text: &str, source: Option<Source>, real: bool, chars: &mut usize) {
        if text.is_empty() {
            return;
        }
        let start = self.docx.text.len();
        self.docx.text.push_str(text);
        self.docx.spans.push(Span { range: start..self.docx.text.len(), block, chars_before: *chars, real, source });
        if real {
            *chars += text.chars().count();
        }
    }

    /// A table as Markdown rows: `| a | b |`, a `| --- | --- |` separator after the first row.
    fn emit_table(&mut self, table: Table) {
        self.tables += 1;
        let number = self.tables;
        let width = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        if table.rows.is_empty() {
            return;
        }
        if !self.docx.text.is_empty() {
            self.docx.text.push_str("\n\n");
        }
        let rows = table.rows.len();
        for (r, row) in table.rows.into_iter().enumerate() {
            let cells = row.len();
            let mut last = Block::Cell { table: number, row: r + 1, column: 1 };
            for (c, cell) in row.into_iter().enumerate() {
                let block = Block::Cell { table: number, row: r + 1, column: c + 1 };
                last = block;
                let mut chars = 0;
                self.push_piece(block, if c == 0 { "| " } else { " | " }, None, false, &mut chars);
                let mut any = false;
                for para in cell.paras {
                    if para.is_empty() {
                        continue;
                    }
                    if any {
                        self.push_piece(block, " ", None, false, &mut chars);
                    }
                    any = true;
                    self.push_piece(block, &para.prefix, None, false, &mut chars);
                    for (text, source) in para.pieces {
                        // A bar or a line break inside a cell would cut the Markdown row.
                        let text = text.replace('|', "/").replace('\n', " ");
                        self.push_piece(block, &text, source, true, &mut chars);
                    }
                }
            }
            let mut tail = String::new();
            for _ in cells.max(1)..width {
                tail.push_str(" | ");
            }
            tail.push_str(" |");
            if r == 0 {
                tail.push_str(&format!("\n|{}", " --- |".repeat(width)));
            }
            if r + 1 < rows {
                tail.push('\n');
            }
            let mut chars = 0;
            self.push_piece(last, &tail, None, false, &mut chars);
        }
    }

    /// Streams one XML part: the body of `document.xml` or the footnotes of `footnotes.xml`.
    fn read_part(&mut self, xml: &str, part: Part) -> Result<(), quick_xml::Error> {
        let mut reader = Reader::from_str(xml);
        let body = part == Part::Body;
        // Open paragraphs: the body's, then a text box's inside it.
        let mut paras: Vec<Para> = Vec::new();
        // Open text boxes (each collects its paragraphs, emitted after the enclosing paragraph).
        let mut boxes: Vec<Vec<Para>> = Vec::new();
        let mut pending_boxes: Vec<Vec<Para>> = Vec::new();
        let mut tables: Vec<Table> = Vec::new();
        let mut skip = 0usize; // depth inside w:del, w:moveFrom, mc:Fallback, headers …
        let mut run: Option<usize> = None;
        let mut in_text: Option<Range<usize>> = None; // the open w:t's start tag
        let mut in_footnote = false;
        let mut in_ppr = 0usize;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event()?;
            let after = reader.buffer_position() as usize;
            match event {
                Event::Eof => break,
                Event::Start(e) => {
                    let name = e.name();
                    let l = local(name.as_ref());
                    if skip > 0 {
                        skip += 1;
                        continue;
                    }
                    match l {
                        b"del" | b"moveFrom" | b"Fallback" | b"instrText" | b"delText" => skip = 1,
                        b"footnote" if !body => {
                            let kind = attr(&e, b"type");
                            if kind.is_some_and(|k| k != "normal") {
                                skip = 1;
                            } else {
                                in_footnote = true;
                                self.footnotes += 1;
                            }
                        }
                        b"p" => paras.push(Para::default()),
                        b"pPr" => in_ppr += 1,
                        b"tbl" if boxes.is_empty() => tables.push(Table::default()),
                        b"tr" if boxes.is_empty() && tables.len() == 1 => {
                            if let Some(t) = tables.last_mut() {
                                t.rows.push(Vec::new());
                            }
                        }
                        b"tc" if boxes.is_empty() && tables.len() == 1 => {
                            if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                                row.push(Cell::default());
                            }
                        }
                        b"txbxContent" => boxes.push(Vec::new()),
                        b"r" if in_ppr == 0 && body && boxes.is_empty() => {
                            self.docx.runs.push(Run { span: before..before, rpr: None });
                            run = Some(self.docx.runs.len() - 1);
                        }
                        b"rPr" if in_ppr == 0 && boxes.is_empty() => {
                            if let Some(r) = run {
                                self.docx.runs[r].rpr = Some(before..before);
                            }
                        }
                        b"t" if in_ppr == 0 => in_text = Some(before..after),
                        _ => {}
                    }
                }
                Event::Empty(e) => {
                    if skip > 0 {
                        continue;
                    }
                    let name = e.name();
                    let l = local(name.as_ref());
                    let source = run.filter(|_| boxes.is_empty()).map(|r| Source { run: r, xml: before..after, is_text: false, tag: None });
                    let para = paras.last_mut();
                    match (l, para) {
                        (b"ilvl", Some(p)) if in_ppr > 0 => {
                            p.num.get_or_insert((None, None)).0 = attr(&e, b"val");
                        }
                        (b"numId", Some(p)) if in_ppr > 0 => {
                            p.num.get_or_insert((None, None)).1 = attr(&e, b"val");
                        }
                        (b"tab", Some(p)) if in_ppr == 0 => p.push("\t", source),
                        (b"ptab", Some(p)) if in_ppr == 0 => p.push("\t", source),
                        (b"br" | b"cr", Some(p)) if in_ppr == 0 => p.push("\n", source),
                        (b"noBreakHyphen", Some(p)) if in_ppr == 0 => p.push("-", source),
                        (b"rPr", _) if in_ppr == 0 && boxes.is_empty() => {
                            if let Some(r) = run {
                                self.docx.runs[r].rpr = Some(before..after);
                            }
                        }
                        // An empty paragraph still counts in the numbering of paragraphs.
                        (b"p", _) if body && boxes.is_empty() && tables.is_empty() => self.paragraphs += 1,
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if skip > 0 {
                        continue;
                    }
                    if let (Some(tag), Some(p)) = (in_text.clone(), paras.last_mut()) {
                        let text = t.unescape()?;
                        let source =
                            run.filter(|_| boxes.is_empty()).map(|r| Source { run: r, xml: before..after, is_text: true, tag: Some(tag) });
                        p.push(&text, source);
                    }
                }
                Event::CData(t) => {
                    if skip > 0 {
                        continue;
                    }
                    if let (Some(_), Some(p)) = (&in_text, paras.last_mut()) {
                        p.push(&String::from_utf8_lossy(&t), None);
                    }
                }
                Event::End(e) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let name = e.name();
                    match local(name.as_ref()) {
                        b"t" => in_text = None,
                        b"pPr" => in_ppr = in_ppr.saturating_sub(1),
                        b"rPr" if in_ppr == 0 && boxes.is_empty() => {
                            if let Some(r) = run {
                                if let Some(rpr) = &mut self.docx.runs[r].rpr {
                                    rpr.end = after;
                                }
                            }
                        }
                        b"r" if in_ppr == 0 && boxes.is_empty() => {
                            if let Some(r) = run.take() {
                                self.docx.runs[r].span.end = after;
                            }
                        }
                        b"p" => {
                            let Some(mut para) = paras.pop() else { continue };
                            if let Some((ilvl, Some(num_id))) = &para.num {
                                para.prefix = self.numbering.next(num_id, ilvl.as_deref().unwrap_or("0"));
                            }
                            if let Some(text_box) = boxes.last_mut() {
                                text_box.push(para);
                            } else if let Some(cell) = tables.first_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.last_mut()) {
                                cell.paras.push(para);
                            } else if body {
                                self.paragraphs += 1;
                                let n = self.paragraphs;
                                self.emit_para(Block::Paragraph(n), para);
                                for text_box in pending_boxes.drain(..) {
                                    self.text_boxes += 1;
                                    let n = self.text_boxes;
                                    for para in text_box {
                                        self.emit_para(Block::TextBox(n), para);
                                    }
                                }
                            } else if in_footnote {
                                let n = self.footnotes;
                                self.emit_para(Block::Footnote(n), para);
                            }
                        }
                        b"txbxContent" => {
                            if let Some(text_box) = boxes.pop() {
                                if boxes.is_empty() && tables.is_empty() {
                                    pending_boxes.push(text_box);
                                } else if let Some(outer) = boxes.last_mut() {
                                    outer.extend(text_box);
                                } else if let Some(cell) = tables.first_mut().and_then(|t| t.rows.last_mut()).and_then(|r| r.last_mut()) {
                                    cell.paras.extend(text_box);
                                }
                            }
                        }
                        b"tbl" if boxes.is_empty() => {
                            if tables.len() == 1 {
                                if let Some(t) = tables.pop() {
                                    self.emit_table(t);
                                }
                            } else {
                                tables.pop();
                            }
                        }
                        b"footnote" => in_footnote = false,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A minimal `.docx` package around `document` (the body's inner XML, without `<w:body>`), with
/// extra parts (`word/numbering.xml`, `word/footnotes.xml` …): for tests and tools that need a
/// small Word file. Parts are deflated.
pub fn package(body: &str, extra: &[(&str, &str)]) -> Result<Vec<u8>, DocxError> {
    use std::io::Write;
    let mut overrides = String::from(
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    );
    for (name, _) in extra {
        let kind = match *name {
            "word/numbering.xml" => "numbering",
            "word/footnotes.xml" => "footnotes",
            "word/comments.xml" => "comments",
            "word/styles.xml" => "styles",
            _ => continue,
        };
        overrides.push_str(&format!(
            "<Override PartName=\"/{name}\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml\"/>"
        ));
    }
    let types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>{overrides}</Types>"
    );
    let root_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (i, (name, _)) in extra.iter().enumerate() {
        let Some(target) = name.strip_prefix("word/") else { continue };
        let Some(kind) = target.strip_suffix(".xml") else { continue };
        rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{target}\"/>",
            i + 10
        ));
    }
    rels.push_str("</Relationships>");
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut parts: Vec<(&str, &str)> = vec![
        ("[Content_Types].xml", &types),
        ("_rels/.rels", root_rels),
        ("word/_rels/document.xml.rels", &rels),
        ("word/document.xml", &document),
    ];
    parts.extend_from_slice(extra);
    for (name, contents) in parts {
        writer.start_file(name, options).map_err(|e| malformed(format!("zip: {e}")))?;
        writer.write_all(contents.as_bytes()).map_err(|e| malformed(format!("zip: {e}")))?;
    }
    Ok(writer.finish().map_err(|e| malformed(format!("zip: {e}")))?.into_inner())
}

#[cfg(test)]
mod tests;
