//! Helpers shared by the end-to-end tests: a small LSP client over the real binary's stdio,
//! scratch folders, and position arithmetic done independently of the server's own code.
//!
//! Every wait is bounded, so a hung server fails a test instead of hanging the suite.

// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Generous: a debug build on a busy 2-core machine can be slow; only a hang should hit this.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_baocao-ls"))
}

/// A fresh, empty folder for one test under cargo's per-target scratch directory.
pub fn scratch_dir(name: &str) -> TestResult<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("baocao-{name}-{}-{n}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The (line, character) of byte `offset` in `text`, characters counted by `units` per char.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specifies.
pub fn position_with(text: &str, offset: usize, units: impl Fn(char) -> usize) -> (u32, u32) {
    let mut line = 0u32;
    let mut character = 0usize;
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                character = 0;
            }
            c => character += units(c),
        }
    }
    (line, character as u32)
}

/// LSP position of byte `offset` in UTF-16 code units.
pub fn utf16_position(text: &str, offset: usize) -> Value {
    let (line, character) = position_with(text, offset, char::len_utf16);
    json!({ "line": line, "character": character })
}

/// LSP position of byte `offset` with characters counted in UTF-8 bytes.
pub fn utf8_position(text: &str, offset: usize) -> Value {
    let (line, character) = position_with(text, offset, char::len_utf8);
    json!({ "line": line, "character": character })
}

/// The byte range of the first occurrence of `needle`, or an error naming it.
pub fn find(text: &str, needle: &str) -> TestResult<(usize, usize)> {
    let start = text.find(needle).ok_or_else(|| format!("{needle:?} not in the test text"))?;
    Ok((start, start + needle.len()))
}

pub fn utf16_range(text: &str, needle: &str) -> TestResult<Value> {
    let (start, end) = find(text, needle)?;
    Ok(json!({ "start": utf16_position(text, start), "end": utf16_position(text, end) }))
}

/// A language server child process driven over stdio.
pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: VecDeque<Value>,
    /// Every message received so far, for assertions on the whole conversation.
    pub seen: Vec<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
}

/// A reply value meaning "do not answer this server request at all" (a client that never answers).
pub const NO_REPLY: &str = "<no reply>";

fn write_raw(stdin: &Mutex<Option<ChildStdin>>, bytes: &[u8]) -> TestResult {
    let mut guard = stdin.lock().map_err(|_| "stdin lock poisoned")?;
    let pipe = guard.as_mut().ok_or("stdin already closed")?;
    pipe.write_all(bytes)?;
    pipe.flush()?;
    Ok(())
}

/// `body` framed with a `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn write_message(stdin: &Mutex<Option<ChildStdin>>, message: &Value) -> TestResult {
    let body = serde_json::to_string(message)?;
    let mut guard = stdin.lock().map_err(|_| "stdin lock poisoned")?;
    let pipe = guard.as_mut().ok_or("stdin already closed")?;
    write!(pipe, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    pipe.flush()?;
    Ok(())
}

/// Reads one framed message; `Ok(None)` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> TestResult<Option<Value>> {
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse()?);
            }
        }
    }
    let length = length.ok_or("message without Content-Length")?;
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    Ok(Some(serde_json::from_slice(&body)?))
}

impl LspClient {
    /// Starts the server (`args`, e.g. `["--stdio"]`) without initializing it.
    pub fn spawn(args: &[&str]) -> TestResult<LspClient> {
        LspClient::spawn_with_replies(args, Vec::new())
    }

    /// Like [`LspClient::spawn`]; server requests whose method is listed get that result
    /// (e.g. `workspace/configuration`), all others an empty success.
    pub fn spawn_with_replies(args: &[&str], replies: Vec<(&'static str, Value)>) -> TestResult<LspClient> {
        let mut child = Command::new(binary()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr_pipe = child.stderr.take().ok_or("no stderr")?;
        let stdin = Arc::new(Mutex::new(Some(child.stdin.take().ok_or("no stdin")?)));
        let (tx, incoming) = channel();
        let reply_pipe = stdin.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = read_message(&mut reader) {
                // Requests from the server (workspace/diagnostic/refresh, …) get an empty success
                // reply, as an editor would; the server may be awaiting it.
                if let (Some(method), Some(id)) = (message.get("method"), message.get("id")) {
                    let result = replies.iter().find(|(m, _)| method == m).map_or(Value::Null, |(_, r)| r.clone());
                    if result == NO_REPLY {
                        if tx.send(message).is_err() {
                            break;
                        }
                        continue;
                    }
                    let _ = write_message(&reply_pipe, &json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                }
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr_pipe);
            let mut line = String::new();
            while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&line);
                }
                line.clear();
            }
        });
        Ok(LspClient { child, stdin, incoming, backlog: VecDeque::new(), seen: Vec::new(), next_id: 1, stderr })
    }

    /// Starts the server and completes `initialize` / `initialized`. Returns the initialize result.
    pub fn start(capabilities: Value, initialization_options: Option<Value>) -> TestResult<(LspClient, Value)> {
        LspClient::start_with_replies(capabilities, initialization_options, Vec::new())
    }

    /// [`LspClient::start`] answering the listed server requests with the given results.
    pub fn start_with_replies(
        capabilities: Value,
        initialization_options: Option<Value>,
        replies: Vec<(&'static str, Value)>,
    ) -> TestResult<(LspClient, Value)> {
        let mut client = LspClient::spawn_with_replies(&[], replies)?;
        let mut params = json!({ "processId": null, "rootUri": null, "capabilities": capabilities });
        if let Some(options) = initialization_options {
            params["initializationOptions"] = options;
        }
        let result = client.request("initialize", params)?;
        client.notify("initialized", json!({}))?;
        Ok((client, result))
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn send(&self, message: &Value) -> TestResult {
        write_message(&self.stdin, message)
    }

    /// Writes raw bytes to the server's stdin (malformed frames, several frames in one write).
    pub fn send_raw(&self, bytes: &[u8]) -> TestResult {
        write_raw(&self.stdin, bytes)
    }

    /// The id the next [`LspClient::request`] would use, taken for a request sent by hand.
    pub fn take_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// `Value::Null` params are left out: `shutdown` and `exit` take none, and tower-lsp 0.20
    /// rejects an explicit `"params": null` for them.
    pub fn notify(&self, method: &str, params: Value) -> TestResult {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message)
    }

    /// Sends a request and returns its whole response (with `result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> TestResult<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message)?;
        self.wait_for(&format!("the response to {method}"), |m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Sends a request and returns its `result`; an error response is a test failure.
    pub fn request(&mut self, method: &str, params: Value) -> TestResult<Value> {
        let response = self.request_raw(method, params)?;
        if let Some(error) = response.get("error") {
            return Err(format!("{method} failed: {error}").into());
        }
        Ok(response.get("result").cloned().unwrap_or(Value::Null))
    }

    /// Closes stdin (end of input).
    pub fn close_stdin(&self) -> TestResult {
        let mut guard = self.stdin.lock().map_err(|_| "stdin lock poisoned")?;
        drop(guard.take());
        Ok(())
    }

    /// The next message matching `pred` (earlier non-matching ones stay queued), within [`TIMEOUT`].
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> TestResult<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).ok_or_else(|| "backlog index vanished".into());
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.seen.push(message.clone());
                    if pred(&message) {
                        return Ok(message);
                    }
                    self.backlog.push_back(message);
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("timed out waiting for {what}; stderr: {}", self.stderr()).into());
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("server closed its output while waiting for {what}; stderr: {}", self.stderr()).into());
                }
            }
        }
    }

    /// Reads everything that arrives during `window`, keeping it in `seen` and the backlog.
    pub fn drain_for(&mut self, window: Duration) {
        let deadline = Instant::now() + window;
        while let Ok(message) = self.incoming.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            self.seen.push(message.clone());
            self.backlog.push_back(message);
        }
    }

    /// The `publishDiagnostics` params for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> TestResult<Value> {
        let message = self.wait_for(&format!("diagnostics for {uri} version {version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && m["params"]["version"] == version
        })?;
        Ok(message["params"].clone())
    }

    pub fn open(&self, uri: &str, version: i64, text: &str) -> TestResult {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        )
    }

    /// One incremental change replacing `range` with `text`.
    pub fn change(&self, uri: &str, version: i64, range: Value, text: &str) -> TestResult {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": range, "text": text }] }),
        )
    }

    /// Waits until the process ends, within [`TIMEOUT`].
    pub fn wait_exit(&mut self) -> TestResult<ExitStatus> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                return Err("the server did not exit".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client capabilities of an editor that takes pushed diagnostics (no `textDocument.diagnostic`).
pub fn push_capabilities() -> Value {
    json!({ "textDocument": { "publishDiagnostics": { "relatedInformation": true, "versionSupport": true } } })
}

/// Runs the binary with `args` to completion; returns (exit code, stdout, stderr).
pub fn run_cli(args: &[&std::ffi::OsStr]) -> TestResult<(i32, String, String)> {
    let output = Command::new(binary()).args(args).stdin(Stdio::null()).output()?;
    let code = output.status.code().ok_or("killed by a signal")?;
    Ok((code, String::from_utf8(output.stdout)?, String::from_utf8(output.stderr)?))
}
