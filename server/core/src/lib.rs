//! The pure analysis core of baocao-ls: text (plus configuration) in, findings with byte ranges out.
//!
//! This crate knows nothing of the Language Server Protocol, of tokio, ropey or dashmap.
//! The language server and the command-line checker both call [`Analyzer::analyze`];
//! positions are converted to LSP positions only at the protocol edge.
//!
//! Data flow: [`text::split_blocks`] cuts the document into blocks (paragraphs, tables, list runs);
//! [`extract::extract_block`] turns one block into [`extract::BlockFacts`] (quantities, totals,
//! counted lists, tables), cached by the block's content; the rule modules in [`rules`] turn facts
//! into findings, first block by block, then in one cheap document-level pass that links blocks.

pub mod analysis;
pub mod catalogue;
pub mod categories;
pub mod citations;
pub mod config;
pub mod docx;
pub mod extract;
pub mod fixture;
pub mod lexer;
pub mod number;
pub mod phrasebook;
pub mod ratios;
pub mod rules;
pub mod suppression;
pub mod syllable;
pub mod text;
pub mod units;

pub use analysis::{analyze, Analyzer};
pub use catalogue::Catalogue;
pub use config::{Config, DateSeparator, Locale, RuleSetting, ToneMarks};
pub use phrasebook::Phrasebook;
pub use rules::RuleCode;
pub use text::TextRange;

/// How serious a finding is. Mapped to LSP severities only in the server crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    /// The lowercase name used in settings and in the CLI's text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    /// Parses a setting value; accepts the LSP spellings and a few common short forms.
    pub fn parse(name: &str) -> Option<Severity> {
        match name.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Another place in the document that explains a finding (LSP `relatedInformation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

/// A text replacement: the range (bytes, in the analysed text) and what to put there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

/// A fix that can be offered as a quick fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub preferred: bool,
    /// The edits' `new_text` are LSP snippets (`${1:N} chỉ tiêu chưa đạt`): the server sends
    /// them as snippet edits to clients that accept those, and as plain text
    /// ([`phrasebook::snippet_to_plain`]) to the others.
    pub snippet: bool,
}

impl Fix {
    /// The preferred fix that replaces `range` with `new_text`.
    pub fn replace(title: impl Into<String>, range: TextRange, new_text: impl Into<String>) -> Fix {
        Fix::edits(title, vec![Edit { range, new_text: new_text.into() }])
    }

    /// The preferred fix made of `edits`.
    pub fn edits(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), edits, preferred: true, snippet: false }
    }

    /// The same fix, offered but not preferred.
    pub fn not_preferred(mut self) -> Fix {
        self.preferred = false;
        self
    }
}

/// One finding: what is wrong, where (byte range), and how sure we are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: RuleCode,
    pub range: TextRange,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    /// A finding of `code` at `range`, with the rule's default severity, no related places and
    /// no fix; the `with_*` methods add them.
    pub fn new(code: RuleCode, range: TextRange, message: impl Into<String>) -> Finding {
        Finding { code, range, severity: code.default_severity(), message: message.into(), related: Vec::new(), fixes: Vec::new() }
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    /// Adds related places (a total's parts, an earlier citation …).
    pub fn with_related(mut self, related: Vec<Related>) -> Finding {
        self.related.extend(related);
        self
    }

    /// Adds fixes, the preferred one first.
    pub fn with_fixes(mut self, fixes: impl IntoIterator<Item = Fix>) -> Finding {
        self.fixes.extend(fixes);
        self
    }

    pub fn with_fix(self, fix: Fix) -> Finding {
        self.with_fixes([fix])
    }

    /// Passes every range of the finding (its own, related places, fix edits) through `f`:
    /// block-relative to document-relative, or moved with the block it lies in.
    pub fn map_ranges(&mut self, f: impl Fn(TextRange) -> TextRange) {
        self.range = f(self.range);
        for related in &mut self.related {
            related.range = f(related.range);
        }
        for fix in &mut self.fixes {
            for edit in &mut fix.edits {
                edit.range = f(edit.range);
            }
        }
    }

    /// A copy moved `offset` bytes to the right: a block's finding placed in its document.
    pub fn shifted(&self, offset: usize) -> Finding {
        let mut f = self.clone();
        f.map_ranges(|r| r.shift(offset));
        f
    }
}

/// A data file (catalogue, phrasebook, project file …) that could not be read: the file, the
/// 1-based line and column, and why. Shown as `path:line:column: message`, the form editors
/// and terminals turn into a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

impl std::error::Error for SourceError {}

/// A stable hash of `value`, for cache keys.
pub(crate) fn fingerprint_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Runs `f` over `items`, on all cores when there are many: the first analysis of a large
/// document meets thousands of new blocks, each independent of the others. Order is kept.
pub(crate) fn par_map<I: Sync, O: Send>(items: &[I], f: impl Fn(&I) -> O + Sync) -> Vec<O> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    if items.len() < 64 || threads < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<_>>())).collect();
        // A panicking worker is re-raised here, as a panic on this thread would be.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}
