//! The two real published texts in `../shared/corpus/`: the number checks must flag the one
//! sentence whose parts do not add up (as information, since the remainder is named elsewhere)
//! and nothing else. Other families of rules (spelling, citations) keep their own corpus
//! expectations. The texts are read in place, never copied into the repository.

mod common;

use common::{run_cli, TestResult};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::PathBuf;

/// The arithmetic checks of issue 1; the corpus is their ground truth.
const NUMBER_RULES: [&str; 6] =
    ["total-mismatch", "fraction-mismatch", "count-mismatch", "percent-mismatch", "table-total-mismatch", "ratio-mismatch"];

/// `../shared/corpus/`; `None` (the test is skipped, with a message) in a clone without it, but
/// never in CI (`CI` set), which always has it.
fn corpus_dir() -> TestResult<Option<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    if std::env::var_os("CI").is_some() {
        return Err(format!("the shared corpus is missing: expected {} (the `shared/` folder beside the repository)", dir.display()).into());
    }
    eprintln!("skipped: {} is not there (clone the shared material beside the repository to run this test)", dir.display());
    Ok(None)
}

/// Byte offset of a 0-based LSP position counted in UTF-16 units (lines end at `\n`; the corpus has no CR).
fn utf16_offset(text: &str, position: &Value) -> TestResult<usize> {
    let line = position["line"].as_u64().ok_or("no line")? as usize;
    let character = position["character"].as_u64().ok_or("no character")? as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units == character {
            return Ok(line_start + i);
        }
        if c == '\n' || units > character {
            break;
        }
        units += c.len_utf16();
    }
    Err(format!("position {position} is not on a character boundary").into())
}

fn text_at<'a>(text: &'a str, range: &Value) -> TestResult<&'a str> {
    Ok(&text[utf16_offset(text, &range["start"])?..utf16_offset(text, &range["end"])?])
}

#[test]
fn corpus_has_exactly_the_one_known_finding() -> TestResult {
    let Some(dir) = corpus_dir()? else { return Ok(()) };
    let (code, out, err) = run_cli(&[OsStr::new("check"), OsStr::new("--format"), OsStr::new("json"), dir.as_os_str()])?;
    assert_ne!(code, 2, "both files must be readable and analysable: {err}");
    let doc: Value = serde_json::from_str(&out)?;
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(0), "{}", doc["errors"]);
    let files = doc["files"].as_array().ok_or("files is not an array")?;
    let name_of = |f: &Value| f["path"].as_str().and_then(|p| p.rsplit('/').next()).unwrap_or_default().to_string();
    let mut names: Vec<String> = files.iter().map(name_of).collect();
    names.sort();
    assert_eq!(names, ["bac-giang-nua-nhiem-ky.txt", "thong-bao-kiem-diem.txt"]);

    let number_findings = |f: &Value| -> Vec<Value> {
        f["diagnostics"]
            .as_array()
            .map(|d| d.iter().filter(|x| x["code"].as_str().is_some_and(|c| NUMBER_RULES.contains(&c))).cloned().collect())
            .unwrap_or_default()
    };
    let total: usize = files.iter().map(|f| number_findings(f).len()).sum();
    assert_eq!(total, 1, "exactly one number finding in the whole corpus: {out}");
    let notice = files.iter().find(|f| name_of(f) == "thong-bao-kiem-diem.txt").ok_or("notice missing")?;
    assert_eq!(number_findings(notice), Vec::<Value>::new(), "no number finding in the notice (its 11/40 and 29/40 are right)");

    let article = files.iter().find(|f| name_of(f) == "bac-giang-nua-nhiem-ky.txt").ok_or("article missing")?;
    let text = std::fs::read_to_string(dir.join("bac-giang-nua-nhiem-ky.txt"))?;
    let found = number_findings(article);
    let diag = &found[0];
    assert_eq!(diag["code"], "total-mismatch");
    assert_eq!(diag["source"], "baocao");
    assert_eq!(diag["severity"], 3, "information: the remainder is named elsewhere in the text");

    let line = diag["range"]["start"]["line"].as_u64().ok_or("no line")? as usize;
    let line_text = text.lines().nth(line).ok_or("line past the end")?;
    assert!(line_text.contains("Trong tổng số 11 nhóm chỉ tiêu"), "flagged line {line}: {line_text}");
    assert_eq!(text_at(&text, &diag["range"])?, "28 chỉ tiêu thành phần");

    let related = diag["relatedInformation"].as_array().ok_or("no relatedInformation")?;
    let mut pointed = Vec::new();
    for r in related {
        pointed.push(text_at(&text, &r["location"]["range"])?.to_string());
    }
    assert!(
        pointed.iter().any(|p| p.starts_with("3 chỉ tiêu thành phần")),
        "relatedInformation should point at the remainder “3 chỉ tiêu thành phần”: {pointed:?}"
    );
    Ok(())
}
