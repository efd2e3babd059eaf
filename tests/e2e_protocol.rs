//! End to end over stdio for issue 10 ("never down, never wrong"): every malformed frame of the
//! stress harness (`../shared/stress/t2_bad_protocol.py`) leaves the server serving; the process
//! ends at the end of input even while a handler runs; a client that never answers
//! `workspace/configuration` blocks nothing; `$/…` requests get MethodNotFound; bursts of edits
//! are coalesced; pull answers describe the text the client had when it asked; quick fixes are
//! only built for diagnostics of the current text and in the requested range.

mod common;

use common::{frame, push_capabilities, utf16_range, LspClient, TestResult, NO_REPLY};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const URI: &str = "file:///tmp/baocao-e2e-protocol/a.md";

const TEXT: &str = "# Báo cáo\n\nTrong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.\n\n\
    Thực hiện Nghị quyết số 21-NQ/TW ngày 25/10/2021 của Ban Chấp hành Trung ương.\n";

/// One wrong breakdown per line.
const WRONG_LINE: &str = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.\n";

fn pull_capabilities() -> Value {
    json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } })
}

/// The malformed inputs of the harness's t2 "raw" cases (plus a few more), as bytes.
fn malformed_frames() -> Vec<(&'static str, Vec<u8>)> {
    let raw = |s: &str| frame(s.as_bytes());
    let did_change_bad_utf8 = {
        let mut body = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":""#.to_vec();
        body.extend_from_slice(URI.as_bytes());
        body.extend_from_slice(
            b"\",\"version\":50},\"contentChanges\":[{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"text\":\"\xed\xa0\x80 x\"}]}}",
        );
        frame(&body)
    };
    let body = br#"{"jsonrpc":"2.0","id":86,"method":"foo/bar"}"#;
    let mut three_headers =
        format!("Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Foo: 1\r\n\r\n", body.len())
            .into_bytes();
    three_headers.extend_from_slice(body);
    let mut lf_only = format!("Content-Length: {}\n\n", body.len()).into_bytes();
    lf_only.extend_from_slice(body);
    vec![
        ("request id object", raw(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}"#)),
        ("request id float", raw(r#"{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover","params":{}}"#)),
        ("request id null", raw(r#"{"jsonrpc":"2.0","id":null,"method":"foo","params":{}}"#)),
        ("method is a number", raw(r#"{"jsonrpc":"2.0","id":77,"method":5,"params":{}}"#)),
        ("jsonrpc 1.0", raw(r#"{"jsonrpc":"1.0","id":78,"method":"textDocument/hover","params":{}}"#)),
        ("no jsonrpc field", raw(r#"{"id":79,"method":"foo/bar"}"#)),
        ("batch array", raw(r#"[{"jsonrpc":"2.0","id":80,"method":"foo/bar"}]"#)),
        ("empty object", raw("{}")),
        ("json null body", raw("null")),
        ("response to unknown id", raw(r#"{"jsonrpc":"2.0","id":123456,"result":null}"#)),
        ("truncated JSON", raw(r#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","#)),
        ("trailing garbage", raw(r#"{"jsonrpc":"2.0","method":"foo"}}}"#)),
        ("nested 5000 deep", raw(&format!(r#"{{"jsonrpc":"2.0","method":"foo","params":{}{}}}"#, "[".repeat(5000), "]".repeat(5000)))),
        ("invalid UTF-8 in a string", frame(b"{\"jsonrpc\":\"2.0\",\"id\":81,\"method\":\"foo/bar\",\"params\":{\"x\":\"\xff\xfe\xc3\"}}")),
        ("invalid UTF-8 in didChange text", did_change_bad_utf8),
        (
            "escaped lone surrogate in didChange",
            raw(&format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{URI}","version":51}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":0}},"end":{{"line":0,"character":0}}}},"text":"\ud800x"}}]}}}}"#
            )),
        ),
        (
            "escaped lone surrogate in didOpen",
            raw(
                r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/baocao-e2e-protocol/s.md","languageId":"markdown","version":1,"text":"abc \udc80 def"}}}"#,
            ),
        ),
        ("Content-Length too short", b"Content-Length: 20\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":82,\"method\":\"foo/bar\"}".to_vec()),
        ("Content-Length not a number", b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":83,\"method\":\"foo/bar\"}".to_vec()),
        ("Content-Length negative", b"Content-Length: -5\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":84,\"method\":\"foo/bar\"}".to_vec()),
        ("lowercase content-length", raw(r#"{"jsonrpc":"2.0","id":85,"method":"foo/bar"}"#).replace_header()),
        ("three headers", three_headers),
        ("garbage line before a header", [b"hello world\r\n".to_vec(), raw(r#"{"jsonrpc":"2.0","id":88,"method":"foo/bar"}"#)].concat()),
        ("Content-Length 0", [b"Content-Length: 0\r\n\r\n".to_vec(), raw(r#"{"jsonrpc":"2.0","id":89,"method":"foo/bar"}"#)].concat()),
        ("LF-only header separators", lf_only),
    ]
}

trait ReplaceHeader {
    fn replace_header(self) -> Vec<u8>;
}

impl ReplaceHeader for Vec<u8> {
    /// `Content-Length` → `content-length`.
    fn replace_header(self) -> Vec<u8> {
        let text = String::from_utf8_lossy(&self).replacen("Content-Length", "content-length", 1);
        text.into_bytes()
    }
}

fn hover_at_citation(client: &mut LspClient) -> TestResult<Value> {
    client.request("textDocument/hover", json!({ "textDocument": { "uri": URI }, "position": { "line": 4, "character": 25 } }))
}

#[test]
fn every_malformed_frame_of_the_harness_leaves_the_server_serving() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, TEXT)?;
    client.diagnostics(URI, 1)?;
    let before = hover_at_citation(&mut client)?;
    assert!(before["contents"]["value"].as_str().is_some_and(|v| !v.is_empty()), "{before}");
    for (name, bytes) in malformed_frames() {
        client.send_raw(&bytes)?;
        // Still serving after each one: a hover with the right answer.
        let hover = hover_at_citation(&mut client).map_err(|e| format!("after “{name}”: {e}"))?;
        assert_eq!(hover, before, "after “{name}”");
    }
    // Errors where they are due: a parse error (id null) for broken JSON, InvalidRequest with
    // the message's id when it has a usable one.
    let errors: Vec<(Value, i64)> =
        client.seen.iter().filter_map(|m| m.get("error").map(|e| (m["id"].clone(), e["code"].as_i64().unwrap_or(0)))).collect();
    assert!(errors.contains(&(Value::Null, -32700)), "{errors:?}");
    assert!(errors.contains(&(json!(78), -32600)), "jsonrpc 1.0: {errors:?}");
    assert!(errors.contains(&(json!(77), -32600)), "method is a number: {errors:?}");
    assert!(errors.contains(&(json!(85), -32601)), "lowercase header is read: {errors:?}");
    assert!(errors.contains(&(json!(86), -32601)), "extra headers are ignored: {errors:?}");
    assert!(errors.contains(&(json!(89), -32601)), "the frame after an empty one is read: {errors:?}");
    // The repaired didChange edits went in (with U+FFFD); the document is still analysed.
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": URI } }))?;
    assert_eq!(report["resultId"], "51", "{report}");
    assert_eq!(report["items"].as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!(client.request("shutdown", Value::Null)?, Value::Null);
    client.notify("exit", Value::Null)?;
    assert_eq!(client.wait_exit()?.code(), Some(0));
    Ok(())
}

#[test]
fn a_frame_longer_than_announced_costs_only_what_it_swallowed() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    client.open(URI, 1, TEXT)?;
    client.diagnostics(URI, 1)?;
    let body = br#"{"jsonrpc":"2.0","id":91,"method":"foo/bar"}"#;
    let mut lying = format!("Content-Length: {}\r\n\r\n", body.len() + 40).into_bytes();
    lying.extend_from_slice(body);
    client.send_raw(&lying)?;
    // This frame is partly swallowed into the lying one; the server skips to the next header.
    client.send_raw(&frame(br#"{"jsonrpc":"2.0","method":"foo/swallowed","params":{"padding":"xxxxxxxxxxxxxxxx"}}"#))?;
    let hover = hover_at_citation(&mut client)?;
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| !v.is_empty()), "{hover}");
    Ok(())
}

#[test]
fn end_of_input_ends_the_process_even_while_a_handler_runs() -> TestResult {
    // The workspace/configuration request of `initialized` is never answered: without the
    // timeout and the background task, the handler would still be waiting.
    let capabilities = json!({ "workspace": { "configuration": true } });
    let (mut client, _) = LspClient::start_with_replies(capabilities, None, vec![("workspace/configuration", json!(NO_REPLY))])?;
    client.wait_for("the configuration request", |m| m["method"] == "workspace/configuration")?;
    client.send_raw(b"Content-Length: 12\r\n\r\n{\"jsonrpc\":")?;
    client.close_stdin()?;
    let started = Instant::now();
    let status = client.wait_exit()?;
    assert_eq!(status.code(), Some(1), "end of input without shutdown");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    Ok(())
}

#[test]
fn a_client_that_never_answers_workspace_configuration_blocks_nothing() -> TestResult {
    let capabilities =
        json!({ "workspace": { "configuration": true }, "textDocument": { "publishDiagnostics": { "versionSupport": true } } });
    let (mut client, _) = LspClient::start_with_replies(capabilities, None, vec![("workspace/configuration", json!(NO_REPLY))])?;
    for _ in 0..6 {
        client.notify("workspace/didChangeConfiguration", json!({ "settings": {} }))?;
    }
    client.open(URI, 1, TEXT)?;
    client.diagnostics(URI, 1)?;
    let started = Instant::now();
    hover_at_citation(&mut client)?;
    assert!(started.elapsed() < Duration::from_secs(5), "hover took {:?}", started.elapsed());
    // One configuration request at a time, not one per notification.
    client.drain_for(Duration::from_millis(300));
    let asked = client.seen.iter().filter(|m| m["method"] == "workspace/configuration").count();
    assert!(asked <= 2, "{asked} configuration requests in flight");
    assert_eq!(client.request("shutdown", Value::Null)?, Value::Null);
    client.notify("exit", Value::Null)?;
    assert_eq!(client.wait_exit()?.code(), Some(0));
    Ok(())
}

#[test]
fn malformed_configuration_answers_change_nothing_and_the_process_still_ends_with_its_input() -> TestResult {
    // Issue 10, item 2: an answer to workspace/configuration that is not a list of settings
    // objects (or holds settings of the wrong types) neither wedges the server nor keeps the
    // process alive once its input ends.
    let answers =
        [json!("oops"), json!([["x"]]), json!([{ "rules": 7, "locale": [] }]), json!({ "baocao": 1 }), json!([null, 5]), json!(12)];
    for answer in answers {
        let capabilities =
            json!({ "workspace": { "configuration": true }, "textDocument": { "publishDiagnostics": { "versionSupport": true } } });
        let (mut client, _) = LspClient::start_with_replies(capabilities, None, vec![("workspace/configuration", answer.clone())])?;
        client.notify("workspace/didChangeConfiguration", json!({ "settings": {} }))?;
        client.open(URI, 1, TEXT)?;
        let published = client.diagnostics(URI, 1)?;
        let codes: Vec<&str> = published["diagnostics"].as_array().into_iter().flatten().filter_map(|d| d["code"].as_str()).collect();
        assert!(codes.contains(&"total-mismatch"), "{answer}: {published}");
        let hover = hover_at_citation(&mut client)?;
        assert!(hover["contents"]["value"].as_str().is_some_and(|v| !v.is_empty()), "{answer}: {hover}");
        client.close_stdin()?;
        assert_eq!(client.wait_exit()?.code(), Some(1), "{answer}: end of input without shutdown");
    }
    Ok(())
}

#[test]
fn dollar_requests_get_method_not_found() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let response = client.request_raw("$/foo", json!({}))?;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // `$/` notifications are still ignored silently.
    client.notify("$/bar", json!({}))?;
    client.open(URI, 1, TEXT)?;
    client.diagnostics(URI, 1)?;
    Ok(())
}

#[test]
fn a_burst_of_edits_is_coalesced_into_few_publishes_of_the_newest_version() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let mut text = WRONG_LINE.repeat(400);
    client.open(URI, 1, &text)?;
    client.diagnostics(URI, 1)?;
    let mut burst = Vec::new();
    for version in 2..=101 {
        let change = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "a" }] } });
        burst.extend(frame(serde_json::to_string(&change)?.as_bytes()));
        text.insert(0, 'a');
    }
    client.send_raw(&burst)?;
    let last = client.diagnostics(URI, 101)?;
    assert_eq!(last["diagnostics"].as_array().map(Vec::len), Some(400));
    client.drain_for(Duration::from_millis(300));
    let versions: Vec<i64> = client
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["version"].as_i64())
        .filter(|&v| v > 1)
        .collect();
    // At most one analysis in flight: the one running when the burst began, then the newest.
    assert!(versions.len() <= 3, "published versions {versions:?}");
    let mut unique = versions.clone();
    unique.dedup();
    assert_eq!(unique, versions, "one publish per version");
    assert_eq!(versions.last(), Some(&101));
    Ok(())
}

#[test]
fn a_pull_sent_before_an_edit_is_answered_for_the_text_before_it() -> TestResult {
    let (mut client, _) = LspClient::start(pull_capabilities(), None)?;
    client.open(URI, 1, WRONG_LINE)?;
    for round in 0..40u32 {
        let id = client.take_id();
        let pull = json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/diagnostic", "params": { "textDocument": { "uri": URI } } });
        let version = i64::from(round) + 2;
        let insert = json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "\n" }] } });
        let bytes = [frame(serde_json::to_string(&pull)?.as_bytes()), frame(serde_json::to_string(&insert)?.as_bytes())].concat();
        client.send_raw(&bytes)?;
        let answer = client.wait_for("the pull", |m| m["id"] == id)?;
        assert_eq!(answer["result"]["resultId"], (version - 1).to_string(), "{answer}");
        assert_eq!(answer["result"]["items"][0]["range"]["start"]["line"], round, "round {round}: {answer}");
    }
    Ok(())
}

#[test]
fn quick_fixes_only_for_current_diagnostics_in_the_requested_range() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = format!("Dòng mở đầu.\n{WRONG_LINE}Dòng thứ ba.\n{WRONG_LINE}");
    client.open(URI, 1, &text)?;
    let published = client.diagnostics(URI, 1)?;
    let diagnostics = published["diagnostics"].as_array().cloned().ok_or("no diagnostics")?;
    assert_eq!(diagnostics.len(), 2);
    // Only the diagnostic in the requested range gets actions.
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diagnostics[1]["range"], "context": { "diagnostics": diagnostics } }),
    )?;
    let list = actions.as_array().ok_or("no actions")?;
    assert!(!list.is_empty());
    for action in list {
        assert_eq!(action["diagnostics"][0]["range"], diagnostics[1]["range"], "{action}");
        for edit in action["edit"]["changes"][URI].as_array().into_iter().flatten() {
            assert!(edit["range"]["start"]["line"].as_u64() >= Some(2), "{action}");
        }
    }
    // After deleting the first line, the published diagnostics are stale: no edits from them.
    client.change(URI, 2, json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } }), "")?;
    let stale = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diagnostics[0]["range"], "context": { "diagnostics": [diagnostics[0].clone()] } }),
    )?;
    assert_eq!(stale, Value::Null, "a diagnostic of version 1 must not edit version 2: {stale}");
    // The fresh diagnostic of version 2 gets its fixes, at the right place.
    let fresh = client.diagnostics(URI, 2)?;
    let current = fresh["diagnostics"][0].clone();
    let new_text = text.split_once('\n').map(|(_, rest)| rest).ok_or("no line break")?;
    assert_eq!(current["range"], utf16_range(new_text, "28 chỉ tiêu")?);
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": current["range"], "context": { "diagnostics": [current] } }),
    )?;
    assert!(actions.as_array().is_some_and(|a| a.iter().any(|x| x["isPreferred"] == true)), "{actions}");
    Ok(())
}

#[test]
fn a_diagnostic_sent_back_in_byte_columns_still_gets_its_fix() -> TestResult {
    // Neovim 0.7 sends diagnostics back with byte columns: same code, message and line.
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let text = format!("Dòng mở đầu.\n{WRONG_LINE}");
    client.open(URI, 1, &text)?;
    let mut diag = client.diagnostics(URI, 1)?["diagnostics"][0].clone();
    let line = WRONG_LINE.trim_end();
    let start = line.find("28").ok_or("no 28")?;
    diag["range"] = json!({ "start": { "line": 1, "character": start }, "end": { "line": 1, "character": start + "28 chỉ tiêu".len() } });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diag["range"], "context": { "diagnostics": [diag] } }),
    )?;
    let fix = actions
        .as_array()
        .and_then(|a| a.iter().find(|x| x["title"].as_str().is_some_and(|t| t.contains("25"))))
        .ok_or(format!("{actions}"))?;
    assert_eq!(fix["edit"]["changes"][URI][0]["range"], utf16_range(&text, "28")?, "{fix}");
    Ok(())
}
