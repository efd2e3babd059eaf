//! The project file `.baocao.toml` and the workspace phrasebook `.baocao/phrasebook.json`.
//!
//! `.baocao.toml` holds the same settings as the editor's `baocao` section, in TOML:
//!
//! ```toml
//! locale = "vi"
//! [rules]
//! total-mismatch = "error"
//! abbreviation-undefined = "off"
//! [style]
//! tone-marks = "new"      # old | new | majority
//! date-style = "slash"    # slash | hyphen | dot | majority
//! [abbreviations]
//! allowed = ["UBND", "HĐND", "MTTQ"]
//! ```
//!
//! The server reads it from the workspace root (LSP settings override it, key by key) and
//! reloads it when it changes; `baocao-ls check` looks for it from each checked path upward.
//! A malformed file is reported with its line and column, and the defaults are kept.
//!
//! Also here, the two editor features built on the phrasebook and the suppression comments:
//! the "ignore this finding here" edit and phrasebook completion.

use crate::convert::{Encoding, LineIndex};
use crate::state::View;
use baocao_core::phrasebook::Phrasebook;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit, Documentation,
    InsertTextFormat, MarkupContent, MarkupKind, TextEdit,
};

/// The project file's name, at a workspace root or any folder above a checked file.
pub const PROJECT_FILE: &str = ".baocao.toml";
/// The workspace phrasebook, relative to the folder of the project (the workspace root).
pub const WORKSPACE_PHRASEBOOK: &str = ".baocao/phrasebook.json";

/// A project or phrasebook file that could not be read: file, 1-based line and column, why.
pub type ProjectError = baocao_core::SourceError;

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rfind('\n').map_or(at, |i| at - i - 1) + 1;
    (line, column)
}

/// Parses the text of a `.baocao.toml` into settings JSON (the editor's `baocao` shape).
pub fn parse(text: &str, path: &str) -> Result<Value, ProjectError> {
    let value: toml::Value = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
        ProjectError { path: path.to_string(), line, column, message: e.message().trim().to_string() }
    })?;
    serde_json::to_value(value).map_err(|e| ProjectError { path: path.to_string(), line: 1, column: 1, message: e.to_string() })
}

/// Reads and parses one project file.
pub fn load(path: &Path) -> Result<Value, ProjectError> {
    load_checked(path).map(|(value, _)| value)
}

/// The keys a project file may hold, per table (`""` is the top level); the values of `rules`
/// are rule codes, checked by `config::parse`.
const KNOWN_KEYS: [(&str, &[&str]); 3] = [
    ("", &["locale", "rules", "style", "abbreviations"]),
    ("style", &["tone-marks", "toneMarks", "date-style", "dateStyle"]),
    ("abbreviations", &["allowed"]),
];

/// Reads and parses one project file; also returns its unknown keys (a typo such as `lokale`
/// would otherwise be ignored silently), each with its line and column.
pub fn load_checked(path: &Path) -> Result<(Value, Vec<ProjectError>), ProjectError> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| ProjectError { path: name.clone(), line: 1, column: 1, message: e.to_string() })?;
    let value = parse(&text, &name)?;
    let unknown = unknown_keys(&text, &value, &name);
    Ok((value, unknown))
}

/// The unknown keys of a parsed project file, located in its text.
pub fn unknown_keys(text: &str, value: &Value, path: &str) -> Vec<ProjectError> {
    let mut out = Vec::new();
    for (table, known) in KNOWN_KEYS {
        let object = if table.is_empty() { value.as_object() } else { value.get(table).and_then(Value::as_object) };
        let Some(object) = object else { continue };
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            let (line, column) = key_position(text, table, key);
            let full = if table.is_empty() { key.clone() } else { format!("{table}.{key}") };
            out.push(ProjectError {
                path: path.to_string(),
                line,
                column,
                message: format!(
                    "khóa “{full}” không được hỗ trợ, bị bỏ qua; các khóa hợp lệ: {} / unknown key “{full}”, ignored; known keys: {}",
                    known.join(", "),
                    known.join(", ")
                ),
            });
        }
    }
    out
}

/// 1-based line and column where `key` is defined (inside `[table]` when `table` is not empty):
/// `key = …`, `table.key = …` or a `[key]` / `[table.key]` header. (1, 1) when not found.
fn key_position(text: &str, table: &str, key: &str) -> (usize, usize) {
    let mut current = String::new();
    let dotted = if table.is_empty() { key.to_string() } else { format!("{table}.{key}") };
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let column = line.len() - trimmed.len() + 1;
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.trim_start_matches('[').split(']').next().unwrap_or("").trim().trim_matches('"');
            if name == dotted || name.starts_with(&format!("{dotted}.")) {
                return (n + 1, column);
            }
            current = name.to_string();
            continue;
        }
        let Some((lhs, _)) = trimmed.split_once('=') else { continue };
        let lhs = lhs.trim().trim_matches('"');
        let here = if current.is_empty() { lhs.to_string() } else { format!("{current}.{lhs}") };
        if here == dotted || here.starts_with(&format!("{dotted}.")) {
            return (n + 1, column);
        }
    }
    (1, 1)
}

/// The file types both the server's workspace scan and `baocao-ls check` read in folders.
pub fn is_report_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown") || e.eq_ignore_ascii_case("txt"))
}

/// Folders (and files) both skip when walking a folder: hidden ones (`.git`, `.baocao`, …),
/// other version-control folders, build output and dependencies.
pub fn is_skipped_name(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "target" | "node_modules" | "CVS" | "_darcs")
}

/// The nearest `.baocao.toml` at `start` (a file or folder) or in a folder above it.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if absolute.is_dir() { Some(absolute.as_path()) } else { absolute.parent() };
    while let Some(d) = dir {
        let candidate = d.join(PROJECT_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The bundled phrasebook plus the one in `root/.baocao/phrasebook.json`, if there is one.
pub fn phrasebook_at(root: &Path) -> (Option<Arc<Phrasebook>>, Option<ProjectError>) {
    let path = root.join(WORKSPACE_PHRASEBOOK);
    if !path.is_file() {
        return (None, None);
    }
    let name = path.display().to_string();
    let parsed = std::fs::read_to_string(&path)
        .map_err(|e| ProjectError { path: name.clone(), line: 1, column: 1, message: e.to_string() })
        .and_then(|text| {
            Phrasebook::parse(&text, Some(&name)).map_err(|e| ProjectError {
                path: e.path,
                line: e.line,
                column: e.column,
                message: e.message,
            })
        });
    match parsed {
        Ok(local) => (Some(Arc::new(Phrasebook::bundled().merged(&local))), None),
        Err(e) => (None, Some(e)),
    }
}

/// The edits of "ignore this finding here" for a finding of `code` starting on `line`
/// (see [`baocao_core::suppression::ignore_here`]), as LSP edits.
pub fn ignore_here(text: &str, line: u32, code: &str, encoding: Encoding) -> Vec<TextEdit> {
    let index = LineIndex::new(text, encoding);
    baocao_core::suppression::ignore_here(text, line as usize, code)
        .into_iter()
        .map(|edit| TextEdit { range: index.range(edit.range), new_text: edit.new_text })
        .collect()
}

/// Phrasebook snippets at the cursor (see `baocao_core::phrasebook::complete`), as snippets
/// when the client accepts them and as plain text otherwise.
pub fn phrase_completion(
    store: &View,
    params: &CompletionParams,
    config: &baocao_core::Config,
    encoding: Encoding,
    snippets: bool,
) -> Option<CompletionResponse> {
    let uri = &params.text_document_position.text_document.uri;
    let snapshot = store.current(uri)?;
    let index = snapshot.index(encoding);
    let offset = index.offset(params.text_document_position.position);
    let book = baocao_core::phrasebook::of_config(config);
    let found = baocao_core::phrasebook::complete(&snapshot.text, offset, &book)?;
    let range = index.range(found.range);
    let typed = snapshot.text.get(found.range.as_range()).unwrap_or("").to_string();
    let items = found
        .items
        .into_iter()
        .enumerate()
        .map(|(n, item)| CompletionItem {
            label: item.label.clone(),
            kind: Some(CompletionItemKind::SNIPPET),
            detail: Some(item.detail),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: format!("```text\n{}\n```", item.plain),
            })),
            // What is already typed stays a match whatever the label says.
            filter_text: Some(if typed.trim().is_empty() { item.label } else { format!("{typed} {}", item.plain) }),
            sort_text: Some(format!("{n:05}")),
            insert_text_format: Some(if snippets { InsertTextFormat::SNIPPET } else { InsertTextFormat::PLAIN_TEXT }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: if snippets { item.snippet } else { item.plain } })),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::List(CompletionList { is_incomplete: false, items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_files_read_as_settings() {
        let text =
            "locale = \"en\"\n[rules]\ntotal-mismatch = \"off\"\n[style]\ntone-marks = \"new\"\n[abbreviations]\nallowed = [\"BCH\"]\n";
        let value = parse(text, ".baocao.toml");
        let Ok(value) = value else { panic!("{value:?}") };
        let (config, problems) = crate::config::parse(&value);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.locale, baocao_core::Locale::En);
        assert_eq!(config.tone_marks, baocao_core::ToneMarks::New);
        assert!(config.abbreviation_allowed("BCH"));
        assert_eq!(config.rules.get(&baocao_core::RuleCode::TotalMismatch), Some(&baocao_core::RuleSetting::Off));
    }

    #[test]
    fn ignore_here_keeps_line_breaks_and_tables_whole() {
        let edits = ignore_here("Dòng một\r\nTrong tổng số 28 chỉ tiêu\r\n", 1, "total-mismatch", Encoding::Utf16);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "<!-- baocao-disable-next-line total-mismatch -->\r\n");
        assert_eq!((edits[0].range.start.line, edits[0].range.start.character), (1, 0));
        let table = "Bảng:\n\n| A | B |\n|---|---|\n| 1 | 2 |\n| Tổng | 4 |";
        let edits = ignore_here(table, 5, "table-total-mismatch", Encoding::Utf16);
        let texts: Vec<(u32, &str)> = edits.iter().map(|e| (e.range.start.line, e.new_text.as_str())).collect();
        assert_eq!(texts, [(2, "<!-- baocao-disable table-total-mismatch -->\n"), (5, "\n<!-- baocao-enable table-total-mismatch -->")]);
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let text = "lokale = \"en\"\n[rules]\ntotal-mismatch = \"off\"\n[style]\ntone-marks = \"new\"\ncolour = \"red\"\n[extra]\nx = 1\n";
        let value = parse(text, "p/.baocao.toml");
        let Ok(value) = value else { panic!("{value:?}") };
        let found: Vec<(usize, String)> =
            unknown_keys(text, &value, "p/.baocao.toml").into_iter().map(|e| (e.line, e.message[..20].to_string())).collect();
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [7, 1, 6], "{found:?}");
        assert!(unknown_keys("locale = \"en\"\n", &parse("locale = \"en\"\n", "x").unwrap_or_default(), "x").is_empty());
    }

    #[test]
    fn broken_project_files_name_line_and_column() {
        let err = parse("locale = \"en\"\n[rules\ntotal-mismatch = \"off\"\n", "x/.baocao.toml").err();
        assert_eq!(err.map(|e| (e.path, e.line)), Some(("x/.baocao.toml".to_string(), 2)));
    }
}
