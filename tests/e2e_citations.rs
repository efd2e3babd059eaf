//! End to end over stdio for cited documents: hover, definition, references, completion,
//! document symbols, the `citation-conflict` diagnostic with its quick fix, and workspace
//! catalogues (used by hover and definition; a broken one reported with file, line and column).

mod common;

use common::{find, push_capabilities, scratch_dir, utf16_position, utf16_range, LspClient, TestResult};
use serde_json::{json, Value};

const URI: &str = "file:///tmp/bao-cao-trich-dan.md";
const OTHER: &str = "file:///tmp/ke-hoach.md";

const REPORT: &str = "Thực hiện Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị về phát triển vùng.\n\n\
    Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII.\n\n\
    Sau một năm thực hiện NQ 11, các chỉ tiêu cơ bản đạt.\n";

fn position_of(text: &str, needle: &str, extra: usize) -> TestResult<Value> {
    let (start, _) = find(text, needle)?;
    Ok(utf16_position(text, start + extra))
}

fn at(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}

#[test]
fn capabilities_include_the_citation_features() -> TestResult {
    let (mut client, result) = LspClient::start(push_capabilities(), None)?;
    let caps = &result["capabilities"];
    for key in ["hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider", "workspaceSymbolProvider"] {
        assert!(caps[key] == true || caps[key].is_object(), "{key} missing: {caps}");
    }
    assert_eq!(caps["completionProvider"]["triggerCharacters"], json!([" "]));
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn hover_shows_the_catalogue_entry_with_its_source() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, REPORT)?;
    let hover = client.request("textDocument/hover", at(URI, position_of(REPORT, "11-NQ/TW", 3)?))?;
    let value = hover["contents"]["value"].as_str().ok_or(format!("no markdown: {hover}"))?;
    assert!(value.contains("**Nghị quyết số 11-NQ/TW**"), "{value}");
    assert!(value.contains("10/02/2022") && value.contains("Bộ Chính trị khóa XIII"), "{value}");
    assert!(value.contains("https://"), "the source link is shown: {value}");
    assert_eq!(hover["range"], utf16_range(REPORT, "Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị")?);
    // Hover on the short mention "NQ 11" resolves to the same document.
    let short = client.request("textDocument/hover", at(URI, position_of(REPORT, "NQ 11", 3)?))?;
    assert!(short["contents"]["value"].as_str().unwrap_or("").contains("11-NQ/TW"), "{short}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn definition_and_references_link_short_mentions_across_documents() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, REPORT)?;
    let other = "Chương trình hành động thực hiện Nghị quyết số 11-NQ/TW ngày 10/02/2022.\n";
    client.open(OTHER, 1, other)?;
    let definition = client.request("textDocument/definition", at(URI, position_of(REPORT, "NQ 11", 4)?))?;
    assert_eq!(definition["uri"], URI);
    assert_eq!(definition["range"], utf16_range(REPORT, "Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị")?);

    let mut params = at(URI, position_of(REPORT, "11-NQ/TW", 0)?);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params)?;
    let list = references.as_array().ok_or(format!("not a list: {references}"))?;
    let in_report = list.iter().filter(|l| l["uri"] == URI).count();
    let in_other = list.iter().filter(|l| l["uri"] == OTHER).count();
    assert_eq!((in_report, in_other), (2, 1), "{references}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn completion_after_ket_luan_so_inserts_the_full_citation() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = "Quán triệt Kết luận số ";
    client.open(URI, 1, text)?;
    let result = client.request("textDocument/completion", at(URI, utf16_position(text, text.len())))?;
    let items = result["items"].as_array().ok_or(format!("no items: {result}"))?;
    let item = items.iter().find(|i| i["label"] == "21-KL/TW").ok_or(format!("21-KL/TW not offered: {result}"))?;
    let new_text = item["textEdit"]["newText"].as_str().unwrap_or("");
    assert!(new_text.starts_with("21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII về "), "{new_text}");
    // Beside the bare symbol: its date and a short title, so the drafter picks the right one.
    assert_eq!(item["labelDetails"]["detail"], " ngày 25/10/2021", "{item}");
    let title = item["labelDetails"]["description"].as_str().unwrap_or("");
    assert!(!title.is_empty() && title.chars().count() <= 61, "{item}");
    assert!(new_text.contains(title.trim_end_matches('…')), "the short title is the title's start: {title} / {new_text}");
    let end = utf16_position(text, text.len());
    assert_eq!(item["textEdit"]["range"], json!({ "start": end, "end": end }));
    assert!(items.iter().all(|i| i["label"].as_str().unwrap_or("").contains("-KL/")), "only Kết luận: {result}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn document_symbols_give_the_outline_and_the_cited_documents() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = "I. KẾT QUẢ\n\n1. Xây dựng Đảng\n\nThực hiện Kết luận số 21-KL/TW ngày 25/10/2021.\n\nII. PHƯƠNG HƯỚNG\n";
    client.open(URI, 1, text)?;
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(symbols[0]["name"], "I. KẾT QUẢ", "{symbols}");
    assert_eq!(symbols[0]["children"][0]["name"], "1. Xây dựng Đảng");
    assert_eq!(symbols[0]["children"][0]["children"][0]["name"], "Kết luận số 21-KL/TW");
    assert_eq!(symbols[1]["name"], "II. PHƯƠNG HƯỚNG");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn a_date_other_than_the_catalogue_is_a_citation_conflict_with_a_fix() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = "Quán triệt Nghị quyết số 59-NQ/TW ngày 22/12/2024 của Bộ Chính trị.\n";
    client.open(URI, 1, text)?;
    let params = client.diagnostics(URI, 1)?;
    let list = params["diagnostics"].as_array().ok_or("no diagnostics array")?;
    let diag = list.iter().find(|d| d["code"] == "citation-conflict").ok_or(format!("no citation-conflict: {params}"))?;
    assert_eq!(diag["range"], utf16_range(text, "22/12/2024")?);
    assert_eq!(diag["severity"], 2);
    assert!(diag["message"].as_str().unwrap_or("").contains("24/01/2025"), "{diag}");
    assert!(diag["codeDescription"]["href"].as_str().unwrap_or("").ends_with("#citation-conflict"));
    // The fix is computed in codeAction from the current version, not carried in `data`.
    assert!(matches!(diag.get("data"), None | Some(Value::Null)), "{diag}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diag["range"], "context": { "diagnostics": [diag] } }),
    )?;
    let first = &actions[0];
    assert_eq!(first["edit"]["changes"][URI][0]["newText"], "24/01/2025", "{actions}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

fn start_in(root: &std::path::Path) -> TestResult<LspClient> {
    start_with(root, push_capabilities())
}

#[test]
fn a_workspace_catalogue_entry_answers_hover_and_definition() -> TestResult {
    let root = scratch_dir("citations-ws")?;
    std::fs::create_dir_all(root.join(".baocao"))?;
    let catalogue = "{\"entries\": [\n  {\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-01-14\",\n   \"issuing_body\": \"Tỉnh ủy\", \"title\": \"học tập, quán triệt nghị quyết\"}\n]}\n";
    std::fs::write(root.join(".baocao/directives.json"), catalogue)?;
    let mut client = start_in(&root)?;
    let uri = format!("file://{}/bao-cao.md", root.display());
    let text = "Triển khai Kế hoạch số 147-KH/TU ngày 14/01/2022 của Tỉnh ủy.\n";
    client.open(&uri, 1, text)?;
    client.diagnostics(&uri, 1)?;
    let hover = client.request("textDocument/hover", at(&uri, position_of(text, "147-KH", 1)?))?;
    let value = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(value.contains("học tập, quán triệt nghị quyết") && value.contains("directives.json, dòng 2"), "{hover}");
    let definition = client.request("textDocument/definition", at(&uri, position_of(text, "147-KH", 1)?))?;
    assert!(definition["uri"].as_str().unwrap_or("").ends_with(".baocao/directives.json"), "{definition}");
    assert_eq!(definition["range"]["start"]["line"], 1);
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn a_broken_workspace_catalogue_is_reported_with_line_and_column() -> TestResult {
    let root = scratch_dir("citations-broken")?;
    std::fs::create_dir_all(root.join(".baocao"))?;
    std::fs::write(root.join(".baocao/directives.json"), "[\n  {\"type\": \"Kế hoạch\",, }\n]\n")?;
    let mut client = start_in(&root)?;
    let message = client.wait_for("a showMessage about the catalogue", |m| {
        m["method"] == "window/showMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("directives.json"))
    })?;
    let text = message["params"]["message"].as_str().unwrap_or("");
    assert!(text.contains("directives.json:2:"), "file and line named: {text}");
    // The server keeps working: the bundled catalogue still answers.
    client.open(URI, 1, REPORT)?;
    let hover = client.request("textDocument/hover", at(URI, position_of(REPORT, "21-KL/TW", 1)?))?;
    assert!(hover["contents"]["value"].as_str().unwrap_or("").contains("25/10/2021"), "{hover}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

fn start_with(root: &std::path::Path, capabilities: Value) -> TestResult<LspClient> {
    let mut client = LspClient::spawn(&[])?;
    let root_uri = format!("file://{}", root.display());
    let params = json!({
        "processId": null,
        "rootUri": root_uri,
        "workspaceFolders": [{ "uri": root_uri, "name": "ws" }],
        "capabilities": capabilities,
    });
    client.request("initialize", params)?;
    client.notify("initialized", json!({}))?;
    Ok(client)
}

#[test]
fn the_workspace_scan_reports_progress_and_finds_mentions_in_unopened_files() -> TestResult {
    let root = scratch_dir("citations-scan")?;
    std::fs::write(root.join("ke-hoach.md"), "Kế hoạch thực hiện Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị.\n")?;
    std::fs::write(root.join("ghi-chu.txt"), "Không có trích dẫn.\n")?;
    let mut caps = push_capabilities();
    caps["window"] = json!({ "workDoneProgress": true });
    let mut client = start_with(&root, caps)?;
    // The server asks to create a progress token; answer it like an editor would.
    let create = client.wait_for("window/workDoneProgress/create", |m| m["method"] == "window/workDoneProgress/create")?;
    client.send(&json!({ "jsonrpc": "2.0", "id": create["id"], "result": null }))?;
    let token = create["params"]["token"].clone();
    client.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["token"] == token && m["params"]["value"]["kind"] == "begin"
    })?;
    client.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["token"] == token && m["params"]["value"]["kind"] == "end"
    })?;

    let uri = format!("file://{}/bao-cao.md", root.display());
    client.open(&uri, 1, REPORT)?;
    let mut params = at(&uri, position_of(REPORT, "11-NQ/TW", 0)?);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params)?;
    let scanned = format!("file://{}/ke-hoach.md", root.display());
    let list = references.as_array().ok_or(format!("not a list: {references}"))?;
    assert!(list.iter().any(|l| l["uri"] == scanned.as_str()), "the unopened file's mention is found: {references}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn a_changed_workspace_catalogue_is_reloaded_and_rechecked() -> TestResult {
    let root = scratch_dir("citations-reload")?;
    std::fs::create_dir_all(root.join(".baocao"))?;
    let path = root.join(".baocao/directives.json");
    std::fs::write(&path, "[]")?;
    let mut client = start_with(&root, push_capabilities())?;
    let uri = format!("file://{}/bao-cao.md", root.display());
    let text = "Triển khai Kế hoạch số 147-KH/TU ngày 14/02/2022 của Tỉnh ủy.\n";
    client.open(&uri, 1, text)?;
    let first = client.diagnostics(&uri, 1)?;
    assert_eq!(first["diagnostics"], json!([]), "nothing known about 147-KH/TU yet");

    std::fs::write(
        &path,
        "[{\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-01-14\", \"issuing_body\": \"Tỉnh ủy\"}]",
    )?;
    let catalogue_uri = format!("file://{}", path.display());
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": catalogue_uri, "type": 2 }] }))?;
    let again = client.wait_for("diagnostics after the catalogue changed", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|x| x["code"] == "citation-conflict"))
    })?;
    let message = again["params"]["diagnostics"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("14/01/2022") && message.contains("directives.json"), "{message}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn completion_offers_local_documents_cited_earlier_in_the_report() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = "Kế hoạch số 147-KH/TU ngày 14/01/2022 của Tỉnh ủy về học tập nghị quyết.\n\nCác chi bộ thực hiện Kế hoạch số ";
    client.open(URI, 1, text)?;
    let result = client.request("textDocument/completion", at(URI, utf16_position(text, text.len())))?;
    let items = result["items"].as_array().ok_or(format!("no items: {result}"))?;
    let item = items.iter().find(|i| i["label"] == "147-KH/TU").ok_or(format!("147-KH/TU not offered: {result}"))?;
    assert_eq!(item["textEdit"]["newText"], "147-KH/TU, ngày 14/01/2022 của Tỉnh ủy về học tập nghị quyết");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

/// The hover of the citation under `needle` (cursor `extra` bytes into it) in a fresh server.
fn hover_text(text: &str, needle: &str, extra: usize) -> TestResult<(String, Value)> {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, text)?;
    let diagnostics = client.diagnostics(URI, 1)?;
    let hover = client.request("textDocument/hover", at(URI, position_of(text, needle, extra)?))?;
    client.request("shutdown", Value::Null)?;
    let value = hover["contents"]["value"].as_str().ok_or(format!("no hover: {hover}"))?.to_string();
    Ok((value, diagnostics))
}

/// Issue 11: a wrong date hovered as "Ngày ban hành: 25/11/2021 … (không có trong danh mục)".
#[test]
fn a_mis_dated_citation_hovers_with_the_catalogue_facts_and_what_differs() -> TestResult {
    let text = "Thực hiện Kết luận số 21-KL/TW ngày 25/11/2021 của Ban Chấp hành Trung ương Đảng khóa XIII.\n";
    let (value, _) = hover_text(text, "21-KL/TW", 3)?;
    assert!(value.contains("- Ngày ban hành: 25/10/2021"), "the catalogue's date is the fact: {value}");
    assert!(value.contains("bản thảo ghi ngày 25/11/2021, danh mục ghi ngày 25/10/2021"), "{value}");
    assert!(!value.contains("Ngày ban hành: 25/11/2021") && !value.contains("không có trong danh mục"), "{value}");
    assert!(value.contains("đẩy mạnh xây dựng, chỉnh đốn Đảng"), "catalogue title: {value}");
    Ok(())
}

/// Issue 11: "Chỉ thị số 22-CT/TW" hovered as "22/CT-TW".
#[test]
fn hovers_use_canonical_symbols() -> TestResult {
    let text = "Thực hiện Chỉ thị số 22-CT/TW ngày 23/01/2018 của Ban Bí thư về đẩy mạnh các phong trào thi đua yêu nước.\n";
    let (value, _) = hover_text(text, "22-CT/TW", 3)?;
    assert!(value.starts_with("**Chỉ thị số 22-CT/TW**"), "{value}");
    assert!(!value.contains("22/CT-TW") && !value.contains("Khác với danh mục"), "{value}");
    // Written in the state pattern: the standard form heads the hover, the draft's spelling is a difference.
    let text = "Thực hiện Chỉ thị số 22/CT-TW ngày 23/01/2018 của Ban Bí thư.\n";
    let (value, _) = hover_text(text, "22/CT-TW", 3)?;
    assert!(value.starts_with("**Chỉ thị số 22-CT/TW**"), "{value}");
    assert!(value.contains("bản thảo viết “22/CT-TW”, số-ký hiệu chuẩn là “22-CT/TW”"), "{value}");
    Ok(())
}

/// Issue 11: an undated 262-QĐ/TW of the Central Committee (2025) showed the Politburo's 2014
/// regulation of that number and raised a false citation-superseded.
#[test]
fn a_reused_number_is_told_apart_by_issuer_and_subject() -> TestResult {
    let text = "Thực hiện Quy định số 262-QĐ/TW của Ban Chấp hành Trung ương sửa đổi, bổ sung một số điều của Quy định số 22-QĐ/TW.\n";
    let (value, diagnostics) = hover_text(text, "262-QĐ/TW", 3)?;
    assert!(value.contains("03/02/2025") && value.contains("sửa đổi, bổ sung một số điều của Quy định số 22-QĐ/TW"), "{value}");
    assert!(!value.contains("08/10/2014") && !value.contains("lấy phiếu tín nhiệm"), "{value}");
    let list = diagnostics["diagnostics"].as_array().ok_or("no diagnostics array")?;
    assert!(!list.iter().any(|d| d["code"] == "citation-superseded"), "{diagnostics}");
    // Nothing to tell them apart: every candidate listed, still no finding.
    let text = "Các chi bộ rà soát việc thực hiện Quy định số 262-QĐ/TW.\n";
    let (value, diagnostics) = hover_text(text, "262-QĐ/TW", 3)?;
    assert!(value.contains("Nhiều văn bản cùng số") && value.contains("08/10/2014") && value.contains("03/02/2025"), "{value}");
    let list = diagnostics["diagnostics"].as_array().ok_or("no diagnostics array")?;
    assert!(!list.iter().any(|d| d["code"] == "citation-superseded"), "{diagnostics}");
    Ok(())
}

/// Issue 11: a dated "21-NQ/TW" (2022) missed its catalogue entry because the entry has no date.
#[test]
fn a_dated_citation_finds_the_catalogue_entry_that_has_no_date() -> TestResult {
    let text = "Thực hiện Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII.\n";
    let (value, _) = hover_text(text, "21-NQ/TW", 3)?;
    assert!(value.contains("tăng cường củng cố, xây dựng tổ chức cơ sở đảng"), "the 2022 entry: {value}");
    assert!(!value.contains("công tác dân số"), "not the 2017 resolution: {value}");
    assert!(value.contains("danh mục chưa có ngày ban hành; bản thảo ghi ngày 16/06/2022 (chưa đối chiếu)"), "{value}");
    Ok(())
}

/// Issue 11: documents not in the catalogue hovered with a "Trích yếu" cut from the draft.
#[test]
fn a_document_not_in_the_catalogue_says_so_and_shows_only_what_the_draft_states() -> TestResult {
    let text = "Ban Thường vụ ban hành Kế hoạch số 35-KH/HU ngày 12/3/2024 của Huyện ủy về tổng kết công tác năm.\n";
    let (value, _) = hover_text(text, "35-KH/HU", 3)?;
    assert!(value.contains("không có trong danh mục"), "{value}");
    assert!(
        value.contains("Ngày ban hành theo trích dẫn: 12/03/2024") && value.contains("Cơ quan ban hành theo trích dẫn: Huyện ủy"),
        "{value}"
    );
    assert!(!value.contains("Trích yếu") && !value.contains("tổng kết"), "{value}");
    Ok(())
}

/// Issue 11: a replacing document appeared as a bare symbol.
#[test]
fn replacing_documents_are_shown_with_date_and_title() -> TestResult {
    let text = "Thực hiện Quy định số 41-QĐ/TW ngày 03/11/2021 của Bộ Chính trị về việc miễn nhiệm, từ chức đối với cán bộ.\n";
    let (value, diagnostics) = hover_text(text, "41-QĐ/TW", 3)?;
    assert!(
        value.contains("đã được thay thế bởi Quy định số 377-QĐ/TW ngày 08/10/2025 của Bộ Chính trị về phân cấp quản lý cán bộ"),
        "{value}"
    );
    // The text mentions no other day, so nothing says it predates the replacement: the finding stands.
    let list = diagnostics["diagnostics"].as_array().ok_or("no diagnostics array")?;
    let superseded = list.iter().find(|d| d["code"] == "citation-superseded").ok_or(format!("no citation-superseded: {diagnostics}"))?;
    assert!(superseded["message"].as_str().unwrap_or("").contains("377-QĐ/TW ngày 08/10/2025"), "{superseded}");
    Ok(())
}

/// Issue 11: 110/2004/NĐ-CP hovered "không ghi nhận văn bản thay thế"; its replacement is shown
/// with date, body, title and the day it took effect, and citing it in a 2021 text is flagged.
#[test]
fn a_replaced_decree_shows_its_replacement_and_the_day_in_force() -> TestResult {
    let text = "Ngày 10/5/2021, đơn vị thực hiện Nghị định số 110/2004/NĐ-CP ngày 08/4/2004 của Chính phủ về công tác văn thư.\n";
    let (value, diagnostics) = hover_text(text, "110/2004/NĐ-CP", 3)?;
    assert!(
        value.contains(
            "đã được thay thế bởi Nghị định số 30/2020/NĐ-CP ngày 05/03/2020 của Chính phủ về công tác văn thư (có hiệu lực từ 05/03/2020)"
        ),
        "{value}"
    );
    let list = diagnostics["diagnostics"].as_array().ok_or("no diagnostics array")?;
    assert!(list.iter().any(|d| d["code"] == "citation-superseded"), "{diagnostics}");
    // Written in 2019, before the replacement: nothing to say.
    let text = "Ngày 10/5/2019, đơn vị thực hiện Nghị định số 110/2004/NĐ-CP ngày 08/4/2004 của Chính phủ về công tác văn thư.\n";
    let (_, diagnostics) = hover_text(text, "110/2004/NĐ-CP", 3)?;
    let list = diagnostics["diagnostics"].as_array().ok_or("no diagnostics array")?;
    assert!(!list.iter().any(|d| d["code"] == "citation-superseded"), "{diagnostics}");
    Ok(())
}
