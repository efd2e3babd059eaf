//! `baocao-ls check` on Word files: `.docx` read by the core's [`baocao_core::docx`], findings
//! printed with Word locations (`report.docx:¶12:34: …`, `report.docx:bảng 2, hàng 5, cột 3: …`),
//! JSON with the same diagnostics shape plus a `locations` array, and `--annotate`, which writes
//! `report.baocao.docx` beside the original with each finding as a Word comment.

use crate::convert::{diagnostic, Encoding, FixesOf, LineIndex};
use baocao_core::docx::{self, Block, Comment, Docx, Location};
use baocao_core::{Analyzer, Catalogue, Config, Finding, Locale, Severity};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What to do with Word files besides reporting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Write `NAME.baocao.docx` with the findings as comments.
    pub annotate: bool,
}

/// The suffix of annotated copies; folder walks leave them out.
pub const ANNOTATED_SUFFIX: &str = ".baocao.docx";

/// A `.docx` (or legacy `.doc`) a folder walk should check: not an annotated copy, not a Word
/// lock file (`~$report.docx`).
pub fn is_word_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".docx") && !name.ends_with(ANNOTATED_SUFFIX) && !name.starts_with("~$")
}

/// Whether `file` with contents `bytes` is for this module: a `.docx`/`.doc` by name, or a
/// legacy `.doc` by its first bytes.
pub fn handles(file: &Path, bytes: &[u8]) -> bool {
    let ext = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    ext == "docx" || ext == "doc" || bytes.starts_with(&docx::OLE_MAGIC)
}

/// What checking one Word file gave.
pub struct Report {
    pub problem: bool,
    pub json: Option<Value>,
    /// Notes for stderr (the annotated copy written, findings that could not be anchored).
    pub notes: Vec<String>,
}

/// `report.docx:¶12:34`, `report.docx:bảng 2, hàng 5, cột 3`, `…:chú thích 1:5`, `…:hộp văn bản 1:5`.
pub fn location_text(loc: Option<Location>) -> String {
    match loc {
        Some(Location { block: Block::Paragraph(n), offset }) => format!("¶{n}:{}", offset + 1),
        Some(Location { block: Block::Cell { table, row, column }, .. }) => format!("bảng {table}, hàng {row}, cột {column}"),
        Some(Location { block: Block::Footnote(n), offset }) => format!("chú thích {n}:{}", offset + 1),
        Some(Location { block: Block::TextBox(n), offset }) => format!("hộp văn bản {n}:{}", offset + 1),
        None => "?".to_string(),
    }
}

fn location_json(loc: Option<Location>) -> Value {
    match loc {
        Some(Location { block: Block::Paragraph(n), offset }) => json!({ "paragraph": n, "column": offset + 1 }),
        Some(Location { block: Block::Cell { table, row, column }, offset }) => {
            json!({ "table": table, "row": row, "column": column, "offset": offset + 1 })
        }
        Some(Location { block: Block::Footnote(n), offset }) => json!({ "footnote": n, "column": offset + 1 }),
        Some(Location { block: Block::TextBox(n), offset }) => json!({ "textBox": n, "column": offset + 1 }),
        None => Value::Null,
    }
}

/// The annotated copy's path: `report.docx` → `report.baocao.docx`, beside the original.
pub fn annotated_path(file: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    file.with_file_name(format!("{stem}{ANNOTATED_SUFFIX}"))
}

/// The comment for a finding: its message, then the preferred fix's title.
pub fn comment_for(finding: &Finding, locale: Locale) -> Comment {
    let mut paragraphs = vec![format!("{}: {}", finding.code, finding.message)];
    if let Some(fix) = finding.fixes.iter().find(|f| f.preferred).or(finding.fixes.first()) {
        let label = if locale == Locale::En { "Suggested fix" } else { "Đề xuất sửa" };
        paragraphs.push(format!("{label}: {}", fix.title));
    }
    Comment { range: finding.range.start..finding.range.end, paragraphs }
}

/// Checks one Word file: prints its findings (text) or returns its JSON entry, and writes the
/// annotated copy when asked. `Err` is the message for the file's error line.
#[allow(clippy::too_many_arguments)]
pub fn check(
    file: &Path,
    bytes: &[u8],
    analyzer: &mut Analyzer,
    config: &Config,
    catalogue: &Catalogue,
    json_output: bool,
    options: Options,
    out: &mut dyn Write,
) -> Result<Report, String> {
    let document: Docx = docx::read(bytes).map_err(|e| e.to_string())?;
    let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::convert::analyse_document(analyzer, &document.text, config, catalogue)
    }));
    let findings = match analysed {
        Ok(f) => f,
        Err(_) => {
            *analyzer = Analyzer::new();
            return Err("lỗi nội bộ khi phân tích tệp này / internal error while analysing this file".to_string());
        }
    };
    let problem = findings.iter().any(|f| f.severity <= Severity::Warning);
    let locations: Vec<Option<Location>> = findings.iter().map(|f| document.locate_forward(f.range.start)).collect();
    let name = file.display().to_string();
    let mut json_entry = None;
    if json_output {
        let index = LineIndex::new(&document.text, Encoding::Utf16);
        let uri = std::fs::canonicalize(file)
            .ok()
            .and_then(|p| tower_lsp::lsp_types::Url::from_file_path(p).ok())
            .or_else(|| tower_lsp::lsp_types::Url::parse("file:///unknown").ok());
        let diagnostics: Vec<_> = match &uri {
            Some(uri) => findings.iter().map(|f| diagnostic(f, &index, uri)).collect(),
            None => Vec::new(),
        };
        let fixes: Vec<_> = findings
            .iter()
            .map(|finding| serde_json::to_value(FixesOf { finding, index: &index }).unwrap_or(serde_json::Value::Null))
            .collect();
        let locations_json: Vec<_> = locations.iter().map(|l| location_json(*l)).collect();
        json_entry = Some(json!({
            "path": name,
            "format": "docx",
            "diagnostics": diagnostics,
            "fixes": fixes,
            "locations": locations_json,
        }));
    } else {
        for (f, loc) in findings.iter().zip(&locations) {
            let _ = writeln!(out, "{name}:{}: {} {}: {}", location_text(*loc), f.severity.as_str(), f.code, f.message);
        }
    }
    let mut notes = Vec::new();
    if options.annotate {
        let comments: Vec<Comment> = findings.iter().map(|f| comment_for(f, config.locale)).collect();
        let (annotated, skipped) = docx::annotate(bytes, &document, &comments).map_err(|e| e.to_string())?;
        let target = annotated_path(file);
        std::fs::write(&target, annotated).map_err(|e| format!("không ghi được / cannot write {}: {e}", target.display()))?;
        notes.push(format!(
            "{}: đã ghi {} nhận xét / wrote {} comments",
            target.display(),
            comments.len() - skipped.len(),
            comments.len() - skipped.len()
        ));
        if !skipped.is_empty() {
            notes.push(format!(
                "{}: {} phát hiện trong chú thích hoặc hộp văn bản không gắn được nhận xét / {} findings in footnotes or text boxes were not annotated",
                name,
                skipped.len(),
                skipped.len()
            ));
        }
    }
    Ok(Report { problem, json: json_entry, notes })
}
