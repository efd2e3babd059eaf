//! The phrasebook and the phrasing checks: every bundled entry is well formed, NFC, unique and
//! sourced; applying any fix of any finding and re-analysing makes that finding disappear; the
//! real notice in `../shared/corpus/` mixes "ủy" and "uỷ" and gets exactly `tone-mark-mixed`.

mod common;

use baocao_core::phrasebook::{PhraseKind, Phrasebook, BUNDLED_JSON};
use baocao_core::{analyze, Config, Finding, Fix, RuleCode};
use unicode_normalization::UnicodeNormalization;

#[test]
fn every_bundled_entry_is_well_formed_nfc_unique_and_sourced() {
    let book = match Phrasebook::parse(BUNDLED_JSON, None) {
        Ok(b) => b,
        Err(e) => panic!("data/phrasebook.json: {e}"),
    };
    assert!(book.entries.len() >= 30, "only {} entries", book.entries.len());
    assert_eq!(BUNDLED_JSON.nfc().collect::<String>(), BUNDLED_JSON, "the phrasebook must be NFC");
    let mut ids = std::collections::HashSet::new();
    for e in &book.entries {
        assert!(ids.insert(e.id.clone()), "duplicate id {}", e.id);
        assert!(!e.sources.is_empty(), "{}: no source", e.id);
        for s in &e.sources {
            assert!(s.starts_with("http://") || s.starts_with("https://"), "{}: source is not a public address: {s}", e.id);
        }
        match e.kind {
            PhraseKind::Abbreviation => {
                assert!(e.abbreviation.chars().all(|c| c.is_uppercase()), "{}: abbreviation {}", e.id, e.abbreviation);
                let unique = book.entries.iter().filter(|o| o.kind == PhraseKind::Abbreviation && o.abbreviation == e.abbreviation).count();
                assert_eq!(unique, 1, "{}: abbreviation listed twice", e.abbreviation);
            }
            PhraseKind::Typo => {
                assert_ne!(e.wrong, e.right, "{}", e.id);
                // The correction itself must never be flagged.
                let found = analyze(&format!("{}.", e.right), &Config::default());
                assert!(found.iter().all(|f| f.code != RuleCode::TermTypo), "{}: the correction is flagged: {found:?}", e.id);
                let found = analyze(&format!("{}.", e.wrong), &Config::default());
                assert!(found.iter().any(|f| f.code == RuleCode::TermTypo), "{}: the misspelling is not flagged", e.id);
            }
            _ => {
                // Snippets: balanced placeholders, so clients can parse them.
                assert_eq!(e.text.matches("${").count(), e.text.matches('}').count(), "{}: unbalanced snippet", e.id);
            }
        }
    }
}

fn apply(text: &str, fix: &Fix) -> String {
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        let new_text = if fix.snippet { baocao_core::phrasebook::snippet_to_plain(&e.new_text) } else { e.new_text.clone() };
        out.replace_range(e.range.as_range(), &new_text);
    }
    out
}

/// Applies each fix of each finding of `code` and checks that the finding is gone.
fn every_fix_removes_its_finding(text: &str, code: RuleCode, config: &Config) {
    let findings: Vec<Finding> = analyze(text, config).into_iter().filter(|f| f.code == code).collect();
    assert!(!findings.is_empty(), "{code}: nothing found in {text}");
    for finding in &findings {
        assert!(!finding.fixes.is_empty(), "{code}: no fix for {}", finding.message);
        assert_eq!(finding.fixes.iter().filter(|f| f.preferred).count(), 1, "{code}: one preferred fix: {:?}", finding.fixes);
        for fix in &finding.fixes {
            let fixed = apply(text, fix);
            let after = analyze(&fixed, config);
            let written = &text[finding.range.as_range()];
            let still = after.iter().filter(|f| f.code == code).count();
            let before = findings.len();
            assert!(still < before, "{code}: “{}” on “{written}” leaves {still} of {before} findings:\n{fixed}\n{after:?}", fix.title);
        }
    }
}

#[test]
fn fixes_of_the_phrasing_checks_remove_their_findings() {
    let config = Config::default();
    every_fix_removes_its_finding("Các huyện uỷ, thành uỷ và Tỉnh uỷ đã chỉ đạo; Tỉnh ủy tổng hợp.", RuleCode::ToneMarkMixed, &config);
    let nfd: String = "Ban Chấp hành Đảng bộ tỉnh.\n\nĐảng ủy xã.".nfd().collect();
    every_fix_removes_its_finding(&nfd, RuleCode::UnicodeNfd, &config);
    every_fix_removes_its_finding("Ban Chỉ đạo (BC\u{00D0}) tỉnh.", RuleCode::UnicodeNfd, &config);
    every_fix_removes_its_finding("Ban ChÊp hµnh §¶ng bé tØnh ®· häp.", RuleCode::UnicodeNfd, &config);
    every_fix_removes_its_finding("Tổ chức quán chiệt nghị quyết; Đãng bộ tỉnh; Ban chấp hành Trung ương.", RuleCode::TermTypo, &config);
    every_fix_removes_its_finding("Thực hiện Thực hiện Kế hoạch.", RuleCode::TermTypo, &config);
    every_fix_removes_its_finding("BCH Đảng bộ tỉnh họp. Các TCCSĐ kiểm điểm.", RuleCode::AbbreviationUndefined, &config);
    every_fix_removes_its_finding("Nghị quyết Đại hội XIX đề ra 28 chỉ tiêu.", RuleCode::ResolutionName, &config);
    every_fix_removes_its_finding(
        "Thực hiện Nghị quyết Đại hội XIX.\n\nĐại hội đại biểu Đảng bộ tỉnh Bắc Giang lần thứ XIX, nhiệm kỳ 2020 - 2025 đề ra.",
        RuleCode::ResolutionName,
        &config,
    );
    every_fix_removes_its_finding("Thực hiện NQTW4 và NQ TW 7 khóa XII.", RuleCode::ResolutionName, &config);
    every_fix_removes_its_finding("Quán triệt NQ Đại hội XIII của Đảng.", RuleCode::ResolutionName, &config);
    every_fix_removes_its_finding("Ngày 10/02/2022, ngày 14/3/2022 và ngày 20-4-2022, ngày 4.5.2025.", RuleCode::DateFormatMixed, &config);
}

#[test]
fn fixes_of_the_number_checks_remove_their_findings() {
    let config = Config::default();
    every_fix_removes_its_finding("Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.", RuleCode::TotalMismatch, &config);
    every_fix_removes_its_finding(
        "Chi bộ thống nhất 4 nội dung gồm: kiện toàn chi ủy; phân công đảng viên; sinh hoạt chuyên đề.",
        RuleCode::CountMismatch,
        &config,
    );
    every_fix_removes_its_finding(
        "Toàn huyện có 320 đảng viên mới, trong đó 150 đảng viên nữ (chiếm 52,3%).",
        RuleCode::RatioMismatch,
        &config,
    );
    for text in [
        "Thu ngân sách đạt 842 tỷ đồng/1.050 tỷ đồng, đạt 82,6% dự toán.",
        "Doanh thu du lịch tăng từ 1.200 lên 1.500 tỷ đồng, tăng 20%.",
        "Năm 2024 xảy ra 45 vụ tai nạn giao thông, giảm 30% (giảm 15 vụ) so với năm 2023.",
        "Số hợp tác xã tăng từ 18 lên 54 hợp tác xã, gấp 2,5 lần.",
    ] {
        every_fix_removes_its_finding(text, RuleCode::RatioMismatch, &config);
    }
    every_fix_removes_its_finding(
        "| STT | Đơn vị | Số hồ sơ |\n|---|---|---|\n| 1 | Phòng Tư pháp | 310 |\n| 2 | Phòng Kinh tế | 150 |\n| | **Tổng cộng** | **470** |\n",
        RuleCode::TableTotalMismatch,
        &config,
    );
}

#[test]
fn a_count_written_in_words_is_corrected_in_words() {
    for (text, expected) in [
        (
            "Tỉnh tập trung chỉ đạo ba khâu đột phá gồm: hoàn thiện hạ tầng giao thông kết nối; phát triển nguồn nhân lực chất lượng cao.",
            "hai",
        ),
        ("Ba khâu đột phá gồm: hoàn thiện hạ tầng giao thông kết nối; phát triển nguồn nhân lực chất lượng cao.", "Hai"),
    ] {
        let found = analyze(text, &Config::default());
        let edits: Vec<&str> =
            found.iter().flat_map(|f| f.fixes.iter().flat_map(|x| x.edits.iter().map(|e| e.new_text.as_str()))).collect();
        assert_eq!(edits, [expected], "{found:?}");
        every_fix_removes_its_finding(text, RuleCode::CountMismatch, &Config::default());
    }
}

#[test]
fn a_short_sum_offers_the_missing_category_and_the_stated_remainder() {
    let found = analyze("Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.", &Config::default());
    let fix = &found[0].fixes[0];
    assert!(fix.preferred && fix.snippet, "{fix:?}");
    assert_eq!(fix.edits[0].new_text, "; ${1:3} chỉ tiêu ${2:chưa đạt}");
    // The remainder is stated in another paragraph: the fix writes the complete breakdown.
    let text = "Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu thành phần đạt và vượt; 19 chỉ tiêu thành phần đạt mục tiêu theo tiến độ.\n\nCòn 3 chỉ tiêu thành phần đạt thấp.";
    let found = analyze(text, &Config::default());
    let fix = &found[0].fixes[0];
    assert!(!fix.snippet && fix.preferred, "{fix:?}");
    assert_eq!(fix.edits[0].new_text, "; 3 chỉ tiêu thành phần đạt thấp");
    let fixed = apply(text, fix);
    assert!(fixed.starts_with("Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu thành phần đạt và vượt; 19 chỉ tiêu thành phần đạt mục tiêu theo tiến độ; 3 chỉ tiêu thành phần đạt thấp."), "{fixed}");
    assert!(analyze(&fixed, &Config::default()).is_empty());
}

#[test]
fn house_styles_come_from_settings() {
    let mut config = Config::default();
    // "Ủy ban Kiểm tra kiểm tra" (the committee inspects) is no doubled phrase either.
    let text = "Tỉnh ủy chỉ đạo; Ủy ban Kiểm tra kiểm tra.";
    assert!(analyze(text, &config).is_empty());
    assert_eq!(config.set("tone-marks", "new"), Ok(()));
    assert_eq!(analyze(text, &config).iter().filter(|f| f.code == RuleCode::ToneMarkMixed).count(), 2);
    assert!(config.set("tone-marks", "sideways").is_err());
    let text = "UBND tỉnh chỉ đạo.";
    assert!(analyze(text, &Config::default()).is_empty());
    assert_eq!(config.set("abbreviations-allowed", "BCH"), Ok(()));
    assert_eq!(analyze(text, &config).len(), 1);
}

#[test]
fn the_real_notice_mixes_tone_marks_and_nothing_else_is_new() {
    let Some(dir) = common::shared_corpus() else { return };
    let notice = match std::fs::read_to_string(dir.join("thong-bao-kiem-diem.txt")) {
        Ok(t) => t,
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let found = analyze(&notice, &Config::default());
    // The notice writes "uỷ" eleven times and "ủy" (with "hóa", "tỏa") ten: a real mixture.
    let codes: Vec<RuleCode> = found.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec![RuleCode::ToneMarkMixed; 10]);
    assert!(found.iter().all(|f| f.severity == baocao_core::Severity::Information));
    let article = std::fs::read_to_string(dir.join("bac-giang-nua-nhiem-ky.txt")).unwrap_or_default();
    let found = analyze(&article, &Config::default());
    assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), vec![RuleCode::TotalMismatch], "{found:?}");
}
