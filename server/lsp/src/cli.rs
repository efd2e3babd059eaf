//! `baocao-ls check`: the same analysis as the server, over files and folders.
//!
//! Text output: `path:line:col: severity code: message` (line and column 1-based, the column
//! counted in characters). JSON output: `{"files": [{"path", "diagnostics": [LSP Diagnostic],
//! "fixes": [[fix, …] per diagnostic]}]}` with 0-based UTF-16 positions; the diagnostics are
//! exactly what the server publishes.
//! Exit code: 0 when nothing at warning or error severity, 1 when there is, 2 on a usage error
//! or when a path is skipped (not a regular file, too large, unreadable, not UTF-8) or a file
//! cannot be analysed, or a project/data file is broken (the other files are still checked).
//! Positions count a leading BOM as the server does (the analysis itself skips it).
//! Word files (`.docx`, legacy `.doc`) are handed to [`crate::docx_cli`].

use crate::convert::{DiagnosticsJson, Encoding, FixesOf, LineIndex};
use baocao_core::catalogue::Catalogue;
use baocao_core::{Analyzer, Config, Severity};
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

/// The default `--max-size`, in megabytes.
pub const DEFAULT_MAX_MEGABYTES: u64 = 50;

const NOT_REGULAR: &str = "không phải tệp thường (FIFO, thiết bị hoặc socket), bỏ qua; hãy chỉ định tệp .md/.txt / \
    not a regular file (FIFO, device or socket): skipped, give .md/.txt files";

/// Files to check under `paths`: files as given, folders walked for the report file types
/// (`.md`, `.markdown`, `.txt`; hidden, version-control and build folders skipped, as the server's
/// workspace scan does), sorted, each file once. Anything that is not a regular file (a FIFO, a
/// device, a link to one) is named as an error and never opened; so are missing paths and
/// entries that cannot be read.
fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |file: PathBuf, files: &mut Vec<PathBuf>| {
        let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if seen.insert(key) {
            files.push(file);
        }
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                let walk = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !crate::project::is_skipped_name(&e.file_name().to_string_lossy()));
                for entry in walk {
                    let entry = match entry {
                        Ok(e) => e,
                        Err(err) => {
                            let at = err.path().map_or_else(|| path.clone(), Path::to_path_buf);
                            errors.push((at, format!("{err}; bỏ qua / skipped")));
                            continue;
                        }
                    };
                    let kind = entry.file_type();
                    if kind.is_dir() || !(crate::project::is_report_file(entry.path()) || crate::docx_cli::is_word_file(entry.path())) {
                        continue;
                    }
                    if kind.is_file() {
                        found.push(entry.into_path());
                    } else {
                        errors.push((entry.into_path(), NOT_REGULAR.to_string()));
                    }
                }
                found.sort();
                for file in found {
                    add(file, &mut files);
                }
            }
            Ok(meta) if meta.is_file() => add(path.clone(), &mut files),
            Ok(_) => errors.push((path.clone(), NOT_REGULAR.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push((path.clone(), "không tìm thấy tệp hoặc thư mục / no such file or folder".to_string()))
            }
            Err(e) => errors.push((path.clone(), format!("không đọc được / cannot read: {e}"))),
        }
    }
    (files, errors)
}

/// Reads `file` (a regular file) if it is at most `max_bytes` long; the text without a BOM check.
fn read_limited(file: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let handle = std::fs::File::open(file).map_err(|e| format!("không mở được / cannot open: {e}"))?;
    let meta = handle.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(NOT_REGULAR.to_string());
    }
    let too_big = || {
        let mb = max_bytes / (1024 * 1024);
        format!(
            "tệp lớn hơn {mb} MB, bỏ qua; dùng --max-size MB để đổi giới hạn / larger than {mb} MB: skipped, use --max-size MB to change the limit"
        )
    };
    if meta.len() > max_bytes {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    handle.take(max_bytes + 1).read_to_end(&mut bytes).map_err(|e| format!("không đọc được / cannot read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big());
    }
    Ok(bytes)
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
    let project_file = crate::project::find_upward(file);
    // Without a project file, a workspace phrasebook of the nearest `.baocao/` folder still counts.
    let phrasebook_root = match &project_file {
        Some(p) => p.parent().map(Path::to_path_buf),
        None => std::fs::canonicalize(file).ok().and_then(|f| {
            f.parent().and_then(|d| d.ancestors().find(|a| a.join(crate::project::WORKSPACE_PHRASEBOOK).is_file()).map(Path::to_path_buf))
        }),
    };
    let Some(key) = project_file.clone().or_else(|| phrasebook_root.clone()) else { return base.clone() };
    if let Some(found) = cache.get(&key) {
        return found.clone();
    }
    let loaded = match &project_file {
        Some(project_file) => crate::project::load_checked(project_file).map(Some),
        None => Ok(None),
    };
    let mut config = match loaded {
        Ok(None) => base.clone(),
        Ok(Some((value, unknown))) => {
            for e in unknown {
                errors.push((PathBuf::from(format!("{}:{}:{}", e.path, e.line, e.column)), e.message));
            }
            let (mut parsed, problems) = crate::config::parse(&value);
            for p in problems {
                errors.push((key.clone(), p));
            }
            if let Some(locale) = locale {
                parsed.locale = locale;
            }
            parsed
        }
        Err(e) => {
            errors.push((PathBuf::from(format!("{}:{}:{}", e.path, e.line, e.column)), e.message));
            base.clone()
        }
    };
    if let Some(root) = &phrasebook_root {
        match crate::project::phrasebook_at(root) {
            (Some(book), _) => config.phrasebook = Some(book),
            (None, Some(e)) => errors.push((PathBuf::from(format!("{}:{}:{}", e.path, e.line, e.column)), e.message)),
            (None, None) => {}
        }
    }
    cache.insert(key, config.clone());
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
/// wins over a project file's; files over `max_bytes` are named and skipped.
pub fn run(
    paths: &[PathBuf],
    format: Format,
    config: &Config,
    locale: Option<baocao_core::Locale>,
    max_bytes: u64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    run_with(paths, format, config, locale, max_bytes, crate::docx_cli::Options::default(), out, err)
}

/// [`run`] with the Word options (`--annotate`); Word files are checked by [`crate::docx_cli`].
#[allow(clippy::too_many_arguments)]
pub fn run_with(
    paths: &[PathBuf],
    format: Format,
    config: &Config,
    locale: Option<baocao_core::Locale>,
    max_bytes: u64,
    word: crate::docx_cli::Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (files, mut errors) = collect(paths);
    let mut worst_is_problem = false;
    // JSON is written file by file as it is checked, straight from the findings: no JSON value of
    // the whole output is built (the fixes of a document with thousands of findings took
    // hundreds of megabytes that way).
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    let mut json_files = 0usize;
    if format == Format::Json {
        let _ = write!(out, "{{\n  \"files\": [");
    }
    let mut analyzer = Analyzer::new();
    let mut projects: HashMap<PathBuf, Config> = HashMap::new();
    let mut catalogues: HashMap<PathBuf, Arc<Catalogue>> = HashMap::new();
    for file in &files {
        let bytes = match read_limited(file, max_bytes) {
            Ok(b) => b,
            Err(e) => {
                errors.push((file.clone(), e));
                continue;
            }
        };
        if crate::docx_cli::handles(file, &bytes) {
            let file_config = project_config(file, config, locale, &mut projects, &mut errors);
            let catalogue = catalogue_for(file, &mut catalogues, &mut errors);
            let json = format == Format::Json;
            match crate::docx_cli::check(file, &bytes, &mut analyzer, &file_config, &catalogue, json, word, &mut out) {
                Ok(report) => {
                    worst_is_problem |= report.problem;
                    if let Some(entry) = report.json {
                        let _ = out.write_all(if json_files == 0 { b"\n    " } else { b",\n    " });
                        let _ = serde_json::to_writer_pretty(Indented { out: &mut out, indent: b"    " }, &entry);
                        json_files += 1;
                    }
                    for note in report.notes {
                        let _ = writeln!(err, "baocao-ls: {note}");
                    }
                }
                Err(e) => errors.push((file.clone(), e)),
            }
            continue;
        }
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
        let file_config = project_config(file, config, locale, &mut projects, &mut errors);
        let config = &file_config;
        let catalogue = catalogue_for(file, &mut catalogues, &mut errors);
        // A bug in one rule must not cost the user the results for every other file: the
        // panicking file is reported like an unreadable one and the rest is still checked.
        let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::convert::analyse_document(&mut analyzer, &text, config, &catalogue)
        }));
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
                let report = FileReport { path: display(file), findings: &findings, index: &index, uri: &uri };
                let _ = out.write_all(if json_files == 0 { b"\n    " } else { b",\n    " });
                let _ = serde_json::to_writer_pretty(Indented { out: &mut out, indent: b"    " }, &report);
                json_files += 1;
            }
        }
    }
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Skipped {
            path: String,
            error: String,
        }
        let skipped: Vec<Skipped> = errors.iter().map(|(p, e)| Skipped { path: display(p), error: e.clone() }).collect();
        let _ = out.write_all(if json_files == 0 { b"],\n  \"errors\": " } else { b"\n  ],\n  \"errors\": " });
        let _ = serde_json::to_writer_pretty(Indented { out: &mut out, indent: b"  " }, &skipped);
        let _ = out.write_all(b"\n}\n");
    }
    let _ = out.flush();
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

/// One file of the JSON output, `{"path", "diagnostics", "fixes"}`, serialised as it is written.
struct FileReport<'a> {
    path: String,
    findings: &'a [baocao_core::Finding],
    index: &'a LineIndex<'a>,
    uri: &'a Url,
}

impl serde::Serialize for FileReport<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Fixes<'a>(&'a FileReport<'a>);
        impl serde::Serialize for Fixes<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.findings.iter().map(|finding| FixesOf { finding, index: self.0.index }))
            }
        }
        let mut file = serializer.serialize_struct("File", 3)?;
        file.serialize_field("path", &self.path)?;
        file.serialize_field("diagnostics", &DiagnosticsJson { findings: self.findings, index: self.index, uri: self.uri })?;
        file.serialize_field("fixes", &Fixes(self))?;
        file.end()
    }
}

/// Writes through to `out`, indenting every line after the first by `indent`: a value
/// pretty-printed on its own nests inside the output document. (A JSON line break is always
/// structural: line breaks inside strings are escaped.)
struct Indented<'a, W: Write> {
    out: &'a mut W,
    indent: &'static [u8],
}

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.out.write_all(&rest[..=i])?;
            self.out.write_all(self.indent)?;
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
