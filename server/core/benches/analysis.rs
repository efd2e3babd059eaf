//! Criterion benchmarks of the analysis core (issue 2 §6).
//!
//! - `full/<size>`: a fresh `Analyzer` per iteration — what opening a document costs.
//! - `edit/<size>`: a warm `Analyzer`; each iteration analyses the document with one character
//!   changed near the middle, alternating between the two versions so every iteration really
//!   changes one block (the cache keeps only the blocks of the last run, so the other version's
//!   block has been evicted) — what a keystroke costs.
//!
//! - `*/1m-lines`: the same report with one paragraph per line and no blank lines.
//!
//! Targets on the 2-core reference machine: `full/1m` ≤ 50 ms, `edit/1m` and `edit/1m-lines` ≤ 2 ms.
//! Sample counts are kept low so `cargo bench -p baocao-core` finishes in a few minutes.

mod support;

use baocao_core::{Analyzer, Config};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::time::Duration;

const SIZES: &[(&str, usize)] = &[("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000)];

fn full(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("full");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    for &(name, bytes) in SIZES {
        let text = support::report(bytes, false);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| Analyzer::new().analyze(black_box(&text), &config)));
    }
    // The same 1 MB report with Windows line breaks, as a CRLF client sends it.
    let text = support::report(1_000_000, true);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("1m-crlf", |b| b.iter(|| Analyzer::new().analyze(black_box(&text), &config)));
    // The same report with one paragraph per line and no blank lines, as word processors export.
    let text = support::one_paragraph_per_line(&support::report(1_000_000, false));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("1m-lines", |b| b.iter(|| Analyzer::new().analyze(black_box(&text), &config)));
    group.finish();
}

fn edit(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("edit");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let shapes = SIZES
        .iter()
        .map(|&(name, bytes)| (name.to_string(), support::report(bytes, false)))
        .chain([("1m-lines".to_string(), support::one_paragraph_per_line(&support::report(1_000_000, false)))]);
    for (name, original) in shapes {
        let Some(edited) = support::flip_middle(&original) else {
            panic!("the generated {name} report has no \"và\" after its middle to edit");
        };
        let versions = [original, edited];
        let mut analyzer = Analyzer::new();
        analyzer.analyze(&versions[0], &config);
        // Guard the benchmark's premise: one edit re-extracts exactly one block.
        analyzer.analyze(&versions[1], &config);
        assert_eq!(analyzer.last_extracted, 1, "edit/{name}: a one-character edit should re-extract one block");
        let mut next = 0;
        group.throughput(Throughput::Bytes(versions[0].len() as u64));
        group.bench_function(&name, |b| {
            b.iter_batched(
                || {
                    let text = &versions[next];
                    next ^= 1;
                    text
                },
                |text| analyzer.analyze(black_box(text), &config),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, full, edit);
criterion_main!(benches);
