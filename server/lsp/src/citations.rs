//! Cited documents at the protocol edge: workspace catalogues (`.baocao/directives.json`), the
//! workspace scan, and the handlers for hover, definition, references, document and workspace
//! symbols and completion. Every answer comes from a pure function of `baocao_core::citations`;
//! this module only finds the texts, converts offsets with [`LineIndex`] and builds LSP types.
//!
//! No handler re-scans an open document: each reads the citation index the engine built for
//! the diagnostics of that version ([`Current::citations`]; for a document with a BOM or `\r`
//! line breaks, carried over to its own offsets), and scans the text only when there is none
//! (the document changed since its last analysis, or that analysis failed).
//! Workspace files that are not open are scanned once per content, when read
//! ([`Citations::rescan_file`]), and their citations kept with the text.

use crate::convert::{Encoding, LineIndex};
use crate::state::{Current, View};
use baocao_core::catalogue::{Catalogue, CatalogueError, Entry, Origin};
use baocao_core::citations::date::Date;
use baocao_core::citations::ide::{self, OutlineItem, OutlineKind, Target};
use baocao_core::citations::symbol::SymbolKey;
use baocao_core::citations::{resolve, scan_document, Citation, CitationIndex, CitationKind};
use baocao_core::Locale;
use dashmap::DashMap;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tower_lsp::lsp_types::*;
use tower_lsp::Client;

/// Where a workspace keeps its own catalogue, relative to a workspace folder.
pub const WORKSPACE_CATALOGUE: &str = ".baocao/directives.json";
/// The same catalogue written in TOML (`[[entries]]` tables), for users who prefer it.
pub const WORKSPACE_CATALOGUE_TOML: &str = ".baocao/directives.toml";

/// Files larger than this are not scanned (reports are far smaller; this skips data dumps).
const MAX_SCANNED_BYTES: u64 = 2 * 1024 * 1024;
/// At most this many files are scanned per workspace, so a huge folder cannot stall the server.
const MAX_SCANNED_FILES: usize = 5000;

/// One scanned (not necessarily open) workspace file: read and scanned once per content.
struct Scanned {
    text: Arc<String>,
    /// Its citations (not linked: the catalogue they are linked against changes).
    citations: Arc<Vec<Citation>>,
    /// Its fully cited documents, as catalogue entries.
    entries: Vec<Entry>,
}

/// The citations of one document as recognised (before linking): the engine's, or a scan.
enum Recognised {
    Engine(Arc<CitationIndex>),
    Scanned(Arc<Vec<Citation>>),
}

impl std::ops::Deref for Recognised {
    type Target = [Citation];
    fn deref(&self) -> &[Citation] {
        match self {
            Recognised::Engine(index) => &index.citations,
            Recognised::Scanned(citations) => citations,
        }
    }
}

/// The citations of `current`: the engine's index of that version (whatever catalogue it was
/// linked against: recognition does not read the catalogue), else the text scanned now.
fn recognised(current: &Current) -> Recognised {
    match current.citations() {
        Some((_, index)) => Recognised::Engine(index.clone()),
        None => Recognised::Scanned(Arc::new(scan_document(&current.text))),
    }
}

/// (symbol, date) of a catalogue entry: entries alike in both are the same document here.
fn entry_identity(e: &Entry) -> (Option<SymbolKey>, Option<Date>) {
    (e.key(), e.issue_date)
}

/// Workspace state for citations. Cheap to share (`Arc`), safe to use from any task.
#[derive(Default)]
pub struct Citations {
    roots: RwLock<Vec<PathBuf>>,
    /// Bundled plus workspace catalogue files; what the checks use.
    catalogue: RwLock<Option<Arc<Catalogue>>>,
    scanned: DashMap<Url, Scanned>,
    /// The fully cited documents of each open document, with the version they were read from.
    open_entries: DashMap<Url, (i32, Arc<Vec<Entry>>)>,
    /// The client accepts `window/workDoneProgress/create`.
    client_progress: AtomicBool,
    /// The client accepts dynamic registration of file watchers.
    client_watches: AtomicBool,
}

/// Reads and parses one workspace catalogue file (JSON, or TOML for a `.toml` file).
pub fn load_catalogue_file(path: &Path) -> Result<Catalogue, CatalogueError> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| CatalogueError { path: name.clone(), line: 1, column: 1, message: e.to_string() })?;
    if path.extension().is_some_and(|e| e == "toml") {
        Catalogue::parse_toml(&text, &name)
    } else {
        Catalogue::parse(&text, Some(&name))
    }
}

use crate::project::is_report_file;

/// The report files under `root`, skipping hidden and version-control folders and build output
/// (the same rules as `baocao-ls check`, see [`crate::project::is_skipped_name`]).
pub fn report_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::project::is_skipped_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_report_file(e.path()))
        .filter(|e| e.metadata().map(|m| m.len() <= MAX_SCANNED_BYTES).unwrap_or(false))
        .take(MAX_SCANNED_FILES)
        .map(|e| e.into_path())
        .collect()
}

fn location_of(path: &str, line: usize) -> Option<Location> {
    let uri = if path.starts_with("file:") { Url::parse(path).ok()? } else { Url::from_file_path(path).ok()? };
    let position = Position { line: line.saturating_sub(1) as u32, character: 0 };
    Some(Location { uri, range: Range { start: position, end: position } })
}

impl Citations {
    /// Records the workspace folders and what the client can do, from `initialize`.
    pub fn initialize(&self, params: &InitializeParams) {
        self.set_roots(workspace_roots(params));
        let caps = &params.capabilities;
        let progress = caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        let watches =
            caps.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref()).and_then(|d| d.dynamic_registration).unwrap_or(false);
        self.client_progress.store(progress, Ordering::Relaxed);
        self.client_watches.store(watches, Ordering::Relaxed);
    }

    /// After `initialized`: watch catalogue files and start the workspace scan in the background
    /// (the catalogues themselves are loaded in `initialize`, see `reload_catalogues`).
    pub async fn initialized(self: Arc<Self>, client: Client) {
        if self.client_watches.load(Ordering::Relaxed) {
            Citations::register_watchers(&client).await;
        }
        let progress = self.client_progress.load(Ordering::Relaxed);
        tokio::spawn(self.scan_workspace(client, progress));
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        if let Ok(mut r) = self.roots.write() {
            *r = roots;
        }
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots.read().map(|r| r.clone()).unwrap_or_default()
    }

    /// The catalogue the checks use: bundled plus the workspace catalogue files.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        match self.catalogue.read().ok().and_then(|c| c.clone()) {
            Some(c) => c,
            None => Catalogue::bundled(),
        }
    }

    /// Re-reads every workspace catalogue file. Returns the problems (one per broken file); a
    /// broken file is left out and everything else keeps working.
    pub fn reload_catalogues(&self) -> Vec<CatalogueError> {
        let mut merged = (*Catalogue::bundled()).clone();
        let mut problems = Vec::new();
        for root in self.roots() {
            for name in [WORKSPACE_CATALOGUE, WORKSPACE_CATALOGUE_TOML] {
                let path = root.join(name);
                if !path.is_file() {
                    continue;
                }
                match load_catalogue_file(&path) {
                    Ok(local) => merged = merged.merged(&local),
                    Err(e) => problems.push(e),
                }
            }
        }
        if let Ok(mut c) = self.catalogue.write() {
            *c = Some(Arc::new(merged));
        }
        problems
    }

    /// Reads one workspace file into the scan (or forgets it when it is gone).
    pub fn rescan_file(&self, path: &Path) {
        let Ok(uri) = Url::from_file_path(path) else { return };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let citations = scan_document(&text);
                let entries = ide::document_entries_in(&text, &citations, uri.as_str());
                self.scanned.insert(uri, Scanned { text: Arc::new(text), citations: Arc::new(citations), entries });
            }
            Err(_) => {
                self.scanned.remove(&uri);
            }
        }
    }

    /// The catalogue for editor queries: the checks' catalogue plus the documents fully cited in
    /// open and scanned workspace files other than `except` (those count as local documents).
    fn rich_catalogue(&self, store: &View, except: &Url) -> Catalogue {
        let mut extra = Catalogue::default();
        let open = store.uris();
        self.open_entries.retain(|uri, _| open.contains(uri));
        for uri in &open {
            if uri == except {
                continue;
            }
            // Per open document and version: a query does not rescan every open document.
            let version = store.version(uri);
            let cached = self.open_entries.get(uri).filter(|e| Some(e.0) == version).map(|e| e.1.clone());
            let entries = match cached {
                Some(entries) => entries,
                None => {
                    let Some(current) = store.current(uri) else { continue };
                    let entries = Arc::new(ide::document_entries_in(&current.text, &recognised(&current), uri.as_str()));
                    self.open_entries.insert(uri.clone(), (current.version, entries.clone()));
                    entries
                }
            };
            extra.entries.extend(entries.iter().cloned());
        }
        for item in self.scanned.iter() {
            if item.key() == except || open.contains(item.key()) {
                continue;
            }
            extra.entries.extend(item.value().entries.iter().cloned());
        }
        // Entries of the catalogues win over documents that merely cite the same number.
        let base = self.catalogue();
        let catalogued: HashSet<_> = base.entries.iter().map(|b| (b.key_ref(), b.issue_date)).collect();
        extra.entries.retain(|e| !catalogued.contains(&(e.key_ref(), e.issue_date)));
        let mut all = (*base).clone();
        all.entries.extend(extra.entries);
        all
    }

    /// Every known document: open ones (newest text, with the engine's index when it is of
    /// that version) and scanned ones that are not open (their text and kept citations).
    fn all_documents(&self, store: &View) -> Vec<(Url, Known)> {
        let open = store.uris();
        let mut out: Vec<(Url, Known)> = open.iter().filter_map(|u| store.current(u).map(|s| (u.clone(), Known::Open(s)))).collect();
        for item in self.scanned.iter() {
            if !open.contains(item.key()) {
                let scanned = item.value();
                out.push((item.key().clone(), Known::Scanned { text: scanned.text.clone(), citations: scanned.citations.clone() }));
            }
        }
        out
    }

    /// The citations of `current` linked against `catalogue`: the engine's index of that version
    /// when it was linked against the same catalogue (the usual case: no other open report adds
    /// cited documents), else the engine's citations linked again, else the text scanned now.
    fn index_of(current: &Current, catalogue: &Catalogue) -> Arc<CitationIndex> {
        match current.citations() {
            Some((fingerprint, index)) if *fingerprint == catalogue.fingerprint() => index.clone(),
            Some((_, index)) => Arc::new(CitationIndex {
                citations: index.citations.clone(),
                dates: index.dates.clone(),
                resolutions: resolve(&index.citations, catalogue),
            }),
            None => Arc::new(CitationIndex::of_text(&current.text, catalogue)),
        }
    }

    pub fn hover(&self, store: &View, params: &HoverParams, encoding: Encoding, locale: Locale) -> Option<Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let snapshot = store.current(uri)?;
        let index = snapshot.index(encoding);
        let offset = index.offset(params.text_document_position_params.position);
        let catalogue = self.rich_catalogue(store, uri);
        let citations = Self::index_of(&snapshot, &catalogue);
        let found = ide::hover_in(&citations, &snapshot.text, offset, &catalogue, locale)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: found.markdown }),
            range: Some(index.range(found.range)),
        })
    }

    pub fn definition(&self, store: &View, params: &GotoDefinitionParams, encoding: Encoding) -> Option<GotoDefinitionResponse> {
        let uri = &params.text_document_position_params.text_document.uri;
        let snapshot = store.current(uri)?;
        let index = snapshot.index(encoding);
        let offset = index.offset(params.text_document_position_params.position);
        let catalogue = self.rich_catalogue(store, uri);
        let citations = Self::index_of(&snapshot, &catalogue);
        let location = match ide::definition_in(&citations, offset, &catalogue)? {
            Target::InDocument(range) => Location { uri: uri.clone(), range: index.range(range) },
            Target::CatalogueFile { path, line } => location_of(&path, line)?,
        };
        Some(GotoDefinitionResponse::Scalar(location))
    }

    pub fn references(&self, store: &View, params: &ReferenceParams, encoding: Encoding) -> Option<Vec<Location>> {
        let uri = &params.text_document_position.text_document.uri;
        let snapshot = store.current(uri)?;
        let index = snapshot.index(encoding);
        let offset = index.offset(params.text_document_position.position);
        let catalogue = self.rich_catalogue(store, uri);
        let identity = ide::identity_at_in(&Self::index_of(&snapshot, &catalogue), offset)?;
        let mut out = Vec::new();
        for (doc, known) in self.all_documents(store) {
            let ranges = match &known {
                Known::Open(current) => ide::mentions_in(&Self::index_of(current, &catalogue), &identity),
                Known::Scanned { citations, .. } => ide::mentions_of(citations, &resolve(citations, &catalogue), &identity),
            };
            if ranges.is_empty() {
                continue;
            }
            let doc_index = known.index(encoding);
            out.extend(ranges.into_iter().map(|range| Location { uri: doc.clone(), range: doc_index.range(range) }));
        }
        Some(out)
    }

    /// The outline: headings from one pass over the lines, cited documents from the engine's
    /// index, every range converted by the one line index of that version (O(log n) each).
    pub fn document_symbols(&self, store: &View, uri: &Url, encoding: Encoding) -> Option<DocumentSymbolResponse> {
        let snapshot = store.current(uri)?;
        let index = snapshot.index(encoding);
        let items = ide::outline_in(&snapshot.text, &recognised(&snapshot));
        Some(DocumentSymbolResponse::Nested(items.iter().map(|i| document_symbol(i, &index)).collect()))
    }

    pub fn workspace_symbols(&self, store: &View, query: &str, encoding: Encoding) -> Vec<SymbolInformation> {
        let query = query.to_lowercase();
        let mut out = Vec::new();
        for (uri, known) in self.all_documents(store) {
            let citations = match &known {
                Known::Open(current) => recognised(current),
                Known::Scanned { citations, .. } => Recognised::Scanned(citations.clone()),
            };
            // The line index is built only for a document with a symbol to answer.
            let mut index = None;
            for c in citations.iter() {
                if c.kind != CitationKind::Full {
                    continue;
                }
                let name = c.label();
                let title = c.title.as_ref().map(|t| t.0.to_lowercase()).unwrap_or_default();
                if !query.is_empty() && !name.to_lowercase().contains(&query) && !title.contains(&query) {
                    continue;
                }
                let index = index.get_or_insert_with(|| known.index(encoding));
                out.push(symbol_information(
                    name,
                    c.date.as_ref().map(|d| d.date.dmy()),
                    Location { uri: uri.clone(), range: index.range(c.range) },
                ));
            }
        }
        for e in &self.catalogue().entries {
            let Origin::Workspace { path, line } = &e.origin else { continue };
            let name = format!("{} số {}", e.doc_type, e.number_symbol);
            if !query.is_empty() && !name.to_lowercase().contains(&query) && !e.title.to_lowercase().contains(&query) {
                continue;
            }
            if let Some(location) = location_of(path, *line) {
                out.push(symbol_information(name, Some(e.title.clone()), location));
            }
        }
        out
    }

    pub fn completion(&self, store: &View, params: &CompletionParams, encoding: Encoding, locale: Locale) -> Option<CompletionResponse> {
        let uri = &params.text_document_position.text_document.uri;
        let snapshot = store.current(uri)?;
        let index = snapshot.index(encoding);
        let offset = index.offset(params.text_document_position.position);
        let mut catalogue = self.rich_catalogue(store, uri);
        // Documents already cited in full in this report are proposed too (from the engine's
        // index of this version: the report is not scanned again per keystroke).
        let mut known: HashSet<_> = catalogue.entries.iter().map(entry_identity).collect();
        for entry in ide::document_entries_in(&snapshot.text, &recognised(&snapshot), uri.as_str()) {
            if known.insert(entry_identity(&entry)) {
                catalogue.entries.push(entry);
            }
        }
        let found = ide::complete(&snapshot.text, offset, &catalogue, locale)?;
        let range = index.range(found.range);
        let items = found
            .items
            .into_iter()
            .enumerate()
            .map(|(n, item)| CompletionItem {
                label: item.label,
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(item.detail),
                documentation: Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: item.documentation })),
                filter_text: Some(item.filter_text),
                sort_text: Some(format!("{n:05}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: item.insert_text })),
                ..CompletionItem::default()
            })
            .collect();
        Some(CompletionResponse::List(CompletionList { is_incomplete: false, items }))
    }

    /// Scans the workspace's report files on a blocking thread, reporting `$/progress` when the
    /// client supports it. Runs in the background: requests and edits are served meanwhile.
    pub async fn scan_workspace(self: Arc<Self>, client: Client, progress: bool) {
        let token = NumberOrString::String("baocao/scan".to_string());
        let progress = progress
            && crate::server::ask(
                &client,
                "window/workDoneProgress/create",
                client.send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() }),
            )
            .await
            .is_some();
        let notify = |value: WorkDoneProgress| {
            let client = client.clone();
            let token = token.clone();
            async move {
                client
                    .send_notification::<notification::Progress>(ProgressParams { token, value: ProgressParamsValue::WorkDone(value) })
                    .await;
            }
        };
        if progress {
            notify(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "baocao: quét văn bản trong workspace".to_string(),
                cancellable: Some(false),
                message: None,
                percentage: Some(0),
            }))
            .await;
        }
        let roots = self.roots();
        let files =
            tokio::task::spawn_blocking(move || roots.iter().flat_map(|r| report_files(r)).collect::<Vec<_>>()).await.unwrap_or_default();
        let total = files.len().max(1);
        for (n, chunk) in files.chunks(50).enumerate() {
            let me = self.clone();
            let chunk = chunk.to_vec();
            let _ = tokio::task::spawn_blocking(move || {
                for path in &chunk {
                    me.rescan_file(path);
                }
            })
            .await;
            if progress {
                let done = ((n + 1) * 50).min(total);
                notify(WorkDoneProgress::Report(WorkDoneProgressReport {
                    cancellable: Some(false),
                    message: Some(format!("{done}/{total}")),
                    percentage: Some((done * 100 / total) as u32),
                }))
                .await;
            }
        }
        if progress {
            notify(WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(format!("{} tệp / files", files.len())) })).await;
        }
        client
            .log_message(
                MessageType::INFO,
                format!("baocao: đã quét {} tệp trong workspace / scanned {} workspace files", files.len(), files.len()),
            )
            .await;
    }

    /// Reloads workspace catalogues and tells the user (message and log) about broken ones.
    pub async fn reload_and_report(&self, client: &Client) {
        for problem in self.reload_catalogues() {
            let text = format!("baocao: danh mục văn bản lỗi / broken catalogue {problem}");
            client.show_message(MessageType::WARNING, text.clone()).await;
            client.log_message(MessageType::WARNING, text).await;
        }
    }

    /// Handles `workspace/didChangeWatchedFiles`: catalogue files reload, report files rescan.
    /// Returns whether a catalogue changed (diagnostics must be refreshed).
    pub async fn files_changed(&self, client: &Client, changes: &[FileEvent]) -> bool {
        let mut catalogue_changed = false;
        for change in changes {
            let Ok(path) = change.uri.to_file_path() else { continue };
            if path.ends_with(WORKSPACE_CATALOGUE) || path.ends_with(WORKSPACE_CATALOGUE_TOML) {
                catalogue_changed = true;
            } else if is_report_file(&path) {
                if change.typ == FileChangeType::DELETED {
                    self.scanned.remove(&change.uri);
                } else {
                    self.rescan_file(&path);
                }
            }
        }
        if catalogue_changed {
            self.reload_and_report(client).await;
        }
        catalogue_changed
    }

    /// Registers file watchers for workspace catalogues and report files, if the client can.
    pub async fn register_watchers(client: &Client) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![
                FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{WORKSPACE_CATALOGUE}")), kind: None },
                FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{WORKSPACE_CATALOGUE_TOML}")), kind: None },
                FileSystemWatcher { glob_pattern: GlobPattern::String("**/*.{md,txt}".to_string()), kind: None },
                // The project file and workspace phrasebook (crate::project), reloaded by the server.
                FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{}", crate::project::PROJECT_FILE)), kind: None },
                FileSystemWatcher { glob_pattern: GlobPattern::String(format!("**/{}", crate::project::WORKSPACE_PHRASEBOOK)), kind: None },
            ],
        };
        let Ok(value) = serde_json::to_value(options) else { return };
        let registration = Registration {
            id: "baocao-watch-catalogues".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: Some(value),
        };
        // A failure or a missing answer is logged by `ask`; the files are then read at startup only.
        crate::server::ask(client, "client/registerCapability (file watchers)", client.register_capability(vec![registration])).await;
    }
}

/// A document of the workspace as the queries over all documents read it.
enum Known {
    Open(Current),
    Scanned { text: Arc<String>, citations: Arc<Vec<Citation>> },
}

impl Known {
    /// Its line index: the one of its current analysis when there is one.
    fn index(&self, encoding: Encoding) -> LineIndex<'_> {
        match self {
            Known::Open(current) => current.index(encoding),
            Known::Scanned { text, .. } => LineIndex::new(text, encoding),
        }
    }
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be filled in.
fn symbol_information(name: String, detail: Option<String>, location: Location) -> SymbolInformation {
    SymbolInformation { name, kind: SymbolKind::FILE, tags: None, deprecated: None, location, container_name: detail }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
fn document_symbol(item: &OutlineItem, index: &LineIndex<'_>) -> DocumentSymbol {
    DocumentSymbol {
        name: if item.name.is_empty() { "…".to_string() } else { item.name.clone() },
        detail: item.detail.clone(),
        kind: match item.kind {
            OutlineKind::Heading => SymbolKind::NAMESPACE,
            OutlineKind::Citation => SymbolKind::FILE,
        },
        tags: None,
        deprecated: None,
        range: index.range(item.range),
        selection_range: index.range(item.selection_range),
        children: if item.children.is_empty() { None } else { Some(item.children.iter().map(|c| document_symbol(c, index)).collect()) },
    }
}

/// The workspace folders named in `initialize` (folders, else the root URI).
pub fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        let roots: Vec<PathBuf> = folders.iter().filter_map(|f| f.uri.to_file_path().ok()).collect();
        if !roots.is_empty() {
            return roots;
        }
    }
    #[allow(deprecated)] // root_uri is the fallback for clients without workspace folders.
    params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Lines;
    use crate::state::{Analysed, Store};

    /// Opens `text` and keeps for it an analysis whose citation index is `index`, as the engine
    /// would have (here: chosen by the test, to see which one the queries read).
    fn open_with_index(store: &Store, uri: &Url, text: &str, index: CitationIndex) {
        store.open(uri.clone(), text, 1);
        let Some(pinned) = store.pin(uri) else { panic!("not open") };
        let analysed = Analysed {
            version: 1,
            generation: 0,
            text: Arc::new(text.to_string()),
            lines: Lines::new(text, Encoding::Utf16),
            findings: Vec::new(),
            citations: Some((Catalogue::bundled().fingerprint(), Arc::new(index))),
        };
        store.keep(uri, &pinned.worker, &Arc::new(analysed));
    }

    fn position_after(text: &str, needle: &str) -> Position {
        let at = text.find(needle).map_or(0, |i| i + needle.len());
        LineIndex::new(text, Encoding::Utf16).position(at)
    }

    /// Outline, completion and workspace symbols read the citations the engine found for this
    /// version, not a new scan of the text: given an index that cites a document the text does
    /// not, they all show that document.
    #[test]
    fn outline_completion_and_workspace_symbols_read_the_engine_s_index() {
        let store = Store::default();
        let Ok(uri) = Url::parse("file:///bao-cao.md") else { panic!("uri") };
        let text = "I. KẾT QUẢ\n\nCác chi bộ thực hiện Kết luận số \n\nNội dung còn lại của báo cáo, đủ dài để chứa trích dẫn.\n";
        let elsewhere = "I. KẾT QUẢ\n\nKết luận số 99-KL/TU ngày 25/10/2021 của Ban Thường vụ về công tác cán bộ.\n";
        assert!(elsewhere.len() <= text.len());
        open_with_index(&store, &uri, text, CitationIndex::of_text(elsewhere, &Catalogue::bundled()));
        let citations = Citations::default();
        let view = store.view();

        let Some(DocumentSymbolResponse::Nested(outline)) = citations.document_symbols(&view, &uri, Encoding::Utf16) else {
            panic!("no outline")
        };
        let cited: Vec<&str> = outline[0].children.iter().flatten().map(|s| s.name.as_str()).collect();
        assert_eq!(cited, vec!["Kết luận số 99-KL/TU"]);

        let symbols = citations.workspace_symbols(&view, "99-kl", Encoding::Utf16);
        assert_eq!(symbols.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["Kết luận số 99-KL/TU"]);

        let params = CompletionParams {
            text_document_position: TextDocumentPositionParams {
                text_document: TextDocumentIdentifier { uri: uri.clone() },
                position: position_after(text, "Kết luận số "),
            },
            work_done_progress_params: WorkDoneProgressParams::default(),
            partial_result_params: PartialResultParams::default(),
            context: None,
        };
        let Some(CompletionResponse::List(list)) = citations.completion(&view, &params, Encoding::Utf16, Locale::Vi) else {
            panic!("no completion")
        };
        assert!(list.items.iter().any(|i| i.label == "99-KL/TU"), "{:?}", list.items.iter().map(|i| &i.label).collect::<Vec<_>>());
    }

    /// Without an analysis of the current version (an edit not analysed yet) the text is
    /// scanned: the answers are those of the text itself.
    #[test]
    fn without_an_analysis_of_this_version_the_text_is_scanned() {
        let store = Store::default();
        let Ok(uri) = Url::parse("file:///bao-cao.md") else { panic!("uri") };
        store.open(uri.clone(), "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Bộ Chính trị.\n", 1);
        let view = store.view();
        let Some(DocumentSymbolResponse::Nested(outline)) = Citations::default().document_symbols(&view, &uri, Encoding::Utf16) else {
            panic!("no outline")
        };
        assert_eq!(outline.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["Kết luận số 21-KL/TW"]);
    }

    /// 10,000 paragraphs citing three documents each: one symbol per full citation, each range
    /// converted by the version's one line index (a binary search per position, no scan from
    /// the start of the text). Timings are in docs/performance.md, not asserted here.
    #[test]
    fn ten_thousand_cited_paragraphs_give_thirty_thousand_symbols() {
        let text: String = (0..10_000)
            .map(|i| {
                format!(
                    "Thực hiện Nghị quyết số {i}-NQ/TW ngày {:02}/{:02}/{} của Ban Chấp hành; theo Nghị quyết số {i}-NQ/TW và Quyết định số {i}/QĐ-UBND ngày {}/{}/20{}.\n\n",
                    1 + i % 28,
                    1 + i % 12,
                    1990 + i % 35,
                    1 + i % 30,
                    1 + i % 12,
                    10 + i % 15
                )
            })
            .collect();
        let store = Store::default();
        let Ok(uri) = Url::parse("file:///bao-cao.md") else { panic!("uri") };
        open_with_index(&store, &uri, &text, CitationIndex::of_text(&text, &Catalogue::bundled()));
        let view = store.view();
        let Some(DocumentSymbolResponse::Nested(symbols)) = Citations::default().document_symbols(&view, &uri, Encoding::Utf16) else {
            panic!("no outline")
        };
        assert_eq!(symbols.len(), 30_000);
        // Paragraph i is on line 2i; its three citations in order.
        for i in [0usize, 1, 4_321, 9_999] {
            let lines: Vec<u32> = symbols[3 * i..3 * i + 3].iter().map(|s| s.selection_range.start.line).collect();
            assert_eq!(lines, vec![2 * i as u32; 3], "paragraph {i}");
            assert_eq!(symbols[3 * i].selection_range.start.character, "Thực hiện ".chars().count() as u32);
            assert_eq!(symbols[3 * i + 2].name, format!("Quyết định số {i}/QĐ-UBND"));
        }
    }

    #[test]
    fn a_broken_workspace_catalogue_is_reported_and_the_rest_still_loads() {
        let dir = std::env::temp_dir().join(format!("baocao-catalogue-test-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join(".baocao"));
        let path = dir.join(WORKSPACE_CATALOGUE);
        let _ = std::fs::write(&path, "[\n  {\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\"\n]");
        let citations = Citations::default();
        citations.set_roots(vec![dir.clone()]);
        let problems = citations.reload_catalogues();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);
        assert_eq!(citations.catalogue().entries.len(), Catalogue::bundled().entries.len());
        let _ = std::fs::write(&path, "[{\"type\": \"Kế hoạch\", \"number_symbol\": \"147-KH/TU\", \"issue_date\": \"2022-01-14\"}]");
        assert!(citations.reload_catalogues().is_empty());
        assert_eq!(citations.catalogue().entries.len(), Catalogue::bundled().entries.len() + 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn toml_catalogues_read_entries_and_name_the_line_of_errors() {
        let text = "# local documents\n[[entries]]\ntype = \"Kế hoạch\"\nnumber_symbol = \"147-KH/TU\"\nissue_date = \"2022-01-14\"\nissuing_body = \"Tỉnh ủy\"\n";
        let parsed = Catalogue::parse_toml(text, "d.toml");
        let Ok(catalogue) = parsed else { panic!("{parsed:?}") };
        assert_eq!(catalogue.entries.len(), 1);
        let unquoted = Catalogue::parse_toml(&text.replace("\"2022-01-14\"", "2022-01-14"), "d.toml");
        let date = unquoted.ok().and_then(|c| c.entries.first().and_then(|e| e.issue_date)).map(|d| d.iso());
        assert_eq!(date.as_deref(), Some("2022-01-14"));
        assert_eq!(catalogue.entries[0].origin, Origin::Workspace { path: "d.toml".to_string(), line: 4 });
        let broken = Catalogue::parse_toml("[[entries]]\ntype = \"Kế hoạch\"\nnumber_symbol = 147-KH\n", "d.toml");
        assert_eq!(broken.err().map(|e| e.line), Some(3));
        let bad_date =
            Catalogue::parse_toml("[[entries]]\ntype = \"Kế hoạch\"\nnumber_symbol = \"1-KH/TU\"\nissue_date = \"2023-02-29\"\n", "d.toml");
        assert_eq!(bad_date.err().map(|e| e.line), Some(3));
    }
}
