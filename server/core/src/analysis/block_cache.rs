//! The one block cache: what the engine knows of each block, keyed by the block's content.
//!
//! A block's facts (quantities, lists, tables, citations, dates) depend only on its text. Its
//! rule scans depend on its text and on the scan context (a fingerprint of the settings, the
//! phrasebook, the catalogue and the document's abbreviations), so they are kept with the
//! context they were made for and made again when it changes. Blocks absent from a run are
//! forgotten at its end.

use crate::citations::BlockCitations;
use crate::extract::{extract_block, BlockFacts};
use crate::rules::AnyScan;
use crate::text::Block;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// What is known of one block's text whatever the settings.
pub(crate) struct BlockEntry {
    pub key: u64,
    pub text: Box<str>,
    pub facts: BlockFacts,
    pub citations: BlockCitations,
}

impl BlockEntry {
    fn new(key: u64, text: &str) -> BlockEntry {
        BlockEntry { key, text: text.into(), facts: extract_block(text), citations: crate::citations::scan(text) }
    }
}

/// Every enabled rule's scan of one block (in the order of the built rules), with whether the
/// rule's conclusion can depend on the block.
pub(crate) type BlockScans = Arc<Vec<(AnyScan, bool)>>;

struct Slot {
    entry: Arc<BlockEntry>,
    scans: Option<(u64, BlockScans)>,
    last_used: u64,
}

/// The scans of one run's blocks, in document order.
pub(crate) struct Scans {
    pub per_block: Vec<BlockScans>,
    /// How many blocks were scanned now (not found in the cache).
    pub computed: usize,
}

#[derive(Default)]
pub(crate) struct BlockCache {
    slots: FxHashMap<u64, Slot>,
}

impl BlockCache {
    /// Extracts the blocks not in the cache, on several threads when there are many (the first
    /// analysis of a large document): blocks are independent, so the result is the same.
    /// Returns how many were extracted.
    pub fn fill(&mut self, blocks: &[Block<'_>], keys: &[u64], run: u64) -> usize {
        let mut seen = FxHashSet::default();
        let missing: Vec<(u64, &str)> = blocks
            .iter()
            .zip(keys)
            .map(|(b, key)| (*key, b.text))
            .filter(|(key, text)| !matches!(self.slots.get(key), Some(s) if &*s.entry.text == *text))
            .filter(|(key, _)| seen.insert(*key))
            .collect();
        let extracted = crate::par_map(&missing, |&(key, text)| BlockEntry::new(key, text));
        let count = extracted.len();
        for entry in extracted {
            self.slots.insert(entry.key, Slot { entry: Arc::new(entry), scans: None, last_used: run });
        }
        count
    }

    /// The entry of the block `text` with content key `key`. Two different blocks of one
    /// document with the same key (a hash collision) each get their own, uncached entry.
    pub fn entry(&mut self, key: u64, text: &str, run: u64) -> Arc<BlockEntry> {
        match self.slots.get_mut(&key) {
            Some(slot) if &*slot.entry.text == text => {
                slot.last_used = run;
                slot.entry.clone()
            }
            _ => Arc::new(BlockEntry::new(key, text)),
        }
    }

    /// Every block's scans for `context`: cached ones, and the others computed by `scan` (on
    /// several threads when there are many) and kept.
    pub fn scans(&mut self, entries: &[Arc<BlockEntry>], context: u64, scan: impl Fn(&BlockEntry) -> Vec<(AnyScan, bool)> + Sync) -> Scans {
        let cached = |slots: &FxHashMap<u64, Slot>, entry: &BlockEntry| -> Option<BlockScans> {
            let slot = slots.get(&entry.key).filter(|s| std::ptr::eq(&*s.entry, entry))?;
            slot.scans.as_ref().filter(|(c, _)| *c == context).map(|(_, s)| s.clone())
        };
        let mut seen = FxHashSet::default();
        let missing: Vec<&Arc<BlockEntry>> =
            entries.iter().filter(|e| cached(&self.slots, e).is_none()).filter(|e| seen.insert(Arc::as_ptr(e))).collect();
        let computed: Vec<(&Arc<BlockEntry>, BlockScans)> = crate::par_map(&missing, |e| (*e, Arc::new(scan(e))));
        let mut fresh: FxHashMap<*const BlockEntry, BlockScans> = FxHashMap::default();
        for (entry, scans) in computed {
            if let Some(slot) = self.slots.get_mut(&entry.key).filter(|s| Arc::ptr_eq(&s.entry, entry)) {
                slot.scans = Some((context, scans.clone()));
            }
            fresh.insert(Arc::as_ptr(entry), scans);
        }
        let per_block = entries
            .iter()
            .map(|e| match fresh.get(&Arc::as_ptr(e)) {
                Some(s) => s.clone(),
                None => cached(&self.slots, e).unwrap_or_default(),
            })
            .collect();
        Scans { per_block, computed: missing.len() }
    }

    /// Forgets the blocks that run `run` did not use.
    pub fn evict(&mut self, run: u64) {
        self.slots.retain(|_, s| s.last_used == run);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.len()
    }
}
