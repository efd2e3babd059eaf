//! Hostile and extreme input: empty text, very large documents, one enormous line, CRLF,
//! astral characters glued to numbers, decomposed (NFD) Vietnamese, and a few thousand
//! pseudo-random documents. The analysis must never panic and every range it returns (finding,
//! related place, fix edit) must lie inside the text on character boundaries.

mod common;

use baocao_core::{Analyzer, Config, Finding, RuleCode, TextRange};
use common::{run_cli, scratch_dir, TestResult};
use std::ffi::OsStr;
use unicode_normalization::UnicodeNormalization;

const WRONG_TOTAL: &str = "Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.";
const RIGHT_TOTAL: &str = "Trong tổng số 25 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.";

fn analyze(text: &str) -> Vec<Finding> {
    baocao_core::analyze(text, &Config::default())
}

fn check_range(text: &str, range: TextRange, what: &str) -> Result<(), String> {
    if range.start > range.end || range.end > text.len() {
        return Err(format!("{what}: range {}..{} outside a text of {} bytes", range.start, range.end, text.len()));
    }
    if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
        return Err(format!("{what}: range {}..{} splits a character", range.start, range.end));
    }
    Ok(())
}

/// Every range a finding carries is valid for `text`.
fn check_findings(text: &str, findings: &[Finding]) -> Result<(), String> {
    for f in findings {
        check_range(text, f.range, &format!("{} finding", f.code))?;
        for r in &f.related {
            check_range(text, r.range, &format!("{} related", f.code))?;
        }
        for fix in &f.fixes {
            for edit in &fix.edits {
                check_range(text, edit.range, &format!("{} fix edit", f.code))?;
            }
        }
    }
    Ok(())
}

fn count(findings: &[Finding], code: RuleCode) -> usize {
    findings.iter().filter(|f| f.code == code).count()
}

/// A long report: numbered sections of ordinary sentences, a correct breakdown everywhere and a
/// wrong one in every `wrong_every`-th section. Returns the text and the number of wrong sections.
fn long_report(target_bytes: usize, wrong_every: usize) -> (String, usize) {
    let mut text = String::with_capacity(target_bytes + 4096);
    let mut section = 0;
    let mut wrong = 0;
    while text.len() < target_bytes {
        section += 1;
        text.push_str(&format!("## {section}. Kết quả thực hiện nhiệm vụ năm {}\n\n", 2000 + section % 25));
        text.push_str(
            "Công tác xây dựng Đảng được quan tâm; toàn Đảng bộ kết nạp 1.250 đảng viên mới, \
             trong đó có 450 đảng viên nữ. Thu ngân sách đạt 12.345,6 tỷ đồng, tăng 18,4% so với cùng kỳ.\n\n",
        );
        if section % wrong_every == 0 {
            wrong += 1;
            text.push_str(WRONG_TOTAL);
        } else {
            text.push_str(RIGHT_TOTAL);
        }
        text.push_str("\n\n| Chỉ tiêu | Kế hoạch | Thực hiện |\n|---|---|---|\n| Trường học | 12 | 13 |\n| Trạm y tế | 4 | 4 |\n\n");
    }
    (text, wrong)
}

#[test]
fn empty_and_blank_texts_give_nothing() {
    for text in ["", "\n", "\r\n\r\n", "   ", "\u{feff}", "|", "%", "28"] {
        assert_eq!(analyze(text), Vec::new(), "{text:?}");
    }
}

#[test]
fn a_three_megabyte_report_in_process_with_every_wrong_total_found() -> TestResult {
    // 3 MB keeps a debug run short; the 10 MB case goes through the binary below.
    let (text, wrong) = long_report(3_000_000, 7);
    let mut analyzer = Analyzer::new();
    let findings = analyzer.analyze(&text, &Config::default());
    check_findings(&text, &findings)?;
    assert_eq!(count(&findings, RuleCode::TotalMismatch), wrong);
    assert_eq!(findings.len(), wrong, "only the wrong totals: {:?}", findings.iter().find(|f| f.code != RuleCode::TotalMismatch));
    // The cached second pass after a one-paragraph edit gives the same answer plus the new error.
    let edited = text.replacen(RIGHT_TOTAL, WRONG_TOTAL, 1);
    let again = analyzer.analyze(&edited, &Config::default());
    check_findings(&edited, &again)?;
    assert_eq!(count(&again, RuleCode::TotalMismatch), wrong + 1);
    Ok(())
}

#[test]
fn a_ten_megabyte_report_through_the_binary() -> TestResult {
    let dir = scratch_dir("robust-10mb")?;
    let (text, wrong) = long_report(10_000_000, 97);
    let path = dir.join("lon.md");
    std::fs::write(&path, &text)?;
    let (code, out, err) = run_cli(&[OsStr::new("check"), path.as_os_str()])?;
    assert_eq!(code, 1, "stderr: {err}");
    assert_eq!(out.lines().filter(|l| l.contains(": warning total-mismatch: ")).count(), wrong);
    assert_eq!(out.lines().count(), wrong, "{}", out.lines().find(|l| !l.contains("total-mismatch")).unwrap_or_default());
    Ok(())
}

#[test]
fn a_one_megabyte_single_line() -> TestResult {
    let mut text = String::new();
    let mut wrong = 0;
    // Every 50th sentence is wrong.
    let mut until_wrong = 50;
    while text.len() < 1_000_000 {
        until_wrong -= 1;
        if until_wrong == 0 {
            until_wrong = 50;
            wrong += 1;
            text.push_str(WRONG_TOTAL);
        } else {
            text.push_str("Năm 2024, toàn Đảng bộ kết nạp 1.250 đảng viên mới, trong đó có 450 đảng viên nữ, 210 đảng viên là người dân tộc thiểu số.");
        }
        text.push(' ');
    }
    assert!(!text.contains('\n'));
    let findings = analyze(&text);
    check_findings(&text, &findings)?;
    assert_eq!(count(&findings, RuleCode::TotalMismatch), wrong);
    // A line that is one run of bare numbers and separators. Only 30 KB: the core is quadratic
    // in the bare numbers of one sentence ("12 12 12 …", reported on issue 2).
    let digits: String = (0..30_000u32).map(|i| char::from(b"0123456789.,%/ "[(i as usize * 7 + i as usize / 13) % 15])).collect();
    check_findings(&digits, &analyze(&digits))?;
    Ok(())
}

/// Issue 10, item 6 (scale): a keystroke re-reads a bounded stretch of the document whatever
/// its shape, here a 1 MB line and 100,000 lines of a few repeated values (each was one block,
/// read again in full on every edit).
#[test]
fn an_edit_in_an_enormous_line_or_a_run_of_repeated_lines_re_reads_one_block() -> TestResult {
    let config = Config::default();
    let mut line = String::new();
    let mut wrong = 0;
    while line.len() < 1_000_000 {
        line.push_str(if line.len() % 40_000 < 200 { WRONG_TOTAL } else { RIGHT_TOTAL });
        wrong += usize::from(line.ends_with(WRONG_TOTAL));
        line.push_str(" Năm 2024, toàn Đảng bộ kết nạp 1.250 đảng viên mới. ");
    }
    let tiny: String = (0..100_000).map(|i| format!("{}\n", i % 10)).collect();
    for text in [line.trim_end().to_string(), tiny] {
        let mut analyzer = Analyzer::new();
        let findings = analyzer.analyze(&text, &config);
        check_findings(&text, &findings)?;
        let mut middle = text.len() / 2;
        while !text.is_char_boundary(middle) {
            middle += 1;
        }
        let edited = format!("{} 7{}", &text[..middle], &text[middle..]);
        let again = analyzer.analyze(&edited, &config);
        check_findings(&edited, &again)?;
        assert_eq!(analyzer.last_extracted, 1, "blocks read again after one edit");
        assert!(again.len().abs_diff(findings.len()) <= 1);
        // The incremental result is what a fresh analysis finds.
        assert_eq!(again, analyze(&edited));
    }
    assert_eq!(count(&analyze(line.trim_end()), RuleCode::TotalMismatch), wrong);
    Ok(())
}

#[test]
fn crlf_everywhere_finds_the_same_things_at_the_same_words() -> TestResult {
    let (lf, _) = long_report(20_000, 3);
    let crlf = lf.replace('\n', "\r\n");
    let lone_cr = lf.replace('\n', "\r");
    let expected: Vec<(RuleCode, String)> = analyze(&lf).iter().map(|f| (f.code, lf[f.range.start..f.range.end].to_string())).collect();
    assert!(!expected.is_empty());
    for text in [&crlf, &lone_cr] {
        let findings = analyze(text);
        check_findings(text, &findings)?;
        let got: Vec<(RuleCode, String)> = findings.iter().map(|f| (f.code, text[f.range.start..f.range.end].to_string())).collect();
        assert_eq!(got, expected, "line breaks must not change what is found or where");
    }
    Ok(())
}

#[test]
fn astral_characters_next_to_numbers() -> TestResult {
    let cases = [
        "Trong tổng số 🎉28 chỉ tiêu thành phần, có 6🎉 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.",
        "🎉 Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ. 😀",
        "Trong tổng số 𝟐𝟖 chỉ tiêu thành phần, có 𝟔 chỉ tiêu đạt và vượt; 𝟏𝟗 chỉ tiêu đạt theo tiến độ.",
        "Tổng số 25 chỉ tiêu, trong đó 18 chỉ tiêu đạt (chiếm 75,5%🎉).",
        "Tổng số 25 chỉ tiêu, trong đó 18 chỉ tiêu đạt (chiếm 75,5\u{1F3FD}%).",
        "𠀀28 𠀀/𠀀40 chỉ tiêu (𠀀70%𠀀) | 12 | 𝟙𝟚 |\n| 4 | 4 |",
        "28\u{200D}👩‍👩‍👧 chỉ tiêu, gồm: 🇻🇳; 🇻🇳; 🇻🇳.",
    ];
    for text in cases {
        let findings = analyze(text);
        check_findings(text, &findings).map_err(|e| format!("{e} in {text:?}"))?;
    }
    // An emoji before the sentence changes nothing about the finding's words.
    let text = cases[1];
    let findings = analyze(text);
    assert_eq!(findings.len(), 1);
    assert_eq!(&text[findings[0].range.start..findings[0].range.end], "28 chỉ tiêu thành phần");
    Ok(())
}

#[test]
fn decomposed_vietnamese_is_still_checked() -> TestResult {
    let nfd: String = format!("Báo cáo tổng kết.\n\n{WRONG_TOTAL}\n").nfd().collect();
    assert_ne!(nfd.len(), WRONG_TOTAL.len() + 20, "the text really is decomposed");
    assert!(nfd.contains("\u{0302}"), "combining circumflex expected in NFD");
    let findings = analyze(&nfd);
    check_findings(&nfd, &findings)?;
    let totals: Vec<&Finding> = findings.iter().filter(|f| f.code == RuleCode::TotalMismatch).collect();
    assert_eq!(totals.len(), 1, "the wrong total must be flagged in NFD too: {findings:?}");
    let number = nfd.find("28").ok_or("no 28")?;
    let range = totals[0].range;
    assert!(range.start <= number && number + 2 <= range.end, "the range {range:?} must cover the number at {number}");
    let covered = &nfd[range.start..range.end];
    assert_eq!(covered.nfc().collect::<String>(), "28 chỉ tiêu thành phần");
    Ok(())
}

/// Deterministic linear congruential generator (Knuth's MMIX constants); no crate needed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SOUP_PIECES: [&str; 48] = [
    "tổng số",
    "trong đó",
    "gồm",
    "bao gồm",
    "chỉ tiêu",
    "đảng viên",
    "đạt",
    "vượt",
    "chiếm",
    "tỷ lệ",
    "có",
    "với",
    "còn",
    "là",
    "thành phần",
    "nhiệm vụ",
    "“5 rõ”",
    "(rõ người, rõ việc)",
    "Một là,",
    "Hai là,",
    "sau:",
    "một số",
    "%",
    ".",
    ",",
    "/",
    "-",
    "(",
    ")",
    "“",
    "”",
    ";",
    ":",
    "| ",
    " |",
    "\n",
    "\n\n",
    "\r\n",
    "|---|---|\n",
    "- ",
    "1. ",
    "a) ",
    "🎉",
    "\u{0301}",
    "\u{feff}",
    " ",
    "Tổng cộng",
    "Cộng",
];

fn soup(rng: &mut Lcg) -> String {
    let pieces = 1 + rng.below(60);
    let mut text = String::new();
    for _ in 0..pieces {
        match rng.below(4) {
            // Numbers of every shape: 7, 1.250, 12,5, 075, huge ones.
            0 => {
                // Up to 40 digits: the core must drop amounts too large for exact arithmetic
                // ("100000000000000000000 tỷ đồng" once overflowed and panicked).
                let longest = if rng.below(20) == 0 { 40 } else { 4 };
                let digits = 1 + rng.below(longest);
                for _ in 0..digits {
                    text.push(char::from(b'0' + rng.below(10) as u8));
                }
                match rng.below(6) {
                    0 => {
                        let group = rng.below(1000);
                        text.push_str(&format!(".{group:03}"));
                    }
                    1 => {
                        let decimals = rng.below(100);
                        text.push_str(&format!(",{decimals}"));
                    }
                    _ => {}
                }
            }
            1 => {
                let i = rng.below(11);
                text.push(char::from(b" .,/-%();:|"[i]));
            }
            _ => {
                let i = rng.below(SOUP_PIECES.len());
                text.push_str(SOUP_PIECES[i]);
            }
        }
        if rng.below(3) > 0 {
            text.push(' ');
        }
    }
    text
}

#[test]
fn pseudo_random_soup_never_panics_and_ranges_stay_valid() -> TestResult {
    let mut rng = Lcg(0x005e_edba_0ca0);
    let mut analyzer = Analyzer::new();
    let mut with_findings = 0;
    for case in 0..3000 {
        let text = soup(&mut rng);
        // Alternate a fresh analysis and the cached analyzer so both paths see the soup.
        // A panic is reported with the text that caused it, so the case can be reproduced.
        let findings = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if case % 2 == 0 {
                analyze(&text)
            } else {
                analyzer.analyze(&text, &Config::default())
            }
        }))
        .map_err(|_| format!("case {case}: the analysis panicked on {text:?}"))?;
        check_findings(&text, &findings).map_err(|e| format!("case {case}: {e} in {text:?}"))?;
        if !findings.is_empty() {
            with_findings += 1;
        }
    }
    // The soup must exercise the rules, not just the tokenizer.
    assert!(with_findings > 0, "no case produced a finding; the generator is too weak");
    Ok(())
}

#[test]
fn raw_byte_soup_through_the_binary_is_checked_or_rejected_cleanly() -> TestResult {
    let dir = scratch_dir("robust-bytes")?;
    let mut rng = Lcg(42);
    let mut paths = Vec::new();
    for i in 0..40 {
        let len = rng.below(4000);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let kind = rng.below(4);
                let pick = rng.next();
                match kind {
                    0 => b"0123456789"[pick as usize % 10],
                    1 => b" .,/-%();:|\n\r"[pick as usize % 13],
                    _ => (pick & 0xff) as u8,
                }
            })
            .collect();
        let path = dir.join(format!("soup-{i}.txt"));
        std::fs::write(&path, &bytes)?;
        paths.push((path, std::str::from_utf8(&bytes).is_ok()));
    }
    for (path, utf8) in &paths {
        let (code, out, err) = run_cli(&[OsStr::new("check"), OsStr::new("--format"), OsStr::new("json"), path.as_os_str()])?;
        let doc: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("{}: bad JSON ({e}); stderr {err}", path.display()))?;
        if *utf8 {
            assert!(code == 0 || code == 1, "{}: exit {code}, stderr {err}", path.display());
        } else {
            assert_eq!(code, 2, "{}: non-UTF-8 input must be reported", path.display());
            assert_eq!(doc["errors"].as_array().map(Vec::len), Some(1));
        }
    }
    Ok(())
}

/// `finding` of a CRLF text moved to the LF text's offsets (every `\r` before an offset dropped),
/// with fix texts in LF, as comparable tuples.
type Comparable = (RuleCode, usize, usize, String, Vec<(usize, usize, String)>);

fn in_lf(text: &str, findings: &[Finding]) -> Vec<Comparable> {
    let lf = |offset: usize| {
        offset - text[..offset].matches("\r\n").count() - usize::from(text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
    };
    findings
        .iter()
        .map(|f| {
            let edits = f
                .fixes
                .iter()
                .flat_map(|x| &x.edits)
                .map(|e| (lf(e.range.start), lf(e.range.end), e.new_text.replace("\r\n", "\n")))
                .collect();
            (f.code, lf(f.range.start), lf(f.range.end), f.message.clone(), edits)
        })
        .collect()
}

#[test]
fn lf_and_crlf_documents_give_the_same_findings_at_shifted_ranges() -> TestResult {
    // What the server and the CLI analyse (baocao_ls::convert::analyse_document).
    let catalogue = baocao_core::Catalogue::bundled();
    let config = Config::default();
    let mut analyzer = Analyzer::new();
    let mut run = |text: &str| baocao_ls::convert::analyse_document(&mut analyzer, text, &config, &catalogue);
    // Citation numbers at the end of a line before a list item: the stress fuzz found every
    // LF/CRLF difference there (the symbol used to run on over the `\n`, but not over `\r\n`).
    let handmade = [
        "Thực hiện Quyết định số 21-QĐ-UBND\n- Trong năm, toàn tỉnh hoàn thành 12 nhiệm vụ.\n",
        "Căn cứ Kế hoạch số 05-KH-UBND\n- Năm nay đã có 30 hồ sơ, trong đó 12 hồ sơ đạt.\n\nQuyết định số 7-QĐ-UBND\n",
        "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt;\n19 chỉ tiêu chưa đạt.\n\n| Chỉ tiêu | Số |\n|---|---|\n| A | 2 |\n| Tổng | 3 |\n",
    ];
    let mut rng = Lcg(0x00c0_ffee_11f0);
    let mut compared = 0;
    let soups: Vec<String> = (0..1500).map(|_| soup(&mut rng).replace("\r\n", "\n").replace('\r', "\n")).collect();
    for (case, lf) in handmade.iter().map(|s| s.to_string()).chain(soups).enumerate() {
        let expected = in_lf(&lf, &run(&lf));
        for other in [lf.replace('\n', "\r\n"), lf.replace('\n', "\r")] {
            let found = run(&other);
            check_findings(&other, &found).map_err(|e| format!("case {case}: {e} in {other:?}"))?;
            assert_eq!(in_lf(&other, &found), expected, "case {case}: {other:?}");
        }
        compared += usize::from(!expected.is_empty());
    }
    assert!(compared > 20, "only {compared} cases with findings");
    Ok(())
}

#[test]
fn a_citation_number_never_runs_across_a_line_break() -> TestResult {
    for text in ["Quyết định số 21-QĐ-UBND\n- Trong năm qua.\n", "Quyết định số 21-QĐ-UBND\r\n- Trong năm qua.\r\n"] {
        for f in analyze(text) {
            for edit in f.fixes.iter().flat_map(|x| &x.edits) {
                let replaced = &text[edit.range.start..edit.range.end];
                assert!(!replaced.contains(['\n', '\r']), "{}: fix “{}” replaces {replaced:?} across a line break", f.code, edit.new_text);
            }
            let covered = &text[f.range.start..f.range.end];
            assert!(!covered.contains('\n'), "{}: {covered:?}", f.code);
        }
    }
    Ok(())
}
