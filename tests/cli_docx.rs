//! `baocao-ls check` on Word files, running the real binary: Word locations in the text and JSON
//! output, folders that include `.docx`, the legacy `.doc` message, a malformed file (exit 2, no
//! panic), and `--annotate` writing `NAME.baocao.docx` with the findings as comments.

mod common;

use baocao_core::docx;
use common::{run_cli, scratch_dir, TestResult};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A paragraph whose wrong total is split over several runs (Vietnamese words cut mid-word).
fn wrong_total_paragraph() -> String {
    "<w:p><w:r><w:t xml:space=\"preserve\">Trong tổng số 28 chỉ tiêu thành phần, có 6 ch</w:t></w:r>\
     <w:r><w:rPr><w:i/></w:rPr><w:t>ỉ tiêu đạt và vượt; </w:t></w:r>\
     <w:ins w:id=\"9\" w:author=\"X\"><w:r><w:t xml:space=\"preserve\">19 chỉ tiêu đạt theo tiến độ.</w:t></w:r></w:ins>\
     <w:del w:id=\"10\" w:author=\"X\"><w:r><w:delText>2 chỉ tiêu chưa đạt.</w:delText></w:r></w:del></w:p>"
        .to_string()
}

fn cell(t: &str) -> String {
    format!("<w:tc>{}</w:tc>", p(t))
}

fn row(cells: &[&str]) -> String {
    format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>())
}

fn report() -> TestResult<Vec<u8>> {
    let table = format!(
        "<w:tbl>{}{}{}{}</w:tbl>",
        row(&["Đơn vị", "Số đảng viên"]),
        row(&["Chi bộ A", "120"]),
        row(&["Chi bộ B", "85"]),
        row(&["Tổng cộng", "215"])
    );
    let body = format!("{}{}{}", p("Báo cáo tổng kết năm 2024 của Đảng bộ tỉnh."), wrong_total_paragraph(), table);
    Ok(docx::package(&body, &[])?)
}

#[test]
fn text_output_names_paragraphs_and_table_cells() -> TestResult {
    let dir = scratch_dir("docx-text")?;
    let file = dir.join("report.docx");
    std::fs::write(&file, report()?)?;
    let (code, out, err) = run_cli(&[os("check"), file.as_os_str()])?;
    assert_eq!(code, 1, "{out}{err}");
    let name = file.display().to_string();
    // The finding is on the total, "28 chỉ tiêu thành phần", after "Trong tổng số ".
    let col = "Trong tổng số ".chars().count() + 1;
    assert!(out.contains(&format!("{name}:¶2:{col}: warning total-mismatch: ")), "{out}");
    assert!(out.contains(&format!("{name}:bảng 1, hàng 4, cột 2: warning table-total-mismatch")), "{out}");
    // A folder includes .docx files (but not annotated copies or Word lock files).
    std::fs::write(dir.join("~$report.docx"), b"lock")?;
    std::fs::write(dir.join("old.baocao.docx"), b"not checked")?;
    let (code, out, err) = run_cli(&[os("check"), dir.as_os_str()])?;
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("report.docx:¶2:"), "{out}");
    assert!(!out.contains("old.baocao") && !err.contains("~$"), "{out}{err}");
    Ok(())
}

#[test]
fn json_output_keeps_the_shape_and_adds_locations() -> TestResult {
    let dir = scratch_dir("docx-json")?;
    let file = dir.join("report.docx");
    std::fs::write(&file, report()?)?;
    let (code, out, err) = run_cli(&[os("check"), os("--format"), os("json"), file.as_os_str()])?;
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out)?;
    let entry = &doc["files"][0];
    let diagnostics = entry["diagnostics"].as_array().ok_or("diagnostics")?;
    let locations = entry["locations"].as_array().ok_or("locations")?;
    assert_eq!(diagnostics.len(), locations.len());
    assert_eq!(entry["fixes"].as_array().map(Vec::len), Some(diagnostics.len()));
    let i = diagnostics.iter().position(|d| d["code"] == "total-mismatch").ok_or("no total-mismatch")?;
    assert_eq!(locations[i]["paragraph"], 2);
    let i = diagnostics.iter().position(|d| d["code"] == "table-total-mismatch").ok_or("no table finding")?;
    assert_eq!(
        (locations[i]["table"].as_u64(), locations[i]["row"].as_u64(), locations[i]["column"].as_u64()),
        (Some(1), Some(4), Some(2))
    );
    Ok(())
}

#[test]
fn legacy_doc_and_malformed_files_exit_2_with_a_message() -> TestResult {
    let dir = scratch_dir("docx-bad")?;
    let doc = dir.join("old.doc");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0];
    bytes.extend_from_slice(&[0; 100]);
    std::fs::write(&doc, bytes)?;
    let broken = dir.join("broken.docx");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip")?;
    let (code, _, err) = run_cli(&[os("check"), doc.as_os_str(), broken.as_os_str()])?;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{}: tệp .doc cũ: hãy lưu thành .docx / legacy .doc: save as .docx", doc.display())), "{err}");
    assert!(err.contains(&format!("{}: tệp Word hỏng", broken.display())), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    Ok(())
}

fn entry(path: &Path, name: &str) -> TestResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut e = archive.by_name(name)?;
    let mut data = Vec::new();
    e.read_to_end(&mut data)?;
    Ok(data)
}

#[test]
fn annotate_writes_a_commented_copy_and_leaves_the_original() -> TestResult {
    let dir = scratch_dir("docx-annotate")?;
    let file = dir.join("report.docx");
    let original = report()?;
    std::fs::write(&file, &original)?;
    let (code, _, err) = run_cli(&[os("check"), os("--annotate"), file.as_os_str()])?;
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read(&file)?, original, "the original is never touched");
    let copy = dir.join("report.baocao.docx");
    assert!(err.contains("report.baocao.docx"), "{err}");
    let comments = String::from_utf8(entry(&copy, "word/comments.xml")?)?;
    assert!(comments.contains("w:author=\"baocao-ls\""), "{comments}");
    assert!(comments.contains("không khớp tổng số 28"), "{comments}");
    assert!(comments.contains("Đề xuất sửa: "), "{comments}");
    let document = String::from_utf8(entry(&copy, "word/document.xml")?)?;
    assert!(document.contains("<w:commentRangeStart w:id=\"0\"/>") && document.contains("<w:commentReference w:id=\"0\"/>"), "{document}");
    // The comment's words: the text between its markers.
    let start = document.find("<w:commentRangeStart w:id=\"0\"/>").ok_or("start")?;
    let end = document.find("<w:commentRangeEnd w:id=\"0\"/>").ok_or("end")?;
    let inner = &document[start..end];
    // The first run was split at the total's start and end, both halves keeping their text.
    assert!(inner.ends_with(">28 chỉ tiêu thành phần</w:t></w:r>"), "{inner}");
    assert!(document.contains("Trong tổng số </w:t></w:r><w:commentRangeStart"), "{document}");
    assert_eq!(entry(&copy, "_rels/.rels")?, entry(&file, "_rels/.rels")?);
    assert_eq!(docx::read(&std::fs::read(&copy)?)?.text, docx::read(&original)?.text);
    // English comments with --locale en.
    let (_, _, err) = run_cli(&[os("check"), os("--annotate"), os("--locale"), os("en"), file.as_os_str()])?;
    let comments = String::from_utf8(entry(&copy, "word/comments.xml")?)?;
    assert!(comments.contains("Suggested fix: ") && comments.contains("does not match"), "{comments}{err}");
    Ok(())
}
