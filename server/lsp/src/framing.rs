//! The framing pump in front of tower-lsp.
//!
//! tower-lsp 0.20 reads stdin through tokio-util's `FramedRead`, which stops at the first frame
//! it cannot decode: one malformed message from a client (truncated JSON, invalid UTF-8, an
//! escaped lone surrogate as `JSON.stringify` writes it, a lowercase header) ended the server.
//! So the server reads the frames itself and hands tower-lsp only frames it can decode:
//!
//! - headers are read case-insensitively, headers other than `Content-Length` are ignored, and
//!   a line that is not a header (garbage before a frame) is skipped;
//! - a body that is not UTF-8 is read with U+FFFD for the broken bytes, and `\uD800`-style
//!   escapes of lone surrogates become `\uFFFD`; a repaired message is processed as such and
//!   logged;
//! - a body that still is not JSON is answered with a JSON-RPC `ParseError` (id `null`), and
//!   JSON that is not a JSON-RPC message (wrong `jsonrpc`, an `id` that is neither a number nor a
//!   string, a batch array, …) with `InvalidRequest` (with the message's id when it has a usable
//!   one, else `null`); tower-lsp never sees either;
//! - a frame whose `Content-Length` is missing or unreadable loses the frame boundary: the
//!   server answers `ParseError`, then skips bytes up to the next `Content-Length` header and
//!   carries on. Nothing the client sends ends the server except the end of input.
//!
//! The JSON-RPC protocol itself (dispatch, responses, cancellation) stays tower-lsp's: the pump
//! only validates with tower-lsp's own message types and forwards the frame through a pipe. The
//! pump's answers travel the same way, as messages for the protocol edge ([`PROTOCOL_ERROR`]
//! requests carrying the error to answer with, and [`PROTOCOL_LOG`] notifications).
//!
//! Text-sync notifications (`didOpen`, `didChange`, `didClose`) are decoded here, straight into
//! their typed parameters, and parked ([`Parked`]); tower-lsp gets a small [`TEXT_SYNC`] stand-in
//! in their place, which the protocol edge exchanges for the parked parameters when it reaches
//! them, so they still apply in message order. A 10 MB `didOpen` is thus held once (as its
//! text), not as a frame in tower-lsp's read buffer, a JSON value and a copy of it.

use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp::jsonrpc::{Error, Id, Request, Response};
use tower_lsp::lsp_types::{DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams};

/// A request from the pump to the protocol edge: "answer this id with this error"
/// (`params`: `{"code", "message"}`); see `server::ProtocolEdge`.
pub const PROTOCOL_ERROR: &str = "baocao/protocolError";
/// A notification from the pump to the protocol edge: "log this warning" (`params`: `{"message"}`).
pub const PROTOCOL_LOG: &str = "baocao/protocolLog";

/// A notification from the pump to the protocol edge: "apply the parked text-sync notification
/// with this number" (`params`: `{"seq"}`); see [`Parked`].
pub const TEXT_SYNC: &str = "baocao/textSync";

/// A text-sync notification decoded by the pump.
#[derive(Debug)]
pub enum TextSync {
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
    Close(DidCloseTextDocumentParams),
}

impl TextSync {
    /// The notification as tower-lsp would have read it (for a stand-in that reaches the edge
    /// before the server serves, which hands it to tower-lsp as it came).
    pub fn into_request(self) -> Request {
        let (method, params) = match self {
            TextSync::Open(p) => ("textDocument/didOpen", serde_json::to_value(p)),
            TextSync::Change(p) => ("textDocument/didChange", serde_json::to_value(p)),
            TextSync::Close(p) => ("textDocument/didClose", serde_json::to_value(p)),
        };
        Request::build(method).params(params.unwrap_or(Value::Null)).finish()
    }
}

/// Text-sync notifications decoded by the pump, waiting for their stand-in to reach the edge.
#[derive(Default)]
pub struct Parked {
    next: std::sync::atomic::AtomicU64,
    waiting: std::sync::Mutex<std::collections::HashMap<u64, TextSync>>,
}

impl Parked {
    /// Parks `sync`; returns the number its stand-in carries.
    fn park(&self, sync: TextSync) -> u64 {
        let seq = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(seq, sync);
        }
        seq
    }

    /// The notification parked under the number in a stand-in's `params`.
    pub fn take(&self, params: Option<&Value>) -> Option<TextSync> {
        let seq = params?.get("seq")?.as_u64()?;
        self.waiting.lock().ok()?.remove(&seq)
    }
}

/// The head of a message: enough to tell a text-sync notification (values skipped unread).
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    jsonrpc: Option<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    id: Option<serde::de::IgnoredAny>,
}

/// A notification with typed parameters.
#[derive(Deserialize)]
struct Typed<P> {
    params: P,
}

/// `body` as a text-sync notification, decoded into its parameters; `None` for any other
/// message, and for one whose parameters do not decode (tower-lsp and the edge then handle it
/// as before, logging the problem).
pub fn text_sync(body: &[u8]) -> Option<TextSync> {
    let head = serde_json::from_slice::<Head>(body).ok()?;
    if head.jsonrpc.as_deref() != Some("2.0") || head.id.is_some() {
        return None;
    }
    fn typed<P: serde::de::DeserializeOwned>(body: &[u8]) -> Option<P> {
        serde_json::from_slice::<Typed<P>>(body).ok().map(|t| t.params)
    }
    match head.method.as_deref()? {
        "textDocument/didOpen" => typed(body).map(TextSync::Open),
        "textDocument/didChange" => typed(body).map(TextSync::Change),
        "textDocument/didClose" => typed(body).map(TextSync::Close),
        _ => None,
    }
}

/// The stand-in for a parked notification, framed.
fn stand_in_frame(seq: u64) -> Option<Vec<u8>> {
    let note = Request::build(TEXT_SYNC).params(serde_json::json!({ "seq": seq })).finish();
    serde_json::to_vec(&note).ok().map(|b| frame(&b))
}

/// A header line longer than this is garbage: only its tail is kept (where a header glued to
/// the end of a broken body would be).
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Bodies larger than this are read and dropped (answered with an error) rather than held.
pub const MAX_BODY: usize = 512 * 1024 * 1024;

/// What the pump does with one body.
#[derive(Debug, PartialEq)]
pub enum Decoded<'a> {
    /// A message tower-lsp can decode; `repaired` names what had to be fixed, if anything.
    Forward { body: Cow<'a, [u8]>, repaired: Option<&'static str> },
    /// Not a message: answer this (a JSON-RPC error response) instead.
    Reply(Response),
}

/// The message shapes tower-lsp accepts (its own `Message`, which is not public).
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    // Only decoded to check the shape; tower-lsp decodes the forwarded bytes again.
    #[allow(dead_code)]
    Response(Response),
    #[allow(dead_code)]
    Request(Request),
}

/// Which top-level keys a message has (values skipped without allocating: a 10 MB `didOpen` is
/// not copied to be checked).
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    method: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    result: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    error: Option<serde::de::IgnoredAny>,
}

/// Whether tower-lsp will decode `body`: requests and notifications are checked as its
/// `Request` directly, anything else through its untagged `Message` (which buffers the whole
/// message, fine for responses and garbage).
fn accepted(body: &[u8]) -> Result<(), serde_json::Error> {
    match serde_json::from_slice::<Probe>(body)? {
        Probe { method: Some(_), result: None, error: None } => serde_json::from_slice::<Request>(body).map(drop),
        _ => serde_json::from_slice::<Incoming>(body).map(drop),
    }
}

/// Checks one frame's body and repairs it when it can.
pub fn decode(body: &[u8]) -> Decoded<'_> {
    match accepted(body) {
        Ok(_) => return Decoded::Forward { body: Cow::Borrowed(body), repaired: None },
        Err(e) if e.is_data() => return Decoded::Reply(invalid_request(body)),
        Err(_) => {}
    }
    // Repairs: invalid UTF-8 → U+FFFD, then escaped lone surrogates → \uFFFD.
    let (text, mut repaired) = match String::from_utf8_lossy(body) {
        Cow::Borrowed(t) => (Cow::Borrowed(t), None),
        Cow::Owned(t) => (Cow::Owned(t), Some("invalid UTF-8")),
    };
    if let Some(fixed) = repair_lone_surrogates(&text) {
        repaired = Some(if repaired.is_some() { "invalid UTF-8 and lone surrogates" } else { "escaped lone surrogates" });
        return finish(fixed.into_bytes(), repaired);
    }
    match text {
        Cow::Owned(t) => finish(t.into_bytes(), repaired),
        Cow::Borrowed(_) => Decoded::Reply(Response::from_error(Id::Null, Error::parse_error())),
    }
}

fn finish(body: Vec<u8>, repaired: Option<&'static str>) -> Decoded<'static> {
    match accepted(&body) {
        Ok(_) => Decoded::Forward { body: Cow::Owned(body), repaired },
        Err(e) if e.is_data() => Decoded::Reply(invalid_request(&body)),
        Err(_) => Decoded::Reply(Response::from_error(Id::Null, Error::parse_error())),
    }
}

/// `InvalidRequest` for JSON that is not a JSON-RPC message, with its id when the id is usable.
fn invalid_request(body: &[u8]) -> Response {
    let id = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .and_then(|id| match id {
            Value::String(s) => Some(Id::String(s)),
            Value::Number(n) => n.as_i64().map(Id::Number),
            _ => None,
        })
        .unwrap_or(Id::Null);
    Response::from_error(id, Error::invalid_request())
}

/// `text` with every `\uXXXX` escape of a surrogate that is not part of a pair replaced by
/// `\uFFFD`, or `None` when there is none. Escapes only occur inside JSON strings, and `\\` is
/// skipped as a unit, so `"\\ud800"` (a backslash and the letters) is left alone.
pub fn repair_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let hex_at = |i: usize| -> Option<u16> {
        let digits = text.get(i..i + 4)?;
        if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            u16::from_str_radix(digits, 16).ok()
        } else {
            None
        }
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(unit) = hex_at(i + 2) else {
            i += 2;
            continue;
        };
        let is_high = (0xD800..0xDC00).contains(&unit);
        let is_low = (0xDC00..0xE000).contains(&unit);
        if is_high && bytes.get(i + 6) == Some(&b'\\') && bytes.get(i + 7) == Some(&b'u') {
            if let Some(next) = hex_at(i + 8) {
                if (0xDC00..0xE000).contains(&next) {
                    i += 12;
                    continue;
                }
            }
        }
        if is_high || is_low {
            let buffer = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buffer.push_str(&text[copied..i]);
            buffer.push_str("\\uFFFD");
            copied = i + 6;
        }
        i += 6;
    }
    out.map(|mut buffer| {
        buffer.push_str(&text[copied..]);
        buffer
    })
}

/// One frame as tower-lsp reads it.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The message asking the edge to answer with `response`'s error, framed.
fn error_frame(response: &Response) -> Option<Vec<u8>> {
    let error = response.error()?;
    let request = Request::build(PROTOCOL_ERROR)
        .id(response.id().clone())
        .params(serde_json::json!({ "code": error.code.code(), "message": error.message }))
        .finish();
    serde_json::to_vec(&request).ok().map(|b| frame(&b))
}

/// The message asking the edge to log `message` as a warning, framed.
fn log_frame(message: String) -> Option<Vec<u8>> {
    let note = Request::build(PROTOCOL_LOG).params(serde_json::json!({ "message": message })).finish();
    serde_json::to_vec(&note).ok().map(|b| frame(&b))
}

/// Reads one line (up to `\n`, which is dropped with a `\r` before it); `false` at the end of
/// input. Overlong lines keep only their tail.
pub(crate) async fn read_line<R: AsyncBufRead + Unpin>(input: &mut R, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(any);
        }
        any = true;
        let (chunk, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (&buffer[..i], Some(i + 1)),
            None => (buffer, None),
        };
        line.extend_from_slice(chunk);
        if line.len() > MAX_HEADER_LINE {
            let cut = line.len() - 256;
            line.drain(..cut);
        }
        let used = done.unwrap_or(buffer.len());
        input.consume(used);
        if done.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(true);
        }
    }
}

/// What a header line says about the frame's length.
#[derive(Debug, PartialEq, Eq)]
pub enum Header {
    Length(usize),
    /// A `Content-Length` header whose value is not a length.
    BadLength,
    /// Another header, or not a header.
    Other,
}

/// Reads a header line; the last `content-length:` on the line counts (a header glued to the
/// end of the remains of a broken frame is still found).
pub fn header(line: &[u8]) -> Header {
    let lower = line.to_ascii_lowercase();
    let Some(at) = lower.windows(14).rposition(|w| w == b"content-length") else { return Header::Other };
    let rest = String::from_utf8_lossy(&line[at + 14..]).to_string();
    let rest = rest.trim_start();
    let Some(value) = rest.strip_prefix(':') else { return Header::Other };
    match value.trim().parse::<usize>() {
        Ok(n) => Header::Length(n),
        Err(_) => Header::BadLength,
    }
}

/// Pumps frames from `input` to `server` (the pipe tower-lsp reads) until the end of input; what
/// cannot be forwarded is replaced by a [`PROTOCOL_ERROR`] request (and a [`PROTOCOL_LOG`]), and
/// text-sync notifications are parked in `parked` behind a [`TEXT_SYNC`] stand-in.
pub async fn pump_input<R, W>(input: R, mut server: W, parked: &Parked)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = tokio::io::BufReader::with_capacity(64 * 1024, input);
    let mut line = Vec::new();
    let mut length: Option<usize> = None;
    let mut lost = false;
    loop {
        match read_line(&mut input, &mut line).await {
            Ok(true) => {}
            Ok(false) | Err(_) => return,
        }
        if !line.is_empty() {
            match header(&line) {
                Header::Length(n) => {
                    length = Some(n);
                    lost = false;
                }
                Header::BadLength => {
                    length = None;
                    lost = true;
                }
                Header::Other => {}
            }
            continue;
        }
        let Some(n) = length.take() else {
            if lost {
                lost = false;
                send(&mut server, error_frame(&Response::from_error(Id::Null, Error::parse_error()))).await;
                send(
                    &mut server,
                    log_frame(
                        "baocao: a message had no readable Content-Length; skipped to the next header / bỏ qua một thông điệp không đọc được độ dài"
                            .to_string(),
                    ),
                )
                .await;
            }
            // A blank line outside a header block: nothing to do.
            continue;
        };
        if n > MAX_BODY {
            let skipped = tokio::io::copy(&mut (&mut input).take(n as u64), &mut tokio::io::sink()).await.unwrap_or(0);
            send(&mut server, error_frame(&Response::from_error(Id::Null, Error::invalid_request()))).await;
            send(&mut server, log_frame(format!("baocao: dropped a message of {n} bytes (limit {MAX_BODY}) / thông điệp quá lớn"))).await;
            if (skipped as usize) < n {
                return;
            }
            continue;
        }
        let mut body = vec![0u8; n];
        if input.read_exact(&mut body).await.is_err() {
            return;
        }
        if let Some(sync) = text_sync(&body) {
            drop(body);
            if !send(&mut server, stand_in_frame(parked.park(sync))).await {
                return;
            }
            continue;
        }
        match decode(&body) {
            Decoded::Forward { body, repaired } => {
                if let Some(what) = repaired {
                    send(&mut server, log_frame(format!("baocao: repaired a message from the client ({what}: replaced by U+FFFD)"))).await;
                    if let Some(sync) = text_sync(&body) {
                        if !send(&mut server, stand_in_frame(parked.park(sync))).await {
                            return;
                        }
                        continue;
                    }
                }
                let header = format!("Content-Length: {}\r\n\r\n", body.len());
                let written = async {
                    server.write_all(header.as_bytes()).await?;
                    server.write_all(&body).await?;
                    server.flush().await
                };
                if written.await.is_err() {
                    return;
                }
            }
            Decoded::Reply(response) => {
                send(&mut server, error_frame(&response)).await;
            }
        }
    }
}

/// Writes one of the pump's own messages to tower-lsp's input; `false` when tower-lsp is gone.
async fn send<W: AsyncWrite + Unpin>(server: &mut W, frame: Option<Vec<u8>>) -> bool {
    let Some(frame) = frame else { return true };
    server.write_all(&frame).await.is_ok() && server.flush().await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_code(decoded: &Decoded<'_>) -> Option<i64> {
        match decoded {
            Decoded::Reply(r) => serde_json::to_value(r).ok().and_then(|v| v["error"]["code"].as_i64()),
            Decoded::Forward { .. } => None,
        }
    }

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters_and_pairs_stay() {
        assert_eq!(repair_lone_surrogates(r#"{"t":"abc \udc80 def"}"#).as_deref(), Some(r#"{"t":"abc \uFFFD def"}"#));
        assert_eq!(repair_lone_surrogates(r#""\ud800x""#).as_deref(), Some(r#""\uFFFDx""#));
        assert_eq!(repair_lone_surrogates(r#""\ud83c\udf89""#), None);
        assert_eq!(repair_lone_surrogates(r#""\\ud800""#), None);
        assert_eq!(repair_lone_surrogates(r#""\ud800\ud800\udc00""#).as_deref(), Some(r#""\uFFFD\ud800\udc00""#));
    }

    #[test]
    fn bodies_are_forwarded_repaired_or_answered() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#;
        assert_eq!(decode(ok), Decoded::Forward { body: Cow::Borrowed(&ok[..]), repaired: None });
        let bad_utf8 = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xff\"}}";
        assert!(matches!(decode(bad_utf8), Decoded::Forward { repaired: Some("invalid UTF-8"), .. }));
        assert!(matches!(decode(br#"{"jsonrpc":"2.0","method":"x","params":"\udc80"}"#), Decoded::Forward { repaired: Some(_), .. }));
        assert_eq!(error_code(&decode(br#"{"jsonrpc":"2.0","id":5,"#)), Some(-32700));
        assert_eq!(error_code(&decode(b"")), Some(-32700));
        for invalid in
            [&br#"{"jsonrpc":"1.0","id":78,"method":"x"}"#[..], br#"{"id":1.5,"method":"x","jsonrpc":"2.0"}"#, b"[]", b"{}", b"null"]
        {
            assert_eq!(error_code(&decode(invalid)), Some(-32600), "{}", String::from_utf8_lossy(invalid));
        }
        let Decoded::Reply(r) = decode(br#"{"jsonrpc":"1.0","id":78,"method":"x"}"#) else { panic!() };
        assert_eq!(r.id(), &Id::Number(78));
        let deep = format!("{{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"params\":{}{}}}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(error_code(&decode(deep.as_bytes())), Some(-32700));
    }

    #[tokio::test]
    async fn text_sync_notifications_are_parked_and_only_a_small_stand_in_is_forwarded() {
        let text = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt.\n".repeat(20_000);
        let open = serde_json::json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
            "uri": "file:///a.md", "languageId": "markdown", "version": 1, "text": text } } });
        let change = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.md","version":2},"contentChanges":[{"text":"x \udc80"}]}}"#;
        // Parameters that do not decode go through as they came (the edge logs them).
        let broken = br#"{"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":5}}"#;
        let mut input = frame(&serde_json::to_vec(&open).unwrap_or_default());
        input.extend(frame(change));
        input.extend(frame(broken));
        let (to_server, mut from_pump) = tokio::io::duplex(1 << 16);
        let parked = Parked::default();
        pump_input(&input[..], to_server, &parked).await;
        let mut forwarded = Vec::new();
        let _ = from_pump.read_to_end(&mut forwarded).await;
        let forwarded = String::from_utf8_lossy(&forwarded).to_string();
        assert!(forwarded.len() < 2_000, "{} bytes forwarded", forwarded.len());
        assert_eq!(forwarded.matches(TEXT_SYNC).count(), 2, "{forwarded}");
        assert!(forwarded.contains(r#""textDocument":5"#), "{forwarded}");
        let Some(TextSync::Open(opened)) = parked.take(Some(&serde_json::json!({ "seq": 0 }))) else { panic!("didOpen not parked") };
        assert_eq!(opened.text_document.text, text);
        // The repaired change (a lone surrogate) is parked with U+FFFD in its text.
        let Some(TextSync::Change(changed)) = parked.take(Some(&serde_json::json!({ "seq": 1 }))) else { panic!("didChange not parked") };
        assert_eq!(changed.content_changes[0].text, "x \u{fffd}");
        assert!(parked.take(Some(&serde_json::json!({ "seq": 1 }))).is_none(), "taken twice");
    }

    #[test]
    fn headers_are_case_insensitive_and_found_after_garbage() {
        assert_eq!(header(b"content-length: 12"), Header::Length(12));
        assert_eq!(header(b"CONTENT-LENGTH:7"), Header::Length(7));
        assert_eq!(header(b"Content-Type: application/vscode-jsonrpc"), Header::Other);
        assert_eq!(header(b"Content-Length: -5"), Header::BadLength);
        assert_eq!(header(b"\":82,\"method\":\"foo\"}Content-Length: 44"), Header::Length(44));
    }

    #[tokio::test]
    async fn the_pump_forwards_good_frames_and_turns_bad_ones_into_error_requests() {
        let good = br#"{"jsonrpc":"2.0","id":2,"method":"foo/bar"}"#;
        let mut input = Vec::new();
        input.extend_from_slice(b"hello world\r\n");
        input.extend_from_slice(b"content-length: 9\r\nX-Foo: 1\r\n\r\n{\"jsonrpc");
        input.extend_from_slice(b"Content-Length: abc\r\n\r\n{\"id\":3}");
        input.extend_from_slice(&frame(good));
        let (to_server, mut from_pump) = tokio::io::duplex(1 << 16);
        pump_input(&input[..], to_server, &Parked::default()).await;
        let mut forwarded = Vec::new();
        let _ = from_pump.read_to_end(&mut forwarded).await;
        let text = String::from_utf8_lossy(&forwarded).to_string();
        assert!(text.ends_with(&String::from_utf8_lossy(&frame(good)).to_string()), "{text}");
        assert_eq!(text.matches(PROTOCOL_ERROR).count(), 2, "{text}");
        assert_eq!(text.matches("-32700").count(), 2, "{text}");
        assert_eq!(text.matches(PROTOCOL_LOG).count(), 1, "{text}");
    }
}
