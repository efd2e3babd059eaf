//! The only place that knows about LSP positions: byte offsets ↔ (line, character) in the
//! negotiated encoding (UTF-16 by default, UTF-8 or UTF-32 when the client offers it),
//! and core findings → LSP diagnostics.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specifies.

use baocao_core::{Finding, Severity};
use tower_lsp::lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, Url,
};

/// How LSP `character` offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// Bytes between two checkpoints of [`Lines`] inside one long line.
const CHECKPOINT_BYTES: usize = 512;

/// The line index of one text, owned (kept with each analysed version): line starts, and
/// checkpoints every [`CHECKPOINT_BYTES`] inside lines, so that converting an offset or a
/// position counts at most that many bytes, however long the line: no scan from the line start.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    /// (byte offset, units from the line start), sorted by offset; every line start is one.
    marks: Vec<(usize, u32)>,
    encoding: Encoding,
    len: usize,
}

fn units(ch: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

impl Lines {
    pub fn new(text: &str, encoding: Encoding) -> Lines {
        let mut starts = vec![0];
        let mut marks = vec![(0, 0)];
        let bytes = text.as_bytes();
        let mut count = 0usize;
        let mut last_mark = 0usize;
        let mut iter = text.char_indices().peekable();
        while let Some((i, ch)) = iter.next() {
            let line_break = match ch {
                '\n' => true,
                '\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if line_break {
                starts.push(i + 1);
                marks.push((i + 1, 0));
                count = 0;
                last_mark = i + 1;
                continue;
            }
            count += units(ch, encoding);
            let next = i + ch.len_utf8();
            if next - last_mark >= CHECKPOINT_BYTES && iter.peek().is_some() {
                marks.push((next, count as u32));
                last_mark = next;
            }
        }
        starts.shrink_to_fit();
        marks.shrink_to_fit();
        Lines { starts, marks, encoding, len: text.len() }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

/// Line index of one text, for converting offsets in both directions.
///
/// It remembers the line and the checkpoint of the last conversion: findings are converted in
/// text order, so the next offset is almost always on the same line or the next one, found
/// without a binary search (on a 10 MB document the searches' cache misses were a tenth of the
/// time of publishing 78,000 diagnostics).
pub struct LineIndex<'a> {
    text: &'a str,
    lines: std::borrow::Cow<'a, Lines>,
    /// (line, index into `marks`) of the last [`LineIndex::position`].
    hint: std::cell::Cell<(usize, usize)>,
}

/// The index `i` of the last of the sorted `keys` that is at most `value` (0 when none is), trying
/// `hint` and the one after it first.
fn last_at_most(len: usize, key: impl Fn(usize) -> usize, value: usize, hint: usize) -> usize {
    let fits = |i: usize| i < len && key(i) <= value && (i + 1 == len || value < key(i + 1));
    if fits(hint) {
        return hint;
    }
    if fits(hint + 1) {
        return hint + 1;
    }
    let mut low = 0;
    let mut high = len;
    while low < high {
        let mid = low + (high - low) / 2;
        if key(mid) <= value {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low.saturating_sub(1)
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> LineIndex<'a> {
        LineIndex { text, lines: std::borrow::Cow::Owned(Lines::new(text, encoding)), hint: Default::default() }
    }

    /// An index over `text` from its precomputed `lines` (which must be of this text).
    pub fn with(text: &'a str, lines: &'a Lines) -> LineIndex<'a> {
        debug_assert_eq!(text.len(), lines.len);
        LineIndex { text, lines: std::borrow::Cow::Borrowed(lines), hint: Default::default() }
    }

    /// The end of line `line`'s content (before its line break).
    fn line_end(&self, line: usize) -> usize {
        let starts = &self.lines.starts;
        let next = starts.get(line + 1).copied().unwrap_or(self.text.len());
        let content = &self.text[starts[line]..next];
        starts[line] + content.trim_end_matches(['\n', '\r']).len()
    }

    fn count(&self, segment: &str) -> usize {
        match self.lines.encoding {
            Encoding::Utf8 => segment.len(),
            Encoding::Utf16 => segment.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => segment.chars().count(),
        }
    }

    /// Byte offset → position. Offsets inside a character snap to its start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let starts = &self.lines.starts;
        let (line_hint, mark_hint) = self.hint.get();
        let line = last_at_most(starts.len(), |i| starts[i], offset, line_hint);
        let mut end = offset.min(self.line_end(line));
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let marks = &self.lines.marks;
        let m = last_at_most(marks.len(), |i| marks[i].0, end, mark_hint);
        self.hint.set((line, m));
        let (mark, before) = marks[m];
        let (mark, before) = if mark >= starts[line] { (mark, before as usize) } else { (starts[line], 0) };
        let character = before + self.count(&self.text[mark..end]);
        Position { line: line as u32, character: character as u32 }
    }

    /// Position → byte offset. Positions past the end of a line clamp to the line's end and
    /// lines past the end of the text clamp to the text's end, as the LSP asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let starts = &self.lines.starts;
        if line >= starts.len() {
            return self.text.len();
        }
        let start = starts[line];
        let end = self.line_end(line);
        let wanted = position.character as usize;
        let marks = &self.lines.marks;
        let first = marks.partition_point(|m| m.0 < start);
        let last = marks.partition_point(|m| m.0 <= end);
        let in_line = &marks[first..last.max(first)];
        let (mark, before) = match in_line.partition_point(|m| (m.1 as usize) <= wanted) {
            0 => (start, 0),
            n => (in_line[n - 1].0, in_line[n - 1].1 as usize),
        };
        let mut count = before;
        for (i, ch) in self.text[mark..end].char_indices() {
            if count >= wanted {
                return mark + i;
            }
            count += units(ch, self.lines.encoding);
        }
        end
    }

    pub fn range(&self, range: baocao_core::TextRange) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end) }
    }
}

/// Analyses a document's text as both the server and the CLI do. The rules see the text with
/// a leading BOM (U+FEFF) left out and every line break as `\n` (`\r\n` and a lone `\r`, which
/// the LSP also counts as line breaks, become `\n`), so LF, CRLF and CR documents give the same
/// findings; the ranges returned are of `text` itself (BOM and `\r` included), and fix texts use
/// the document's own `\r\n` when it has them.
pub fn analyse_document(
    analyzer: &mut baocao_core::Analyzer,
    text: &str,
    config: &baocao_core::Config,
    catalogue: &baocao_core::Catalogue,
) -> Vec<Finding> {
    analyse_document_mapped(analyzer, text, config, catalogue).0
}

/// How offsets of the text the core analysed map back to the document's text (see
/// [`analyse_document`]): the length of a leading BOM, and where each dropped `\r` of a `\r\n`
/// stood in the core's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalised {
    bom: usize,
    /// `removed[i]`: the offset in the core's text where the i-th dropped `\r` stood.
    removed: Vec<usize>,
}

impl Normalised {
    /// The document offset of the core's offset `offset`.
    pub fn back(&self, offset: usize) -> usize {
        offset + self.bom + self.removed.partition_point(|&r| r < offset)
    }

    pub fn range(&self, range: baocao_core::TextRange) -> baocao_core::TextRange {
        baocao_core::TextRange::new(self.back(range.start), self.back(range.end))
    }
}

/// [`analyse_document`], also telling how the core's text maps to `text`: `None` when the core
/// saw `text` itself, so that the engine's indexes (its citations) can be read with `text`'s
/// offsets too.
pub fn analyse_document_mapped(
    analyzer: &mut baocao_core::Analyzer,
    text: &str,
    config: &baocao_core::Config,
    catalogue: &baocao_core::Catalogue,
) -> (Vec<Finding>, Option<Normalised>) {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &text[bom..];
    let only_bom = (bom > 0).then(|| Normalised { bom, removed: Vec::new() });
    if !body.contains('\r') {
        let findings = analyzer.analyze_with(body, config, catalogue);
        return match only_bom {
            None => (findings, None),
            Some(mapping) => (findings.iter().map(|f| f.shifted(bom)).collect(), Some(mapping)),
        };
    }
    let bytes = body.as_bytes();
    let mut normal = Vec::with_capacity(bytes.len());
    let mut removed = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => removed.push(normal.len()),
            b'\r' => normal.push(b'\n'),
            other => normal.push(other),
        }
    }
    // Only ASCII bytes were dropped or replaced: still UTF-8.
    let Ok(normal) = String::from_utf8(normal) else {
        let findings = analyzer.analyze_with(body, config, catalogue);
        return (findings, only_bom);
    };
    let mapping = Normalised { bom, removed };
    let crlf = !mapping.removed.is_empty();
    let findings = analyzer
        .analyze_with(&normal, config, catalogue)
        .into_iter()
        .map(|mut f| {
            f.map_ranges(|r| mapping.range(r));
            if crlf {
                for edit in f.fixes.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
                    if edit.new_text.contains('\n') {
                        edit.new_text = edit.new_text.replace("\r\n", "\n").replace('\n', "\r\n");
                    }
                }
            }
            f
        })
        .collect();
    (findings, Some(mapping))
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A core finding as the LSP diagnostic the server publishes (and the CLI prints as JSON).
pub fn diagnostic(finding: &Finding, index: &LineIndex<'_>, uri: &Url) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: index.range(r.range) },
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: index.range(finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: Url::parse(&finding.code.doc_url()).ok().map(|href| CodeDescription { href }),
        source: Some("baocao".to_string()),
        message: finding.message.clone(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: None,
    }
}

/// A finding as the JSON of the LSP diagnostic [`diagnostic`] makes of it, serialised straight
/// from the finding: no `Diagnostic` with copies of its strings, no URL parsed per finding.
/// What the server publishes and the CLI prints.
pub struct DiagnosticsJson<'a> {
    pub findings: &'a [Finding],
    pub index: &'a LineIndex<'a>,
    pub uri: &'a Url,
}

/// The `codeDescription.href` of a rule, as `Url` writes it.
fn href(code: baocao_core::RuleCode) -> Option<String> {
    Url::parse(&code.doc_url()).ok().map(String::from)
}

impl serde::Serialize for DiagnosticsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(serde::Serialize)]
        struct Href<'a> {
            href: &'a str,
        }
        #[derive(serde::Serialize)]
        struct At<'a> {
            uri: &'a Url,
            range: Range,
        }
        #[derive(serde::Serialize)]
        struct RelatedJson<'a> {
            location: At<'a>,
            message: &'a str,
        }
        struct One<'a> {
            finding: &'a Finding,
            index: &'a LineIndex<'a>,
            uri: &'a Url,
            href: Option<&'a str>,
        }
        impl serde::Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let f = self.finding;
                let mut d = serializer.serialize_struct("Diagnostic", 7)?;
                d.serialize_field("range", &self.index.range(f.range))?;
                d.serialize_field("severity", &severity(f.severity))?;
                d.serialize_field("code", f.code.as_str())?;
                if let Some(href) = self.href {
                    d.serialize_field("codeDescription", &Href { href })?;
                }
                d.serialize_field("source", "baocao")?;
                d.serialize_field("message", &f.message)?;
                if !f.related.is_empty() {
                    let related = f
                        .related
                        .iter()
                        .map(|r| RelatedJson { location: At { uri: self.uri, range: self.index.range(r.range) }, message: &r.message });
                    d.serialize_field("relatedInformation", &Seq(std::cell::Cell::new(Some(related))))?;
                }
                d.end()
            }
        }
        let mut hrefs: Vec<(baocao_core::RuleCode, Option<String>)> = Vec::new();
        for f in self.findings {
            if !hrefs.iter().any(|(c, _)| *c == f.code) {
                hrefs.push((f.code, href(f.code)));
            }
        }
        let href_of = |code| hrefs.iter().find(|(c, _)| *c == code).and_then(|(_, h)| h.as_deref());
        serializer.collect_seq(self.findings.iter().map(|finding| One {
            finding,
            index: self.index,
            uri: self.uri,
            href: href_of(finding.code),
        }))
    }
}

/// An iterator serialised as a JSON array (once).
struct Seq<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Seq<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(items) => serializer.collect_seq(items),
            None => serializer.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// The fixes of a finding as JSON, `[{title, preferred, snippet, edits: [{range, newText}]}]`
/// with LSP ranges: what `check --format json` prints beside each diagnostic, serialised as it
/// is written (no JSON value is built). The server does not send them (it computes the fixes of
/// the current version in `codeAction`), which keeps each published diagnostic small.
pub struct FixesOf<'a> {
    pub finding: &'a Finding,
    pub index: &'a LineIndex<'a>,
}

impl serde::Serialize for FixesOf<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Fix<'a> {
            title: &'a str,
            preferred: bool,
            snippet: bool,
            edits: Edits<'a>,
        }
        struct Edits<'a>(&'a [baocao_core::Edit], &'a LineIndex<'a>);
        impl serde::Serialize for Edits<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #[derive(serde::Serialize)]
                #[serde(rename_all = "camelCase")]
                struct Edit<'a> {
                    range: Range,
                    new_text: &'a str,
                }
                serializer.collect_seq(self.0.iter().map(|e| Edit { range: self.1.range(e.range), new_text: &e.new_text }))
            }
        }
        let index = self.index;
        serializer.collect_seq(self.finding.fixes.iter().map(|fix| Fix {
            title: &fix.title,
            preferred: fix.preferred,
            snippet: fix.snippet,
            edits: Edits(&fix.edits, index),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine's citation index of a normalised text (BOM left out, `\r\n` and `\r` read
    /// as `\n`), carried over with the mapping, is the index of the document's own text.
    #[test]
    fn the_engine_s_index_maps_back_to_a_crlf_document_with_a_bom() {
        let catalogue = baocao_core::Catalogue::bundled();
        let lf = "I. KẾT QUẢ\n\nThực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Bộ Chính trị,\nKL 21 được quán triệt.\n\nThứ Hai, ngày 31/4/2024, Nghị quyết số 11-NQ/TW ngày 10/02/2022.\n";
        for text in [
            lf.to_string(),
            format!("\u{feff}{lf}"),
            lf.replace('\n', "\r\n"),
            format!("\u{feff}{}", lf.replace('\n', "\r\n")),
            lf.replace('\n', "\r"),
        ] {
            let mut analyzer = baocao_core::Analyzer::new();
            let (_, mapping) = analyse_document_mapped(&mut analyzer, &text, &baocao_core::Config::default(), &catalogue);
            assert_eq!(mapping.is_none(), text == lf);
            let Some(index) = analyzer.citation_index() else { panic!("no index") };
            let mut index = (*index).clone();
            if let Some(mapping) = &mapping {
                index.map_ranges(&|r| mapping.range(r));
            }
            assert_eq!((index.citations.len(), index.dates.len()), (3, 3), "{text:?}");
            assert_eq!(index, baocao_core::citations::CitationIndex::of_text(&text, &catalogue), "{text:?}");
        }
    }

    #[test]
    fn vietnamese_and_astral_characters_count_in_utf16_units() {
        // "Tổng số hồ sơ tiếp nhận: " is 25 UTF-16 units but 36 bytes.
        let text = "Tổng số hồ sơ tiếp nhận: 1.250\n🎉 28 chỉ tiêu";
        let index = LineIndex::new(text, Encoding::Utf16);
        let number = text.find("1.250").unwrap_or_default();
        assert_eq!(number, 36);
        assert_eq!(index.position(number), Position { line: 0, character: 25 });
        let second = text.find("28").unwrap_or_default();
        assert_eq!(index.position(second), Position { line: 1, character: 3 });
        assert_eq!(index.offset(Position { line: 1, character: 3 }), second);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(number), Position { line: 0, character: 36 });
        let utf32 = LineIndex::new(text, Encoding::Utf32);
        assert_eq!(utf32.position(second), Position { line: 1, character: 2 });
    }

    #[test]
    fn long_lines_convert_through_checkpoints_like_a_scan_from_the_line_start() {
        let line: String = (0..3000).map(|i| if i % 7 == 0 { "🎉ệ" } else { "ab" }).collect();
        let text = format!("x\r\n{line}\n{line}");
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let index = LineIndex::new(&text, encoding);
            for (offset, _) in text.char_indices().step_by(37) {
                let line_start = text[..offset].rfind(['\n']).map_or(0, |i| i + 1);
                let line_no = text[..offset].matches('\n').count() as u32;
                let scanned = text[line_start..offset].trim_end_matches(['\r']);
                let character = match encoding {
                    Encoding::Utf8 => scanned.len(),
                    Encoding::Utf16 => scanned.encode_utf16().count(),
                    Encoding::Utf32 => scanned.chars().count(),
                } as u32;
                let position = index.position(offset);
                if !text[..offset].ends_with('\r') {
                    assert_eq!(position, Position { line: line_no, character }, "{encoding:?} at {offset}");
                    assert_eq!(index.offset(position), offset, "{encoding:?} back from {position:?}");
                }
            }
        }
    }

    #[test]
    fn diagnostics_serialised_from_findings_equal_the_lsp_diagnostics() {
        use baocao_core::{Related, RuleCode, TextRange};
        let text = "Tổng 🎉 28 chỉ tiêu\r\ncó 6 đạt\nx";
        let uri = Url::parse("file:///tmp/a.md").unwrap_or_else(|_| unreachable!());
        let findings = vec![
            Finding::new(RuleCode::TotalMismatch, TextRange::new(12, 14), "tổng \"sai\"").with_related(vec![
                Related { range: TextRange::new(23, 24), message: "phần".to_string() },
                Related { range: TextRange::new(0, 1), message: String::new() },
            ]),
            Finding::new(RuleCode::ALL[1], TextRange::new(30, 31), "b"),
        ];
        let index = LineIndex::new(text, Encoding::Utf16);
        let typed: Vec<Diagnostic> = findings.iter().map(|f| diagnostic(f, &index, &uri)).collect();
        let streamed = serde_json::to_value(DiagnosticsJson { findings: &findings, index: &index, uri: &uri }).ok();
        assert_eq!(streamed, serde_json::to_value(&typed).ok());
    }

    #[test]
    fn hinted_lookups_agree_with_binary_search_in_any_order() {
        let text: String =
            (0..400).map(|i| if i % 9 == 0 { "\r\n".to_string() } else { format!("dòng {i} {}\n", "ệ".repeat(i % 300)) }).collect();
        let reference = LineIndex::new(&text, Encoding::Utf16);
        let fresh = |offset| {
            reference.hint.set((0, 0));
            reference.position(offset)
        };
        let index = LineIndex::new(&text, Encoding::Utf16);
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(13).collect();
        offsets.extend(offsets.clone().iter().rev());
        offsets.extend([0, text.len(), 5, text.len() / 2, 1]);
        for offset in offsets {
            assert_eq!(index.position(offset), fresh(offset), "at {offset}");
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_and_out_of_range_positions_clamp() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.position(3), Position { line: 1, character: 0 });
        assert_eq!(index.position(5), Position { line: 2, character: 0 });
        assert_eq!(index.offset(Position { line: 0, character: 99 }), 1);
        assert_eq!(index.offset(Position { line: 99, character: 0 }), text.len());
        // An offset inside a line break maps to the end of the line.
        assert_eq!(index.position(2), Position { line: 0, character: 1 });
    }
}
