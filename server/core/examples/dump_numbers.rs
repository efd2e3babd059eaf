//! Prints what the number checks read in a file: each quantity with its unit, label, cue and
//! position, then the breakdowns found. A tool for studying a miss or a false alarm:
//! `cargo run -p baocao-core --example dump_numbers -- FILE`.
use baocao_core::extract::extract_block;
use baocao_core::rules::groups::breakdowns;
use baocao_core::units::AbbreviationMap;

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("cannot read {path}");
            continue;
        };
        for (n, block) in baocao_core::text::split_blocks(&text).iter().enumerate() {
            let facts = extract_block(block.text);
            println!("== {path} block {n}");
            for (i, q) in facts.quantities.iter().enumerate() {
                println!(
                    "{i:3} {:>10} {:?} s{} seg{} d{} unit={:?} label={:?} pre={:?} qual={:?} cue={:?} ann={:?} opener={:?} cmp={} share_of={:?}",
                    q.written, q.kind, q.sentence, q.segment, q.depth, q.unit, q.label, q.pre, q.qualifier, q.cue, q.announcer, q.opener, q.comparison, q.share_of
                );
            }
            let abbreviations = AbbreviationMap::default();
            for b in breakdowns(&facts.quantities, &abbreviations) {
                let parts: Vec<&str> = b.parts.iter().map(|&p| facts.quantities[p].written.as_str()).collect();
                println!(
                    "breakdown whole={} parts={parts:?} mode={:?} open={} linked={}",
                    facts.quantities[b.whole].written, b.mode, b.open, b.linked
                );
            }
            for c in &facts.counts {
                println!("count {c:?}");
            }
        }
    }
}
