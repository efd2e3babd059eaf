//! The protocol side of baocao-ls: the LSP server, the CLI, settings and position conversion.
//! This is the only crate that knows tower-lsp, tokio, ropey and dashmap.

pub mod citations;
pub mod cli;
pub mod config;
pub mod convert;
pub mod docx_cli;
pub mod framing;
pub mod output;
pub mod project;
pub mod server;
pub mod state;
