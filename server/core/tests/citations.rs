//! Editor queries on citations (hover, definition, references, completion, outline), written as
//! fixtures with a `$0` cursor and, where the answer depends on catalogue facts, a mini-catalogue
//! declared in `//- directive` headers; plus the integrity of the bundled catalogue.

mod common;

use baocao_core::catalogue::{Catalogue, Origin, BUNDLED_JSON};
use baocao_core::citations::ide::{complete, definition, hover, identity_at, mentions, outline, OutlineKind, Target};
use baocao_core::citations::symbol::parse_symbol;
use baocao_core::fixture::{self, Fixture};
use baocao_core::Locale;
use std::collections::HashSet;
use unicode_normalization::is_nfc;

fn parse(source: &str) -> Fixture {
    match fixture::parse(source) {
        Ok(f) => f,
        Err(e) => panic!("bad fixture: {e}"),
    }
}

fn cursor(f: &Fixture) -> usize {
    match f.cursor {
        Some(c) => c,
        None => panic!("fixture without $0"),
    }
}

fn catalogue(f: &Fixture) -> Catalogue {
    f.catalogue.clone().unwrap_or_else(|| (*Catalogue::bundled()).clone())
}

#[test]
fn bundled_entries_are_well_formed_nfc_unique_and_sourced() {
    let parsed = Catalogue::parse(BUNDLED_JSON, None);
    let catalogue = match parsed {
        Ok(c) => c,
        Err(e) => panic!("bundled catalogue does not parse: {e}"),
    };
    assert!(catalogue.entries.len() >= 95, "{} entries", catalogue.entries.len());
    assert!(is_nfc(BUNDLED_JSON), "the bundled catalogue must be NFC");
    let mut seen = HashSet::new();
    for e in &catalogue.entries {
        assert!(!e.sources.is_empty(), "{}: no source", e.id);
        assert!(e.sources.iter().all(|s| s.starts_with("http://") || s.starts_with("https://")), "{}: a source is not a URL", e.id);
        // The issuing body may be unknown (a fact with no source stays empty); the type never is.
        assert!(!e.doc_type.is_empty(), "{}: type missing", e.id);
        assert!(parse_symbol(&e.number_symbol).is_some(), "{}: symbol", e.id);
        assert!(seen.insert((e.key(), e.issue_date)), "{}: duplicate symbol and date", e.id);
        assert_eq!(e.origin, Origin::Bundled);
        for related in e.replaces.iter().chain(&e.replaced_by).chain(&e.amended_by) {
            assert!(parse_symbol(&related.number_symbol).is_some(), "{}: related symbol {}", e.id, related.number_symbol);
            assert!(related.issue_date.is_none() || related.date().is_some(), "{}: related date", e.id);
        }
    }
}

#[test]
fn hover_on_a_full_citation_shows_the_catalogue_facts_and_source() {
    let f = parse("Thực hiện Nghị quyết số 11-$0NQ/TW ngày 10/02/2022 của Bộ Chính trị.");
    let h = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi);
    let Some(h) = h else { panic!("no hover") };
    assert!(h.markdown.contains("**Nghị quyết số 11-NQ/TW**"), "{}", h.markdown);
    assert!(h.markdown.contains("10/02/2022"));
    assert!(h.markdown.contains("Bộ Chính trị khóa XIII"));
    assert!(h.markdown.contains("Nguồn: danh mục kèm theo"));
    assert!(h.markdown.contains("https://"));
    assert_eq!(&f.text[h.range.as_range()], "Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị");
}

#[test]
fn hover_on_the_date_is_the_citation_hover() {
    let f = parse("//- directive 147-KH/TU | 14/01/2022 | Tỉnh ủy | Kế hoạch về tổ chức học tập nghị quyết\nKế hoạch số 147-KH/TU ngày 14/0$01/2022 của Tỉnh ủy.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("tổ chức học tập nghị quyết"), "{}", h.markdown);
    assert!(h.markdown.contains("Nguồn: fixture, dòng 1"), "{}", h.markdown);
}

#[test]
fn hover_shows_replacement_status() {
    let f = parse("Theo Quy định số 47-QĐ/TW$0 ngày 01/11/2011.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::En) else { panic!("no hover") };
    assert!(
        h.markdown.contains("replaced by Quy định số 37-QĐ/TW dated 25/10/2021, Ban Chấp hành Trung ương Đảng khóa XIII: những điều đảng viên không được làm"),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_a_short_mention_uses_the_full_citation_in_the_document() {
    let f = parse("Kế hoạch số 35-KH/HU ngày 12/3/2024 của Huyện ủy về chuyển đổi số.\n\nViệc thực hiện Kế hoạch số 3$05 còn chậm.");
    let Some(h) = hover(&f.text, cursor(&f), &Catalogue::default(), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("không có trong danh mục") && h.markdown.contains("dòng 1 của văn bản này"), "{}", h.markdown);
    // Only what the draft states, labelled as such: its date and issuer, no title cut from it.
    assert!(h.markdown.contains("Ngày ban hành theo trích dẫn: 12/03/2024"), "{}", h.markdown);
    assert!(h.markdown.contains("Cơ quan ban hành theo trích dẫn: Huyện ủy"), "{}", h.markdown);
    assert!(!h.markdown.contains("Trích yếu") && !h.markdown.contains("chuyển đổi số"), "{}", h.markdown);
}

#[test]
fn hover_on_a_reused_symbol_without_date_lists_the_candidates() {
    let f = parse("Chỉ thị số 3$05-CT/TW của Bộ Chính trị.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("Nhiều văn bản"), "{}", h.markdown);
    assert!(h.markdown.contains("30/05/2019") && h.markdown.contains("14/06/2024"), "{}", h.markdown);
}

#[test]
fn hover_on_an_issuer_code_explains_it() {
    let f = parse("Kế hoạch số 147-KH/T$0U ngày 14/01/2022.");
    let Some(h) = hover(&f.text, cursor(&f), &Catalogue::default(), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.starts_with("**TU**: Tỉnh ủy"), "{}", h.markdown);
    assert_eq!(&f.text[h.range.as_range()], "TU");
}

#[test]
fn hover_on_a_meeting_name_finds_the_resolution() {
    let f = parse("Quán triệt Nghị quyết Trung ương $04 khóa XII về xây dựng Đảng.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("04-NQ/TW"), "{}", h.markdown);
}

#[test]
fn no_hover_outside_citations() {
    let f = parse("Trong tổng số 28 chỉ tiêu, có 6$0 chỉ tiêu đạt.");
    assert_eq!(hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi), None);
}

#[test]
fn definition_of_a_short_mention_is_the_full_citation() {
    let f = parse(
        "Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII.\n\nTheo Kết luận số 2$01, các cấp ủy rà soát.",
    );
    let target = definition(&f.text, cursor(&f), &catalogue(&f));
    let Some(Target::InDocument(range)) = target else { panic!("{target:?}") };
    assert!(f.text[range.as_range()].starts_with("Kết luận số 21-KL/TW ngày 25/10/2021"));
}

#[test]
fn definition_of_a_workspace_document_is_its_catalogue_entry() {
    let f =
        parse("//- directive 147-KH/TU | 14/01/2022 | Tỉnh ủy | Kế hoạch về học tập nghị quyết\nKế hoạch số 147-KH$0/TU ngày 14/01/2022.");
    let target = definition(&f.text, cursor(&f), &catalogue(&f));
    assert_eq!(target, Some(Target::CatalogueFile { path: "fixture".to_string(), line: 1 }));
}

#[test]
fn references_find_full_and_short_mentions_but_not_the_other_term() {
    let f = parse(
        "Nghị quyết số 18-NQ/TW ngày 16/6/2022 về đất đai.\n\nNghị quyết số 18-NQ/TW ngày 25/10/2017 về bộ máy.\n\nTriển khai Nghị quyết số 18-NQ/TW ngày 16/6/2022; sơ kết Nghị quyết 1$08.",
    );
    let cat = catalogue(&f);
    let Some(id) = identity_at(&f.text, cursor(&f), &cat) else { panic!("no identity") };
    let found: Vec<&str> = mentions(&f.text, &id, &cat).iter().map(|r| &f.text[r.as_range()]).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|m| !m.contains("2017")), "{found:?}");
}

#[test]
fn completion_after_the_type_offers_catalogue_documents_with_full_citations() {
    let f = parse("Thực hiện Kết luận số $0");
    let Some(c) = complete(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no completion") };
    assert!(c.range.is_empty());
    let item = c.items.iter().find(|i| i.label == "21-KL/TW");
    let Some(item) = item else { panic!("21-KL/TW missing: {:?}", c.items.iter().map(|i| &i.label).collect::<Vec<_>>()) };
    assert!(
        item.insert_text.starts_with("21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII về "),
        "{}",
        item.insert_text
    );
    assert!(c.items.iter().all(|i| i.label.contains("-KL/")), "only Kết luận");
}

#[test]
fn completion_filters_on_title_words_and_symbol_prefix() {
    let f = parse("//- directive 01-NQ/TU | 05/01/2021 | Tỉnh ủy | Nghị quyết về chuyển đổi số\n//- directive 02-NQ/TU | 06/01/2021 | Tỉnh ủy | Nghị quyết về du lịch\nNghị quyết số chuyển$0");
    let Some(c) = complete(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no completion") };
    assert_eq!(c.items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), vec!["01-NQ/TU"]);
    assert_eq!(&f.text[c.range.as_range()], "chuyển");
    let f = parse("//- directive 01-NQ/TU | 05/01/2021 | Tỉnh ủy | Nghị quyết về chuyển đổi số\n//- directive 02-NQ/TU | 06/01/2021 | Tỉnh ủy | Nghị quyết về du lịch\nNghị quyết số 02$0");
    let Some(c) = complete(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no completion") };
    assert_eq!(c.items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), vec!["02-NQ/TU"]);
}

#[test]
fn no_completion_without_the_type_and_so() {
    let f = parse("Đạt 16 chỉ tiêu số $0");
    assert_eq!(complete(&f.text, cursor(&f), &catalogue(&f), Locale::Vi), None);
}

#[test]
fn outline_nests_headings_and_lists_cited_documents() {
    let f = parse(
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n\n1. Công tác xây dựng Đảng\n\nThực hiện Kết luận số 21-KL/TW ngày 25/10/2021.\n\n1.1. Chính trị\n\nMột là, tăng cường giáo dục.\n\nII. PHƯƠNG HƯỚNG\n",
    );
    let items = outline(&f.text);
    assert_eq!(items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), vec!["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. PHƯƠNG HƯỚNG"]);
    let first = &items[0];
    assert_eq!(first.children.len(), 1);
    let section = &first.children[0];
    assert_eq!(section.name, "1. Công tác xây dựng Đảng");
    assert_eq!(section.children[0].kind, OutlineKind::Citation);
    assert_eq!(section.children[0].name, "Kết luận số 21-KL/TW");
    assert_eq!(section.children[1].name, "1.1. Chính trị");
    assert_eq!(section.children[1].children[0].name, "Một là, tăng cường giáo dục.");
    assert!(first.range.end <= items[1].range.start);
}

#[test]
fn citation_checks_in_the_corpus_stay_silent() {
    let Some(dir) = common::shared_corpus() else { return };
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let codes = ["citation-conflict", "citation-order", "citation-superseded", "date-invalid", "weekday-mismatch"];
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let findings = baocao_core::analyze(&text, &baocao_core::Config::default());
        let ours: Vec<_> = findings.iter().filter(|f| codes.contains(&f.code.as_str())).collect();
        assert!(ours.is_empty(), "{}: {ours:?}", entry.path().display());
    }
}

/// The spellings seen in real pages (`observed_variants` of the bundled data) are all read as
/// citations of their document, except two that really name another symbol.
#[test]
fn observed_variants_link_to_their_documents() {
    let data: serde_json::Value = match serde_json::from_str(BUNDLED_JSON) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    // "08-QĐ/TW" (for 08-QĐi/TW) and "56/2005-NĐ-CP" (for 56/2015/NĐ-CP) are other symbols.
    let other_symbols = ["Quy định số 08-QĐ/TW", "Nghị định số 56/2005-NĐ-CP"];
    let mut checked = 0;
    for entry in data["entries"].as_array().into_iter().flatten() {
        let Some(key) = entry["number_symbol"].as_str().and_then(parse_symbol).map(|s| s.key()) else { panic!("{entry}") };
        for variant in entry["observed_variants"].as_array().into_iter().flatten() {
            let text = variant["text"].as_str().unwrap_or("");
            if other_symbols.iter().any(|o| text.starts_with(o)) {
                continue;
            }
            let citations = baocao_core::citations::scan_document(text);
            let first = citations.first().and_then(|c| c.symbol.as_ref()).map(|s| s.key());
            assert_eq!(first.as_ref(), Some(&key), "{text}");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} variants checked");
}

/// Two of the contradicting claims recorded in the bundled data, as a drafter would write them.
#[test]
fn recorded_conflicting_claims_fire_against_the_bundled_catalogue() {
    let config = baocao_core::Config::default();
    let wrong_date = "Nghị quyết số 59-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về hội nhập quốc tế.";
    let found = baocao_core::analyze(wrong_date, &config);
    assert!(found.iter().any(|f| f.code.as_str() == "citation-conflict" && f.message.contains("24/01/2025")), "{found:?}");
    let wrong_body = "Chỉ thị số 35-CT/TW ngày 30/5/2019 của Ban chấp hành Trung ương Đảng về đại hội đảng bộ các cấp.";
    let found = baocao_core::analyze(wrong_body, &config);
    assert!(found.iter().any(|f| f.code.as_str() == "citation-conflict" && f.message.contains("Bộ Chính trị")), "{found:?}");
}

#[test]
fn hover_on_an_unknown_unit_code_shows_the_citation() {
    let f = parse("Theo Công văn số 238/UBND-KG$0VX ngày 05/3/2024 của Ủy ban nhân dân tỉnh.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.starts_with("**Công văn số 238/UBND-KGVX**"), "{}", h.markdown);
    assert!(h.markdown.contains("05/03/2024") && h.markdown.contains("Ủy ban nhân dân tỉnh"), "{}", h.markdown);
}

/// A document fully cited in another report of the workspace is not in the catalogue: its hover
/// says so and shows only what that citation writes (date, issuer), never a title cut from it.
#[test]
fn hover_on_a_document_cited_in_another_report_is_labelled_as_the_draft_s() {
    let other = "Ban Thường vụ ban hành Kế hoạch số 35-KH/HU ngày 12/3/2024 của Huyện ủy về tổng kết công tác năm.";
    let cited = Catalogue::new(baocao_core::citations::ide::document_entries(other, "bao-cao-khac.md"));
    assert_eq!(cited.entries.len(), 1);
    let f = parse("Triển khai Kế hoạch số 3$05-KH/HU ngày 12/3/2024.");
    let Some(h) = hover(&f.text, cursor(&f), &cited, Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("không có trong danh mục") && h.markdown.contains("bao-cao-khac.md, dòng 1"), "{}", h.markdown);
    assert!(h.markdown.contains("Ngày ban hành theo trích dẫn: 12/03/2024"), "{}", h.markdown);
    assert!(!h.markdown.contains("Trích yếu") && !h.markdown.contains("tổng kết"), "{}", h.markdown);
}

/// Issue 11: 110/2004/NĐ-CP showed "không ghi nhận văn bản thay thế"; it was replaced by
/// 30/2020/NĐ-CP, in force from 05/03/2020, shown with date, body, title and day in force.
#[test]
fn hover_on_110_2004_shows_its_replacement_with_the_day_in_force() {
    let f = parse("Thực hiện Nghị định số 110/2004/$0NĐ-CP ngày 08/4/2004 của Chính phủ về công tác văn thư.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(
        h.markdown.contains(
            "đã được thay thế bởi Nghị định số 30/2020/NĐ-CP ngày 05/03/2020 của Chính phủ về công tác văn thư (có hiệu lực từ 05/03/2020)"
        ),
        "{}",
        h.markdown
    );
    assert!(!h.markdown.contains("không ghi nhận văn bản thay thế"), "{}", h.markdown);
    let f = parse("Thực hiện Nghị định số 30/2020/$0NĐ-CP ngày 05/3/2020 của Chính phủ.");
    let Some(h) = hover(&f.text, cursor(&f), &catalogue(&f), Locale::Vi) else { panic!("no hover") };
    assert!(h.markdown.contains("- Ngày có hiệu lực: 05/03/2020"), "{}", h.markdown);
    assert!(h.markdown.contains("thay thế Nghị định số 110/2004/NĐ-CP ngày 08/04/2004"), "{}", h.markdown);
}

fn superseded(text: &str, catalogue: &Catalogue) -> usize {
    baocao_core::Analyzer::new()
        .analyze_with(text, &baocao_core::Config::default(), catalogue)
        .iter()
        .filter(|f| f.code.as_str() == "citation-superseded")
        .count()
}

/// A replacement issued on one day and in force from a later one: a text that mentions no day
/// from the day in force on was written while the old document still applied, and is silent.
#[test]
fn citation_superseded_waits_for_the_replacement_to_take_effect() {
    let json = r#"{"entries": [
      {"type": "Nghị định", "number_symbol": "56/2015/NĐ-CP", "issue_date": "2015-06-09", "issuing_body": "Chính phủ",
       "replaced_by": [{"number_symbol": "90/2020/NĐ-CP", "issue_date": "2020-08-13", "in_force": "2020-08-20"}]},
      {"type": "Nghị định", "number_symbol": "90/2020/NĐ-CP", "issue_date": "2020-08-13", "in_force": "2020-08-20", "issuing_body": "Chính phủ",
       "replaces": [{"number_symbol": "56/2015/NĐ-CP", "issue_date": "2015-06-09"}]}
    ]}"#;
    let catalogue = match Catalogue::parse(json, Some("w.json")) {
        Ok(c) => c,
        Err(e) => panic!("{e:?}"),
    };
    let cite = "Căn cứ Nghị định số 56/2015/NĐ-CP ngày 09/6/2015 của Chính phủ, đơn vị đánh giá cán bộ.";
    assert_eq!(superseded(&format!("Ngày 15/8/2020. {cite}"), &catalogue), 0, "issued, not yet in force");
    assert_eq!(superseded(&format!("Ngày 25/8/2020. {cite}"), &catalogue), 1, "in force");
    assert_eq!(superseded(cite, &catalogue), 1, "no day of writing known");
    // A bad day in force is an error at the entry's line.
    let bad = "[\n{\"type\": \"Nghị định\",\n \"number_symbol\": \"90/2020/NĐ-CP\", \"in_force\": \"2020-02-30\"}]";
    assert_eq!(Catalogue::parse(bad, Some("x.json")).err().map(|e| e.line), Some(3));
}
