//! The engine: the only orchestrator of the analysis of a document.
//!
//! One run of [`Analyzer::analyze_with`]:
//! 1. split the document into bounded blocks ([`crate::text::split_blocks`]);
//! 2. fetch each block's facts (quantities, counted lists, tables, citations and dates) from the
//!    block cache, keyed by the block's content, or compute them;
//! 3. build the document indexes every rule shares: abbreviations defined anywhere, and the
//!    citations linked to each other and to the catalogue ([`CitationIndex`]);
//! 4. fetch or compute every enabled rule's scan of every block; scans are cached with the block
//!    under a key derived from the settings, the phrasebook, the catalogue and the document's
//!    abbreviations, never from a hand-kept list;
//! 5. call every enabled rule's conclusion over the placed scans (memoised per rule by the keys
//!    of the blocks it depends on);
//! 6. apply inline suppression comments and the configured severities, sort, deduplicate.
//!
//! A keystroke therefore re-extracts and re-scans one block, whatever the document's shape; the
//! rest is hashing, moving ranges and the conclusions' linear passes.

mod block_cache;

use crate::catalogue::Catalogue;
use crate::citations::CitationIndex;
use crate::config::Config;
use crate::rules::{self, AnyScan, BlockCtx, DocBlock, DocCtx, DynRule, RuleCode, Setup};
use crate::text::{split_blocks, TextRange};
use crate::units::AbbreviationMap;
use crate::Finding;
use block_cache::{BlockCache, BlockEntry};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The rules built for one configuration, and its fingerprint.
struct BuiltRules {
    settings: u64,
    rules: Vec<Box<dyn DynRule>>,
}

/// A rule's last findings and the blocks they were concluded from.
struct Memo {
    /// The scans' key ([`Analyzer::analyze_with`] step 4) when the findings were made.
    context: u64,
    /// (block key, block offset) of the blocks the conclusion could depend on, in order.
    blocks: Vec<(u64, usize)>,
    findings: Vec<Finding>,
}

/// The citation index of the last run and the blocks it was built from.
struct IndexMemo {
    catalogue: u64,
    /// Keys of the blocks that hold citations or dates, in order, and their offsets.
    blocks: Vec<u64>,
    offsets: Vec<usize>,
    index: Arc<CitationIndex>,
}

/// Analyses documents, keeping per-block results between calls. One per open document.
#[derive(Default)]
pub struct Analyzer {
    cache: BlockCache,
    run: u64,
    /// How many blocks the last run extracted (not found in the cache); for tests and benchmarks.
    pub last_extracted: usize,
    /// How many blocks the last run scanned with the rules (not found in the cache).
    pub last_scanned: usize,
    rules: Option<BuiltRules>,
    memos: FxHashMap<RuleCode, Memo>,
    index: Option<IndexMemo>,
}

/// Analyses `text` once, without keeping a cache.
pub fn analyze(text: &str, config: &Config) -> Vec<Finding> {
    Analyzer::default().analyze(text, config)
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// All findings for `text`, sorted by position, with the configuration's severities applied.
    /// Citations are checked against the bundled catalogue.
    pub fn analyze(&mut self, text: &str, config: &Config) -> Vec<Finding> {
        self.analyze_with(text, config, &Catalogue::bundled())
    }

    /// The citation index of the last analysis (absolute ranges in the text analysed then):
    /// what hover, definition, references and completion read, so they agree with the
    /// diagnostics of that version.
    pub fn citation_index(&self) -> Option<Arc<CitationIndex>> {
        self.index.as_ref().map(|m| m.index.clone())
    }

    /// [`Analyzer::analyze`] with citations checked against `catalogue` (bundled plus workspace).
    pub fn analyze_with(&mut self, text: &str, config: &Config, catalogue: &Catalogue) -> Vec<Finding> {
        self.run += 1;
        let run = self.run;
        let phrasebook = crate::phrasebook::of_config(config);

        // 1–2. Blocks and their facts.
        let blocks = split_blocks(text);
        let keys: Vec<u64> = blocks.iter().map(|b| crate::fingerprint_of(b.text)).collect();
        self.last_extracted = self.cache.fill(&blocks, &keys, run);
        let entries: Vec<Arc<BlockEntry>> = blocks.iter().zip(&keys).map(|(b, k)| self.cache.entry(*k, b.text, run)).collect();

        // 3. Document indexes: abbreviations, then citations.
        let mut abbreviations = AbbreviationMap::default();
        for entry in &entries {
            for (abbreviation, words) in &entry.facts.abbreviations {
                abbreviations.entry(abbreviation.clone()).or_insert_with(|| words.clone());
            }
        }
        let index = self.citation_index_for(&blocks, &keys, &entries, catalogue);

        // 4. Scans, cached with the block under a key derived from everything they may read.
        let settings = crate::fingerprint_of(&(config.fingerprint(), phrasebook.fingerprint(), catalogue.fingerprint()));
        if self.rules.as_ref().map(|r| r.settings) != Some(settings) {
            let setup = Setup { config, phrasebook: &phrasebook };
            let rules = rules::build_all(&setup).into_iter().filter(|r| config.is_enabled(r.code())).collect();
            self.rules = Some(BuiltRules { settings, rules });
        }
        let Some(built) = self.rules.as_ref() else { return Vec::new() };
        let context = {
            let mut sorted: Vec<_> = abbreviations.iter().collect();
            sorted.sort();
            crate::fingerprint_of(&(settings, sorted))
        };
        let scan_block = |entry: &BlockEntry| -> Vec<(AnyScan, bool)> {
            let ctx = BlockCtx::new(&entry.text, &entry.facts, &entry.citations, &abbreviations, config, &phrasebook);
            built.rules.iter().map(|rule| rule.scan_any(&ctx)).collect()
        };
        let scans = self.cache.scans(&entries, context, scan_block);
        self.last_scanned = scans.computed;

        // 5. Conclusions.
        let doc_blocks: Vec<DocBlock<'_>> = blocks
            .iter()
            .zip(&entries)
            .map(|(b, e)| DocBlock { offset: b.offset, blank_before: b.blank_before, text: b.text, facts: &e.facts })
            .collect();
        let doc = DocCtx {
            text,
            blocks: &doc_blocks,
            abbreviations: &abbreviations,
            citations: &index,
            catalogue,
            config,
            phrasebook: &phrasebook,
            locale: config.locale,
        };
        let mut out = Vec::new();
        for (r, rule) in built.rules.iter().enumerate() {
            let mut placed: Vec<(usize, usize, &AnyScan)> = Vec::with_capacity(blocks.len());
            let mut depends: Vec<(u64, usize)> = Vec::with_capacity(blocks.len());
            for (b, block_scans) in scans.per_block.iter().enumerate() {
                let Some((scan, relevant)) = block_scans.get(r) else { continue };
                if *relevant {
                    placed.push((b, blocks[b].offset, scan));
                    depends.push((keys[b], blocks[b].offset));
                }
            }
            let code = rule.code();
            if let Some(memo) = self.memos.get_mut(&code) {
                if memo.context == context
                    && memo.blocks.len() == depends.len()
                    && memo.blocks.iter().zip(&depends).all(|(a, b)| a.0 == b.0)
                {
                    move_findings(&mut memo.findings, &memo.blocks, &depends);
                    memo.blocks = depends;
                    out.extend(memo.findings.iter().cloned());
                    continue;
                }
            }
            // The old findings are of no use now: let them go before the new ones are made (on
            // a document with 78,000 findings each copy is some 60 MB).
            self.memos.remove(&code);
            let mut found = Vec::new();
            rule.conclude_any(&doc, &placed, &mut found);
            out.extend(found.iter().cloned());
            self.memos.insert(code, Memo { context, blocks: depends, findings: found });
        }
        self.memos.retain(|code, _| built.rules.iter().any(|r| r.code() == *code));

        // 6. Inline suppression comments (`<!-- baocao-disable-next-line CODE -->` …), then the
        // configured severities; rules turned off have not run at all.
        crate::suppression::apply(text, &mut out);
        let mut out: Vec<Finding> = out
            .into_iter()
            .filter_map(|mut f| {
                f.severity = config.severity_for(f.code, f.severity)?;
                Some(f)
            })
            .collect();
        out.sort_by_key(|f| (f.range.start, f.range.end, f.code));
        out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);

        self.cache.evict(run);
        out
    }

    /// The citation index for these blocks: the last one, moved, when the blocks holding
    /// citations or dates are the same; otherwise linked anew.
    fn citation_index_for(
        &mut self,
        blocks: &[crate::text::Block<'_>],
        keys: &[u64],
        entries: &[Arc<BlockEntry>],
        catalogue: &Catalogue,
    ) -> Arc<CitationIndex> {
        let with_citations: Vec<usize> =
            (0..blocks.len()).filter(|&b| !entries[b].citations.citations.is_empty() || !entries[b].citations.dates.is_empty()).collect();
        let block_keys: Vec<u64> = with_citations.iter().map(|&b| keys[b]).collect();
        let offsets: Vec<usize> = with_citations.iter().map(|&b| blocks[b].offset).collect();
        let fingerprint = catalogue.fingerprint();
        if let Some(memo) = &mut self.index {
            if memo.catalogue == fingerprint && memo.blocks == block_keys {
                if memo.offsets != offsets {
                    let moves: Vec<isize> = memo.offsets.iter().zip(&offsets).map(|(old, new)| *new as isize - *old as isize).collect();
                    let citations: Vec<usize> = with_citations.iter().map(|&b| entries[b].citations.citations.len()).collect();
                    let dates: Vec<usize> = with_citations.iter().map(|&b| entries[b].citations.dates.len()).collect();
                    Arc::make_mut(&mut memo.index).move_blocks(&moves, &citations, &dates);
                    memo.offsets = offsets;
                }
                return memo.index.clone();
            }
        }
        let placed = with_citations.iter().map(|&b| (blocks[b].offset, &entries[b].citations));
        let index = Arc::new(CitationIndex::from_blocks(placed, catalogue));
        self.index = Some(IndexMemo { catalogue: fingerprint, blocks: block_keys, offsets, index: index.clone() });
        index
    }
}

/// Moves findings concluded from blocks at `old` offsets to the blocks' `new` offsets (the same
/// blocks, in the same order). A range belongs to the last block that starts at or before it.
fn move_findings(findings: &mut [Finding], old: &[(u64, usize)], new: &[(u64, usize)]) {
    if old.iter().zip(new).all(|(a, b)| a.1 == b.1) {
        return;
    }
    let moves: Vec<(usize, isize)> = old.iter().zip(new).map(|(a, b)| (a.1, b.1 as isize - a.1 as isize)).collect();
    let move_range = |r: TextRange| {
        let i = moves.partition_point(|(start, _)| *start <= r.start);
        let by = if i == 0 { 0 } else { moves[i - 1].1 };
        TextRange::new(r.start.saturating_add_signed(by), r.end.saturating_add_signed(by))
    };
    for f in findings {
        f.map_ranges(move_range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|i| format!("Đoạn {i}: trong tổng số {} chỉ tiêu, có {} chỉ tiêu đạt và {} chỉ tiêu chưa đạt.", 10 + i, 6 + i, 4))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn one_character_edit_re_extracts_one_block() {
        let config = Config::default();
        let mut analyzer = Analyzer::new();
        let text = report(200);
        assert!(analyzer.analyze(&text, &config).is_empty());
        assert_eq!(analyzer.last_extracted, 200);
        assert!(analyzer.analyze(&text, &config).is_empty());
        assert_eq!(analyzer.last_extracted, 0);
        // Break one paragraph's total: only that block is extracted again, and it is flagged.
        let edited = text.replacen("trong tổng số 110 chỉ tiêu", "trong tổng số 111 chỉ tiêu", 1);
        assert_ne!(edited, text);
        let findings = analyzer.analyze(&edited, &config);
        assert_eq!(analyzer.last_extracted, 1);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, RuleCode::TotalMismatch);
        assert_eq!(&edited[findings[0].range.as_range()], "111 chỉ tiêu");
    }

    #[test]
    fn the_cache_forgets_blocks_that_left_the_document() {
        let config = Config::default();
        let mut analyzer = Analyzer::new();
        analyzer.analyze(&report(50), &config);
        analyzer.analyze(&report(3), &config);
        assert_eq!(analyzer.cache.len(), 3);
    }

    #[test]
    fn a_locale_change_recomputes_messages_without_re_extracting() {
        let mut analyzer = Analyzer::new();
        let text = "Trong tổng số 28 chỉ tiêu, có 6 chỉ tiêu đạt; 19 chỉ tiêu chưa đạt.";
        let vi = analyzer.analyze(text, &Config::default());
        let en = analyzer.analyze(text, &Config { locale: crate::Locale::En, ..Config::default() });
        assert_eq!(analyzer.last_extracted, 0);
        assert!(vi[0].message.contains("không khớp"));
        assert!(en[0].message.contains("does not match"));
    }
}

#[cfg(test)]
mod incremental_tests {
    use super::*;

    /// A document that triggers every kind of rule: numbers, citations, phrasing.
    const DOCUMENT: &str = "# BÁO CÁO SƠ KẾT\n\n\
Thực hiện Nghị quyết Đại hội XIX, Kế hoạch số 35-KH/HU ngày 10/02/2022 và Nghị quyết số 11-NQ/TW ngày 10-02-2022.\n\n\
Trong tổng số 28 chỉ tiêu thành phần, có 6 chỉ tiêu đạt và vượt; 19 chỉ tiêu đạt theo tiến độ.\n\n\
BCH Đảng bộ đã lãnh đạo; Tỉnh ủy và Tỉnh uỷ cùng chỉ đạo, hòa hợp, hoà giải.\n\n\
Ban Thường vụ xác định 4 nhiệm vụ trọng tâm gồm: a; b; c.\n\n\
Đến nay có **11/40** chỉ tiêu đạt, **31/40** chỉ tiêu đang thực hiện.\n\n\
| Đơn vị | Số đảng viên |\n|---|---|\n| Xã A | 12 |\n| Xã B | 8 |\n| **Tổng cộng** | **21** |\n\n\
Còn 3 chỉ tiêu thành phần đạt thấp. Công tác quán chiệt được quan tâm, ngày 31/4/2024.\n";

    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// A random change of one setting: a rule off or back on, the locale, a house style.
    fn change_setting(config: &mut Config, rng: &mut Lcg) {
        use crate::config::{DateSeparator, RuleSetting, ToneMarks};
        match rng.below(5) {
            0 | 1 => {
                let code = RuleCode::ALL[rng.below(RuleCode::ALL.len())];
                if config.rules.remove(&code).is_none() {
                    config.rules.insert(code, RuleSetting::Off);
                }
            }
            2 => config.locale = if config.locale == crate::Locale::Vi { crate::Locale::En } else { crate::Locale::Vi },
            3 => config.tone_marks = [ToneMarks::Majority, ToneMarks::Old, ToneMarks::New][rng.below(3)],
            _ => {
                config.date_separator = [DateSeparator::Majority, DateSeparator::Slash, DateSeparator::Hyphen][rng.below(3)];
                config.allowed_abbreviations = if rng.below(2) == 0 { None } else { Some(vec!["BCH".to_string()]) };
            }
        }
    }

    #[test]
    fn a_warm_analyzer_agrees_with_a_fresh_one_after_every_edit() {
        let mut config = Config::default();
        let mut warm = Analyzer::new();
        let mut text = DOCUMENT.repeat(3);
        let mut rng = Lcg(7);
        let inserts = ["1", "9", " ", "\n\n", "\n", ".\nTrong ", ". Xã ", "đạt ", "uỷ ", "ủy ", "NQ ", "ĐH ", ";", "Đại hội XX ", "a"];
        for step in 0..400 {
            if rng.below(4) == 0 {
                change_setting(&mut config, &mut rng);
            }
            // Pick a char boundary and either insert a snippet or delete a few characters.
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if rng.below(3) == 0 {
                let mut end = (at + 1 + rng.below(4)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            } else {
                text.insert_str(at, inserts[rng.below(inserts.len())]);
            }
            let incremental = warm.analyze(&text, &config);
            let fresh = Analyzer::new().analyze(&text, &config);
            assert_eq!(incremental, fresh, "step {step}: the cached analysis differs from a fresh one ({config:?})");
            // The index the editor features read is the one a fresh scan of this text gives.
            let index = warm.citation_index();
            let scanned = crate::citations::CitationIndex::of_text(&text, &crate::Catalogue::bundled());
            assert_eq!(index.as_deref(), Some(&scanned), "step {step}: the engine's citation index is not this text's");
        }
    }

    #[test]
    fn a_document_without_blank_lines_agrees_too() {
        // One paragraph per line: long runs are cut into several blocks, which edits move.
        let mut config = Config::default();
        let mut warm = Analyzer::new();
        let mut text = DOCUMENT.replace("\n\n", "\n").repeat(4);
        let mut rng = Lcg(11);
        let inserts = ["1", "\n", ". Xã A có 3 chi bộ.\n", "Trong đó, ", "- ", "ủy ", "NQ 11 ", "a"];
        for step in 0..200 {
            if rng.below(5) == 0 {
                change_setting(&mut config, &mut rng);
            }
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, inserts[rng.below(inserts.len())]);
            let incremental = warm.analyze(&text, &config);
            let fresh = Analyzer::new().analyze(&text, &config);
            assert_eq!(incremental, fresh, "step {step}: the cached analysis differs from a fresh one ({config:?})");
        }
    }

    #[test]
    fn a_rule_turned_off_and_on_again_speaks_again() {
        use crate::config::RuleSetting;
        let text = "Quán triệt NQ Đại hội XIII của Đảng.";
        let mut config = Config::default();
        let mut warm = Analyzer::new();
        let codes = |f: Vec<Finding>| f.into_iter().map(|f| f.code).collect::<Vec<_>>();
        let before = codes(warm.analyze(text, &config));
        assert!(before.contains(&RuleCode::ResolutionName), "{before:?}");
        config.rules.insert(RuleCode::ResolutionName, RuleSetting::Off);
        assert!(!codes(warm.analyze(text, &config)).contains(&RuleCode::ResolutionName));
        config.rules.remove(&RuleCode::ResolutionName);
        assert_eq!(codes(warm.analyze(text, &config)), before);
    }
}
