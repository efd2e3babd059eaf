//! The number findings read well and fix well (issue 13 §3): a unit is the whole noun phrase the
//! drafter wrote, a missing category is offered only where the parts are statuses, and the
//! preferred fix is the one most likely right.

use baocao_core::{analyze, Config, RuleCode};

fn total_finding(text: &str) -> baocao_core::Finding {
    let found = analyze(text, &Config::default());
    match found.into_iter().find(|f| f.code == RuleCode::TotalMismatch) {
        Some(f) => f,
        None => panic!("no total-mismatch in {text:?}"),
    }
}

#[test]
fn kinds_that_fall_short_prefer_changing_the_total_and_keep_the_whole_unit() {
    let f = total_finding("Đảng bộ xã có 32 chi bộ trực thuộc, gồm 18 chi bộ thôn, 9 chi bộ trường học và 3 chi bộ cơ quan.");
    assert!(f.message.ends_with("tổng số 32 chi bộ trực thuộc"), "{}", f.message);
    assert!(f.fixes.iter().all(|x| !x.title.contains("Thêm loại")), "{:?}", f.fixes);
    let preferred: Vec<&str> = f.fixes.iter().filter(|x| x.preferred).map(|x| x.title.as_str()).collect();
    assert_eq!(preferred, vec!["Sửa tổng số thành 30"]);

    let f = total_finding(
        "Năm 2024, huyện tổ chức 12 hội nghị chuyên đề, gồm 5 hội nghị chuyên đề về kinh tế và 4 hội nghị chuyên đề về xây dựng Đảng.",
    );
    assert!(f.message.ends_with("tổng số 12 hội nghị chuyên đề"), "{}", f.message);
}

#[test]
fn statuses_that_fall_short_offer_the_missing_status_first_with_a_complete_title() {
    let f = total_finding("Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.");
    let first = match f.fixes.first() {
        Some(x) => x,
        None => panic!("no fix: {f:?}"),
    };
    assert_eq!(first.title, "Thêm loại còn thiếu: 3 chỉ tiêu");
    assert!(first.preferred && first.snippet);
    assert!(f.fixes.iter().all(|x| !x.title.ends_with('…')), "{:?}", f.fixes);
}

#[test]
fn units_are_shown_as_written() {
    let f = total_finding(
        "Quý III, toàn huyện có 3.200 LĐ được giải quyết việc làm; trong đó lao động đi làm việc ở nước ngoài chiếm 4.100 người.",
    );
    assert!(f.message.ends_with("tổng số 3.200 LĐ"), "{}", f.message);
}
