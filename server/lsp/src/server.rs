//! The LSP server: thin handlers that keep documents in order and delegate to the core.
//!
//! Keystroke to diagnostic: `didChange` applies the edit to the rope synchronously (before any
//! `.await`) and bumps the version; an analysis task then runs on a blocking thread with a
//! snapshot. Work for an outdated version is dropped before it starts and before it publishes,
//! so edits that queue up coalesce into one analysis of the newest text. No debounce delay.

use crate::config;
use crate::convert::{diagnostic, Encoding, LineIndex};
use crate::state::{EditProblem, Store};
use baocao_core::Config;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

pub struct Backend {
    client: Client,
    store: Arc<Store>,
    settings: Arc<RwLock<Settings>>,
    /// Cited documents: workspace catalogues, workspace scan, editor queries.
    citations: Arc<crate::citations::Citations>,
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

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            store: Arc::new(Store::default()),
            settings: Arc::new(RwLock::new(Settings::default())),
            citations: Arc::default(),
        }
    }

    fn settings(&self) -> Settings {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        if let Ok(mut s) = self.settings.write() {
            f(&mut s);
        }
    }

    /// Analyses the document's current version on a blocking thread and publishes the result,
    /// unless a newer version arrived meanwhile.
    fn schedule(&self, uri: Url) {
        let settings = self.settings();
        if settings.client_pulls {
            return;
        }
        let store = self.store.clone();
        let client = self.client.clone();
        let catalogue = self.citations.catalogue();
        tokio::spawn(async move {
            let task_store = store.clone();
            let task_uri = uri.clone();
            let result = tokio::task::spawn_blocking(move || {
                analyse_current(&task_store, &task_uri, &settings.config, &catalogue, settings.encoding)
            })
            .await;
            match result {
                Ok(Some((version, diagnostics))) => {
                    if store.version(&uri) == Some(version) {
                        client.publish_diagnostics(uri, diagnostics, Some(version)).await;
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    client.log_message(MessageType::ERROR, format!("baocao: analysis of {uri} failed: {e}")).await;
                }
            }
        });
    }

    async fn apply_settings(&self, value: &Value) {
        let mut problems = Vec::new();
        self.update_settings(|s| {
            s.client = config::normalise(value);
            problems = s.recompute();
        });
        for p in problems {
            self.client.show_message(MessageType::WARNING, format!("baocao: {p}")).await;
        }
        self.refresh_all().await;
    }

    /// Reads `.baocao.toml` and `.baocao/phrasebook.json` at the first workspace root again;
    /// a broken file is reported (file, line, column) and left out, the defaults kept.
    async fn reload_project(&self) {
        let root = self.citations.roots().into_iter().next();
        let mut messages = Vec::new();
        let (project, phrasebook) = match &root {
            Some(root) => {
                let path = root.join(crate::project::PROJECT_FILE);
                let project = if path.is_file() {
                    match crate::project::load(&path) {
                        Ok(value) => value,
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
                    messages.push(format!("baocao: sổ tay cụm từ lỗi / broken phrasebook {e}"));
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
        for m in messages {
            self.client.show_message(MessageType::WARNING, m.clone()).await;
            self.client.log_message(MessageType::WARNING, m).await;
        }
    }

    async fn refresh_all(&self) {
        if self.settings().client_pulls {
            let _ = self.client.workspace_diagnostic_refresh().await;
        } else {
            for uri in self.store.uris() {
                self.schedule(uri);
            }
        }
    }

    async fn pull_configuration(&self) {
        if !self.settings().client_configuration {
            return;
        }
        let items = vec![ConfigurationItem { scope_uri: None, section: Some("baocao".to_string()) }];
        match self.client.configuration(items).await {
            Ok(values) => {
                if let Some(value) = values.into_iter().next() {
                    if !value.is_null() {
                        self.apply_settings(&serde_json::json!({ "baocao": value })).await;
                    }
                }
            }
            Err(e) => self.client.log_message(MessageType::WARNING, format!("baocao: workspace/configuration failed: {e}")).await,
        }
    }
}

/// The diagnostics of the current version, or `None` when the document is gone or the work is stale.
fn analyse_current(
    store: &Store,
    uri: &Url,
    config: &Config,
    catalogue: &baocao_core::Catalogue,
    encoding: Encoding,
) -> Option<(i32, Vec<Diagnostic>)> {
    let snapshot = store.snapshot(uri)?;
    let mut analyzer = match snapshot.analyzer.lock() {
        Ok(a) => a,
        Err(poisoned) => {
            // A panic during an earlier analysis: start with a fresh cache.
            let mut guard = poisoned.into_inner();
            *guard = baocao_core::Analyzer::new();
            guard
        }
    };
    // Another task may have analysed a newer version while we waited for the lock.
    if store.version(uri) != Some(snapshot.version) {
        return None;
    }
    let findings = analyzer.analyze_with(&snapshot.text, config, catalogue);
    drop(analyzer);
    let index = LineIndex::new(&snapshot.text, encoding);
    Some((snapshot.version, findings.iter().map(|f| diagnostic(f, &index, uri)).collect()))
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
            s.startup_problems = s.recompute();
        });
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
        let problems = std::mem::take(&mut self.settings.write().map(|mut s| std::mem::take(&mut s.startup_problems)).unwrap_or_default());
        for p in problems {
            self.client.show_message(MessageType::WARNING, format!("baocao: {p}")).await;
        }
        self.client.log_message(MessageType::INFO, format!("baocao-ls {} sẵn sàng / ready", env!("CARGO_PKG_VERSION"))).await;
        self.reload_project().await;
        self.pull_configuration().await;
        self.citations.clone().initialized(self.client.clone()).await;
        self.refresh_all().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.store.open(doc.uri.clone(), &doc.text, doc.version);
        self.schedule(doc.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied before any await: edits keep their arrival order.
        let uri = params.text_document.uri;
        let encoding = self.settings().encoding;
        let problems = self.store.change(&uri, params.text_document.version, &params.content_changes, encoding);
        self.schedule(uri.clone());
        for problem in problems {
            let text = match problem {
                EditProblem::UnknownDocument => format!("baocao: didChange for a document that is not open: {uri}"),
                EditProblem::StaleVersion { have, got } => format!("baocao: ignored change version {got} of {uri}, already at {have}"),
                EditProblem::Clamped(p) => format!("baocao: edit position {}:{} is outside {uri}; clamped to the end", p.line, p.character),
            };
            self.client.log_message(MessageType::WARNING, text).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.store.close(&uri);
        if !self.settings().client_pulls {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let has_section = params.settings.get("baocao").is_some_and(|v| !v.is_null());
        if has_section {
            self.apply_settings(&params.settings).await;
        } else if self.settings().client_configuration {
            self.pull_configuration().await;
        } else if !params.settings.is_null() {
            self.apply_settings(&params.settings).await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let settings = self.settings();
        let store = self.store.clone();
        let task_uri = uri.clone();
        let catalogue = self.citations.catalogue();
        let result = tokio::task::spawn_blocking(move || {
            // Pull requests always answer, even if an edit is racing: analyse the newest text.
            let snapshot = store.snapshot(&task_uri)?;
            let mut analyzer = snapshot.analyzer.lock().unwrap_or_else(|p| p.into_inner());
            let findings = analyzer.analyze_with(&snapshot.text, &settings.config, &catalogue);
            let index = LineIndex::new(&snapshot.text, settings.encoding);
            Some((snapshot.version, findings.iter().map(|f| diagnostic(f, &index, &task_uri)).collect::<Vec<_>>()))
        })
        .await;
        let items = match result {
            Ok(Some((_, items))) => items,
            Ok(None) => Vec::new(),
            Err(e) => {
                self.client.log_message(MessageType::ERROR, format!("baocao: analysis of {uri} failed: {e}")).await;
                Vec::new()
            }
        };
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
        })))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let mut actions = Vec::new();
        let locale = self.settings().config.locale;
        let snippet_command = self.settings().snippet_command;
        let text = self.store.snapshot(&uri).map(|s| s.text).unwrap_or_default();
        for diag in &params.context.diagnostics {
            if diag.source.as_deref() != Some("baocao") {
                continue;
            }
            let Some(fixes) = diag.data.as_ref().and_then(|d| d.get("fixes")).and_then(Value::as_array) else { continue };
            for fix in fixes {
                let title = fix.get("title").and_then(Value::as_str).unwrap_or("Sửa").to_string();
                let preferred = fix.get("preferred").and_then(Value::as_bool).unwrap_or(false);
                // Snippet placeholders ("${1:3} chỉ tiêu ${2:chưa đạt}"): LSP 3.17 has no snippet
                // edits in code actions, so a client that registered our insert-snippet command
                // (the VS Code extension) gets a command with the snippet, others plain text.
                let snippet = fix.get("snippet").and_then(Value::as_bool).unwrap_or(false);
                let edits: Vec<TextEdit> = fix
                    .get("edits")
                    .and_then(Value::as_array)
                    .map(|edits| edits.iter().filter_map(|e| serde_json::from_value::<TextEdit>(e.clone()).ok()).collect())
                    .unwrap_or_default();
                if let (true, Some(command), [edit]) = (snippet, &snippet_command, edits.as_slice()) {
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diag.clone()]),
                        command: Some(Command {
                            title,
                            command: command.clone(),
                            arguments: Some(vec![serde_json::json!(uri), serde_json::json!(edit.range), serde_json::json!(edit.new_text)]),
                        }),
                        is_preferred: Some(preferred),
                        ..CodeAction::default()
                    }));
                    continue;
                }
                let edits: Vec<TextEdit> = if snippet {
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
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                    is_preferred: Some(preferred),
                    ..CodeAction::default()
                }));
            }
        }
        // "Ignore this finding here": a suppression comment above the finding's line.
        for diag in &params.context.diagnostics {
            if diag.source.as_deref() != Some("baocao") {
                continue;
            }
            let Some(NumberOrString::String(code)) = &diag.code else { continue };
            let edits = crate::project::ignore_here(&text, diag.range.start.line, code, self.settings().encoding);
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
        Ok(if actions.is_empty() { None } else { Some(actions) })
    }

    // Cited documents: each handler delegates to crate::citations.

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let settings = self.settings();
        Ok(self.citations.hover(&self.store, &params, settings.encoding, settings.config.locale))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self.citations.definition(&self.store, &params, self.settings().encoding))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self.citations.references(&self.store, &params, self.settings().encoding))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.citations.document_symbols(&self.store, &params.text_document.uri, self.settings().encoding))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        Ok(Some(self.citations.workspace_symbols(&self.store, &params.query, self.settings().encoding)))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let settings = self.settings();
        if let Some(found) = self.citations.completion(&self.store, &params, settings.encoding, settings.config.locale) {
            return Ok(Some(found));
        }
        // Standard phrasing: resolution names, statuses, skeletons, "Nơi nhận" (crate::project).
        Ok(crate::project::phrase_completion(&self.store, &params, &settings.config, settings.encoding, settings.client_snippets))
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let project_changed = params.changes.iter().any(|c| {
            c.uri
                .to_file_path()
                .is_ok_and(|p| p.ends_with(crate::project::PROJECT_FILE) || p.ends_with(crate::project::WORKSPACE_PHRASEBOOK))
        });
        if project_changed {
            self.reload_project().await;
            self.refresh_all().await;
        }
        if self.citations.files_changed(&self.client, &params.changes).await {
            self.refresh_all().await;
        }
    }
}

/// Serves LSP on stdin/stdout until `exit` or the end of input.
///
/// The process exits as the LSP asks: with status 0 after `shutdown`, 1 otherwise, as soon as
/// `exit` arrives (tower-lsp alone would wait for the next message or the end of input).
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
        let (service, socket) = LspService::new(Backend::new);
        let service = ProtocolEdge { inner: service, state: edge.clone() };
        let server = Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service);
        tokio::select! {
            () = server => {}
            () = edge.exit.notified() => {
                // Let the last responses reach stdout before the process ends.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        if edge.shut_down.load(Ordering::SeqCst) {
            0
        } else {
            1
        }
    });
    // Exit here: dropping the runtime would wait for the blocking stdin read.
    std::process::exit(code);
}

/// What the protocol edge has seen: `shutdown` received, `exit` received.
#[derive(Default)]
struct EdgeState {
    shut_down: AtomicBool,
    exit: tokio::sync::Notify,
}

/// Wraps the tower-lsp service for two protocol-edge cases of tower-lsp 0.20:
/// `shutdown`/`exit` sent with `"params": null` (as Eglot and LSP4IJ do) are accepted instead of
/// rejected with "Unexpected params: null", and `exit` is signalled so the process ends at once.
struct ProtocolEdge<S> {
    inner: S,
    state: Arc<EdgeState>,
}

impl<S> tower::Service<tower_lsp::jsonrpc::Request> for ProtocolEdge<S>
where
    S: tower::Service<tower_lsp::jsonrpc::Request>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: tower_lsp::jsonrpc::Request) -> Self::Future {
        let method = request.method().to_string();
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
        self.inner.call(request)
    }
}
