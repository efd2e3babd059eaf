//! The phrasebook: the standard wording of the genre as data (`data/phrasebook.json`, embedded
//! at build time) plus a workspace file the user keeps (`.baocao/phrasebook.json`).
//!
//! It holds standard resolution names, indicator status wording, standard sequences, report
//! skeletons, signature and recipient blocks (offered as completion snippets), the abbreviations
//! the `abbreviation-undefined` check knows with their expansions, and the misspellings the
//! `term-typo` check corrects. The schema is documented in `docs/phrasebook.md`. Every bundled
//! entry names the public sources it comes from; a test checks that every entry is well formed,
//! NFC, unique and sourced.
//!
//! This module holds the data and answers completion requests ([`complete`]); the checks that
//! read it are rules in `crate::rules`.

use crate::config::Config;
use crate::text::TextRange;
use serde::Deserialize;
use std::hash::Hash;
use std::sync::{Arc, OnceLock};

/// The bundled phrasebook's text; parsed once on first use.
pub const BUNDLED_JSON: &str = include_str!("../data/phrasebook.json");

/// What an entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhraseKind {
    /// A standard resolution name, offered after "Nghị quyết Đại hội" / "Nghị quyết Trung ương".
    Resolution,
    /// An indicator status category's standard wording, offered after "N chỉ tiêu".
    Status,
    /// A standard sequence or formula.
    Sequence,
    /// A whole-document skeleton, offered on an empty line at the start of a document.
    Skeleton,
    /// A signature block ("T/M …", "TM. …").
    Signature,
    /// The "Nơi nhận:" block, offered after "Nơi nhận".
    Recipients,
    /// An abbreviation and its expansion (`abbreviation-undefined`).
    Abbreviation,
    /// A misspelling and its correction (`term-typo`).
    Typo,
}

impl PhraseKind {
    pub fn parse(name: &str) -> Option<PhraseKind> {
        Some(match name {
            "resolution" => PhraseKind::Resolution,
            "status" => PhraseKind::Status,
            "sequence" => PhraseKind::Sequence,
            "skeleton" => PhraseKind::Skeleton,
            "signature" => PhraseKind::Signature,
            "recipients" => PhraseKind::Recipients,
            "abbreviation" => PhraseKind::Abbreviation,
            "typo" => PhraseKind::Typo,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhrase {
    id: String,
    kind: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    abbreviation: Option<String>,
    #[serde(default)]
    expansion: Option<String>,
    #[serde(default)]
    wrong: Option<String>,
    #[serde(default)]
    right: Option<String>,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    not_followed_by: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawFile {
    Object {
        #[allow(dead_code)] // Documents the format in the file itself; not needed to read it.
        #[serde(default)]
        schema: Option<String>,
        entries: Vec<serde_json::Value>,
    },
    List(Vec<serde_json::Value>),
}

/// One phrasebook entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub id: String,
    pub kind: PhraseKind,
    /// What a completion list shows; defaults to the text.
    pub label: String,
    /// Resolution, status, sequence, skeleton, signature, recipients: the text, as an LSP snippet
    /// (`${1:placeholder}`, `$0`).
    pub text: String,
    /// Abbreviation entries: "BCH" and "Ban Chấp hành".
    pub abbreviation: String,
    pub expansion: String,
    /// Typo entries: the misspelling and the correction (word sequences).
    pub wrong: String,
    pub right: String,
    /// Typo entries: match the misspelling with exactly this case (capitalisation entries).
    pub case_sensitive: bool,
    /// Typo entries: words after which the match is a real phrase, not a misspelling
    /// ("khiến trách nhiệm …" is "makes responsibility …", not "khiển trách").
    pub not_followed_by: Vec<String>,
    pub note: String,
    pub sources: Vec<String>,
    /// `None` for the bundled data, else the workspace file and the entry's 1-based line.
    pub origin: Option<(String, usize)>,
}

/// A phrasebook file that could not be read: the file, the 1-based line and column, and why.
pub type PhrasebookError = crate::SourceError;

/// The standard wording, searched by kind, abbreviation and misspelling.
#[derive(Debug, Default)]
pub struct Phrasebook {
    pub entries: Vec<Phrase>,
    /// A hash of the entries, computed on first use: part of the engine's cache key, so a
    /// changed workspace phrasebook re-runs the checks that read it.
    fingerprint: OnceLock<u64>,
}

/// A clone computes its own fingerprint: callers clone a phrasebook to add entries to it.
impl Clone for Phrasebook {
    fn clone(&self) -> Phrasebook {
        Phrasebook { entries: self.entries.clone(), fingerprint: OnceLock::new() }
    }
}

impl PartialEq for Phrasebook {
    fn eq(&self, other: &Phrasebook) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Phrasebook {}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rfind('\n').map_or(at, |i| at - i - 1) + 1;
    (line, column)
}

impl Phrasebook {
    /// A hash of the entries (they are not changed after parsing or merging).
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| crate::fingerprint_of(&format!("{:?}", self.entries)))
    }

    /// The bundled phrasebook, parsed once. A broken bundled file is a build defect caught by
    /// the test suite; at run time it degrades to an empty phrasebook instead of failing.
    pub fn bundled() -> Arc<Phrasebook> {
        static BUNDLED: OnceLock<Arc<Phrasebook>> = OnceLock::new();
        BUNDLED.get_or_init(|| Arc::new(Phrasebook::parse(BUNDLED_JSON, None).unwrap_or_default())).clone()
    }

    /// Parses a phrasebook file: `{"entries": [...]}` or a bare list. `path` is `None` for the
    /// bundled data and the file's path for a workspace phrasebook (whose entries may omit
    /// `sources`: they are the user's own).
    pub fn parse(text: &str, path: Option<&str>) -> Result<Phrasebook, PhrasebookError> {
        let name = path.unwrap_or("data/phrasebook.json").to_string();
        let error_at = |line: usize, column: usize, message: String| PhrasebookError { path: name.clone(), line, column, message };
        let file: RawFile = serde_json::from_str(text).map_err(|e| error_at(e.line(), e.column(), e.to_string()))?;
        let values = match file {
            RawFile::Object { entries, .. } => entries,
            RawFile::List(list) => list,
        };
        // The n-th `"id"` key starts the n-th entry: for error positions.
        let starts: Vec<usize> = text.match_indices("\"id\"").map(|(i, _)| i).collect();
        let mut entries = Vec::with_capacity(values.len());
        for (n, value) in values.into_iter().enumerate() {
            let (line, column) = line_col(text, starts.get(n).copied().unwrap_or(0));
            let fail = |message: String| error_at(line, column, format!("entry {}: {message}", n + 1));
            let raw: RawPhrase = serde_json::from_value(value).map_err(|e| fail(e.to_string()))?;
            let kind = PhraseKind::parse(&raw.kind).ok_or_else(|| fail(format!("unknown kind {:?}", raw.kind)))?;
            let need = |field: &Option<String>, what: &str| -> Result<String, PhrasebookError> {
                match field.as_deref().map(str::trim) {
                    Some(v) if !v.is_empty() => Ok(v.to_string()),
                    _ => Err(fail(format!("a {} entry needs a non-empty \"{what}\"", raw.kind))),
                }
            };
            let (mut text_field, mut abbreviation, mut expansion, mut wrong, mut right) =
                (String::new(), String::new(), String::new(), String::new(), String::new());
            match kind {
                PhraseKind::Abbreviation => {
                    abbreviation = need(&raw.abbreviation, "abbreviation")?;
                    expansion = need(&raw.expansion, "expansion")?;
                }
                PhraseKind::Typo => {
                    wrong = need(&raw.wrong, "wrong")?;
                    right = need(&raw.right, "right")?;
                    if wrong == right {
                        return Err(fail("\"wrong\" and \"right\" are the same".to_string()));
                    }
                }
                _ => {
                    text_field =
                        raw.text.clone().filter(|t| !t.trim().is_empty()).ok_or_else(|| fail("needs a non-empty \"text\"".into()))?
                }
            }
            if path.is_none() && raw.sources.is_empty() {
                return Err(fail("a bundled entry needs at least one public source".to_string()));
            }
            let label = raw.label.clone().unwrap_or_else(|| match kind {
                PhraseKind::Abbreviation => format!("{expansion} ({abbreviation})"),
                PhraseKind::Typo => format!("{wrong} → {right}"),
                _ => snippet_to_plain(&text_field),
            });
            entries.push(Phrase {
                id: raw.id,
                kind,
                label,
                text: text_field,
                abbreviation,
                expansion,
                wrong,
                right,
                case_sensitive: raw.case_sensitive,
                not_followed_by: raw.not_followed_by,
                note: raw.note.unwrap_or_default(),
                sources: raw.sources,
                origin: path.map(|p| (p.to_string(), line)),
            });
        }
        Ok(Phrasebook { entries, fingerprint: OnceLock::new() })
    }

    /// This phrasebook with `other`'s entries added; an entry of `other` with the same id
    /// replaces the one here (a workspace entry overrides the bundled one).
    pub fn merged(&self, other: &Phrasebook) -> Phrasebook {
        let mut entries: Vec<Phrase> = self.entries.iter().filter(|e| !other.entries.iter().any(|o| o.id == e.id)).cloned().collect();
        entries.extend(other.entries.iter().cloned());
        Phrasebook { entries, fingerprint: OnceLock::new() }
    }

    pub fn of_kind(&self, kind: PhraseKind) -> impl Iterator<Item = &Phrase> + '_ {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// The abbreviation entry for `abbreviation` ("BCH"), if the phrasebook knows it.
    pub fn abbreviation(&self, abbreviation: &str) -> Option<&Phrase> {
        self.of_kind(PhraseKind::Abbreviation).find(|e| e.abbreviation == abbreviation)
    }
}

/// The phrasebook a configuration uses: its own, or the bundled one.
pub fn of_config(config: &Config) -> Arc<Phrasebook> {
    config.phrasebook.clone().unwrap_or_else(Phrasebook::bundled)
}

/// A snippet as plain text, for clients without snippet support: `${1:N}` becomes `N`, `$1`
/// and `$0` disappear, `\$` becomes `$`.
pub fn snippet_to_plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '$' => match chars.peek() {
                Some('{') => {
                    chars.next();
                    // Skip the tab-stop number and the colon; keep the placeholder text.
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    if chars.peek() == Some(&':') {
                        chars.next();
                    }
                    let mut depth = 1;
                    for inner in chars.by_ref() {
                        match inner {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        out.push(inner);
                    }
                }
                Some(d) if d.is_ascii_digit() => {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                }
                _ => out.push('$'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The words of `text` with their byte offsets: maximal runs of letters and combining marks.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    crate::text::runs(text, crate::lexer::is_word_char)
}

/// One completion proposal: a phrasebook entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseItem {
    pub label: String,
    /// The entry's kind and sources, for the detail line.
    pub detail: String,
    /// The text to insert, as an LSP snippet.
    pub snippet: String,
    /// The same without tab stops, for clients without snippet support.
    pub plain: String,
    pub id: String,
}

/// What completion offers at a position: the range to replace and the proposals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseCompletion {
    pub range: TextRange,
    pub items: Vec<PhraseItem>,
}

fn item(phrase: &Phrase, snippet: String) -> PhraseItem {
    let detail = match phrase.sources.first() {
        Some(source) => format!("baocao · nguồn: {source}"),
        None => "baocao".to_string(),
    };
    PhraseItem { label: phrase.label.clone(), detail, plain: snippet_to_plain(&snippet), snippet, id: phrase.id.clone() }
}

/// Phrasebook snippets offered at `offset` (bytes) in `text`, in context:
/// - on an empty line with nothing but blank lines above: document skeletons;
/// - after "Nghị quyết Đại hội" or "Nghị quyết Trung ương": standard resolution names (the
///   already typed words are replaced);
/// - after a number followed by "chỉ tiêu": the status categories' standard wording;
/// - after "Nơi nhận": the recipients block;
/// - after "T/M", "K/T", "TM.", "KT." at the start of a line: signature blocks.
pub fn complete(text: &str, offset: usize, phrasebook: &Phrasebook) -> Option<PhraseCompletion> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let line_end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    let after = &text[offset..line_end];
    let here = TextRange::new(offset, offset);

    // Skeletons: an empty line at the start of the document.
    if before.trim().is_empty() && after.trim().is_empty() && text[..line_start].trim().is_empty() {
        let items: Vec<PhraseItem> = phrasebook.of_kind(PhraseKind::Skeleton).map(|p| item(p, p.text.clone())).collect();
        return (!items.is_empty()).then_some(PhraseCompletion { range: TextRange::new(line_start, line_end), items });
    }

    let lower = before.to_lowercase();
    let trimmed = lower.trim_end();
    // Resolution names: replace from "Nghị quyết" on.
    // Offsets found in the lowercased line are used in the original only when lowercasing kept
    // every byte length (always for Vietnamese; not for a few signs such as the Kelvin sign).
    let same_offsets = lower.len() == before.len();
    for opener in ["nghị quyết đại hội", "nghị quyết trung ương"] {
        if let Some(at) = lower.rfind(opener).filter(|_| same_offsets) {
            let tail = &lower[at + opener.len()..];
            // Only while the user is still on the name: at most one more word typed.
            if tail.split_whitespace().count() <= 1 && !tail.contains([',', ';', '.']) {
                let start = line_start + at;
                let items: Vec<PhraseItem> = phrasebook
                    .of_kind(PhraseKind::Resolution)
                    .filter(|p| p.text.to_lowercase().starts_with(opener))
                    .map(|p| item(p, p.text.clone()))
                    .collect();
                if !items.is_empty() {
                    return Some(PhraseCompletion { range: TextRange::new(start, offset), items });
                }
            }
        }
    }
    // Status wording after "N chỉ tiêu".
    if let Some(rest) = trimmed.strip_suffix("chỉ tiêu") {
        let number = rest.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let items: Vec<PhraseItem> = phrasebook.of_kind(PhraseKind::Status).map(|p| item(p, p.text.clone())).collect();
            let space = if before.ends_with(' ') { "" } else { " " };
            let items = items
                .into_iter()
                .map(|mut i| {
                    i.snippet = format!("{space}{}", i.snippet);
                    i.plain = format!("{space}{}", i.plain);
                    i
                })
                .collect();
            return Some(PhraseCompletion { range: here, items });
        }
    }
    // "Nơi nhận" → the recipients block.
    if trimmed.trim_start().trim_start_matches(['*', '_']).starts_with("nơi nhận") && trimmed.ends_with("nơi nhận") {
        let items: Vec<PhraseItem> = phrasebook.of_kind(PhraseKind::Recipients).map(|p| item(p, p.text.clone())).collect();
        return (!items.is_empty()).then_some(PhraseCompletion { range: here, items });
    }
    // Signature blocks after their abbreviation at the start of a line.
    let head = before.trim();
    if ["T/M", "K/T", "TM.", "KT."].contains(&head) {
        let start = line_start + before.find(head).unwrap_or(0);
        let items: Vec<PhraseItem> =
            phrasebook.of_kind(PhraseKind::Signature).filter(|p| p.text.starts_with(head)).map(|p| item(p, p.text.clone())).collect();
        return (!items.is_empty()).then_some(PhraseCompletion { range: TextRange::new(start, offset), items });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_read_as_plain_text() {
        assert_eq!(snippet_to_plain("${1:N} chỉ tiêu chưa đạt"), "N chỉ tiêu chưa đạt");
        assert_eq!(snippet_to_plain("a $1 b $0\\$"), "a  b $");
        assert_eq!(snippet_to_plain("T/M ${1:BAN THƯỜNG VỤ}\n${2:BÍ THƯ}"), "T/M BAN THƯỜNG VỤ\nBÍ THƯ");
    }

    #[test]
    fn words_have_offsets() {
        let found: Vec<(usize, &str)> = words("Tỉnh uỷ, 28 chỉ-tiêu").collect();
        assert_eq!(found, vec![(0, "Tỉnh"), (7, "uỷ"), (16, "chỉ"), (22, "tiêu")]);
    }

    #[test]
    fn broken_workspace_files_name_line_and_column() {
        let err =
            Phrasebook::parse("[\n {\"id\": \"x\", \"kind\": \"typo\", \"wrong\": \"a b\"}\n]", Some(".baocao/phrasebook.json")).err();
        assert_eq!(err.map(|e| (e.line, e.column)), Some((2, 3)));
        let ok = Phrasebook::parse(
            "[{\"id\": \"abbr-X\", \"kind\": \"abbreviation\", \"abbreviation\": \"BCĐ\", \"expansion\": \"Ban Chỉ đạo\"}]",
            Some("w"),
        );
        assert_eq!(ok.map(|p| p.entries.len()), Ok(1));
    }

    #[test]
    fn completion_in_context() {
        let book = Phrasebook::bundled();
        let labels = |text: &str| -> Vec<String> {
            complete(text, text.len(), &book).map(|c| c.items.into_iter().map(|i| i.id).collect()).unwrap_or_default()
        };
        assert!(labels("").iter().any(|id| id == "skeleton-bao-cao"));
        assert!(labels("Thực hiện Nghị quyết Đại hội").iter().any(|id| id == "resolution-national-congress"));
        assert!(labels("Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu").iter().any(|id| id == "status-dat-va-vuot"));
        assert!(labels("Nơi nhận").iter().any(|id| id == "recipients-party"));
        assert!(labels("T/M").iter().any(|id| id == "signature-party-collective"));
        // Not in context: nothing.
        assert!(labels("Kết quả thực hiện").is_empty());
        assert!(labels("Báo cáo\n\n").is_empty());
        // A sign whose lowercase is shorter (Kelvin sign) never shifts the replaced range.
        assert!(labels("\u{212A} Nghị quyết Đại hội").is_empty());
        for text in ["", "\u{212A}", "Nơi", "x\r\nT/M", "12 chỉ tiêu"] {
            for offset in 0..=text.len() + 2 {
                let _ = complete(text, offset, &book);
            }
        }
    }
}
