//! The command-line checker as users run it: `baocao-ls check`, `--version`, `--help`.
//!
//! Exit codes (0 clean or information only, 1 warnings, 2 usage or unreadable files), the exact
//! text line format with 1-based character columns, the JSON shape (the very diagnostics the
//! server publishes), locales, folder walking and partial failures.

mod common;

use common::{push_capabilities, run_cli, scratch_dir, utf16_range, LspClient, TestResult};
use serde_json::{json, Value};
use std::ffi::OsStr;
use std::path::Path;

const WRONG_TOTAL: &str = "Báo cáo tổng kết năm 2024 của Đảng bộ tỉnh.\n\n\
    Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.\n";
const WRONG_TOTAL_VI: &str = "6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần";
const WRONG_TOTAL_EN: &str = "6 + 19 = 25, which does not match the total of 28 chỉ tiêu thành phần";

const CLEAN: &str = "Năm 2024, toàn Đảng bộ kết nạp 1.250 đảng viên mới, trong đó có 450 đảng viên nữ.\n";

/// The parts fall short of the total, but the remainder is named later: information only.
const RECONCILED: &str = "Kết quả thực hiện các chỉ tiêu. Trong tổng số 9 nhóm chỉ tiêu chủ yếu, với 30 chỉ tiêu thành phần, \
    có 8 chỉ tiêu thành phần đạt và vượt; 18 chỉ tiêu thành phần đạt mục tiêu theo tiến độ.\n\n\
    Về hạn chế, còn 4 chỉ tiêu thành phần đạt thấp, cần nỗ lực hơn.\n";

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> TestResult<String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, contents)?;
    Ok(path.display().to_string())
}

/// 1-based line and character column of the first `needle` in `text`, as the text format prints them.
fn line_col(text: &str, needle: &str) -> TestResult<(usize, usize)> {
    let (start, _) = common::find(text, needle)?;
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Ok((line, before[line_start..].chars().count() + 1))
}

#[test]
fn version_and_help_exit_zero() -> TestResult {
    let (code, out, _) = run_cli(&[os("--version")])?;
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("baocao-ls {}", env!("CARGO_PKG_VERSION")));
    let (code, out, _) = run_cli(&[os("--help")])?;
    assert_eq!(code, 0);
    assert!(out.contains("check"), "--help should mention the check command: {out}");
    let (code, out, _) = run_cli(&[os("check"), os("--help")])?;
    assert_eq!(code, 0);
    assert!(out.contains("--format") && out.contains("--locale"), "{out}");
    Ok(())
}

#[test]
fn usage_errors_exit_two() -> TestResult {
    let dir = scratch_dir("cli-usage")?;
    let file = write(&dir, "a.md", WRONG_TOTAL)?;
    for args in [
        vec!["--no-such-flag"],
        vec!["check", "--no-such-flag", file.as_str()],
        vec!["check"],
        vec!["check", "--format", "xml", file.as_str()],
        vec!["check", "--locale", "fr", file.as_str()],
        vec!["no-such-command"],
    ] {
        let args: Vec<&OsStr> = args.iter().map(|a| os(a)).collect();
        let (code, out, err) = run_cli(&args)?;
        assert_eq!(code, 2, "{args:?} should be a usage error; stdout {out}");
        assert!(out.is_empty(), "{args:?}: usage errors go to stderr, not stdout: {out}");
        assert!(!err.trim().is_empty(), "{args:?}: a usage error must say what is wrong");
    }
    Ok(())
}

#[test]
fn clean_file_exits_zero_silently() -> TestResult {
    let dir = scratch_dir("cli-clean")?;
    let file = write(&dir, "sach.md", CLEAN)?;
    let (code, out, err) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    Ok(())
}

#[test]
fn warning_prints_path_line_column_and_exits_one() -> TestResult {
    let dir = scratch_dir("cli-warning")?;
    let file = write(&dir, "bao-cao.md", WRONG_TOTAL)?;
    let (code, out, err) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 1, "stderr: {err}");
    let (line, col) = line_col(WRONG_TOTAL, "28 chỉ tiêu thành phần")?;
    // "Trong tổng số " is 14 characters (18 bytes): the column counts characters.
    assert_eq!((line, col), (3, 15));
    assert_eq!(out, format!("{file}:{line}:{col}: warning total-mismatch: {WRONG_TOTAL_VI}\n"));
    assert_eq!(err, "");
    Ok(())
}

#[test]
fn crlf_bom_and_astral_characters_do_not_shift_text_columns() -> TestResult {
    let dir = scratch_dir("cli-crlf")?;
    let text = WRONG_TOTAL.replace('\n', "\r\n").replace("Trong", "🎉 Trong");
    let file = write(&dir, "crlf.txt", format!("\u{feff}{text}"))?;
    let (code, out, _) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 1);
    let (line, col) = line_col(&text, "28 chỉ tiêu thành phần")?;
    assert_eq!((line, col), (3, 17));
    assert_eq!(out, format!("{file}:{line}:{col}: warning total-mismatch: {WRONG_TOTAL_VI}\n"));
    Ok(())
}

#[test]
fn information_only_exits_zero_but_is_printed() -> TestResult {
    let dir = scratch_dir("cli-info")?;
    let file = write(&dir, "doi-chieu.md", RECONCILED)?;
    let (code, out, _) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 0, "{out}");
    let (line, col) = line_col(RECONCILED, "30 chỉ tiêu thành phần")?;
    let prefix = format!("{file}:{line}:{col}: information total-mismatch: 8 + 18 = 26");
    assert!(out.starts_with(&prefix), "expected {prefix:?}…, got {out:?}");
    assert_eq!(out.lines().count(), 1);
    Ok(())
}

#[test]
fn locale_en_prints_english_messages() -> TestResult {
    let dir = scratch_dir("cli-en")?;
    let file = write(&dir, "report.md", WRONG_TOTAL)?;
    let (code, out, _) = run_cli(&[os("check"), os("--locale"), os("en"), os(&file)])?;
    assert_eq!(code, 1);
    assert_eq!(out, format!("{file}:3:15: warning total-mismatch: {WRONG_TOTAL_EN}\n"));
    Ok(())
}

#[test]
fn json_output_is_what_the_server_publishes() -> TestResult {
    let dir = scratch_dir("cli-json")?;
    let file = write(&dir, "bao-cao.md", WRONG_TOTAL)?;
    let (code, out, _) = run_cli(&[os("check"), os("--format"), os("json"), os(&file)])?;
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out)?;
    assert_eq!(doc["errors"], json!([]));
    let files = doc["files"].as_array().ok_or("files is not an array")?;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], file.as_str());
    let diagnostics = files[0]["diagnostics"].as_array().ok_or("diagnostics is not an array")?;
    assert_eq!(diagnostics.len(), 1);
    let diag = &diagnostics[0];
    assert_eq!(diag["range"], utf16_range(WRONG_TOTAL, "28 chỉ tiêu thành phần")?, "0-based UTF-16 positions");
    assert_eq!(diag["code"], "total-mismatch");
    assert_eq!(diag["source"], "baocao");
    assert_eq!(diag["severity"], 2);
    assert_eq!(diag["message"], WRONG_TOTAL_VI);
    assert!(diag["codeDescription"]["href"].as_str().is_some_and(|h| h.ends_with("#total-mismatch")));

    // The fixes come beside the diagnostics, one list per diagnostic (the server computes them
    // in codeAction and sends no fix data).
    assert_eq!(files[0]["fixes"][0][0]["preferred"], true, "{}", files[0]);
    assert_eq!(files[0]["fixes"][0][1]["edits"][0]["newText"], "25", "{}", files[0]);
    assert!(diag.get("data").is_none(), "{diag}");

    // The server, given the same text under the file's URI, publishes exactly this diagnostic.
    let canonical = std::fs::canonicalize(&file)?;
    let path = canonical.to_str().ok_or("non-UTF-8 scratch path")?;
    assert!(path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b)), "the URI below needs no escaping: {path}");
    let uri = format!("file://{path}");
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(&uri, 1, WRONG_TOTAL)?;
    let published = client.diagnostics(&uri, 1)?;
    assert_eq!(published["diagnostics"], json!(diagnostics));
    Ok(())
}

#[test]
fn folders_are_walked_recursively_for_md_and_txt_only() -> TestResult {
    let dir = scratch_dir("cli-walk")?;
    let top = write(&dir, "a.md", WRONG_TOTAL)?;
    let nested = write(&dir, "sub/deeper/b.txt", WRONG_TOTAL)?;
    let upper = write(&dir, "sub/C.MD", WRONG_TOTAL)?;
    write(&dir, "sub/clean.md", CLEAN)?;
    // .docx files are checked too (tests/cli_docx.rs); other types are not.
    for ignored in ["notes.rst", "sub/report.odt", "sub/deeper/data.json", "README"] {
        write(&dir, ignored, WRONG_TOTAL)?;
    }
    let (code, out, err) = run_cli(&[os("check"), dir.as_os_str()])?;
    assert_eq!(code, 1, "stderr: {err}");
    let mut printed: Vec<&str> = out.lines().map(|l| l.split(":3:15: ").next().unwrap_or(l)).collect();
    printed.sort();
    let mut expected = vec![top.as_str(), nested.as_str(), upper.as_str()];
    expected.sort();
    assert_eq!(printed, expected, "full output: {out}");
    Ok(())
}

#[test]
fn unreadable_inputs_exit_two_and_the_rest_is_still_checked() -> TestResult {
    let dir = scratch_dir("cli-partial")?;
    let good = write(&dir, "tot.md", WRONG_TOTAL)?;
    // "Tổng số" in Windows-1258-like single bytes: not UTF-8.
    let latin = write(&dir, "cu.txt", b"T\xf4\xf2ng s\xf4\xf3 28 ch\xec ti\xeau\n")?;
    let missing = dir.join("khong-co.md").display().to_string();
    let (code, out, err) = run_cli(&[os("check"), os(&missing), os(&latin), os(&good)])?;
    assert_eq!(code, 2);
    assert_eq!(out, format!("{good}:3:15: warning total-mismatch: {WRONG_TOTAL_VI}\n"));
    let err_lines: Vec<&str> = err.lines().collect();
    assert_eq!(err_lines.len(), 2, "one line per unreadable input: {err}");
    assert!(err_lines.iter().any(|l| l.starts_with(&format!("baocao-ls: {missing}: ")) && l.contains("no such file")), "{err}");
    assert!(err_lines.iter().any(|l| l.starts_with(&format!("baocao-ls: {latin}: ")) && l.contains("UTF-8")), "{err}");

    let (code, out, _) = run_cli(&[os("check"), os("--format"), os("json"), os(&missing), os(&latin), os(&good)])?;
    assert_eq!(code, 2);
    let doc: Value = serde_json::from_str(&out)?;
    let error_paths: Vec<&str> = doc["errors"].as_array().ok_or("no errors array")?.iter().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(error_paths.len(), 2);
    assert!(error_paths.contains(&missing.as_str()) && error_paths.contains(&latin.as_str()), "{error_paths:?}");
    assert_eq!(doc["files"][0]["path"], good.as_str());
    assert_eq!(doc["files"][0]["diagnostics"][0]["code"], "total-mismatch");
    Ok(())
}

#[test]
fn a_file_the_analysis_chokes_on_does_not_stop_the_others() -> TestResult {
    let dir = scratch_dir("cli-overflow")?;
    // 10^20 × 10^9 does not fit the core's decimals; at the time of writing this panics in the core.
    let huge = write(&dir, "a-huge.md", "Dự án có tổng vốn 100000000000000000000 tỷ đồng.\n")?;
    let good = write(&dir, "b-good.md", WRONG_TOTAL)?;
    let (code, out, err) = run_cli(&[os("check"), os(&huge), os(&good)])?;
    assert!(out.contains(&format!("{good}:3:15: warning total-mismatch: ")), "the second file must still be checked: {out}; {err}");
    match code {
        1 => assert!(!err.contains(&huge), "{err}"),
        2 => assert!(err.lines().any(|l| l.starts_with(&format!("baocao-ls: {huge}: "))), "the failing file must be named: {err}"),
        other => return Err(format!("exit {other}; stderr {err}").into()),
    }
    Ok(())
}

#[test]
fn the_project_locale_applies_unless_the_command_line_names_one() -> TestResult {
    let dir = scratch_dir("cli-project-locale")?;
    write(&dir, ".baocao.toml", "locale = \"en\"\n")?;
    let file = write(&dir, "bao-cao.md", WRONG_TOTAL)?;
    let (code, stdout, _) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 1);
    assert!(stdout.contains(WRONG_TOTAL_EN), "the project file's locale: {stdout}");
    let (_, stdout, _) = run_cli(&[os("check"), os("--locale"), os("vi"), os(&file)])?;
    assert!(stdout.contains(WRONG_TOTAL_VI), "an explicit --locale vi wins over the file: {stdout}");
    Ok(())
}

#[test]
fn check_reads_the_workspace_catalogue_like_the_server() -> TestResult {
    let dir = scratch_dir("cli-workspace-catalogue")?;
    write(
        &dir,
        ".baocao/directives.json",
        "{\"entries\": [\n  {\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-01-14\",\n   \"issuing_body\": \"Tỉnh ủy\", \"title\": \"học tập, quán triệt nghị quyết\"}\n]}\n",
    )?;
    // Cited with a date the workspace catalogue contradicts.
    let file = write(&dir, "sub/bao-cao.md", "Triển khai Kế hoạch số 147-KH/TU ngày 15/02/2022 của Tỉnh ủy.\n")?;
    let (_, stdout, stderr) = run_cli(&[os("check"), os(&file)])?;
    assert!(stdout.contains("citation-conflict") && stdout.contains("14/01/2022"), "stdout: {stdout}\nstderr: {stderr}");
    // Without the workspace catalogue the same text is not contradicted.
    let elsewhere = scratch_dir("cli-no-catalogue")?;
    let file = write(&elsewhere, "bao-cao.md", "Triển khai Kế hoạch số 147-KH/TU ngày 15/02/2022 của Tỉnh ủy.\n")?;
    let (_, stdout, _) = run_cli(&[os("check"), os(&file)])?;
    assert!(!stdout.contains("citation-conflict"), "{stdout}");
    Ok(())
}

#[test]
fn a_broken_workspace_catalogue_is_named_and_the_file_still_checked() -> TestResult {
    let dir = scratch_dir("cli-broken-catalogue")?;
    write(&dir, ".baocao/directives.json", "[\n  {\"type\": \"Kế hoạch\",, }\n]\n")?;
    let file = write(&dir, "bao-cao.md", WRONG_TOTAL)?;
    let (code, stdout, stderr) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 2, "a broken input file is an error");
    assert!(stderr.contains("directives.json") && stderr.contains(":2:"), "stderr: {stderr}");
    assert!(stdout.contains("total-mismatch"), "the report is still checked: {stdout}");
    Ok(())
}

/// Runs `check` under a deadline (a FIFO used to block it forever): (exit code, stdout, stderr).
fn run_cli_bounded(args: &[&OsStr]) -> TestResult<(i32, String, String)> {
    let mut child = std::process::Command::new(common::binary())
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait()?.is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("check did not finish within 30 s".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output()?;
    Ok((output.status.code().ok_or("killed by a signal")?, String::from_utf8(output.stdout)?, String::from_utf8(output.stderr)?))
}

#[test]
fn fifos_devices_and_links_to_them_are_named_and_never_read() -> TestResult {
    let dir = scratch_dir("cli-fifo")?;
    let fifo = dir.join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
    assert!(made.success(), "mkfifo failed");
    let checked = write(&dir, "a.md", WRONG_TOTAL)?;
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.md"))?;
    // Given directly: named, exit 2, nothing read.
    let (code, out, err) = run_cli_bounded(&[os("check"), fifo.as_os_str()])?;
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("pipe.md") && err.contains("not a regular file"), "{err}");
    let (code, _, err) = run_cli_bounded(&[os("check"), os("/dev/zero")])?;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/dev/zero") && err.contains("not a regular file"), "{err}");
    // Inside a folder: each named, the regular file still checked.
    let (code, out, err) = run_cli_bounded(&[os("check"), dir.as_os_str()])?;
    assert_eq!(code, 2, "{err}");
    assert!(out.starts_with(&format!("{checked}:3:15: warning total-mismatch")), "{out}");
    assert!(err.contains("pipe.md") && err.contains("zero.md"), "{err}");
    Ok(())
}

#[test]
fn files_over_the_size_limit_are_named_and_the_limit_is_a_flag() -> TestResult {
    let dir = scratch_dir("cli-size")?;
    let big = write(&dir, "big.md", format!("{WRONG_TOTAL}{}", "x".repeat(2 * 1024 * 1024)))?;
    let (code, out, err) = run_cli(&[os("check"), os("--max-size"), os("1"), os(&big)])?;
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains(&big) && err.contains("--max-size"), "{err}");
    let (code, out, err) = run_cli(&[os("check"), os("--max-size"), os("3"), os(&big)])?;
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("total-mismatch"), "{out}");
    let (code, _, err) = run_cli(&[os("check"), os("--max-size"), os("many"), os(&big)])?;
    assert_eq!(code, 2, "{err}");
    Ok(())
}

#[test]
fn unknown_project_keys_and_a_broken_phrasebook_alone_are_named_with_line_and_column() -> TestResult {
    let dir = scratch_dir("cli-keys")?;
    write(&dir, ".baocao.toml", "# house style\nlokale = \"en\"\n[style]\ntone-marks = \"new\"\n")?;
    let file = write(&dir, "a.md", CLEAN)?;
    let (code, _, err) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{}:2:1: ", dir.join(".baocao.toml").display())) && err.contains("lokale"), "{err}");
    // A malformed workspace phrasebook without any project file.
    let other = scratch_dir("cli-phrasebook")?;
    write(&other, ".baocao/phrasebook.json", "{\n  \"entries\": [\n    {\"label\": }\n  ]\n}\n")?;
    let file = write(&other, "b.md", CLEAN)?;
    let (code, _, err) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{}:3:", other.join(".baocao/phrasebook.json").display())), "{err}");
    Ok(())
}

#[test]
fn the_cli_walks_the_same_file_types_as_the_server_and_reports_each_file_once() -> TestResult {
    let dir = scratch_dir("cli-types")?;
    let markdown = write(&dir, "a.markdown", WRONG_TOTAL)?;
    for skipped in [".git/COMMIT_EDITMSG.md", ".hidden/b.md", "node_modules/x/c.md", "target/d.md", ".e.md"] {
        write(&dir, skipped, WRONG_TOTAL)?;
    }
    let (code, out, err) = run_cli(&[os("check"), dir.as_os_str(), os(&markdown), os(&markdown)])?;
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, format!("{markdown}:3:15: warning total-mismatch: {WRONG_TOTAL_VI}\n"));
    Ok(())
}

#[test]
fn bom_positions_on_the_first_line_equal_the_servers() -> TestResult {
    let dir = scratch_dir("cli-bom")?;
    let line = "Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.\n";
    let text = format!("\u{feff}{line}");
    let file = write(&dir, "bom.md", &text)?;
    let (code, out, _) = run_cli(&[os("check"), os("--format"), os("json"), os(&file)])?;
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out)?;
    let from_cli = doc["files"][0]["diagnostics"].clone();
    let range = utf16_range(&text, "28 chỉ tiêu thành phần")?;
    assert_eq!(from_cli[0]["range"], range, "the BOM counts as one UTF-16 unit, as in the server");
    let uri = format!("file://{}", std::fs::canonicalize(&file)?.display());
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(&uri, 1, &text)?;
    assert_eq!(client.diagnostics(&uri, 1)?["diagnostics"], from_cli);
    let (_, out, _) = run_cli(&[os("check"), os(&file)])?;
    assert!(out.starts_with(&format!("{file}:1:16: ")), "{out}");
    Ok(())
}

#[test]
fn an_abruptly_closed_comment_next_to_a_suppression_word_is_checked_normally() -> TestResult {
    let dir = scratch_dir("cli-comment")?;
    let file = write(&dir, "c.md", format!("<!--> baocao-disable\n\n{WRONG_TOTAL}<!---> baocao-\n"))?;
    let (code, out, err) = run_cli(&[os("check"), os(&file)])?;
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("total-mismatch"), "{out}");
    Ok(())
}
