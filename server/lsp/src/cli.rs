//! `baocao-ls check`: the same analysis as the server, over files and folders.
//!
//! Text output: `path:line:col: severity code: message` (line and column 1-based, the column
//! counted in characters). JSON output: `{"files": [{"path", "diagnostics": [LSP Diagnostic]}]}`
//! with 0-based UTF-16 positions, exactly what the server publishes.
//! Exit code: 0 when nothing at warning or error severity, 1 when there is, 2 on a usage error
//! or when a file cannot be read or analysed (the other files are still checked).

use crate::convert::{diagnostic_with_fixes, Encoding, LineIndex};
use baocao_core::catalogue::Catalogue;
use baocao_core::{Analyzer, Config, Severity};
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp::lsp_types::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Files to check under `paths`: files as given, folders walked for `.md` and `.txt`, sorted.
/// Paths that do not exist are returned as errors.
fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(|entry| match entry {
                    Ok(e) => Some(e),
                    Err(err) => {
                        errors.push((path.clone(), err.to_string()));
                        None
                    }
                })
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension().and_then(|x| x.to_str()).is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("txt"))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push((path.clone(), "không tìm thấy tệp hoặc thư mục / no such file or folder".to_string()));
        }
    }
    (files, errors)
}

/// The configuration for `file`: the nearest `.baocao.toml` at or above it (with the workspace
/// phrasebook beside it), under the command line's choices (`--locale en` wins over the file).
/// A broken project file is reported once, and the command line's configuration used.
fn project_config(
    file: &Path,
    base: &Config,
    locale: Option<baocao_core::Locale>,
    cache: &mut HashMap<PathBuf, Config>,
    errors: &mut Vec<(PathBuf, String)>,
) -> Config {
    let Some(project_file) = crate::project::find_upward(file) else { return base.clone() };
    if let Some(found) = cache.get(&project_file) {
        return found.clone();
    }
    let mut config = match crate::project::load(&project_file) {
        Ok(value) => {
            let (mut parsed, problems) = crate::config::parse(&value);
            for p in problems {
                errors.push((project_file.clone(), p));
            }
            if let Some(locale) = locale {
                parsed.locale = locale;
            }
            parsed
        }
        Err(e) => {
            errors.push((PathBuf::from(format!("{}:{}:{}", project_file.display(), e.line, e.column)), e.message));
            base.clone()
        }
    };
    if let Some(root) = project_file.parent() {
        match crate::project::phrasebook_at(root) {
            (Some(book), _) => config.phrasebook = Some(book),
            (None, Some(e)) => errors.push((PathBuf::from(format!("{}:{}:{}", e.path, e.line, e.column)), e.message)),
            (None, None) => {}
        }
    }
    cache.insert(project_file, config.clone());
    config
}

/// Runs the check and returns the exit code.
/// The catalogue for `file`: the bundled one plus the workspace catalogues
/// (`.baocao/directives.json`, `.baocao/directives.toml`) of the nearest folder at or above the
/// file that has a `.baocao/` folder, as the server reads them. A broken catalogue file is
/// reported once and left out.
fn catalogue_for(file: &Path, cache: &mut HashMap<PathBuf, Arc<Catalogue>>, errors: &mut Vec<(PathBuf, String)>) -> Arc<Catalogue> {
    let root = file.parent().and_then(|dir| dir.ancestors().find(|d| d.join(".baocao").is_dir()).map(Path::to_path_buf));
    let Some(root) = root else { return Catalogue::bundled() };
    if let Some(found) = cache.get(&root) {
        return found.clone();
    }
    let mut merged = (*Catalogue::bundled()).clone();
    for name in [crate::citations::WORKSPACE_CATALOGUE, crate::citations::WORKSPACE_CATALOGUE_TOML] {
        let path = root.join(name);
        if !path.is_file() {
            continue;
        }
        match crate::citations::load_catalogue_file(&path) {
            Ok(local) => merged = merged.merged(&local),
            Err(e) => errors.push((PathBuf::from(format!("{}:{}:{}", e.path, e.line, e.column)), e.message)),
        }
    }
    let merged = Arc::new(merged);
    cache.insert(root, merged.clone());
    merged
}

/// Runs the check and returns the exit code. `locale` is the command line's `--locale`, which
/// wins over a project file's.
pub fn run(
    paths: &[PathBuf],
    format: Format,
    config: &Config,
    locale: Option<baocao_core::Locale>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (files, mut errors) = collect(paths);
    let mut worst_is_problem = false;
    let mut json_files = Vec::new();
    let mut analyzer = Analyzer::new();
    let mut projects: HashMap<PathBuf, Config> = HashMap::new();
    let mut catalogues: HashMap<PathBuf, Arc<Catalogue>> = HashMap::new();
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                errors.push((file.clone(), e.to_string()));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                errors.push((
                    file.clone(),
                    "tệp không phải UTF-8; hãy lưu lại với mã hóa UTF-8 / not UTF-8: save the file as UTF-8".to_string(),
                ));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        let file_config = project_config(file, config, locale, &mut projects, &mut errors);
        let config = &file_config;
        let catalogue = catalogue_for(file, &mut catalogues, &mut errors);
        // A bug in one rule must not cost the user the results for every other file: the
        // panicking file is reported like an unreadable one and the rest is still checked.
        let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyzer.analyze_with(&text, config, &catalogue)));
        let findings = match analysed {
            Ok(findings) => findings,
            Err(_) => {
                // The cache may be half-updated; start afresh.
                analyzer = Analyzer::new();
                errors.push((file.clone(), "lỗi nội bộ khi phân tích tệp này / internal error while analysing this file".to_string()));
                continue;
            }
        };
        if findings.iter().any(|f| f.severity <= Severity::Warning) {
            worst_is_problem = true;
        }
        match format {
            Format::Text => {
                let index = LineIndex::new(&text, Encoding::Utf32);
                for f in &findings {
                    let pos = index.position(f.range.start);
                    let _ = writeln!(
                        out,
                        "{}:{}:{}: {} {}: {}",
                        display(file),
                        pos.line + 1,
                        pos.character + 1,
                        f.severity.as_str(),
                        f.code,
                        f.message
                    );
                }
            }
            Format::Json => {
                let index = LineIndex::new(&text, Encoding::Utf16);
                let uri = std::fs::canonicalize(file).ok().and_then(|p| Url::from_file_path(p).ok()).unwrap_or_else(|| {
                    Url::parse("file:///unknown").unwrap_or_else(|_| Url::parse("untitled:unknown").expect("static URL parses"))
                });
                let diagnostics: Vec<_> = findings.iter().map(|f| diagnostic_with_fixes(f, &index, &uri)).collect();
                json_files.push(json!({ "path": display(file), "diagnostics": diagnostics }));
            }
        }
    }
    if format == Format::Json {
        let errors_json: Vec<_> = errors.iter().map(|(p, e)| json!({ "path": display(p), "error": e })).collect();
        let doc = json!({ "files": json_files, "errors": errors_json });
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    }
    for (path, e) in &errors {
        let _ = writeln!(err, "baocao-ls: {}: {e}", display(path));
    }
    if !errors.is_empty() {
        2
    } else if worst_is_problem {
        1
    } else {
        0
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
