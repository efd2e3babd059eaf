//! One plain run of the benchmark workload, for instruction counts and profiles
//! (`valgrind --tool=callgrind`, `perf record`), which criterion's repeated timing loop
//! would drown, and for writing the generated reports to disk for the LSP latency bench.
//!
//! Usage (the binary is built by `cargo bench -p baocao-core --bench workload --no-run`):
//!   workload full 1m        analyse the 1 MB report once with a fresh Analyzer
//!   workload full 1m-lines  the same report with one paragraph per line, no blank lines
//!   workload edit 1m        analyse it, then once more after a one-character edit;
//!                           with callgrind, toggle collection on `edit_once` to count only the edit
//!   workload write DIR      write baocao-{10k,100k,1m}.md into DIR
//!   … off=CODE,CODE         with those rules turned off (what a pass costs = with − without)
//! Without arguments (as `cargo bench` runs it) it prints size, blocks and findings per report.

mod support;

use baocao_core::{Analyzer, Config, RuleCode, RuleSetting};
use std::process::ExitCode;

/// The generated report of that name; `1m-lines` is the 1 MB one with one paragraph per line.
fn report_of(name: &str) -> Option<String> {
    match name {
        "10k" => Some(support::report(10_000, false)),
        "100k" => Some(support::report(100_000, false)),
        "1m" => Some(support::report(1_000_000, false)),
        "1m-lines" => Some(support::one_paragraph_per_line(&support::report(1_000_000, false))),
        _ => None,
    }
}

/// Kept out of line so a profiler can isolate the re-analysis after the edit.
#[inline(never)]
fn edit_once(analyzer: &mut Analyzer, text: &str, config: &Config) -> usize {
    analyzer.analyze(text, config).len()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let mut config = Config::default();
    if let Some(at) = args.iter().position(|a| a.starts_with("off=")) {
        let off = args.remove(at);
        for code in off.trim_start_matches("off=").split(',').filter(|c| !c.is_empty()) {
            let Some(rule) = RuleCode::parse(code) else {
                eprintln!("unknown rule code: {code}");
                return ExitCode::from(2);
            };
            config.rules.insert(rule, RuleSetting::Off);
        }
    }
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["full", size] => {
            let Some(text) = report_of(size) else { return usage() };
            let findings = Analyzer::new().analyze(&text, &config);
            println!("full {size}: {} bytes, {} findings", text.len(), findings.len());
        }
        ["edit", size] => {
            let Some(text) = report_of(size) else { return usage() };
            let Some(edited) = support::flip_middle(&text) else { return usage() };
            let mut analyzer = Analyzer::new();
            analyzer.analyze(&text, &config);
            let started = std::time::Instant::now();
            let findings = edit_once(&mut analyzer, &edited, &config);
            let took = started.elapsed();
            println!(
                "edit {size}: {} bytes, {findings} findings, {} block(s) re-extracted, {:.2} ms (one run; use criterion for timing)",
                text.len(),
                analyzer.last_extracted,
                took.as_secs_f64() * 1000.0
            );
        }
        ["write", dir] => {
            for (name, bytes) in [("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000)] {
                let path = std::path::Path::new(dir).join(format!("baocao-{name}.md"));
                if let Err(error) = std::fs::write(&path, support::report(bytes, false)) {
                    eprintln!("cannot write {}: {error}", path.display());
                    return ExitCode::from(2);
                }
                println!("{}", path.display());
            }
        }
        [] => {
            for name in ["10k", "100k", "1m", "1m-lines"] {
                let Some(text) = report_of(name) else { continue };
                let blocks = baocao_core::text::split_blocks(&text).len();
                let findings = Analyzer::new().analyze(&text, &config);
                let mut by_code = std::collections::BTreeMap::new();
                for f in &findings {
                    *by_code.entry(f.code.as_str()).or_insert(0) += 1;
                }
                println!("{name}: {} bytes, {blocks} blocks, {} findings {by_code:?}", text.len(), findings.len());
            }
        }
        _ => return usage(),
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: workload [full|edit] [10k|100k|1m|1m-lines] [off=CODE,…] | workload write DIR");
    ExitCode::from(2)
}
