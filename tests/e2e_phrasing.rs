//! End to end over stdio for issue 4: quick fixes of the number checks applied through
//! `didChange` make their findings disappear; "ignore this finding here" inserts a suppression
//! comment; `.baocao.toml` is read at startup and reloaded when it changes (a broken one is
//! reported with file and line); phrasebook completion offers document skeletons.

mod common;

use common::{push_capabilities, scratch_dir, LspClient, TestResult};
use serde_json::{json, Value};

fn diagnostics_of(params: &Value, code: &str) -> Vec<Value> {
    params["diagnostics"].as_array().map(|d| d.iter().filter(|x| x["code"] == code).cloned().collect()).unwrap_or_default()
}

/// The code actions offered for one diagnostic.
fn actions_for(client: &mut LspClient, uri: &str, diagnostic: &Value) -> TestResult<Vec<Value>> {
    let params = json!({
        "textDocument": { "uri": uri },
        "range": diagnostic["range"],
        "context": { "diagnostics": [diagnostic] },
    });
    let result = client.request("textDocument/codeAction", params)?;
    Ok(result.as_array().cloned().unwrap_or_default())
}

/// Applies a code action's edits as one `didChange` (last edit first, so positions stay valid).
fn apply(client: &LspClient, uri: &str, version: i64, action: &Value) -> TestResult {
    let mut edits = action["edit"]["changes"][uri].as_array().cloned().ok_or(format!("no edits for {uri}: {action}"))?;
    let key = |e: &Value| (e["range"]["start"]["line"].as_u64().unwrap_or(0), e["range"]["start"]["character"].as_u64().unwrap_or(0));
    edits.sort_by_key(|e| std::cmp::Reverse(key(e)));
    let changes: Vec<Value> = edits.iter().map(|e| json!({ "range": e["range"], "text": e["newText"] })).collect();
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }))
}

#[test]
fn preferred_quick_fixes_of_the_number_checks_make_their_findings_disappear() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let cases = [
        ("total-mismatch", "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.\n"),
        ("count-mismatch", "Chi bộ thống nhất 4 nội dung gồm: kiện toàn chi ủy; phân công đảng viên; sinh hoạt chuyên đề.\n"),
        ("ratio-mismatch", "Toàn huyện có 320 đảng viên mới, trong đó 150 đảng viên nữ (chiếm 52,3%).\n"),
        (
            "table-total-mismatch",
            "| STT | Đơn vị | Số hồ sơ |\n|---|---|---|\n| 1 | Phòng Tư pháp | 310 |\n| 2 | Phòng Kinh tế | 150 |\n| | **Tổng cộng** | **470** |\n",
        ),
    ];
    for (n, (code, text)) in cases.iter().enumerate() {
        let uri = format!("file:///tmp/e2e-phrasing-fix-{n}.md");
        client.open(&uri, 1, text)?;
        let before = client.diagnostics(&uri, 1)?;
        let found = diagnostics_of(&before, code);
        assert_eq!(found.len(), 1, "{code}: {before}");
        let actions = actions_for(&mut client, &uri, &found[0])?;
        let preferred: Vec<&Value> = actions.iter().filter(|a| a["isPreferred"] == true).collect();
        assert_eq!(preferred.len(), 1, "{code}: one preferred fix: {actions:?}");
        // No snippet syntax reaches a client that cannot expand it.
        assert!(!preferred[0]["edit"].to_string().contains("${"), "{code}: {}", preferred[0]["edit"]);
        apply(&client, &uri, 2, preferred[0])?;
        let after = client.diagnostics(&uri, 2)?;
        assert!(diagnostics_of(&after, code).is_empty(), "{code}: still reported after “{}”: {after}", preferred[0]["title"]);
    }
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn ignore_here_inserts_a_suppression_comment_in_the_documents_line_ending_style() -> TestResult {
    let (mut client, _) = LspClient::start(push_capabilities(), None)?;
    let uri = "file:///tmp/e2e-phrasing-ignore.md";
    let text = "Kết quả:\r\n\r\nTrong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.\r\n";
    client.open(uri, 1, text)?;
    let found = diagnostics_of(&client.diagnostics(uri, 1)?, "total-mismatch");
    assert_eq!(found.len(), 1);
    let actions = actions_for(&mut client, uri, &found[0])?;
    let ignore = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Bỏ qua lỗi này tại đây")))
        .ok_or(format!("no ignore action: {actions:?}"))?;
    let edits = &ignore["edit"]["changes"][uri];
    assert_eq!(edits[0]["newText"], "<!-- baocao-disable-next-line total-mismatch -->\r\n");
    assert_eq!(edits[0]["range"]["start"], json!({ "line": 2, "character": 0 }));
    apply(&client, uri, 2, ignore)?;
    let after = client.diagnostics(uri, 2)?;
    assert_eq!(after["diagnostics"], json!([]), "{after}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

fn start_in(root: &std::path::Path, capabilities: Value) -> TestResult<LspClient> {
    let mut client = LspClient::spawn(&[])?;
    let root_uri = format!("file://{}", root.display());
    client.request(
        "initialize",
        json!({ "processId": null, "rootUri": root_uri, "workspaceFolders": [{ "uri": root_uri, "name": "ws" }], "capabilities": capabilities }),
    )?;
    client.notify("initialized", json!({}))?;
    Ok(client)
}

#[test]
fn the_project_file_is_read_reloaded_and_reported_when_broken() -> TestResult {
    let root = scratch_dir("phrasing-project")?;
    let project = root.join(".baocao.toml");
    std::fs::write(&project, "# Quy ước của đơn vị\n[rules]\ntotal-mismatch = \"off\"\n[style]\ntone-marks = \"new\"\n")?;
    let mut client = start_in(&root, push_capabilities())?;
    let uri = format!("file://{}/bao-cao.md", root.display());
    let text = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt. Tỉnh ủy chỉ đạo.\n";
    client.open(&uri, 1, text)?;
    // The project file turns total-mismatch off and sets the new tone-mark style.
    let first = client.diagnostics(&uri, 1)?;
    let codes: Vec<&str> =
        first["diagnostics"].as_array().map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect()).unwrap_or_default();
    assert_eq!(codes, ["tone-mark-mixed"], "{first}");

    // Edited: the rule comes back as an error, without a restart.
    std::fs::write(&project, "[rules]\ntotal-mismatch = \"error\"\n")?;
    let project_uri = format!("file://{}", project.display());
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": project_uri, "type": 2 }] }))?;
    client.wait_for("total-mismatch as an error after the reload", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|x| x["code"] == "total-mismatch" && x["severity"] == 1))
    })?;

    // Broken: reported with file and line; the defaults are used meanwhile.
    std::fs::write(&project, "[rules]\ntotal-mismatch = \"error\"\n[style\n")?;
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": project_uri, "type": 2 }] }))?;
    let message = client.wait_for("a showMessage about .baocao.toml", |m| {
        m["method"] == "window/showMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains(".baocao.toml:3:"))
    })?;
    assert_eq!(message["params"]["type"], 2, "a warning: {message}");
    client.wait_for("total-mismatch back at its default severity", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|x| x["code"] == "total-mismatch" && x["severity"] == 2))
    })?;
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn completion_offers_report_skeletons_and_status_wording() -> TestResult {
    let mut caps = push_capabilities();
    caps["textDocument"]["completion"] = json!({ "completionItem": { "snippetSupport": true } });
    let (mut client, _) = LspClient::start(caps, None)?;
    let uri = "file:///tmp/e2e-phrasing-skeleton.md";
    client.open(uri, 1, "")?;
    let result =
        client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }))?;
    let items = result["items"].as_array().cloned().unwrap_or_default();
    let report = items
        .iter()
        .find(|i| i["label"].as_str().is_some_and(|l| l.starts_with("Báo cáo (sơ kết, tổng kết)")))
        .ok_or(format!("no report skeleton: {result}"))?;
    assert_eq!(report["insertTextFormat"], 2, "a snippet for a client that takes them: {report}");
    let body = report["textEdit"]["newText"].as_str().unwrap_or("");
    for part in ["ĐẢNG CỘNG SẢN VIỆT NAM", "-BC/TU", "Nơi nhận:", "T/M ${11:BAN THƯỜNG VỤ}"] {
        assert!(body.contains(part), "{part} missing from {body}");
    }
    assert!(items.iter().any(|i| i["label"].as_str().is_some_and(|l| l.contains("Kế hoạch"))), "{result}");

    let uri = "file:///tmp/e2e-phrasing-status.md";
    let text = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu";
    client.open(uri, 1, text)?;
    let position = json!({ "line": 0, "character": text.encode_utf16().count() });
    let result = client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position }))?;
    let labels: Vec<&str> = result["items"].as_array().map(|i| i.iter().filter_map(|x| x["label"].as_str()).collect()).unwrap_or_default();
    assert!(labels.contains(&"đạt và vượt kế hoạch"), "{labels:?}");
    client.request("shutdown", Value::Null)?;
    Ok(())
}

#[test]
fn the_missing_category_fix_is_a_snippet_command_for_clients_that_run_one() -> TestResult {
    // A short breakdown with no remaining part stated elsewhere: the fixes include "add the
    // missing category" as a snippet ("${1:3} chỉ tiêu ${2:chưa đạt}").
    let text = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu đạt theo tiến độ.\n";
    let snippet_actions = |actions: &[Value]| -> Vec<Value> {
        actions.iter().filter(|a| a["command"]["command"] == "baocao.insertSnippet").cloned().collect()
    };

    // Our VS Code extension registers the command and says so in initializationOptions.
    let options = json!({ "baocao": { "locale": "vi" }, "snippetCommand": "baocao.insertSnippet" });
    let (mut client, _) = LspClient::start(push_capabilities(), Some(options))?;
    let uri = "file:///tmp/e2e-phrasing-snippet.md";
    client.open(uri, 1, text)?;
    let published = client.diagnostics(uri, 1)?;
    let found = diagnostics_of(&published, "total-mismatch");
    assert_eq!(found.len(), 1, "{published}");
    let actions = actions_for(&mut client, uri, &found[0])?;
    let commands = snippet_actions(&actions);
    assert_eq!(commands.len(), 1, "one snippet command: {actions:?}");
    let arguments = &commands[0]["command"]["arguments"];
    assert_eq!(arguments[0], uri);
    let snippet = arguments[2].as_str().unwrap_or("");
    assert!(snippet.contains("${1:3}") && snippet.contains("${2:chưa đạt}"), "{snippet}");
    // The snippet goes where the breakdown ends: right after "theo tiến độ".
    let end = text.find('.').unwrap_or(0);
    assert_eq!(arguments[1]["start"]["character"].as_u64(), Some(text[..end].encode_utf16().count() as u64), "{arguments}");
    assert!(commands[0].get("edit").is_none_or(Value::is_null), "a command, not an edit: {}", commands[0]);
    client.request("shutdown", Value::Null)?;

    // Any other client gets the same fix as plain text with the placeholders' defaults.
    let (mut plain, _) = LspClient::start(push_capabilities(), None)?;
    plain.open(uri, 1, text)?;
    let published = plain.diagnostics(uri, 1)?;
    let found = diagnostics_of(&published, "total-mismatch");
    let actions = actions_for(&mut plain, uri, &found[0])?;
    assert!(snippet_actions(&actions).is_empty(), "{actions:?}");
    let edits = actions.iter().map(|a| a["edit"].to_string()).collect::<Vec<_>>().join("\n");
    assert!(edits.contains("3 chỉ tiêu chưa đạt") && !edits.contains("${"), "{edits}");
    plain.request("shutdown", Value::Null)?;
    Ok(())
}
