//! The analysis of a whole document: blocks, the per-block cache, and the document-level pass.
//!
//! Invariants:
//! - block facts depend only on the block's text, so they are cached by content;
//! - block findings depend on the block's facts, the document's abbreviations and the
//!   configuration, so they are cached per block and recomputed only when one of those changes;
//! - the document-level pass only links cached results (remaining parts stated elsewhere,
//!   lists that start in a later block) and does no extraction.
//!
//! A keystroke therefore re-extracts one block; the rest is hashing and linking.

use crate::config::Config;
use crate::extract::{extract_block, BlockFacts, Items, QuantityKind};
use crate::rules::groups::{groups, tail};
use crate::rules::total_mismatch::OpenTotal;
use crate::rules::{self, is_status, BlockCtx, RuleCode};
use crate::text::{split_blocks, TextRange};
use crate::units::{compatible, AbbreviationMap};
use crate::Finding;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What the rules found in one block, with block-relative ranges.
#[derive(Debug, Clone, Default)]
struct BlockFindings {
    findings: Vec<Finding>,
    open_totals: Vec<OpenTotal>,
}

struct CacheEntry {
    text: Box<str>,
    facts: Arc<BlockFacts>,
    /// Findings computed for the context with this stamp.
    findings: Option<(u64, Arc<BlockFindings>)>,
    /// The analysis run that last used this entry (for eviction).
    last_used: u64,
}

impl CacheEntry {
    /// A fresh entry for `text`, extracted now.
    fn new(text: &str) -> CacheEntry {
        CacheEntry { text: text.into(), facts: Arc::new(extract_block(text)), findings: None, last_used: 0 }
    }
}

/// Analyses documents, keeping per-block results between calls. One per open document.
#[derive(Default)]
pub struct Analyzer {
    cache: FxHashMap<u64, CacheEntry>,
    run: u64,
    /// How many blocks the last run extracted (not found in the cache); for tests and benchmarks.
    pub last_extracted: usize,
    /// Citation scans per block, kept like the block facts (see `citations::CitationCache`).
    citations: crate::citations::CitationCache,
    /// Phrasing scans per block, and the phrasing conclusions (see `phrasebook::PhrasingCache`).
    phrasing: crate::phrasebook::PhrasingCache,
}

/// Analyses `text` once, without keeping a cache.
pub fn analyze(text: &str, config: &Config) -> Vec<Finding> {
    Analyzer::default().analyze(text, config)
}

fn hash_str(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Extracts the blocks not in the cache, on several threads when there are many (the first
    /// analysis of a large document); blocks are independent, so the result is the same.
    fn extract_missing(&mut self, blocks: &[crate::text::Block<'_>], keys: &[u64]) {
        let mut seen = rustc_hash::FxHashSet::default();
        let missing: Vec<(u64, &str)> = blocks
            .iter()
            .zip(keys)
            .map(|(b, key)| (*key, b.text))
            .filter(|(key, text)| !matches!(self.cache.get(key), Some(e) if &*e.text == *text))
            .filter(|(key, _)| seen.insert(*key))
            .collect();
        let extracted: Vec<(u64, &str, BlockFacts)> = crate::par_map(&missing, |&(key, text)| (key, text, extract_block(text)));
        self.last_extracted += extracted.len();
        for (key, text, facts) in extracted {
            self.cache.insert(key, CacheEntry { text: text.into(), facts: Arc::new(facts), findings: None, last_used: 0 });
        }
    }

    /// All findings for `text`, sorted by position, with the configuration's severities applied.
    /// Citations are checked against the bundled catalogue.
    pub fn analyze(&mut self, text: &str, config: &Config) -> Vec<Finding> {
        self.analyze_with(text, config, &crate::catalogue::Catalogue::bundled())
    }

    /// [`Analyzer::analyze`] with citations checked against `catalogue` (bundled plus workspace).
    pub fn analyze_with(&mut self, text: &str, config: &Config, catalogue: &crate::catalogue::Catalogue) -> Vec<Finding> {
        self.run += 1;
        self.last_extracted = 0;
        let blocks = split_blocks(text);
        // Each block's content hash, computed once and shared by every cache.
        let block_keys: Vec<u64> = blocks.iter().map(|b| hash_str(b.text)).collect();
        self.extract_missing(&blocks, &block_keys);
        let mut facts: Vec<Arc<BlockFacts>> = Vec::with_capacity(blocks.len());
        for (block, &key) in blocks.iter().zip(&block_keys) {
            // `extract_missing` put every block in the cache; only two different blocks of this
            // document with the same hash can leave the other one's entry under this key.
            let entry = self.cache.entry(key).or_insert_with(|| CacheEntry::new(block.text));
            if &*entry.text != block.text {
                *entry = CacheEntry::new(block.text);
                self.last_extracted += 1;
            }
            entry.last_used = self.run;
            facts.push(entry.facts.clone());
        }

        // Abbreviations defined anywhere in the document.
        let mut abbreviations = AbbreviationMap::default();
        for f in &facts {
            for (abbreviation, words) in &f.abbreviations {
                abbreviations.entry(abbreviation.clone()).or_insert_with(|| words.clone());
            }
        }
        let stamp = context_stamp(&abbreviations, config);

        // Block findings, cached per context.
        let mut per_block: Vec<Arc<BlockFindings>> = Vec::with_capacity(blocks.len());
        for (i, block) in blocks.iter().enumerate() {
            let Some(entry) = self.cache.get_mut(&block_keys[i]) else { continue };
            let cached = entry.findings.as_ref().filter(|(s, _)| *s == stamp).map(|(_, f)| f.clone());
            let result = match cached {
                Some(found) => found,
                None => {
                    let ctx = BlockCtx { text: block.text, facts: &facts[i], abbreviations: &abbreviations, locale: config.locale };
                    let found = Arc::new(block_findings(&ctx, config));
                    entry.findings = Some((stamp, found.clone()));
                    found
                }
            };
            per_block.push(result);
        }

        // Document-level pass. Remaining parts are looked up only among quantities whose value
        // is one of the missing amounts: one linear scan, whatever the number of short sums.
        let missing: rustc_hash::FxHashSet<rust_decimal::Decimal> =
            per_block.iter().flat_map(|f| f.open_totals.iter().map(|o| o.missing)).collect();
        let mut candidates: FxHashMap<rust_decimal::Decimal, Vec<(usize, usize)>> = FxHashMap::default();
        if !missing.is_empty() {
            for (b, block_facts) in facts.iter().enumerate() {
                for (q, quantity) in block_facts.quantities.iter().enumerate() {
                    if missing.contains(&quantity.value) {
                        candidates.entry(quantity.value).or_default().push((b, q));
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            let Some(found) = per_block.get(i) else { continue };
            let mut local: Vec<Finding> = found.findings.iter().map(|f| f.shifted(block.offset)).collect();
            for open in &found.open_totals {
                if let Some(finding) = local.get_mut(open.finding) {
                    let same_value = candidates.get(&open.missing).map_or(&[][..], Vec::as_slice);
                    if let Some((range, text_of)) = remaining_part(&blocks, &facts, same_value, i, open, &abbreviations) {
                        rules::total_mismatch::reconcile(finding, range, &text_of, config.locale);
                    }
                }
            }
            out.extend(local);
        }
        if config.is_enabled(RuleCode::CountMismatch) {
            let block_list: Vec<(usize, &BlockFacts)> = blocks.iter().zip(&facts).map(|(b, f)| (b.offset, &**f)).collect();
            for (i, block) in blocks.iter().enumerate() {
                for claim in &facts[i].counts {
                    let Items::FollowingLines { from } = claim.items else { continue };
                    let lines = rules::count_mismatch::lines_from(&block_list[i..], block.offset + from);
                    let Some(items) = rules::count_mismatch::count_following(lines) else { continue };
                    let mut absolute = claim.clone();
                    absolute.span = claim.span.shift(block.offset);
                    absolute.number = claim.number.shift(block.offset);
                    if let Some(finding) = rules::count_mismatch::compare(&absolute, &items, config.locale) {
                        out.push(finding);
                    }
                }
            }
        }

        out.extend(self.citations.check(&blocks, &block_keys, text, config, catalogue));

        // Standard phrasing: document-level scans (tone marks, abbreviations, typos, dates …).
        self.phrasing.check(&blocks, &block_keys, text, config, &mut out);

        // Inline suppression comments (`<!-- baocao-disable-next-line CODE -->` …).
        crate::suppression::apply(text, &mut out);

        // Severities from the configuration; rules turned off disappear.
        let mut out: Vec<Finding> = out
            .into_iter()
            .filter_map(|mut f| {
                f.severity = config.severity_for(f.code, f.severity)?;
                Some(f)
            })
            .collect();
        out.sort_by_key(|f| (f.range.start, f.range.end, f.code));
        out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);

        // Forget blocks no longer in the document.
        let run = self.run;
        self.cache.retain(|_, e| e.last_used == run);
        out
    }
}

fn block_findings(ctx: &BlockCtx<'_>, config: &Config) -> BlockFindings {
    let mut out = BlockFindings::default();
    let groups = groups(&ctx.facts.quantities, ctx.abbreviations);
    if config.is_enabled(RuleCode::TotalMismatch) {
        rules::total_mismatch::check(ctx, &groups, &mut out.findings, &mut out.open_totals);
    }
    if config.is_enabled(RuleCode::FractionMismatch) {
        rules::fraction_mismatch::check(ctx, &mut out.findings);
    }
    if config.is_enabled(RuleCode::CountMismatch) {
        rules::count_mismatch::check_inline(ctx, &mut out.findings);
    }
    if config.is_enabled(RuleCode::PercentMismatch) {
        rules::percent_mismatch::check(ctx, &groups, &mut out.findings);
    }
    if config.is_enabled(RuleCode::RatioMismatch) {
        rules::ratio_mismatch::check(ctx, &groups, &mut out.findings);
    }
    if config.is_enabled(RuleCode::TableTotalMismatch) {
        rules::table_total_mismatch::check(ctx, &mut out.findings);
    }
    out
}

/// A same-unit quantity elsewhere in the document equal to the missing part of a short sum.
fn remaining_part(
    blocks: &[crate::text::Block<'_>],
    facts: &[Arc<BlockFacts>],
    same_value: &[(usize, usize)],
    home: usize,
    open: &OpenTotal,
    abbreviations: &AbbreviationMap,
) -> Option<(TextRange, String)> {
    for &(b, index) in same_value {
        {
            let Some(q) = facts.get(b).and_then(|f| f.quantities.get(index)) else { continue };
            if q.kind != QuantityKind::Count || q.comparison || q.value != open.missing || q.unit.is_empty() {
                continue;
            }
            if b == home && open.used.contains(&q.range) {
                continue;
            }
            let Some(common) = compatible(&open.unit, &q.unit, abbreviations) else { continue };
            let mut description = tail(q, q, common);
            if q.pre.iter().any(|w| w == "còn") {
                description.insert(0, "còn".to_string());
            }
            if !is_status(&description) {
                continue;
            }
            let block = blocks.get(b)?;
            let span = q.span.shift(block.offset);
            let mut shown = format!("{} {}", q.written, q.unit.join(" "));
            if !q.qualifier.is_empty() {
                shown.push(' ');
                shown.push_str(&q.qualifier.iter().take(4).cloned().collect::<Vec<_>>().join(" "));
            }
            return Some((span, shown));
        }
    }
    None
}

fn context_stamp(abbreviations: &AbbreviationMap, config: &Config) -> u64 {
    let mut hasher = FxHasher::default();
    let mut entries: Vec<_> = abbreviations.iter().collect();
    entries.sort();
    entries.hash(&mut hasher);
    config.locale.hash(&mut hasher);
    let mut rules: Vec<_> = config.rules.iter().collect();
    rules.sort_by_key(|(code, _)| **code);
    rules.hash(&mut hasher);
    hasher.finish()
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

    #[test]
    fn a_warm_analyzer_agrees_with_a_fresh_one_after_every_edit() {
        let config = Config::default();
        let mut warm = Analyzer::new();
        let mut text = DOCUMENT.repeat(3);
        let mut rng = Lcg(7);
        let inserts = ["1", "9", " ", "\n\n", "đạt ", "uỷ ", "ủy ", "NQ ", "ĐH ", ";", "Đại hội XX ", "a"];
        for step in 0..300 {
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
            assert_eq!(incremental, fresh, "step {step}: the cached analysis differs from a fresh one");
        }
    }
}
