//! The catalogue of cited documents: the bundled data (`data/directives.json`, embedded at build
//! time) plus workspace catalogues the user keeps for local documents (`.baocao/directives.json`).
//!
//! The schema is documented in `docs/catalogue.md`. Every bundled entry carries the public
//! sources it was checked against; a workspace entry may omit them (it is the user's own record)
//! and is shown with its file and line instead.

use crate::citations::date::find_dates;
use crate::citations::date::Date;
use crate::citations::symbol::{parse_symbol, Symbol, SymbolKey};
use crate::citations::{Body, Citation};
use crate::TextRange;
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

/// The bundled catalogue's text; parsed once on first use.
pub const BUNDLED_JSON: &str = include_str!("../data/directives.json");

/// Where an entry comes from, for hover ("nguồn") and go-to-definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Bundled,
    /// A workspace catalogue file and the 1-based line where the entry starts.
    Workspace {
        path: String,
        line: usize,
    },
    /// Not catalogued: a document fully cited in a report of the workspace (file and 1-based
    /// line of the citation). Its facts are what that draft wrote, never checked.
    Cited {
        path: String,
        line: usize,
    },
}

/// A document named by a relation (replaces, replaced by, amended by).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RelatedDoc {
    pub number_symbol: String,
    #[serde(default)]
    pub issue_date: Option<String>,
    #[serde(default)]
    pub issuing_body: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// The day the related document took effect (`yyyy-mm-dd`), when a source gives it: the
    /// day a replacement starts to apply ("có hiệu lực từ").
    #[serde(default)]
    pub in_force: Option<String>,
}

impl RelatedDoc {
    pub fn date(&self) -> Option<Date> {
        self.issue_date.as_deref().and_then(Date::parse_iso)
    }

    /// The day the related document took effect, when the relation records it.
    pub fn in_force_date(&self) -> Option<Date> {
        self.in_force.as_deref().and_then(Date::parse_iso)
    }

    /// "69-QĐ/TW ngày 06/07/2022".
    pub fn describe(&self) -> String {
        match self.date() {
            Some(d) => format!("{} ngày {}", self.number_symbol, d.dmy()),
            None => self.number_symbol.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RawEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    system: Option<String>,
    #[serde(rename = "type")]
    doc_type: String,
    number_symbol: String,
    #[serde(default)]
    issue_date: Option<String>,
    #[serde(default)]
    issuing_body: Option<String>,
    #[serde(default)]
    meeting: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    in_force: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    replaces: Vec<RelatedDoc>,
    #[serde(default)]
    replaced_by: Vec<RelatedDoc>,
    #[serde(default)]
    amended_by: Vec<RelatedDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawFile {
    Object { entries: Vec<serde_json::Value> },
    List(Vec<serde_json::Value>),
}

/// One catalogued document.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub system: Option<String>,
    /// "Nghị quyết", "Quy định" … as written in the source.
    pub doc_type: String,
    pub number_symbol: String,
    pub symbol: Option<Symbol>,
    pub issue_date: Option<Date>,
    pub issuing_body: String,
    pub meeting: Option<String>,
    pub title: String,
    /// The day the document took effect ("Ngày có hiệu lực"), when a source gives it.
    pub in_force: Option<Date>,
    pub sources: Vec<String>,
    pub replaces: Vec<RelatedDoc>,
    pub replaced_by: Vec<RelatedDoc>,
    pub amended_by: Vec<RelatedDoc>,
    pub origin: Origin,
}

impl Entry {
    pub fn key(&self) -> Option<SymbolKey> {
        self.symbol.as_ref().map(Symbol::key)
    }

    /// The symbol's key without copying it.
    pub fn key_ref(&self) -> Option<&SymbolKey> {
        self.symbol.as_ref().map(|s| &s.key)
    }

    /// "Nghị quyết số 11-NQ/TW, ngày 10/02/2022 của Bộ Chính trị khóa XIII về …": the standard
    /// first-mention citation (type, number-symbol, date, body, title), without the type word
    /// when `with_type` is false (completion after "Nghị quyết số ").
    pub fn citation(&self, with_type: bool) -> String {
        let mut out = String::new();
        if with_type {
            out.push_str(&self.doc_type);
            out.push_str(" số ");
        }
        out.push_str(&self.number_symbol);
        if let Some(date) = self.issue_date {
            out.push_str(", ngày ");
            out.push_str(&crate::citations::date::DateStyle::Numeric('/').render(&date));
        }
        if !self.issuing_body.is_empty() {
            out.push_str(" của ");
            out.push_str(&self.issuing_body);
        }
        let title = self.title.trim();
        if !title.is_empty() {
            let lower = title.to_lowercase();
            if !lower.starts_with("về ") {
                out.push_str(" về");
            }
            out.push(' ');
            if lower.starts_with("về ") {
                out.push_str("về ");
                out.push_str(&title[title.char_indices().nth(3).map_or(title.len(), |(i, _)| i)..]);
            } else {
                out.push_str(title);
            }
        }
        out
    }
}

/// What the citing text says that can tell documents with one number-symbol apart.
#[derive(Debug, Clone, Default)]
pub struct Clues<'a> {
    /// The issuing body written with the citation ("của Ban Chấp hành Trung ương").
    pub issuer: Option<&'a str>,
    /// The words of the sentence around the citation, the citation itself left out.
    pub context: String,
    /// The latest date the text mentions outside this citation.
    pub latest: Option<Date>,
}

impl<'a> Clues<'a> {
    /// The clues of citation `c` in `text`: its issuer, its sentence and the latest date the
    /// text mentions outside the citation's own date.
    pub fn of(text: &'a str, c: &'a Citation) -> Clues<'a> {
        Clues::with_dates(text, c, &dates_newest_first(text))
    }

    /// The same with the text's dates already found ([`dates_newest_first`]), so that a check
    /// over many citations scans the text for dates once.
    pub fn with_dates(text: &'a str, c: &'a Citation, dates: &[(TextRange, Date)]) -> Clues<'a> {
        Clues {
            issuer: c.issuer.as_ref().map(|(t, _)| t.as_str()),
            context: context_around(text, c.range),
            latest: latest_outside(dates, c.date.as_ref().map(|d| d.range)),
        }
    }
}

/// The sentence around `range`: from the previous full stop, semicolon or line break to the next.
pub fn sentence_around(text: &str, range: TextRange) -> &str {
    let (start, end) = sentence_bounds(text, range);
    text.get(start..end).unwrap_or("")
}

fn sentence_bounds(text: &str, range: TextRange) -> (usize, usize) {
    let (from, to) = (range.start.min(text.len()), range.end.min(text.len()));
    if !text.is_char_boundary(from) || !text.is_char_boundary(to) || from > to {
        return (from, from);
    }
    let start = text[..from].rfind(['.', '\n', ';']).map_or(0, |p| p + 1);
    let end = text[to..].find(['.', '\n', ';']).map_or(text.len(), |p| to + p);
    (start, end)
}

/// The sentence around `range` without `range` itself: the words before and after it, kept apart.
fn context_around(text: &str, range: TextRange) -> String {
    let (start, end) = sentence_bounds(text, range);
    match (text.get(start..range.start.max(start)), text.get(range.end.min(end)..end)) {
        (Some(before), Some(after)) => format!("{before} | {after}"),
        _ => String::new(),
    }
}

/// The real dates `text` mentions, newest first, with their ranges.
pub fn dates_newest_first(text: &str) -> Vec<(TextRange, Date)> {
    let mut dates: Vec<(TextRange, Date)> =
        find_dates(text).into_iter().filter(|m| m.date.problem().is_none()).map(|m| (m.range, m.date)).collect();
    dates.sort_by_key(|(_, d)| std::cmp::Reverse(d.days()));
    dates
}

/// The latest of `dates` (newest first) outside `except` (a citation's own date): no text
/// mentions a day after it was written, so this bounds when it was written from below.
pub fn latest_outside(dates: &[(TextRange, Date)], except: Option<TextRange>) -> Option<Date> {
    dates.iter().find(|(r, _)| except.is_none_or(|e| r.end <= e.start || r.start >= e.end)).map(|(_, d)| *d)
}

/// Pairs of consecutive lower-cased words (syllables) of a text, for comparing subjects.
/// Numbers, "số" and the names of document types ("quy định", "nghị quyết") say nothing of a
/// subject and are left out; a "|" in the text separates parts whose words do not pair.
fn syllable_pairs(text: &str) -> Vec<(String, String)> {
    let types: Vec<String> = crate::citations::DOC_TYPES.iter().map(|(w, _)| w.to_lowercase()).collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in text.split('|') {
        let words: Vec<String> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_lowercase)
            .collect();
        for w in words.windows(2) {
            if w[0] == "số" || w[1] == "số" || types.contains(&format!("{} {}", w[0], w[1])) {
                continue;
            }
            pairs.push((w[0].clone(), w[1].clone()));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// A catalogue file that could not be read: the file, the 1-based line and column, and why.
pub type CatalogueError = crate::SourceError;

/// A set of catalogued documents, searched by symbol.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub entries: Vec<Entry>,
    /// A hash of the entries, computed on first use: part of the engine's cache key, so a
    /// reloaded workspace catalogue re-runs the citation checks.
    fingerprint: OnceLock<u64>,
}

/// 1-based line of byte offset `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// 1-based line and column of byte `at`.
fn toml_line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rfind('\n').map_or(at, |i| at - i - 1) + 1;
    (line, column)
}

/// TOML has a date type (`issue_date = 2022-01-14`); the catalogue reads dates as text.
fn dates_as_strings(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
        toml::Value::Array(items) => toml::Value::Array(items.into_iter().map(dates_as_strings).collect()),
        toml::Value::Table(table) => toml::Value::Table(table.into_iter().map(|(k, v)| (k, dates_as_strings(v))).collect()),
        other => other,
    }
}

/// A clone computes its own fingerprint: callers clone a catalogue to add entries to it.
impl Clone for Catalogue {
    fn clone(&self) -> Catalogue {
        Catalogue::new(self.entries.clone())
    }
}

impl Catalogue {
    /// A TOML catalogue: `[[entries]]` tables with the fields of the JSON format.
    pub fn parse_toml(text: &str, path: &str) -> Result<Catalogue, CatalogueError> {
        let error = |at: usize, message: String| {
            let (line, column) = toml_line_col(text, at);
            CatalogueError { path: path.to_string(), line, column, message }
        };
        let value: toml::Value =
            toml::from_str(text).map_err(|e| error(e.span().map_or(0, |s| s.start), e.message().trim().to_string()))?;
        let json = serde_json::to_value(dates_as_strings(value)).map_err(|e| error(0, e.to_string()))?;
        let entries = match json.get("entries") {
            Some(serde_json::Value::Array(list)) => list.clone(),
            Some(_) => return Err(error(0, "`entries` must be an array of tables ([[entries]])".to_string())),
            None => Vec::new(),
        };
        // Each entry's `number_symbol = …` line, for positions and go-to-definition.
        let mut starts = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with("number_symbol") && trimmed["number_symbol".len()..].trim_start().starts_with('=') {
                starts.push(offset + line.len() - trimmed.len());
            }
            offset += line.len();
        }
        Catalogue::from_values(entries, text, &starts, Some(path))
    }

    /// A catalogue of these entries.
    pub fn new(entries: Vec<Entry>) -> Catalogue {
        Catalogue { entries, fingerprint: OnceLock::new() }
    }

    /// A hash of the entries (they are not changed after parsing or merging).
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| crate::fingerprint_of(&format!("{:?}", self.entries)))
    }

    /// The bundled catalogue, parsed once. A broken bundled file is a build defect caught by the
    /// test suite; at run time it degrades to an empty catalogue instead of failing.
    pub fn bundled() -> Arc<Catalogue> {
        static BUNDLED: OnceLock<Arc<Catalogue>> = OnceLock::new();
        BUNDLED.get_or_init(|| Arc::new(Catalogue::parse(BUNDLED_JSON, None).unwrap_or_default())).clone()
    }

    /// Parses a catalogue file: `{"entries": [...]}` or a bare list of entries. `path` is `None`
    /// for the bundled data and the file's path for a workspace catalogue.
    pub fn parse(text: &str, path: Option<&str>) -> Result<Catalogue, CatalogueError> {
        let name = path.unwrap_or("data/directives.json").to_string();
        let error_at = |line: usize, column: usize, message: String| CatalogueError { path: name.clone(), line, column, message };
        let file: RawFile = serde_json::from_str(text).map_err(|e| error_at(e.line(), e.column(), e.to_string()))?;
        let values = match file {
            RawFile::Object { entries } => entries,
            RawFile::List(list) => list,
        };
        // Find where each entry starts, for error positions and go-to-definition:
        // the n-th `"number_symbol"` key belongs to the n-th entry.
        let starts: Vec<usize> = text.match_indices("\"number_symbol\"").map(|(i, _)| i).collect();
        Catalogue::from_values(values, text, &starts, path)
    }

    /// Builds a catalogue from already-parsed entries (JSON values; a TOML file converted by the
    /// caller). `starts` are the byte offsets in `text` where each entry's `number_symbol` is
    /// written, for error positions and go-to-definition.
    pub fn from_values(
        values: Vec<serde_json::Value>,
        text: &str,
        starts: &[usize],
        path: Option<&str>,
    ) -> Result<Catalogue, CatalogueError> {
        let name = path.unwrap_or("data/directives.json").to_string();
        let error_at = |line: usize, column: usize, message: String| CatalogueError { path: name.clone(), line, column, message };
        let mut entries = Vec::with_capacity(values.len());
        for (n, value) in values.into_iter().enumerate() {
            let at = starts.get(n).copied().unwrap_or(0);
            let line = line_of(text, at);
            let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
            let raw: RawEntry = serde_json::from_value(value).map_err(|e| error_at(line, column, format!("entry {}: {e}", n + 1)))?;
            let issue_date = match raw.issue_date.as_deref() {
                None | Some("") => None,
                Some(text) => Some(Date::parse_iso(text).ok_or_else(|| {
                    error_at(line, column, format!("entry {}: issue_date {text:?} is not a real yyyy-mm-dd date", n + 1))
                })?),
            };
            let in_force =
                match raw.in_force.as_deref() {
                    None | Some("") => None,
                    Some(text) => Some(Date::parse_iso(text).ok_or_else(|| {
                        error_at(line, column, format!("entry {}: in_force {text:?} is not a real yyyy-mm-dd date", n + 1))
                    })?),
                };
            let symbol = parse_symbol(&raw.number_symbol);
            if symbol.is_none() {
                return Err(error_at(
                    line,
                    column,
                    format!("entry {}: number_symbol {:?} is not a number-symbol", n + 1, raw.number_symbol),
                ));
            }
            let origin = match path {
                None => Origin::Bundled,
                Some(p) => Origin::Workspace { path: p.to_string(), line },
            };
            let id = raw.id.unwrap_or_else(|| match issue_date {
                Some(d) => format!("{}@{}", raw.number_symbol, d.iso()),
                None => raw.number_symbol.clone(),
            });
            entries.push(Entry {
                id,
                system: raw.system,
                doc_type: raw.doc_type,
                number_symbol: raw.number_symbol,
                symbol,
                issue_date,
                issuing_body: raw.issuing_body.unwrap_or_default(),
                meeting: raw.meeting,
                title: raw.title.unwrap_or_default(),
                in_force,
                sources: raw.sources,
                replaces: raw.replaces,
                replaced_by: raw.replaced_by,
                amended_by: raw.amended_by,
                origin,
            });
        }
        Ok(Catalogue { entries, fingerprint: OnceLock::new() })
    }

    /// This catalogue with `other`'s entries added; an entry of `other` with the same symbol and
    /// date as one here replaces it (a workspace entry overrides the bundled one).
    pub fn merged(&self, other: &Catalogue) -> Catalogue {
        let mut entries: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| !other.entries.iter().any(|o| o.key_ref() == e.key_ref() && o.issue_date == e.issue_date))
            .cloned()
            .collect();
        entries.extend(other.entries.iter().cloned());
        Catalogue { entries, fingerprint: OnceLock::new() }
    }

    /// Entries with this symbol (all dates: Party numbers restart each term).
    pub fn by_key<'a>(&'a self, key: &'a SymbolKey) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.key_ref() == Some(key))
    }

    /// The catalogued document a relation names (same symbol, and same date when it has one).
    pub fn related(&self, doc: &RelatedDoc) -> Option<&Entry> {
        let key = parse_symbol(&doc.number_symbol)?.key;
        let date = doc.date();
        let mut found = self.entries.iter().filter(|e| e.key_ref() == Some(&key) && (date.is_none() || e.issue_date == date));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Narrows entries that share a number-symbol (Party numbers restart each term: 262-QĐ/TW of
    /// 2014 and of 2025) with what the citing text says: the issuing body it names, the latest
    /// date it mentions (a text cannot cite a later document), then the words of the sentence
    /// against each title. Each clue is used only when it leaves at least one candidate; the
    /// subject words only when one title shares clearly more with the sentence than the others.
    pub fn narrow(&self, candidates: &[usize], clues: &Clues<'_>) -> Vec<usize> {
        let mut left: Vec<usize> = candidates.iter().copied().filter(|&n| n < self.entries.len()).collect();
        let keep = |left: &mut Vec<usize>, test: &dyn Fn(&Entry) -> bool| {
            let kept: Vec<usize> = left.iter().copied().filter(|&n| test(&self.entries[n])).collect();
            if !kept.is_empty() {
                *left = kept;
            }
        };
        if let Some(body) = clues.issuer.and_then(Body::of) {
            keep(&mut left, &|e| Body::of(&e.issuing_body) == Some(body));
        }
        if let Some(latest) = clues.latest {
            keep(&mut left, &|e| e.issue_date.is_none_or(|d| d.days() <= latest.days()));
        }
        if left.len() > 1 && !clues.context.is_empty() {
            let context = syllable_pairs(&clues.context);
            let scores: Vec<usize> =
                left.iter().map(|&n| syllable_pairs(&self.entries[n].title).iter().filter(|p| context.contains(*p)).count()).collect();
            let best = scores.iter().copied().max().unwrap_or(0);
            let second = {
                let mut sorted = scores.clone();
                sorted.sort_unstable();
                sorted.iter().rev().nth(1).copied().unwrap_or(0)
            };
            // Two shared word pairs at least ("lấy phiếu", "phiếu tín"), and a clear winner.
            if best >= 2 && best >= second + 2 {
                left = left.iter().zip(&scores).filter(|(_, s)| **s == best).map(|(n, _)| *n).collect();
            }
        }
        left
    }

    /// The entry with this symbol and date, or the only one with this symbol when no date is given.
    pub fn find<'a>(&'a self, key: &'a SymbolKey, date: Option<Date>) -> Option<&'a Entry> {
        match date {
            Some(d) => self.by_key(key).find(|e| e.issue_date == Some(d)),
            None => {
                let mut all = self.by_key(key);
                let first = all.next()?;
                all.next().is_none().then_some(first)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_files_name_line_and_column() {
        let text = "{\"entries\": [\n  {\"type\": \"Nghị quyết\", \"number_symbol\": \"01-NQ/TU\",}\n]}";
        let err = Catalogue::parse(text, Some(".baocao/directives.json")).err();
        let err = err.map(|e| (e.path, e.line, e.column > 0));
        assert_eq!(err, Some((".baocao/directives.json".to_string(), 2, true)));
    }

    #[test]
    fn bad_dates_are_rejected_with_the_entry_line() {
        let text = "[\n {\"type\": \"Kế hoạch\",\n  \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-02-30\"}\n]";
        let err = Catalogue::parse(text, Some("x.json")).err().map(|e| e.line);
        assert_eq!(err, Some(3));
    }

    #[test]
    fn workspace_entries_override_bundled_ones() {
        let local = Catalogue::parse(
            "[{\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-01-14\", \"issuing_body\": \"Tỉnh ủy\"}]",
            Some("w.json"),
        );
        let Ok(local) = local else { panic!("{local:?}") };
        let merged = Catalogue::bundled().merged(&local);
        assert_eq!(merged.entries.len(), Catalogue::bundled().entries.len() + 1);
        let key = local.entries[0].key();
        let found = key.and_then(|k| merged.find(&k, None).map(|e| e.origin.clone()));
        assert_eq!(found, Some(Origin::Workspace { path: "w.json".to_string(), line: 1 }));
    }
}
