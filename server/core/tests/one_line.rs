//! Documents without a single line break (issue 8 / issue 12: no rule may be quadratic in block
//! or document size). Such a document is one block, so every look-back and every comparison of
//! the block's scans runs over all of it: these documents repeat a paragraph thousands of times
//! on one line and check that each repeat is read as it is on its own. They are sized so that
//! the quadratic scans they guard against took far longer than the whole test run now takes in a
//! debug build; timings of larger documents are in `docs/performance.md`
//! (`tests/bench/one-line-scaling.py`).

use baocao_core::extract::{extract_block, Items};
use baocao_core::{analyze, Config, RuleCode};
use unicode_normalization::UnicodeNormalization;

fn one_line(n: usize, unit: impl Fn(usize) -> String) -> String {
    let text: String = (0..n).map(unit).collect();
    assert!(!text.contains(['\n', '\r']));
    text
}

fn count(text: &str, code: RuleCode) -> usize {
    analyze(text, &Config::default()).iter().filter(|f| f.code == code).count()
}

#[test]
fn decomposed_text_on_one_line_covers_every_word_once() {
    let n = 3_000;
    let text = one_line(n, |i| format!("Đảng bộ tỉnh lãnh đạo thực hiện {i} nhiệm vụ. ").nfd().collect());
    let findings: Vec<_> = analyze(&text, &Config::default()).into_iter().filter(|f| f.code == RuleCode::UnicodeNfd).collect();
    // A line this long is cut into bounded blocks between sentences (`text::split_blocks`), and
    // the rule speaks once per block: every decomposed word is covered, none twice.
    assert!(!findings.is_empty());
    // Đảng, bộ, tỉnh, lãnh, đạo, thực, hiện, nhiệm, vụ.
    let edits: usize = findings.iter().map(|f| f.fixes.first().map_or(0, |fix| fix.edits.len())).sum();
    assert_eq!(edits, 9 * n);
}

#[test]
fn counted_lists_on_one_line() {
    let n = 2_000;
    let mut text = one_line(n, |i| {
        format!(
            "Ban Thường vụ xác định 3 nhiệm vụ trọng tâm: tăng cường công tác cán bộ; đổi mới phương thức; nâng cao chất lượng. \
             Tổ chức {} cuộc kiểm tra: 4 cuộc kiểm tra chuyên đề; {} cuộc kiểm tra thường xuyên. ",
            9 + i % 5,
            5 + i % 5
        )
    });
    text.push_str(&one_line(n, |i| format!("hoàn thành các chỉ tiêu ({} chỉ tiêu) đề ra năm {}, ", 3 + i % 20, 1990 + i % 30)));
    text.push_str("các chỉ tiêu đạt (4 chỉ tiêu):");
    let claims = extract_block(&text).counts;
    let inline: Vec<usize> =
        claims.iter().filter_map(|c| if let Items::Inline(items) = &c.items { Some(items.len()) } else { None }).collect();
    // Each "3 nhiệm vụ …: a; b; c" is a list of three; "9 cuộc kiểm tra: 4 cuộc …; 5 cuộc …" is
    // a breakdown of numbers, not a list; "(5 chỉ tiêu) đề ra" announces nothing; the last
    // "(4 chỉ tiêu):" closes the line, so its items are on the next lines.
    assert_eq!(inline, vec![3; n]);
    let following: Vec<usize> =
        claims.iter().filter_map(|c| if let Items::FollowingLines { from } = c.items { Some(from) } else { None }).collect();
    assert_eq!(following, vec![text.len()]);
}

#[test]
fn sums_and_shares_on_one_line() {
    let n = 1_000;
    // Every paragraph has one slip: the parts add up to one more than the total.
    let text = one_line(n, |i| {
        format!(
            "Tổng số {} hồ sơ, trong đó {} hồ sơ đạt, 41 hồ sơ chưa đạt. Kết nạp {} đảng viên, trong đó nữ 40 đồng chí (chiếm 40%), \
             dân tộc thiểu số 60 đồng chí (chiếm 60%). ",
            100 + i,
            60 + i,
            100
        )
    });
    assert_eq!(count(&text, RuleCode::TotalMismatch), n);
    assert_eq!(count(&text, RuleCode::PercentMismatch), 0);
    assert_eq!(count(&text, RuleCode::RatioMismatch), 0);
}
