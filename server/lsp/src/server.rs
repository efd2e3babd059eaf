//! The LSP server: thin handlers that keep documents in order and delegate to the core.
//!
//! Keystroke to diagnostic: the text-sync notifications are applied at the protocol edge
//! ([`ProtocolEdge`]), synchronously, in the order the client sent them, before any handler
//! runs. Each document has at most one analysis running ([`crate::state::Worker`]): an edit that
//! arrives meanwhile marks the document dirty, and when the running analysis ends the worker
//! analyses the newest version; a result whose version is no longer current is not published.
//! So a burst of edits costs one analysis in flight and one publish per settled version. The
//! analysis runs on a blocking thread, never on the async runtime's threads. No debounce delay.
//!
//! Pull requests (`textDocument/diagnostic`) take the document as it is when the request is
//! read (also at the edge), so the answer describes the text the client had when it asked; its
//! `resultId` is that version.
//!
//! Requests to the client (`workspace/configuration`, refresh, registration, progress) run in
//! background tasks with a timeout: a client that never answers cannot block anything.

use crate::config;
use crate::convert::{diagnostic, Encoding, LineIndex, Lines};
use crate::state::{Analysed, EditProblem, Pinned, Store, View};
use baocao_core::Config;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;
use tower_lsp::jsonrpc::{Error, Id, Response, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

/// How long the server waits for the client to answer one of its requests.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's state, shared by the handlers and the protocol edge.
pub struct Shared {
    client: Client,
    /// Where the large messages go, serialised by the server itself (crate::output).
    outbox: crate::output::Outbox,
    store: Arc<Store>,
    settings: RwLock<Settings>,
    /// Cited documents: workspace catalogues, workspace scan, editor queries.
    citations: Arc<crate::citations::Citations>,
    /// Bumped whenever settings or catalogues change: cached analyses of older generations are
    /// recomputed.
    generation: AtomicU64,
    /// `workspace/configuration`: whether a pull is running, and whether another was asked for.
    config_pull: Mutex<(bool, bool)>,
    /// `initialize` has been answered.
    initialized: AtomicBool,
}

/// The tower-lsp server object; its state is [`Shared`].
pub struct Backend {
    shared: Arc<Shared>,
}

impl std::ops::Deref for Backend {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

#[derive(Default, Clone)]
struct Settings {
    config: Config,
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); then we do not push them.
    client_pulls: bool,
    /// The client answers `workspace/configuration`.
    client_configuration: bool,
    /// Problems found in `initializationOptions`, shown once initialized.
    startup_problems: Vec<String>,
    /// Settings from the project file `.baocao.toml` (JSON, the `baocao` section's shape).
    project: Value,
    /// Settings from the client, normalised to the same shape; they override the project's.
    client: Value,
    /// Bundled plus workspace phrasebook, when the workspace has one.
    phrasebook: Option<Arc<baocao_core::Phrasebook>>,
    /// The client accepts snippets in completion items.
    client_snippets: bool,
    /// The command the client runs to insert a snippet (`initializationOptions.snippetCommand`,
    /// sent by our VS Code extension): LSP 3.17 has no snippet edits in code actions.
    snippet_command: Option<String>,
}

/// The command our VS Code extension registers to insert a snippet at a range.
pub const SNIPPET_COMMAND: &str = "baocao.insertSnippet";

impl Settings {
    /// Project file, then client settings; returns the problems found.
    fn recompute(&mut self) -> Vec<String> {
        let (mut config, problems) = config::parse(&config::merge(&self.project, &self.client));
        config.phrasebook = self.phrasebook.clone();
        self.config = config;
        problems
    }
}

/// Runs `f` on a blocking thread; `None` if it panicked.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

type Job = Box<dyn FnOnce() + Send>;

/// Runs `f` on the analysis thread, one long-lived thread for every analysis and diagnostic
/// conversion; `None` if it panicked. One thread rather than tokio's pool of blocking threads:
/// with glibc, each thread that allocates a 10 MB document's worth gets an arena of its own
/// that is not given back, so a changing set of threads made push mode (many analyses) hold
/// 1.5–2× the memory of pull mode. The documents take turns; the core parallelises one large
/// analysis itself.
async fn on_analysis_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    static QUEUE: OnceLock<Option<Mutex<std::sync::mpsc::Sender<Job>>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new().name("baocao-analysis".to_string()).spawn(move || {
            while let Ok(job) = rx.recv() {
                job();
            }
        });
        spawned.ok().map(|_| Mutex::new(tx))
    });
    let Some(queue) = queue else { return blocking(f).await };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result.ok());
    });
    let sent = queue.lock().map(|q| q.send(job).is_ok()).unwrap_or(false);
    if !sent {
        return None;
    }
    rx.await.ok().flatten()
}

/// Awaits the client's answer to one of our requests for at most [`CLIENT_TIMEOUT`]; a failure
/// or a timeout is logged and gives `None`.
pub(crate) async fn ask<T>(client: &Client, what: &str, request: impl Future<Output = Result<T>>) -> Option<T> {
    match tokio::time::timeout(CLIENT_TIMEOUT, request).await {
        Ok(Ok(value)) => Some(value),
        Ok(Err(e)) => {
            client.log_message(MessageType::WARNING, format!("baocao: {what} failed: {e}")).await;
            None
        }
        Err(_) => {
            client
                .log_message(
                    MessageType::WARNING,
                    format!("baocao: no answer to {what} within {} s; going on without it", CLIENT_TIMEOUT.as_secs()),
                )
                .await;
            None
        }
    }
}

impl Backend {
    pub fn new(client: Client, outbox: crate::output::Outbox) -> Backend {
        Backend {
            shared: Arc::new(Shared {
                client,
                outbox,
                store: Arc::new(Store::default()),
                settings: RwLock::new(Settings::default()),
                citations: Arc::default(),
                generation: AtomicU64::new(0),
                config_pull: Mutex::new((false, false)),
                initialized: AtomicBool::new(false),
            }),
        }
    }
}

impl Shared {
    fn settings(&self) -> Settings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Changes settings; cached analyses become outdated.
    fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        if let Ok(mut s) = self.settings.write() {
            f(&mut s);
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The analysis of `pinned` (its exact version): the cached one when it is of this version
    /// and settings generation, else computed on a blocking thread and cached.
    async fn analysed(self: &Arc<Self>, pinned: Pinned) -> Option<Arc<Analysed>> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(a) = pinned.analysed.as_ref().filter(|a| a.version == pinned.version && a.generation == generation) {
            return Some(a.clone());
        }
        let me = self.clone();
        let result = on_analysis_thread(move || me.analyse_blocking(pinned, generation)).await;
        match result {
            Some((analysed, None)) => Some(analysed),
            Some((analysed, Some(error))) => {
                self.client.log_message(MessageType::ERROR, error).await;
                Some(analysed)
            }
            None => None,
        }
    }

    /// Runs on a blocking thread. A panic in the analysis gives no findings (and an error to
    /// log) rather than stale ones, and a fresh cache.
    fn analyse_blocking(&self, pinned: Pinned, generation: u64) -> (Arc<Analysed>, Option<String>) {
        let settings = self.settings();
        let catalogue = self.citations.catalogue();
        let mut analyzer = pinned.analyzer.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = baocao_core::Analyzer::new();
            guard
        });
        // Another task may have analysed this version while we waited for the lock.
        if let Some(done) = self.store.pin(&pinned.uri).and_then(|p| p.analysed) {
            if done.version == pinned.version && done.generation == generation {
                return (done, None);
            }
        }
        let text = crate::state::text_of(&pinned.rope);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::convert::analyse_document_mapped(&mut analyzer, &text, &settings.config, &catalogue)
        }));
        let (findings, mapping, error) = match run {
            Ok((findings, mapping)) => (findings, mapping, None),
            Err(_) => {
                *analyzer = baocao_core::Analyzer::new();
                (
                    Vec::new(),
                    None,
                    Some(format!(
                        "baocao: internal error while analysing {} (version {}); no diagnostics shown",
                        pinned.uri, pinned.version
                    )),
                )
            }
        };
        // The engine's index is of the text it analysed: carried over to this text's offsets
        // when a BOM or `\r` line breaks were normalised for it, so that the editor queries read
        // it for every document (see crate::citations).
        let citations = if error.is_none() { analyzer.citation_index() } else { None }.map(|index| {
            let index = match &mapping {
                None => index,
                Some(mapping) => {
                    let mut moved = (*index).clone();
                    moved.map_ranges(&|r| mapping.range(r));
                    Arc::new(moved)
                }
            };
            (catalogue.fingerprint(), index)
        });
        drop(analyzer);
        let lines = Lines::new(&text, settings.encoding);
        let analysed = Arc::new(Analysed { version: pinned.version, generation, text: Arc::new(text), lines, findings, citations });
        self.store.keep(&pinned.uri, &pinned.worker, &analysed);
        (analysed, error)
    }

    /// The LSP diagnostics of an analysis.
    fn diagnostics(analysed: &Analysed, uri: &Url) -> Vec<Diagnostic> {
        let index = LineIndex::with(&analysed.text, &analysed.lines);
        analysed.findings.iter().map(|f| diagnostic(f, &index, uri)).collect()
    }

    /// Push mode: makes sure the newest version of `uri` gets analysed and published. At most
    /// one analysis per document runs; a call while it runs only marks the document dirty.
    fn schedule(self: &Arc<Self>, uri: Url) {
        if self.settings().client_pulls {
            return;
        }
        let Some(first) = self.store.pin(&uri) else { return };
        let worker = first.worker.clone();
        {
            let Ok(mut flags) = worker.flags.lock() else { return };
            if flags.running {
                flags.dirty = true;
                return;
            }
            flags.running = true;
            flags.dirty = false;
        }
        let me = self.clone();
        tokio::spawn(async move {
            let mut pinned = Some(first);
            loop {
                if let Some(p) = pinned.take().filter(|p| Arc::ptr_eq(&p.worker, &worker)) {
                    let version = p.version;
                    if let Some(analysed) = me.analysed(p).await {
                        // A refresh that finds the analysis already published sends nothing.
                        let same = |last: &Arc<Analysed>| last.version == analysed.version && last.findings == analysed.findings;
                        if !worker.flags.lock().is_ok_and(|f| f.published.as_ref().is_some_and(same)) {
                            let published = analysed.clone();
                            let task_uri = uri.clone();
                            // Serialised on the analysis thread, straight from the findings.
                            let body = on_analysis_thread(move || crate::output::publish_body(&task_uri, &analysed)).await.flatten();
                            if let Some(body) = body {
                                if me.store.is_current(&uri, &worker, version) && me.outbox.send(body).await {
                                    if let Ok(mut flags) = worker.flags.lock() {
                                        flags.published = Some(published);
                                    }
                                }
                            }
                        }
                    }
                }
                let again = match worker.flags.lock() {
                    Ok(mut flags) if flags.dirty => {
                        flags.dirty = false;
                        true
                    }
                    Ok(mut flags) => {
                        flags.running = false;
                        false
                    }
                    Err(_) => false,
                };
                if !again {
                    break;
                }
                pinned = me.store.pin(&uri);
            }
        });
    }

    /// Pull mode: the diagnostics of `pinned`, the document as it was when the request was read.
    async fn pull(self: &Arc<Self>, uri: Url, pinned: Option<Pinned>) -> DocumentDiagnosticReportResult {
        let (items, result_id) = match pinned {
            None => (Vec::new(), None),
            Some(p) => {
                let version = p.version;
                let items = match self.analysed(p).await {
                    Some(analysed) => on_analysis_thread(move || Shared::diagnostics(&analysed, &uri)).await.unwrap_or_default(),
                    None => Vec::new(),
                };
                (items, Some(version.to_string()))
            }
        };
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        }))
    }

    /// Pull mode at the protocol edge: the answer to request `id`, serialised on the analysis
    /// thread straight from the findings of `pinned` (the document as it was when the request was
    /// read).
    async fn pull_body(self: &Arc<Self>, id: Id, uri: Url, pinned: Option<Pinned>) -> Vec<u8> {
        let Some(p) = pinned else { return crate::output::pull_body(&id, &uri, None, None) };
        let version = p.version;
        let analysed = self.analysed(p).await;
        let (task_id, task_uri) = (id.clone(), uri.clone());
        let body =
            on_analysis_thread(move || crate::output::pull_body(&task_id, &task_uri, analysed.as_deref(), Some(version.to_string()))).await;
        body.unwrap_or_else(|| crate::output::pull_body(&id, &uri, None, Some(version.to_string())))
    }

    /// Applies a text-sync notification decoded by the framing pump.
    fn text_sync(self: &Arc<Self>, sync: crate::framing::TextSync) {
        match sync {
            crate::framing::TextSync::Open(p) => self.did_open(p),
            crate::framing::TextSync::Change(p) => self.did_change(p),
            crate::framing::TextSync::Close(p) => self.did_close(p),
        }
    }

    fn did_open(self: &Arc<Self>, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.store.open(doc.uri.clone(), &doc.text, doc.version);
        self.schedule(doc.uri);
    }

    fn did_change(self: &Arc<Self>, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let encoding = self.settings().encoding;
        let problems = self.store.change(&uri, params.text_document.version, &params.content_changes, encoding);
        self.schedule(uri.clone());
        if problems.is_empty() {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            for problem in problems {
                let text = match problem {
                    EditProblem::UnknownDocument => format!("baocao: didChange for a document that is not open: {uri}"),
                    EditProblem::StaleVersion { have, got } => format!("baocao: ignored change version {got} of {uri}, already at {have}"),
                    EditProblem::Clamped(p) => {
                        format!("baocao: edit position {}:{} is outside {uri}; clamped to the end", p.line, p.character)
                    }
                };
                client.log_message(MessageType::WARNING, text).await;
            }
        });
    }

    fn did_close(self: &Arc<Self>, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.store.close(&uri);
        if !self.settings().client_pulls {
            let client = self.client.clone();
            tokio::spawn(async move { client.publish_diagnostics(uri, Vec::new(), None).await });
        }
    }

    async fn apply_settings(self: &Arc<Self>, value: &Value) {
        let mut problems = Vec::new();
        self.update_settings(|s| {
            s.client = config::normalise(value);
            problems = s.recompute();
        });
        for p in problems {
            self.client.show_message(MessageType::WARNING, format!("baocao: {p}")).await;
        }
        self.refresh_all();
    }

    /// Reads `.baocao.toml` and `.baocao/phrasebook.json` at the first workspace root again and
    /// shows what is wrong with them.
    async fn reload_project(&self) {
        for m in self.load_project() {
            self.client.show_message(MessageType::WARNING, m.clone()).await;
            self.client.log_message(MessageType::WARNING, m).await;
        }
    }

    /// Reads `.baocao.toml` and `.baocao/phrasebook.json` at the first workspace root; a broken
    /// file is left out (the defaults kept) and named in the messages returned (file, line,
    /// column), as is every unknown key.
    fn load_project(&self) -> Vec<String> {
        let root = self.citations.roots().into_iter().next();
        let mut messages = Vec::new();
        let (project, phrasebook) = match &root {
            Some(root) => {
                let path = root.join(crate::project::PROJECT_FILE);
                let project = if path.is_file() {
                    match crate::project::load_checked(&path) {
                        Ok((value, unknown)) => {
                            for e in unknown {
                                messages.push(format!("baocao: {e}"));
                            }
                            value
                        }
                        Err(e) => {
                            messages.push(format!("baocao: tệp cấu hình lỗi, dùng mặc định / broken project file {e}"));
                            Value::Null
                        }
                    }
                } else {
                    Value::Null
                };
                let (phrasebook, problem) = crate::project::phrasebook_at(root);
                if let Some(e) = problem {
                    messages.push(format!("baocao: sổ tay cụm từ lỗi, dùng bản đi kèm / broken phrasebook {e}"));
                }
                (project, phrasebook)
            }
            None => (Value::Null, None),
        };
        let mut problems = Vec::new();
        self.update_settings(|s| {
            s.project = project;
            s.phrasebook = phrasebook;
            problems = s.recompute();
        });
        for p in problems {
            messages.push(format!("baocao: {p}"));
        }
        messages
    }

    /// Re-analyses every open document (push), or asks a pulling client to pull again (in the
    /// background, with a timeout).
    fn refresh_all(self: &Arc<Self>) {
        if self.settings().client_pulls {
            let client = self.client.clone();
            tokio::spawn(async move {
                ask(&client, "workspace/diagnostic/refresh", client.workspace_diagnostic_refresh()).await;
            });
        } else {
            for uri in self.store.uris() {
                self.schedule(uri);
            }
        }
    }

    /// Asks the client for the `baocao` settings, in the background: one request at a time
    /// (asks that come in meanwhile are served by one more request afterwards), each with a
    /// timeout, so an unanswered request blocks nothing.
    fn pull_configuration(self: &Arc<Self>) {
        if !self.settings().client_configuration {
            return;
        }
        {
            let Ok(mut state) = self.config_pull.lock() else { return };
            if state.0 {
                state.1 = true;
                return;
            }
            *state = (true, false);
        }
        let me = self.clone();
        tokio::spawn(async move {
            loop {
                me.pull_configuration_once().await;
                let again = match me.config_pull.lock() {
                    Ok(mut state) if state.1 => {
                        state.1 = false;
                        true
                    }
                    Ok(mut state) => {
                        state.0 = false;
                        false
                    }
                    Err(_) => false,
                };
                if !again {
                    break;
                }
            }
        });
    }

    async fn pull_configuration_once(self: &Arc<Self>) {
        let items = vec![ConfigurationItem { scope_uri: None, section: Some("baocao".to_string()) }];
        let Some(values) = ask(&self.client, "workspace/configuration", self.client.configuration(items)).await else { return };
        if let Some(value) = values.into_iter().next() {
            if !value.is_null() {
                self.apply_settings(&serde_json::json!({ "baocao": value })).await;
            }
        }
    }

    /// What `initialized` does in the background (everything that asks the client something):
    /// settings, file watchers, the workspace scan. The project file and the catalogues were
    /// read in `initialize`, before any document could be opened.
    async fn after_initialized(self: Arc<Self>) {
        self.pull_configuration();
        self.citations.clone().initialized(self.client.clone()).await;
    }

    /// Quick fixes for the client's diagnostics that lie in `range`, from the findings of the
    /// document's version in `view`. A diagnostic that no finding of that version matches (same
    /// code and range, or same code and message on the same line) comes from an older text: it
    /// gets no edit, since its ranges may be wrong.
    async fn code_action(self: Arc<Self>, view: View, params: CodeActionParams) -> Option<CodeActionResponse> {
        let pinned = view.pinned(&params.text_document.uri)?;
        let analysed = self.analysed(pinned).await?;
        let settings = self.settings();
        blocking(move || code_actions(&analysed, &params, &settings)).await.flatten()
    }

    // Cited documents: each query delegates to crate::citations, on a blocking thread (the
    // queries read every open document's text), over the documents as they were when asked.

    async fn hover(self: Arc<Self>, view: View, params: HoverParams) -> Option<Hover> {
        let settings = self.settings();
        blocking(move || self.citations.hover(&view, &params, settings.encoding, settings.config.locale)).await.flatten()
    }

    async fn definition(self: Arc<Self>, view: View, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let encoding = self.settings().encoding;
        blocking(move || self.citations.definition(&view, &params, encoding)).await.flatten()
    }

    async fn references(self: Arc<Self>, view: View, params: ReferenceParams) -> Option<Vec<Location>> {
        let encoding = self.settings().encoding;
        blocking(move || self.citations.references(&view, &params, encoding)).await.flatten()
    }

    async fn document_symbol(self: Arc<Self>, view: View, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let encoding = self.settings().encoding;
        blocking(move || self.citations.document_symbols(&view, &params.text_document.uri, encoding)).await.flatten()
    }

    async fn workspace_symbol(self: Arc<Self>, view: View, params: WorkspaceSymbolParams) -> Option<Vec<SymbolInformation>> {
        let encoding = self.settings().encoding;
        blocking(move || self.citations.workspace_symbols(&view, &params.query, encoding)).await
    }

    async fn completion(self: Arc<Self>, view: View, params: CompletionParams) -> Option<CompletionResponse> {
        let settings = self.settings();
        blocking(move || {
            if let Some(found) = self.citations.completion(&view, &params, settings.encoding, settings.config.locale) {
                return Some(found);
            }
            // Standard phrasing: resolution names, statuses, skeletons, "Nơi nhận" (crate::project).
            crate::project::phrase_completion(&view, &params, &settings.config, settings.encoding, settings.client_snippets)
        })
        .await
        .flatten()
    }

    /// Answers a request about documents at the protocol edge, over the documents as they are
    /// when the request is read (so later edits cannot leak into the answer); `None` when
    /// `method` is not such a request. The future writes the answer itself, serialised straight
    /// from its typed value into the outbox (crate::output), and ends when it is queued.
    fn query(self: &Arc<Self>, method: &str, id: Id, params: Option<&Value>) -> Option<Pin<Box<dyn Future<Output = ()> + Send>>> {
        fn run<P, R, F>(
            outbox: crate::output::Outbox,
            id: Id,
            params: Option<&Value>,
            f: impl FnOnce(P) -> F,
        ) -> Pin<Box<dyn Future<Output = ()> + Send>>
        where
            P: serde::de::DeserializeOwned,
            R: serde::Serialize,
            F: Future<Output = R> + Send + 'static,
        {
            match serde_json::from_value::<P>(params.cloned().unwrap_or(Value::Null)) {
                Err(e) => {
                    let body = crate::output::error_body(id, Error::invalid_params(e.to_string()));
                    Box::pin(async move {
                        outbox.send(body).await;
                    })
                }
                Ok(p) => {
                    let answer = f(p);
                    Box::pin(async move {
                        let body = crate::output::response_body(&id, &answer.await);
                        outbox.send(body).await;
                    })
                }
            }
        }
        const QUERIES: [&str; 8] = [
            "textDocument/diagnostic",
            "textDocument/codeAction",
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/references",
            "textDocument/documentSymbol",
            "textDocument/completion",
            "workspace/symbol",
        ];
        if !QUERIES.contains(&method) {
            return None;
        }
        let view = self.store.view();
        let me = self.clone();
        let outbox = self.outbox.clone();
        Some(match method {
            "textDocument/diagnostic" => match serde_json::from_value::<DocumentDiagnosticParams>(params.cloned().unwrap_or(Value::Null)) {
                Err(e) => {
                    let body = crate::output::error_body(id, Error::invalid_params(e.to_string()));
                    Box::pin(async move {
                        outbox.send(body).await;
                    })
                }
                Ok(p) => {
                    let pinned = view.pinned(&p.text_document.uri);
                    Box::pin(async move {
                        let body = me.pull_body(id, p.text_document.uri, pinned).await;
                        outbox.send(body).await;
                    })
                }
            },
            "textDocument/codeAction" => run(outbox, id, params, move |p| me.code_action(view, p)),
            "textDocument/hover" => run(outbox, id, params, move |p| me.hover(view, p)),
            "textDocument/definition" => run(outbox, id, params, move |p| me.definition(view, p)),
            "textDocument/references" => run(outbox, id, params, move |p| me.references(view, p)),
            "textDocument/documentSymbol" => run(outbox, id, params, move |p| me.document_symbol(view, p)),
            "textDocument/completion" => run(outbox, id, params, move |p| me.completion(view, p)),
            _ => run(outbox, id, params, move |p| me.workspace_symbol(view, p)),
        })
    }
}

/// Whether two ranges overlap or touch (an empty range at a diagnostic's edge counts).
fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

fn code_actions(analysed: &Analysed, params: &CodeActionParams, settings: &Settings) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    let index = LineIndex::with(&analysed.text, &analysed.lines);
    let locale = settings.config.locale;
    let mut actions = Vec::new();
    let mut ignores = Vec::new();
    for diag in &params.context.diagnostics {
        if diag.source.as_deref() != Some("baocao") || !touches(&diag.range, &params.range) {
            continue;
        }
        let Some(NumberOrString::String(code)) = &diag.code else { continue };
        let start = index.offset(diag.range.start);
        let end = index.offset(diag.range.end);
        // The same range; else (clients such as Neovim 0.7 send ranges back in byte columns) the
        // same message on the same line. Either way the edits are the current finding's own.
        let same_range = |f: &&baocao_core::Finding| f.code.as_str() == code && f.range.start == start && f.range.end == end;
        let same_line = |f: &&baocao_core::Finding| {
            f.code.as_str() == code && f.message == diag.message && index.position(f.range.start).line == diag.range.start.line
        };
        let Some(finding) = analysed.findings.iter().find(same_range).or_else(|| analysed.findings.iter().find(same_line)) else {
            continue;
        };
        for fix in &finding.fixes {
            let edits: Vec<TextEdit> =
                fix.edits.iter().map(|e| TextEdit { range: index.range(e.range), new_text: e.new_text.clone() }).collect();
            // Snippet placeholders ("${1:3} chỉ tiêu ${2:chưa đạt}"): LSP 3.17 has no snippet
            // edits in code actions, so a client that registered our insert-snippet command
            // (the VS Code extension) gets a command with the snippet, others plain text.
            if let (true, Some(command), [edit]) = (fix.snippet, &settings.snippet_command, edits.as_slice()) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    command: Some(Command {
                        title: fix.title.clone(),
                        command: command.clone(),
                        arguments: Some(vec![serde_json::json!(uri), serde_json::json!(edit.range), serde_json::json!(edit.new_text)]),
                    }),
                    is_preferred: Some(fix.preferred),
                    ..CodeAction::default()
                }));
                continue;
            }
            let edits: Vec<TextEdit> = if fix.snippet {
                edits.into_iter().map(|e| TextEdit { new_text: baocao_core::phrasebook::snippet_to_plain(&e.new_text), ..e }).collect()
            } else {
                edits
            };
            if edits.is_empty() {
                continue;
            }
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), edits);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(fix.preferred),
                ..CodeAction::default()
            }));
        }
        ignores.push((diag, code, index.position(finding.range.start).line));
    }
    // "Ignore this finding here": a suppression comment above the finding's line.
    for (diag, code, line) in ignores {
        let edits = crate::project::ignore_here(&analysed.text, line, code, settings.encoding);
        if edits.is_empty() {
            continue;
        }
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), edits);
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: locale.pick(format!("Bỏ qua lỗi này tại đây ({code})"), format!("Ignore this finding here ({code})")),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
            is_preferred: Some(false),
            ..CodeAction::default()
        }));
    }
    if actions.is_empty() {
        None
    } else {
        Some(actions)
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.clone()).unwrap_or_default();
        let (encoding, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        let client_pulls = params.capabilities.text_document.as_ref().and_then(|t| t.diagnostic.as_ref()).is_some();
        let client_configuration = params.capabilities.workspace.as_ref().and_then(|w| w.configuration).unwrap_or(false);
        self.citations.initialize(&params);
        let client_snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let client_settings = params.initialization_options.as_ref().map(config::normalise).unwrap_or(Value::Null);
        let snippet_command = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("snippetCommand"))
            .and_then(Value::as_str)
            .filter(|c| *c == SNIPPET_COMMAND)
            .map(str::to_string);
        self.update_settings(|s| {
            s.encoding = encoding;
            s.client_pulls = client_pulls;
            s.client_configuration = client_configuration;
            s.client_snippets = client_snippets;
            s.snippet_command = snippet_command;
            s.client = client_settings;
            s.startup_problems = s.recompute().into_iter().map(|p| format!("baocao: {p}")).collect();
        });
        // Local files, read before the first document is opened so its first analysis uses them.
        let mut messages = self.load_project();
        for problem in self.citations.reload_catalogues() {
            messages.push(format!("baocao: danh mục văn bản lỗi / broken catalogue {problem}"));
        }
        self.update_settings(|s| s.startup_problems.extend(messages));
        self.initialized.store(true, Ordering::SeqCst);
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "baocao-ls".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) }),
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                })),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("baocao".to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..CodeActionOptions::default()
                })),
                // Cited documents (crate::citations).
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    // "Nghị quyết số ␣": completion opens after the space that follows "số".
                    trigger_characters: Some(vec![" ".to_string()]),
                    ..CompletionOptions::default()
                }),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let problems = self.settings.write().map(|mut s| std::mem::take(&mut s.startup_problems)).unwrap_or_default();
        for p in problems {
            self.client.show_message(MessageType::WARNING, p.clone()).await;
            self.client.log_message(MessageType::WARNING, p).await;
        }
        self.client.log_message(MessageType::INFO, format!("baocao-ls {} sẵn sàng / ready", env!("CARGO_PKG_VERSION"))).await;
        // Everything that asks the client something runs in the background with timeouts.
        tokio::spawn(self.shared.clone().after_initialized());
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    // The text-sync notifications and pull requests are handled at the protocol edge, in message
    // order (see ProtocolEdge); these only serve when the edge is not in front.

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.shared.did_open(params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.shared.did_change(params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.shared.did_close(params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let has_section = params.settings.get("baocao").is_some_and(|v| !v.is_null());
        if has_section {
            self.shared.apply_settings(&params.settings).await;
        } else if self.settings().client_configuration {
            self.shared.pull_configuration();
        } else if !params.settings.is_null() {
            self.shared.apply_settings(&params.settings).await;
        }
    }

    // The queries below are answered at the protocol edge (Shared::query), over the documents
    // as they were when the request was read; these only serve when the edge is not in front.

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let pinned = self.store.pin(&uri);
        Ok(self.shared.pull(uri, pinned).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(self.shared.clone().code_action(self.store.view(), params).await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(self.shared.clone().hover(self.store.view(), params).await)
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self.shared.clone().definition(self.store.view(), params).await)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self.shared.clone().references(self.store.view(), params).await)
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.shared.clone().document_symbol(self.store.view(), params).await)
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        Ok(self.shared.clone().workspace_symbol(self.store.view(), params).await)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(self.shared.clone().completion(self.store.view(), params).await)
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let project_changed = params.changes.iter().any(|c| {
            c.uri
                .to_file_path()
                .is_ok_and(|p| p.ends_with(crate::project::PROJECT_FILE) || p.ends_with(crate::project::WORKSPACE_PHRASEBOOK))
        });
        let shared = self.shared.clone();
        tokio::spawn(async move {
            if project_changed {
                shared.reload_project().await;
                shared.refresh_all();
            }
            if shared.citations.files_changed(&shared.client, &params.changes).await {
                shared.generation.fetch_add(1, Ordering::SeqCst);
                shared.refresh_all();
            }
        });
    }
}

/// Serves LSP on stdin/stdout until `exit` or the end of input.
///
/// stdin → [`crate::framing::pump_input`] → pipe → tower-lsp → pipe → [`crate::output::forward`]
/// → [`crate::output::write`] → stdout; the server's own large messages join at the outbox. The process exits as the
/// LSP asks: with status 0 after `shutdown`, 1 otherwise, as soon as `exit` arrives or the input
/// ends, even while a handler still runs.
pub fn serve_stdio() {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("baocao-ls: không khởi động được / cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let edge = Arc::new(EdgeState::default());
    let code = runtime.block_on(async {
        let slot: Arc<OnceLock<Arc<Shared>>> = Arc::default();
        let filled = slot.clone();
        let (outbox, queue) = crate::output::Outbox::new();
        let server_outbox = outbox.clone();
        let (service, socket) = LspService::new(move |client| {
            let backend = Backend::new(client, server_outbox);
            let _ = filled.set(backend.shared.clone());
            backend
        });
        let service = ProtocolEdge { inner: service, state: edge.clone(), shared: slot.get().cloned() };
        let (pump_to_server, server_input) = tokio::io::duplex(1 << 16);
        let (server_output, from_server) = tokio::io::duplex(1 << 16);
        let pumped = edge.clone();
        let input = async move { crate::framing::pump_input(tokio::io::stdin(), pump_to_server, &pumped.parked).await };
        tokio::spawn(crate::output::write(queue, tokio::io::stdout()));
        tokio::spawn(crate::output::forward(from_server, outbox));
        tokio::spawn(Server::new(server_input, server_output, socket).serve(service));
        tokio::select! {
            () = input => {}
            () = edge.exit.notified() => {}
        }
        // Let the last responses reach stdout before the process ends.
        tokio::time::sleep(Duration::from_millis(50)).await;
        if edge.shut_down.load(Ordering::SeqCst) {
            0
        } else {
            1
        }
    });
    // Exit here: dropping the runtime would wait for the blocking stdin read and running handlers.
    std::process::exit(code);
}

/// What the protocol edge has seen: `shutdown` received, `exit` received; and the text-sync
/// notifications the framing pump parked for it.
#[derive(Default)]
struct EdgeState {
    shut_down: AtomicBool,
    exit: tokio::sync::Notify,
    parked: crate::framing::Parked,
}

type EdgeFuture<E> = Pin<Box<dyn Future<Output = std::result::Result<Option<Response>, E>> + Send>>;

/// Wraps the tower-lsp service at the protocol edge, where messages arrive one by one in the
/// client's order (`call` is invoked synchronously by tower-lsp's read loop):
///
/// - `didOpen`/`didChange`/`didClose` are applied to the documents here, so no handler can
///   reorder them, and pull requests pin the document here, so their answer is for the text the
///   client had when it asked;
/// - `$/…` requests get `MethodNotFound`, as the specification asks (tower-lsp 0.20 drops them);
/// - `shutdown`/`exit` sent with `"params": null` (as Eglot and LSP4IJ do) are accepted instead of
///   rejected with "Unexpected params: null", and `exit` is signalled so the process ends at once.
struct ProtocolEdge<S> {
    inner: S,
    state: Arc<EdgeState>,
    shared: Option<Arc<Shared>>,
}

fn ready<E: Send + 'static>(response: Option<Response>) -> EdgeFuture<E> {
    Box::pin(async move { Ok(response) })
}

impl<S> ProtocolEdge<S> {
    /// Handles the text-sync notifications; `false` when `method` is not one of them.
    fn text_sync(shared: &Arc<Shared>, method: &str, params: Option<&Value>) -> bool {
        fn parse<T: serde::de::DeserializeOwned>(shared: &Shared, method: &str, params: Option<&Value>) -> Option<T> {
            match serde_json::from_value::<T>(params.cloned().unwrap_or(Value::Null)) {
                Ok(p) => Some(p),
                Err(e) => {
                    let client = shared.client.clone();
                    let text = format!("baocao: ignored {method} with invalid params: {e}");
                    tokio::spawn(async move { client.log_message(MessageType::WARNING, text).await });
                    None
                }
            }
        }
        match method {
            "textDocument/didOpen" => {
                if let Some(p) = parse(shared, method, params) {
                    shared.did_open(p);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = parse(shared, method, params) {
                    shared.did_change(p);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = parse(shared, method, params) {
                    shared.did_close(p);
                }
            }
            _ => return false,
        }
        true
    }
}

impl<S> tower::Service<tower_lsp::jsonrpc::Request> for ProtocolEdge<S>
where
    S: tower::Service<tower_lsp::jsonrpc::Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = EdgeFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: tower_lsp::jsonrpc::Request) -> Self::Future {
        let serving = self.shared.as_ref().filter(|s| s.initialized.load(Ordering::SeqCst) && !self.state.shut_down.load(Ordering::SeqCst));
        // A text-sync notification the framing pump decoded and parked: applied here, in message
        // order; before the server serves (or after shutdown) handed to tower-lsp as it came.
        let request = if request.method() == crate::framing::TEXT_SYNC && request.id().is_none() {
            match (self.state.parked.take(request.params()), serving) {
                (Some(sync), Some(shared)) => {
                    shared.text_sync(sync);
                    return ready(None);
                }
                (Some(sync), None) => sync.into_request(),
                (None, _) => return ready(None),
            }
        } else {
            request
        };
        let method = request.method().to_string();
        match (request.id(), serving) {
            // The framing pump's stand-ins for what it could not forward (crate::framing).
            (Some(id), _) if method == crate::framing::PROTOCOL_ERROR => {
                let params = request.params();
                let code = params.and_then(|p| p.get("code")).and_then(Value::as_i64).unwrap_or(-32700);
                let message = params.and_then(|p| p.get("message")).and_then(Value::as_str).unwrap_or("Parse error").to_string();
                let error = Error { code: code.into(), message: message.into(), data: None };
                return ready(Some(Response::from_error(id.clone(), error)));
            }
            (None, _) if method == crate::framing::PROTOCOL_LOG => {
                let message = request.params().and_then(|p| p.get("message")).and_then(Value::as_str).map(str::to_string);
                if let (Some(message), Some(shared)) = (message, &self.shared) {
                    let client = shared.client.clone();
                    tokio::spawn(async move { client.log_message(MessageType::WARNING, message).await });
                }
                return ready(None);
            }
            (Some(id), _) if method.starts_with("$/") => {
                return ready(Some(Response::from_error(id.clone(), Error::method_not_found())));
            }
            (None, Some(shared)) if ProtocolEdge::<S>::text_sync(shared, &method, request.params()) => return ready(None),
            (Some(id), Some(shared)) => {
                // The answer is written by the query itself (crate::output); tower-lsp, which
                // never saw the request, has nothing to answer.
                if let Some(answer) = shared.query(&method, id.clone(), request.params()) {
                    return Box::pin(async move {
                        answer.await;
                        Ok(None)
                    });
                }
            }
            _ => {}
        }
        let request = if matches!(method.as_str(), "shutdown" | "exit") && request.params().is_some_and(Value::is_null) {
            let (method, id, _) = request.into_parts();
            let builder = tower_lsp::jsonrpc::Request::build(method);
            match id {
                Some(id) => builder.id(id).finish(),
                None => builder.finish(),
            }
        } else {
            request
        };
        match method.as_str() {
            "shutdown" => self.state.shut_down.store(true, Ordering::SeqCst),
            "exit" => self.state.exit.notify_one(),
            _ => {}
        }
        Box::pin(self.inner.call(request))
    }
}
