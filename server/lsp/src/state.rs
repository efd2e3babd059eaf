//! Open documents: ropey text, version, the per-document analysis cache and worker flags.
//!
//! Edits are applied synchronously, in arrival order, at the protocol edge (`server::ProtocolEdge`
//! calls [`Store::change`] while tower-lsp hands it the message, before any handler runs), so
//! concurrent handlers can never reorder them. No DashMap guard is held across an `.await`.
//!
//! Analysis: at most one analysis per document runs at a time ([`Worker`]); edits that arrive
//! meanwhile only mark the document dirty, and the worker then analyses the newest version. The
//! result is kept per version ([`Analysed`]) for pull requests, code actions and the next edit.

use crate::convert::{Encoding, Lines};
use baocao_core::{Analyzer, Finding};
use dashmap::DashMap;
use ropey::Rope;
use std::sync::{Arc, Mutex};
use tower_lsp::lsp_types::{Position, TextDocumentContentChangeEvent, Url};

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub analyzer: Arc<Mutex<Analyzer>>,
    pub worker: Arc<Worker>,
    /// The analysis of this version, once there is one (dropped when the text changes).
    pub analysed: Option<Arc<Analysed>>,
}

/// Whether a document's analysis is running, and whether an edit came in since it started.
#[derive(Default)]
pub struct Worker {
    pub flags: Mutex<WorkerFlags>,
}

#[derive(Default)]
pub struct WorkerFlags {
    pub running: bool,
    pub dirty: bool,
    /// The analysis last published, so that a refresh (new settings, a reloaded catalogue)
    /// that finds the same findings for the same version does not publish them again; dropped
    /// when the text changes.
    pub published: Option<Arc<Analysed>>,
}

/// The analysis of one version of a document: its text, line index and findings.
pub struct Analysed {
    pub version: i32,
    /// Settings generation the findings were computed with (see `server::Shared::generation`).
    pub generation: u64,
    pub text: Arc<String>,
    pub lines: Lines,
    pub findings: Vec<Finding>,
    /// The engine's citation index of this text (offsets of this text: carried over from the
    /// core's when a BOM or `\r` line breaks were normalised for it), with the fingerprint of
    /// the catalogue it was linked against: what hover, definition, references, completion and
    /// the outline read, so they agree with the diagnostics. `None` when the analysis failed.
    pub citations: Option<(u64, Arc<baocao_core::citations::CitationIndex>)>,
}

/// A document's current text for an editor query, with the line index of the current
/// analysis when there is one (no copy of the text, no new index).
pub struct Current {
    pub version: i32,
    pub text: Arc<String>,
    analysed: Option<Arc<Analysed>>,
}

impl Current {
    /// The engine's citation index of this version and the fingerprint of its catalogue.
    pub fn citations(&self) -> Option<&(u64, Arc<baocao_core::citations::CitationIndex>)> {
        self.analysed.as_ref().and_then(|a| a.citations.as_ref())
    }

    pub fn index(&self, encoding: Encoding) -> crate::convert::LineIndex<'_> {
        match &self.analysed {
            Some(a) if a.lines.encoding() == encoding => crate::convert::LineIndex::with(&a.text, &a.lines),
            _ => crate::convert::LineIndex::new(&self.text, encoding),
        }
    }
}

/// Every open document as it was when a request was read (rope clones: O(1) each), so an
/// editor query answers for the texts the client had when it asked, however long it runs.
pub struct View {
    docs: Vec<Pinned>,
}

impl View {
    pub fn uris(&self) -> Vec<Url> {
        self.docs.iter().map(|d| d.uri.clone()).collect()
    }

    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs.iter().find(|d| &d.uri == uri).map(|d| d.version)
    }

    pub fn pinned(&self, uri: &Url) -> Option<Pinned> {
        self.docs.iter().find(|d| &d.uri == uri).cloned()
    }

    /// The text of `uri` in this view: shared with its analysis when that is of this version.
    pub fn current(&self, uri: &Url) -> Option<Current> {
        let doc = self.docs.iter().find(|d| &d.uri == uri)?;
        Some(match doc.analysed.as_ref().filter(|a| a.version == doc.version) {
            Some(a) => Current { version: doc.version, text: a.text.clone(), analysed: Some(a.clone()) },
            None => Current { version: doc.version, text: Arc::new(text_of(&doc.rope)), analysed: None },
        })
    }
}

/// The text of `rope` in a string of exactly its size (`Rope::to_string` grows the string by
/// doubling: a 10 MB document's text would take 16 MB).
pub fn text_of(rope: &Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}

/// A document as it was at one moment: the rope is shared, not copied (cheap to take in order).
#[derive(Clone)]
pub struct Pinned {
    pub uri: Url,
    pub rope: Rope,
    pub version: i32,
    pub analyzer: Arc<Mutex<Analyzer>>,
    pub worker: Arc<Worker>,
    pub analysed: Option<Arc<Analysed>>,
}

#[derive(Default)]
pub struct Store {
    docs: DashMap<Url, Document>,
}

fn pinned(uri: &Url, doc: &Document) -> Pinned {
    Pinned {
        uri: uri.clone(),
        rope: doc.rope.clone(),
        version: doc.version,
        analyzer: doc.analyzer.clone(),
        worker: doc.worker.clone(),
        analysed: doc.analysed.clone(),
    }
}

/// What went wrong applying an edit; the edit was still applied as well as it could be.
#[derive(Debug, PartialEq, Eq)]
pub enum EditProblem {
    UnknownDocument,
    /// The change's version is not newer than the document's; it was ignored.
    StaleVersion {
        have: i32,
        got: i32,
    },
    /// A position lay outside the document and was clamped.
    Clamped(Position),
}

impl Store {
    pub fn open(&self, uri: Url, text: &str, version: i32) {
        self.docs.insert(
            uri,
            Document {
                rope: Rope::from_str(text),
                version,
                analyzer: Arc::new(Mutex::new(Analyzer::new())),
                worker: Arc::default(),
                analysed: None,
            },
        );
    }

    pub fn close(&self, uri: &Url) {
        self.docs.remove(uri);
    }

    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    pub fn uris(&self) -> Vec<Url> {
        self.docs.iter().map(|e| e.key().clone()).collect()
    }

    /// The current text of `uri`: the analysed text when it is of the current version (shared,
    /// not copied), else a copy of the rope.
    pub fn current(&self, uri: &Url) -> Option<Current> {
        let pinned = self.pin(uri)?;
        View { docs: vec![pinned] }.current(uri)
    }

    /// Every open document as it is now.
    pub fn view(&self) -> View {
        // One pass, no second lookup: a DashMap shard must not be locked twice by one thread.
        View { docs: self.docs.iter().map(|entry| pinned(entry.key(), entry.value())).collect() }
    }

    /// The document as it is now (O(1): the rope's nodes are shared).
    pub fn pin(&self, uri: &Url) -> Option<Pinned> {
        self.docs.get(uri).map(|doc| pinned(uri, &doc))
    }

    /// Keeps `analysed` as the analysis of the document's current version, unless the document
    /// is gone, was reopened (another worker), has changed since (an older text is kept by no
    /// one), or already holds a result at least as new.
    pub fn keep(&self, uri: &Url, worker: &Arc<Worker>, analysed: &Arc<Analysed>) {
        let Some(mut doc) = self.docs.get_mut(uri) else { return };
        if !Arc::ptr_eq(&doc.worker, worker) || doc.version != analysed.version {
            return;
        }
        let newer = !matches!(&doc.analysed, Some(a) if (a.version, a.generation) > (analysed.version, analysed.generation));
        if newer {
            doc.analysed = Some(analysed.clone());
        }
    }

    /// Whether `uri` is still open with this worker at `version` (a result may be published).
    pub fn is_current(&self, uri: &Url, worker: &Arc<Worker>, version: i32) -> bool {
        self.docs.get(uri).is_some_and(|d| d.version == version && Arc::ptr_eq(&d.worker, worker))
    }

    /// Applies content changes in order. Returns the problems met (empty when all went well).
    pub fn change(&self, uri: &Url, version: i32, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) -> Vec<EditProblem> {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return vec![EditProblem::UnknownDocument];
        };
        if version <= doc.version {
            return vec![EditProblem::StaleVersion { have: doc.version, got: version }];
        }
        let mut problems = Vec::new();
        for change in changes {
            match change.range {
                None => doc.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let (start, clamped_start) = char_index(&doc.rope, range.start, encoding);
                    let (end, clamped_end) = char_index(&doc.rope, range.end, encoding);
                    if clamped_start {
                        problems.push(EditProblem::Clamped(range.start));
                    }
                    if clamped_end {
                        problems.push(EditProblem::Clamped(range.end));
                    }
                    let (start, end) = if start <= end { (start, end) } else { (end, start) };
                    doc.rope.remove(start..end);
                    doc.rope.insert(start, &change.text);
                }
            }
        }
        doc.version = version;
        // The analysis of an older text answers nothing any more (every reader wants the current
        // version): let it go now rather than when the next analysis ends, so a large document
        // is not held twice, with all its findings, while it is analysed again.
        doc.analysed = None;
        if let Ok(mut flags) = doc.worker.flags.lock() {
            flags.published = None;
        }
        problems
    }
}

/// LSP position → rope char index. Past the end of a line clamps to the line's end (allowed by
/// the LSP); past the last line clamps to the end of the text and is reported. A position inside
/// a character (half of a surrogate pair) moves to its end. O(log n): no scan from the line start.
pub fn char_index(rope: &Rope, position: Position, encoding: Encoding) -> (usize, bool) {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_chars(), true);
    }
    let line_start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut content = slice.len_chars();
    while content > 0 && matches!(slice.char(content - 1), '\n' | '\r') {
        content -= 1;
    }
    let slice = slice.slice(..content);
    let wanted = position.character as usize;
    let index = match encoding {
        Encoding::Utf32 => wanted.min(content),
        Encoding::Utf16 => {
            let target = wanted.min(slice.len_utf16_cu());
            let i = slice.utf16_cu_to_char(target);
            if slice.char_to_utf16_cu(i) < target {
                i + 1
            } else {
                i
            }
        }
        Encoding::Utf8 => {
            let target = wanted.min(slice.len_bytes());
            let i = slice.byte_to_char(target);
            if slice.char_to_byte(i) < target {
                i + 1
            } else {
                i
            }
        }
    };
    (line_start + index.min(content), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp::lsp_types::Range;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range { start: Position { line: sl, character: sc }, end: Position { line: el, character: ec } }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn edits_in_utf16_after_vietnamese_and_emoji_and_crlf() {
        let store = Store::default();
        let uri = Url::parse("file:///a.md").unwrap_or_else(|_| unreachable!());
        store.open(uri.clone(), "Tổng 🎉 28 chỉ tiêu\r\ncó 6 đạt", 1);
        // "Tổng 🎉 " is 8 UTF-16 units (🎉 is two).
        let problems = store.change(&uri, 2, &[change(0, 8, 0, 10, "25"), change(1, 3, 1, 4, "7")], Encoding::Utf16);
        assert!(problems.is_empty());
        assert_eq!(store.current(&uri).map(|s| s.text.to_string()), Some("Tổng 🎉 25 chỉ tiêu\r\ncó 7 đạt".to_string()));
    }

    #[test]
    fn positions_convert_without_scanning_the_line_and_clamp_inside_characters() {
        let rope = Rope::from_str("ab🎉c\r\nđ");
        let at = |line, character, encoding| char_index(&rope, Position { line, character }, encoding).0;
        assert_eq!(at(0, 2, Encoding::Utf16), 2);
        // Half of the surrogate pair: the end of the emoji.
        assert_eq!(at(0, 3, Encoding::Utf16), 3);
        assert_eq!(at(0, 4, Encoding::Utf16), 3);
        assert_eq!(at(0, 5, Encoding::Utf16), 4);
        // Past the end of the line: before the line break, not inside it.
        assert_eq!(at(0, 99, Encoding::Utf16), 4);
        assert_eq!(at(0, 99, Encoding::Utf32), 4);
        assert_eq!(at(0, 3, Encoding::Utf8), 3);
        assert_eq!(at(0, 6, Encoding::Utf8), 3);
        assert_eq!(at(1, 1, Encoding::Utf8), 7);
        assert_eq!(at(1, 2, Encoding::Utf8), 7);
        assert_eq!(char_index(&rope, Position { line: 5, character: 0 }, Encoding::Utf16), (rope.len_chars(), true));
    }

    #[test]
    fn an_edit_lets_go_of_the_analysis_of_the_older_text() {
        let store = Store::default();
        let uri = Url::parse("file:///c.md").unwrap_or_else(|_| unreachable!());
        store.open(uri.clone(), "Tổng số 28 chỉ tiêu.", 1);
        let Some(first) = store.pin(&uri) else { panic!("not open") };
        let text = text_of(&first.rope);
        let analysed = |version| {
            Arc::new(Analysed {
                version,
                generation: 0,
                text: Arc::new(text.clone()),
                lines: Lines::new(&text, Encoding::Utf16),
                findings: Vec::new(),
                citations: None,
            })
        };
        let v1 = analysed(1);
        store.keep(&uri, &first.worker, &v1);
        if let Ok(mut flags) = first.worker.flags.lock() {
            flags.published = Some(v1.clone());
        }
        assert!(store.pin(&uri).is_some_and(|p| p.analysed.is_some()));
        store.change(&uri, 2, &[change(0, 0, 0, 0, "x")], Encoding::Utf16);
        // Neither the document nor the push worker holds version 1 any more ...
        assert!(store.pin(&uri).is_some_and(|p| p.analysed.is_none()));
        assert!(first.worker.flags.lock().is_ok_and(|f| f.published.is_none()));
        assert_eq!(Arc::strong_count(&v1), 1);
        // ... and an analysis of it that ends late (a pull sent before the edit) is not kept.
        store.keep(&uri, &first.worker, &v1);
        assert!(store.pin(&uri).is_some_and(|p| p.analysed.is_none()));
        let v2 = analysed(2);
        store.keep(&uri, &first.worker, &v2);
        assert!(store.pin(&uri).and_then(|p| p.analysed).is_some_and(|a| a.version == 2));
    }

    #[test]
    fn stale_versions_are_ignored_and_bad_positions_clamp() {
        let store = Store::default();
        let uri = Url::parse("file:///b.md").unwrap_or_else(|_| unreachable!());
        store.open(uri.clone(), "abc", 5);
        assert_eq!(store.change(&uri, 5, &[change(0, 0, 0, 1, "x")], Encoding::Utf16), vec![EditProblem::StaleVersion { have: 5, got: 5 }]);
        let problems = store.change(&uri, 6, &[change(7, 0, 9, 3, "!")], Encoding::Utf16);
        assert_eq!(problems.len(), 2);
        assert_eq!(store.current(&uri).map(|s| s.text.to_string()), Some("abc!".to_string()));
        store.change(&uri, 7, &[change(0, 99, 0, 99, "?")], Encoding::Utf16);
        assert_eq!(store.current(&uri).map(|s| s.text.to_string()), Some("abc!?".to_string()));
    }
}
