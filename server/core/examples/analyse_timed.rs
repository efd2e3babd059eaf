//! Times the core's analysis of files, in-process (no JSON, no CLI): a fresh analysis, then the
//! re-analysis after a one-character edit in the middle, with the findings counted. For the
//! one-line documents of `tests/bench/one-line-docs.py` (issue 12), where a whole document is
//! one block: `cargo run --release -p baocao-core --example analyse_timed -- FILE…`.
use baocao_core::{Analyzer, Config};
use std::time::Instant;

fn main() {
    let config = Config::default();
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        let mut analyzer = Analyzer::new();
        let started = Instant::now();
        let findings = analyzer.analyze(&text, &config).len();
        let full = started.elapsed();
        let citations = analyzer.citation_index().map_or(0, |index| index.citations.len());
        // A space inserted at the first space after the middle: a one-line document is one
        // block, so this re-reads all of it.
        let mut mid = text.len() / 2;
        while !text.is_char_boundary(mid) {
            mid += 1;
        }
        let at = text[mid..].find(' ').map_or(text.len(), |i| mid + i);
        let edited = format!("{} {}", &text[..at], &text[at..]);
        let started = Instant::now();
        let after_edit = analyzer.analyze(&edited, &config).len();
        let edit = started.elapsed();
        println!(
            "{path}: {} bytes, {citations} citations, {findings} findings; full {:.3} s, edit {:.3} s ({after_edit} findings)",
            text.len(),
            full.as_secs_f64(),
            edit.as_secs_f64()
        );
    }
}
