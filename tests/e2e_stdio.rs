//! End to end over stdio: the real `baocao-ls` binary, driven by a small JSON-RPC client.
//!
//! Covers the initialize handshake and capability negotiation, pushed and pulled diagnostics
//! with exact positions in UTF-16 and UTF-8 (after Vietnamese text, CRLF and astral characters),
//! quick fixes applied back through `didChange`, settings from every channel, bad input from the
//! client, and every way the process can end.

mod common;

use common::{push_capabilities, utf16_position, utf16_range, utf8_position, LspClient, TestResult};
use serde_json::{json, Value};
use std::time::Duration;

const URI: &str = "file:///tmp/bao-cao.md";

/// A report whose 6 + 19 parts do not add up to the announced 28.
const WRONG_TOTAL: &str = "Báo cáo tổng kết năm 2024 của Đảng bộ tỉnh.\n\n\
    Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.\n";

/// 18 of 25 is 72%, not 75,5%.
const WRONG_SHARE: &str = "Tổng số 25 chỉ tiêu, trong đó 18 chỉ tiêu đạt (chiếm 75,5%).\n";

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"].as_array().map(|d| d.iter().map(|x| x["code"].as_str().unwrap_or("?").to_string()).collect()).unwrap_or_default()
}

fn only_diagnostic(params: &Value) -> TestResult<Value> {
    let list = params["diagnostics"].as_array().ok_or("diagnostics is not an array")?;
    if list.len() != 1 {
        return Err(format!("expected exactly one diagnostic, got {params}").into());
    }
    Ok(list[0].clone())
}

/// Replaces byte range `start..end` of `text`: the client-side copy of an edit.
fn splice(text: &str, start: usize, end: usize, new_text: &str) -> String {
    format!("{}{new_text}{}", &text[..start], &text[end..])
}

#[test]
fn initialize_advertises_utf16_incremental_sync_diagnostics_and_code_actions() -> TestResult {
    let (mut client, result) = LspClient::start(push_capabilities(), None)?;
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "no encoding offered → UTF-16: {caps}");
    // 2 = TextDocumentSyncKind.Incremental.
    assert_eq!(caps["textDocumentSync"]["change"], 2, "{caps}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true, "{caps}");
    assert!(caps["diagnosticProvider"].is_object(), "diagnosticProvider missing: {caps}");
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], false);
    assert!(caps["codeActionProvider"].is_object() || caps["codeActionProvider"] == true, "codeActionProvider missing: {caps}");
    assert_eq!(result["serverInfo"]["name"], "baocao-ls");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn initialize_picks_utf8_when_the_client_offers_it() -> TestResult {
    let caps = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (mut client, result) = LspClient::start(caps, None)?;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn wrong_total_is_pushed_with_exact_utf16_range_and_cleared_by_an_incremental_fix() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    let params = client.diagnostics(URI, 1)?;
    let diag = only_diagnostic(&params)?;
    assert_eq!(diag["code"], "total-mismatch");
    assert_eq!(diag["source"], "baocao");
    assert_eq!(diag["severity"], 2, "a plain wrong total is a warning");
    let href = diag["codeDescription"]["href"].as_str().ok_or("no codeDescription.href")?;
    assert!(href.ends_with("docs/rules.md#total-mismatch"), "{href}");
    assert_eq!(diag["range"], utf16_range(WRONG_TOTAL, "28 chỉ tiêu thành phần")?);
    // "Trong tổng số " has 14 UTF-16 units but 18 bytes: the range really is in UTF-16.
    assert_eq!(diag["range"]["start"], json!({ "line": 2, "character": 14 }));

    let (start, _) = common::find(WRONG_TOTAL, "28 chỉ tiêu")?;
    let range = json!({ "start": utf16_position(WRONG_TOTAL, start), "end": utf16_position(WRONG_TOTAL, start + 2) });
    client.change(URI, 2, range, "25")?;
    let params = client.diagnostics(URI, 2)?;
    assert_eq!(params["diagnostics"], json!([]), "6 + 19 = 25 is right: nothing to report");
    Ok(())
}

/// Inserts a CRLF-separated heading with an emoji and an emoji right before "tổng số", then
/// checks the reported range and edits the number at positions counted after the emoji.
fn crlf_and_emoji_before_the_number(capabilities: Value, position: fn(&str, usize) -> Value) -> TestResult {
    let (mut client, _) = LspClient::start(capabilities, None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    client.diagnostics(URI, 1)?;

    let inserted = "Mục 1 🎉\r\n\r\n😀 ";
    let (line_start, _) = common::find(WRONG_TOTAL, "Trong tổng số")?;
    let at = position(WRONG_TOTAL, line_start);
    client.change(URI, 2, json!({ "start": at, "end": at }), inserted)?;
    let text = splice(WRONG_TOTAL, line_start, line_start, inserted);

    let diag = only_diagnostic(&client.diagnostics(URI, 2)?)?;
    let (start, end) = common::find(&text, "28 chỉ tiêu thành phần")?;
    assert_eq!(diag["range"], json!({ "start": position(&text, start), "end": position(&text, end) }), "in {text:?}");
    assert_eq!(diag["range"]["start"]["line"], 4);

    // The fix lands exactly on "28" only if the server reads positions after astral characters
    // in the negotiated encoding.
    let range = json!({ "start": position(&text, start), "end": position(&text, start + 2) });
    client.change(URI, 3, range, "25")?;
    assert_eq!(client.diagnostics(URI, 3)?["diagnostics"], json!([]));
    Ok(())
}

#[test]
fn crlf_and_emoji_edits_keep_utf16_ranges_right() -> TestResult {
    crlf_and_emoji_before_the_number(push_capabilities(), utf16_position)
}

#[test]
fn crlf_and_emoji_edits_keep_utf8_ranges_right() -> TestResult {
    let mut caps = push_capabilities();
    caps["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
    crlf_and_emoji_before_the_number(caps, utf8_position)
}

#[test]
fn pulled_diagnostics_match_the_pushed_ones() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    let pushed = client.diagnostics(URI, 1)?;
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"], pushed["diagnostics"]);
    Ok(())
}

#[test]
fn preferred_quick_fix_applied_through_did_change_removes_the_finding() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, WRONG_SHARE)?;
    let diag = only_diagnostic(&client.diagnostics(URI, 1)?)?;
    assert_eq!(diag["code"], "ratio-mismatch");
    assert_eq!(diag["range"], utf16_range(WRONG_SHARE, "75,5%")?);

    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diag["range"], "context": { "diagnostics": [diag] } }),
    )?;
    let actions = actions.as_array().ok_or(format!("no code actions: {actions}"))?;
    let action = actions.iter().find(|a| a["isPreferred"] == true).ok_or(format!("no preferred action in {actions:?}"))?;
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "ratio-mismatch");
    let edits = action["edit"]["changes"][URI].as_array().ok_or(format!("no edits for {URI}: {action}"))?;
    assert!(!edits.is_empty());
    // Apply from the end backwards so earlier positions stay valid, as an editor does.
    let mut edits = edits.clone();
    edits.sort_by_key(|e| (e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()));
    let changes: Vec<Value> = edits.iter().rev().map(|e| json!({ "range": e["range"], "text": e["newText"] })).collect();
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": changes }))?;
    assert_eq!(client.diagnostics(URI, 2)?["diagnostics"], json!([]));
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["items"], json!([]));
    Ok(())
}

#[test]
fn initialization_options_switch_messages_to_english() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), Some(json!({ "baocao": { "locale": "en" } })))?;
    client.open(URI, 1, WRONG_TOTAL)?;
    let diag = only_diagnostic(&client.diagnostics(URI, 1)?)?;
    assert_eq!(diag["message"], "6 + 19 = 25, which does not match the total of 28 chỉ tiêu thành phần");
    Ok(())
}

#[test]
fn malformed_initialization_options_warn_and_the_server_keeps_working() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), Some(json!({ "baocao": { "locale": 5 } })))?;
    let shown = client.wait_for("a showMessage warning", |m| m["method"] == "window/showMessage")?;
    // 2 = MessageType.Warning.
    assert_eq!(shown["params"]["type"], 2);
    let text = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(text.contains("locale"), "the warning should name the bad setting: {text}");
    client.open(URI, 1, WRONG_TOTAL)?;
    let diag = only_diagnostic(&client.diagnostics(URI, 1)?)?;
    assert_eq!(diag["message"], "6 + 19 = 25, không khớp tổng số 28 chỉ tiêu thành phần", "the default locale is kept");
    Ok(())
}

#[test]
fn did_change_configuration_turns_a_rule_off_and_republishes() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = format!("{WRONG_TOTAL}\n{WRONG_SHARE}");
    client.open(URI, 1, &text)?;
    let mut first = codes(&client.diagnostics(URI, 1)?);
    first.sort();
    assert_eq!(first, ["ratio-mismatch", "total-mismatch"]);
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "baocao": { "rules": { "total-mismatch": "off" } } } }))?;
    let again = client.wait_for("diagnostics without total-mismatch", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1
    })?;
    assert_eq!(codes(&again["params"]), ["ratio-mismatch"]);
    Ok(())
}

#[test]
fn settings_are_pulled_with_workspace_configuration_when_the_client_offers_it() -> TestResult {
    let mut caps = push_capabilities();
    caps["workspace"] = json!({ "configuration": true });
    // The client answers the `baocao` section: English, and total-mismatch as an error.
    let section = json!([{ "locale": "en", "rules": { "total-mismatch": "error" } }]);
    let (mut client, _) = LspClient::start_with_replies(caps, None, vec![("workspace/configuration", section)])?;
    let asked = client.wait_for("workspace/configuration", |m| m["method"] == "workspace/configuration")?;
    assert_eq!(asked["params"]["items"][0]["section"], "baocao");
    // The answer may be applied after didOpen's first analysis; wait for the English error.
    client.open(URI, 1, WRONG_TOTAL)?;
    let english = client.wait_for("diagnostics with the pulled settings", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"][0]["severity"] == 1
    })?;
    assert_eq!(english["params"]["diagnostics"][0]["message"], "6 + 19 = 25, which does not match the total of 28 chỉ tiêu thành phần");
    Ok(())
}

#[test]
fn closing_a_document_clears_its_diagnostics_and_stale_versions_are_ignored() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 5, WRONG_TOTAL)?;
    assert_eq!(codes(&client.diagnostics(URI, 5)?), ["total-mismatch"]);
    // Version 4 is older than the open document: the edit that would fix the total is dropped.
    let (start, _) = common::find(WRONG_TOTAL, "28 chỉ tiêu")?;
    let range = json!({ "start": utf16_position(WRONG_TOTAL, start), "end": utf16_position(WRONG_TOTAL, start + 2) });
    client.change(URI, 4, range, "25")?;
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["items"].as_array().map(Vec::len), Some(1), "the stale edit must not apply");
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": URI } }))?;
    let cleared = client.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI && m["params"]["diagnostics"] == json!([])
    })?;
    assert!(cleared["params"]["version"].is_null(), "{cleared}");
    Ok(())
}

#[test]
fn out_of_range_edit_positions_are_clamped_without_a_crash() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    client.diagnostics(URI, 1)?;
    // Far past the last line: appended at the end.
    client.change(URI, 2, json!({ "start": { "line": 999, "character": 5 }, "end": { "line": 1000, "character": 0 } }), "Hết.")?;
    assert_eq!(codes(&client.diagnostics(URI, 2)?), ["total-mismatch"]);
    // Past the end of a line, and start after end.
    client.change(URI, 3, json!({ "start": { "line": 0, "character": 4000 }, "end": { "line": 0, "character": 2 } }), "")?;
    client.diagnostics(URI, 3)?;
    let logged = client.wait_for("a log about the clamped edit", |m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("999:5"))
    })?;
    assert_eq!(logged["params"]["type"], 2);
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["kind"], "full");
    Ok(())
}

#[test]
fn unknown_requests_get_method_not_found_and_unknown_notifications_are_ignored() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let response = client.request_raw("baocao/noSuchMethod", json!({}))?;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.notify("$/setTrace", json!({ "value": "verbose" }))?;
    client.notify("$/noSuchNotification", json!({ "anything": 1 }))?;
    client.notify("baocao/noSuchNotification", json!([1, 2]))?;
    client.open(URI, 1, WRONG_TOTAL)?;
    assert_eq!(codes(&client.diagnostics(URI, 1)?), ["total-mismatch"]);
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["items"].as_array().map(Vec::len), Some(1));
    let errors: Vec<&Value> = client.seen.iter().filter(|m| m.get("error").is_some()).collect();
    assert_eq!(errors.len(), 1, "only the unknown request is an error: {errors:?}");
    Ok(())
}

#[test]
fn text_the_analysis_chokes_on_leaves_the_server_serving() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    // 10^20 × 10^9 does not fit the core's decimals; at the time of writing this panics in the core.
    let huge_uri = "file:///tmp/huge.md";
    client.open(huge_uri, 1, "Dự án có tổng vốn 100000000000000000000 tỷ đồng.\n")?;
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": huge_uri } }))?;
    assert_eq!(report["kind"], "full");
    client.open(URI, 1, WRONG_TOTAL)?;
    assert_eq!(codes(&client.diagnostics(URI, 1)?), ["total-mismatch"]);
    // The choking document recovers once edited into something ordinary.
    client.change(huge_uri, 2, json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } }), WRONG_TOTAL)?;
    assert_eq!(codes(&client.diagnostics(huge_uri, 2)?), ["total-mismatch"]);
    Ok(())
}

#[test]
fn shutdown_then_exit_ends_the_process_with_status_zero() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    assert_eq!(client.request("shutdown", Value::Null)?, Value::Null);
    client.notify("exit", Value::Null)?;
    // The pipe stays open: the server must end on `exit` alone.
    let status = client.wait_exit()?;
    assert_eq!(status.code(), Some(0), "stderr: {}", client.stderr());
    Ok(())
}

#[test]
fn exit_without_shutdown_ends_the_process_with_status_one() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.notify("exit", Value::Null)?;
    let status = client.wait_exit()?;
    assert_eq!(status.code(), Some(1), "stderr: {}", client.stderr());
    Ok(())
}

#[test]
fn shutdown_and_exit_accept_null_params() -> TestResult {
    // Eglot and LSP4IJ send `"params": null`; tower-lsp alone rejects that with -32602.
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.send(&json!({ "jsonrpc": "2.0", "id": 900, "method": "shutdown", "params": null }))?;
    let response = client.wait_for("the response to shutdown", |m| m.get("id") == Some(&json!(900)))?;
    assert!(response.get("error").is_none(), "shutdown failed: {response}");
    client.send(&json!({ "jsonrpc": "2.0", "method": "exit", "params": null }))?;
    let status = client.wait_exit()?;
    assert_eq!(status.code(), Some(0), "stderr: {}", client.stderr());
    Ok(())
}

#[test]
fn end_of_input_ends_the_process() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    client.close_stdin()?;
    client.wait_exit()?;
    Ok(())
}

#[test]
fn stdio_flag_serves_lsp_too() -> TestResult {
    let mut client = LspClient::spawn(&["--stdio"])?;
    let result = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }))?;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    Ok(())
}

#[test]
fn a_pulling_client_gets_pulled_diagnostics_and_no_pushes() -> TestResult {
    let caps = json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false, "relatedDocumentSupport": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } }
    });
    let (mut client, _) = LspClient::start(caps, None)?;
    client.open(URI, 1, WRONG_TOTAL)?;
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().ok_or("no items")?;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["code"], "total-mismatch");
    assert_eq!(items[0]["range"], utf16_range(WRONG_TOTAL, "28 chỉ tiêu thành phần")?);

    // A settings change asks the client to pull again instead of pushing.
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "baocao": { "locale": "en" } } }))?;
    client.wait_for("workspace/diagnostic/refresh", |m| m["method"] == "workspace/diagnostic/refresh")?;
    client.change(URI, 2, json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }), "# ")?;
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    let message = report["items"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("does not match"), "{message}");
    // Give a wrongly scheduled push time to arrive before looking at the whole conversation.
    client.drain_for(Duration::from_millis(500));
    let pushed: Vec<&Value> = client.seen.iter().filter(|m| m["method"] == "textDocument/publishDiagnostics").collect();
    assert!(pushed.is_empty(), "a pulling client must not get pushed diagnostics: {pushed:?}");
    Ok(())
}
