//! The output side: one writer owns stdout.
//!
//! tower-lsp writes its frames (the answers to the requests it handles, the server's own requests
//! and small notifications) into a pipe, and [`forward`] hands them on whole. The large messages
//! are serialised by the server itself, straight from their typed values into one JSON body, and
//! queued in the [`Outbox`]: the diagnostics (pushed or pulled) and the answers to the queries the
//! protocol edge serves. Through tower-lsp each would first become a `serde_json::Value` tree (the
//! 9,000 diagnostics of a 10 MB document: about 50 MB of maps), then a string, then a copy in its
//! write buffer, which keeps the capacity of the largest message for the rest of the session.
//!
//! [`write`] writes the queued bodies one frame at a time, so the two streams meet only at frame
//! boundaries; the queue is bounded, so a client that stops reading holds back the senders rather
//! than piling up answers.

use crate::convert::{DiagnosticsJson, LineIndex};
use crate::state::Analysed;
use serde::ser::{Serialize, Serializer};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp::jsonrpc::{Error, Id, Response};
use tower_lsp::lsp_types::Url;

/// How many bodies may wait for the writer.
const QUEUE: usize = 16;

/// Where the server queues the bodies of the messages it writes itself.
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Vec<u8>>,
}

impl Outbox {
    /// An outbox and the receiving end [`write`] drains.
    pub fn new() -> (Outbox, mpsc::Receiver<Vec<u8>>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        (Outbox { tx }, rx)
    }

    /// Queues one message body; `false` when the writer is gone (stdout closed).
    pub async fn send(&self, body: Vec<u8>) -> bool {
        self.tx.send(body).await.is_ok()
    }
}

/// The body of the response to `id` with `result`; an internal-error response when `result`
/// cannot be serialised.
pub fn response_body<R: Serialize>(id: &Id, result: &R) -> Vec<u8> {
    response_body_sized(id, result, 128)
}

/// [`response_body`] written into a buffer of `capacity` bytes to start with.
fn response_body_sized<R: Serialize>(id: &Id, result: &R, capacity: usize) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Reply<'a, R> {
        jsonrpc: &'static str,
        result: &'a R,
        id: &'a Id,
    }
    let mut body = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut body, &Reply { jsonrpc: "2.0", result, id }) {
        Ok(()) => body,
        Err(_) => error_body(id.clone(), Error::internal_error()),
    }
}

/// The body of an error response.
pub fn error_body(id: Id, error: Error) -> Vec<u8> {
    serde_json::to_vec(&Response::from_error(id, error)).unwrap_or_default()
}

/// The body of a notification; `None` when `params` cannot be serialised.
pub fn notification_body<P: Serialize>(method: &str, params: &P) -> Option<Vec<u8>> {
    notification_body_sized(method, params, 128)
}

fn notification_body_sized<P: Serialize>(method: &str, params: &P, capacity: usize) -> Option<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Note<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, &Note { jsonrpc: "2.0", method, params }).ok().map(|()| body)
}

/// The LSP diagnostics of an analysis as a JSON array, each converted as it is written (no list
/// of diagnostics is built first).
pub struct DiagnosticsOf<'a> {
    pub analysed: Option<&'a Analysed>,
    pub uri: &'a Url,
}

impl Serialize for DiagnosticsOf<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(analysed) = self.analysed else { return serializer.collect_seq(std::iter::empty::<()>()) };
        let index = LineIndex::with(&analysed.text, &analysed.lines);
        DiagnosticsJson { findings: &analysed.findings, index: &index, uri: self.uri }.serialize(serializer)
    }
}

/// About the size of the JSON of an analysis's diagnostics (a diagnostic takes 300–900 bytes),
/// so that a large one is written into one buffer rather than copied as it doubles.
fn estimate(analysed: Option<&Analysed>) -> usize {
    256 + analysed.map_or(0, |a| a.findings.len().saturating_mul(512))
}

/// `textDocument/publishDiagnostics` for `analysed`, as tower-lsp's `PublishDiagnosticsParams`
/// would serialise.
pub fn publish_body(uri: &Url, analysed: &Arc<Analysed>) -> Option<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Publish<'a> {
        uri: &'a Url,
        diagnostics: DiagnosticsOf<'a>,
        version: i32,
    }
    let params = Publish { uri, diagnostics: DiagnosticsOf { analysed: Some(analysed), uri }, version: analysed.version };
    notification_body_sized("textDocument/publishDiagnostics", &params, estimate(Some(analysed)))
}

/// The answer to `textDocument/diagnostic`: a full report, as lsp-types'
/// `DocumentDiagnosticReportResult` would serialise (`resultId`: the version it describes).
pub fn pull_body(id: &Id, uri: &Url, analysed: Option<&Analysed>, result_id: Option<String>) -> Vec<u8> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Report<'a> {
        kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        result_id: Option<String>,
        items: DiagnosticsOf<'a>,
    }
    response_body_sized(id, &Report { kind: "full", result_id, items: DiagnosticsOf { analysed, uri } }, estimate(analysed))
}

/// Reads tower-lsp's frames from `from_tower` and queues their bodies in `outbox`, until the
/// pipe closes.
pub async fn forward<R: AsyncRead + Unpin>(from_tower: R, outbox: Outbox) {
    let mut input = tokio::io::BufReader::with_capacity(64 * 1024, from_tower);
    let mut line = Vec::new();
    let mut length = None;
    loop {
        match crate::framing::read_line(&mut input, &mut line).await {
            Ok(true) => {}
            Ok(false) | Err(_) => return,
        }
        if !line.is_empty() {
            if let crate::framing::Header::Length(n) = crate::framing::header(&line) {
                length = Some(n);
            }
            continue;
        }
        let Some(n) = length.take() else { continue };
        let mut body = vec![0u8; n];
        if input.read_exact(&mut body).await.is_err() || !outbox.send(body).await {
            return;
        }
    }
}

/// Writes every queued body to `out` as one frame, until every sender is gone or `out` fails.
pub async fn write<W: AsyncWrite + Unpin>(mut queue: mpsc::Receiver<Vec<u8>>, mut out: W) {
    while let Some(body) = queue.recv().await {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let written = async {
            out.write_all(header.as_bytes()).await?;
            out.write_all(&body).await?;
            out.flush().await
        };
        if written.await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_from_tower_and_from_the_server_come_out_whole_and_in_queue_order() {
        let (outbox, queue) = Outbox::new();
        let tower = crate::framing::frame(br#"{"jsonrpc":"2.0","id":1,"result":null}"#);
        let mut two = tower.clone();
        two.extend_from_slice(&crate::framing::frame(br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{}}"#));
        forward(&two[..], outbox.clone()).await;
        assert!(outbox.send(error_body(Id::Number(7), Error::method_not_found())).await);
        drop(outbox);
        let mut out = Vec::new();
        write(queue, &mut out).await;
        let text = String::from_utf8_lossy(&out).to_string();
        let frames: Vec<&str> = text.split("Content-Length: ").filter(|f| !f.is_empty()).collect();
        assert_eq!(frames.len(), 3, "{text}");
        assert!(frames[0].ends_with(r#"{"jsonrpc":"2.0","id":1,"result":null}"#), "{text}");
        assert!(frames[1].contains("window/logMessage"), "{text}");
        assert!(frames[2].contains("-32601") && frames[2].contains(r#""id":7"#), "{text}");
        for f in frames {
            let (length, body) = f.split_once("\r\n\r\n").unwrap_or_default();
            assert_eq!(length.parse::<usize>().ok(), Some(body.len()), "{f}");
        }
    }
}
