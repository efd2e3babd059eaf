//! The number lexicon: closed category sets, kinds of a whole and noun classes
//! (`data/categories.json`, documented in `docs/lexicon.md`).
//!
//! - A **set** is a closed list of mutually exclusive categories ("khiển trách, cảnh cáo, cách
//!   chức, khai trừ"). Parts drawn from one set never add up to more than their whole; when they
//!   cover one of the set's `complete` lists they must add up to it exactly.
//! - A **pattern** is an open set read from the words ("Huy hiệu 40 năm", "năm 2017"): its
//!   members are the numbers in it.
//! - A **kind** entry says which nouns name kinds of a whole ("58 tổ chức cơ sở đảng" = đảng bộ
//!   cơ sở + chi bộ cơ sở).
//! - Noun classes: people ("đồng chí", "người", "trường hợp"), cases ("đơn", "vụ việc"),
//!   attributes that overlap a breakdown ("nữ", "dân tộc thiểu số"), units never counted as a
//!   list ("tháng", "tuổi") and nouns a report enumerates ("nhiệm vụ", "giải pháp").

use serde::Deserialize;
use std::sync::OnceLock;

pub const BUNDLED_JSON: &str = include_str!("../data/categories.json");

#[derive(Debug, Deserialize)]
struct SetDef {
    name: String,
    #[allow(dead_code)]
    source: String,
    /// Where a member may stand: "anywhere" in the part's words, "near" (within the first
    /// three words after the unit, or at the end of the label) or only at the "start".
    #[serde(default)]
    head_only: String,
    members: Vec<Vec<String>>,
    #[serde(default)]
    complete: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct PatternDef {
    name: String,
    #[allow(dead_code)]
    source: String,
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct KindDef {
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    source: String,
    whole_head: Vec<String>,
    #[serde(default)]
    whole_has: Vec<String>,
    kinds: Vec<Vec<String>>,
    #[serde(default)]
    complete: bool,
}

#[derive(Debug, Deserialize)]
struct NounList {
    #[allow(dead_code)]
    source: String,
    nouns: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct WordList {
    #[allow(dead_code)]
    source: String,
    words: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Raw {
    sets: Vec<SetDef>,
    patterns: Vec<PatternDef>,
    kinds: Vec<KindDef>,
    persons: NounList,
    cases: NounList,
    overlap: WordList,
    never_counted: NounList,
    enumeration_nouns: NounList,
}

fn split(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// A category a part belongs to: its set (or pattern) and the member within it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Category {
    pub set: usize,
    /// The member's name (its first variant), or the number for a pattern member.
    pub member: String,
}

struct Set {
    name: String,
    /// 0 anywhere, 1 near, 2 start.
    head_only: u8,
    /// Variants per member, as word lists.
    members: Vec<Vec<Vec<String>>>,
    complete: Vec<Vec<String>>,
}

struct Kind {
    whole_head: Vec<Vec<String>>,
    whole_has: Vec<Vec<String>>,
    /// Per kind, its variants; a variant with `exact` must be the whole unit.
    kinds: Vec<Vec<(bool, Vec<String>)>>,
    complete: bool,
}

pub struct Lexicon {
    /// First word of every set variant → (set, member, variant): a part's words are looked up,
    /// never every variant tried.
    by_first: rustc_hash::FxHashMap<String, Vec<(usize, usize, usize)>>,
    sets: Vec<Set>,
    patterns: Vec<(String, Vec<String>)>,
    kinds: Vec<Kind>,
    persons: Vec<Vec<String>>,
    cases: Vec<Vec<String>>,
    overlap: Vec<Vec<String>>,
    never_counted: Vec<String>,
    enumeration: Vec<Vec<String>>,
}

/// The bundled lexicon, parsed once. A malformed bundled file (caught by the tests) gives an
/// empty lexicon rather than a crash.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::parse(BUNDLED_JSON).unwrap_or_else(|_| Lexicon::empty()))
}

fn starts_with_words(words: &[&str], head: &[String]) -> bool {
    !head.is_empty() && words.len() >= head.len() && words.iter().zip(head).all(|(a, b)| a == b)
}

fn window_at(words: &[&str], pattern: &[String]) -> Option<usize> {
    if pattern.is_empty() || words.len() < pattern.len() {
        return None;
    }
    (0..=words.len() - pattern.len()).find(|&i| words[i..i + pattern.len()].iter().zip(pattern).all(|(a, b)| a == b))
}

fn is_digits(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

impl Lexicon {
    fn empty() -> Lexicon {
        Lexicon {
            by_first: rustc_hash::FxHashMap::default(),
            sets: Vec::new(),
            patterns: Vec::new(),
            kinds: Vec::new(),
            persons: Vec::new(),
            cases: Vec::new(),
            overlap: Vec::new(),
            never_counted: Vec::new(),
            enumeration: Vec::new(),
        }
    }

    pub fn parse(json: &str) -> Result<Lexicon, String> {
        let raw: Raw = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut lexicon = Lexicon {
            by_first: rustc_hash::FxHashMap::default(),
            sets: raw
                .sets
                .into_iter()
                .map(|s| Set {
                    name: s.name,
                    head_only: match s.head_only.as_str() {
                        "start" => 2,
                        "near" => 1,
                        _ => 0,
                    },
                    members: s.members.iter().map(|variants| variants.iter().map(|v| split(v)).collect()).collect(),
                    complete: s.complete,
                })
                .collect(),
            patterns: raw.patterns.into_iter().map(|p| (p.name, p.words)).collect(),
            kinds: raw
                .kinds
                .into_iter()
                .map(|k| Kind {
                    whole_head: k.whole_head.iter().map(|w| split(w)).collect(),
                    whole_has: k.whole_has.iter().map(|w| split(w)).collect(),
                    kinds: k
                        .kinds
                        .iter()
                        .map(|variants| variants.iter().map(|v| (v.starts_with('='), split(v.trim_start_matches('=')))).collect())
                        .collect(),
                    complete: k.complete,
                })
                .collect(),
            persons: raw.persons.nouns.iter().map(|w| split(w)).collect(),
            cases: raw.cases.nouns.iter().map(|w| split(w)).collect(),
            overlap: raw.overlap.words.iter().map(|w| split(&w.join(" "))).collect(),
            never_counted: raw.never_counted.nouns,
            enumeration: raw.enumeration_nouns.nouns.iter().map(|w| split(w)).collect(),
        };
        for (s, set) in lexicon.sets.iter().enumerate() {
            for (m, variants) in set.members.iter().enumerate() {
                for (v, words) in variants.iter().enumerate() {
                    if let Some(first) = words.first() {
                        lexicon.by_first.entry(first.clone()).or_default().push((s, m, v));
                    }
                }
            }
        }
        Ok(lexicon)
    }

    /// How many sets and patterns there are (category ids run over both).
    pub fn set_name(&self, set: usize) -> &str {
        match self.sets.get(set) {
            Some(s) => &s.name,
            None => self.patterns.get(set - self.sets.len()).map_or("", |p| p.0.as_str()),
        }
    }

    /// The category of a part from the words that describe it: `label` (before the number) and
    /// `head` (the unit's words beyond the whole's noun, then the words after the unit). The
    /// longest matching variant wins, across all sets ("đúng hạn" is a deadline, not "đúng").
    pub fn category(&self, label: &[&str], head: &[&str]) -> Option<Category> {
        // Best match: the longest variant, then the one closest to the number.
        let mut best: Option<((usize, std::cmp::Reverse<usize>), Category)> = None;
        let all: Vec<&str> = label.iter().chain(head.iter()).copied().collect();
        let skip = ["về", "thuộc", "lĩnh", "vực", "khối", "là", "được", "có", "đã", "bị", "loại"];
        let head_start = label.len() + head.iter().take_while(|w| skip.contains(w)).count();
        let mut label_end = label.len();
        while label_end > 0 && skip.contains(&label[label_end - 1]) {
            label_end -= 1;
        }
        for (p, word) in all.iter().enumerate() {
            let Some(candidates) = self.by_first.get(*word) else { continue };
            for &(s, m, v) in candidates {
                let set = &self.sets[s];
                let variant = &set.members[m][v];
                let end = p + variant.len();
                if end > all.len() || !all[p..end].iter().zip(variant).all(|(a, b)| a == b) {
                    continue;
                }
                let at_label_end = end == label_end;
                let distance = match set.head_only {
                    2 => (p == head_start || (at_label_end && p == 0)).then_some(0),
                    1 => {
                        if p >= head_start && p < head_start + 3 {
                            Some(p - head_start)
                        } else {
                            at_label_end.then_some(0)
                        }
                    }
                    _ => Some(if end <= label.len() { label.len() - end } else { p.saturating_sub(label.len()) }),
                };
                let Some(d) = distance else { continue };
                let score = (variant.len(), std::cmp::Reverse(d));
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, Category { set: s, member: set.members[m][0].join(" ") }));
                }
            }
        }
        if best.is_none() {
            for (p, (_, words)) in self.patterns.iter().enumerate() {
                if let Some(member) = pattern_member(&all, words) {
                    return Some(Category { set: self.sets.len() + p, member });
                }
            }
        }
        best.map(|(_, c)| c)
    }

    /// Whether parts naming `present` members cover the set, so that they must add up exactly.
    /// An open pattern is taken as covered from three distinct members on.
    pub fn complete(&self, set: usize, present: &[&str]) -> bool {
        match self.sets.get(set) {
            Some(s) => s.complete.iter().any(|need| need.iter().all(|m| present.contains(&m.as_str()))),
            None => {
                let mut distinct: Vec<&str> = present.to_vec();
                distinct.sort_unstable();
                distinct.dedup();
                distinct.len() >= 3
            }
        }
    }

    /// Which kind of `whole` the unit `part` names ("chi bộ cơ sở" of "tổ chức cơ sở đảng"):
    /// (entry, kind index, whether two distinct kinds already cover the whole).
    pub fn kind_of(&self, whole: &[&str], part: &[&str]) -> Option<(usize, usize, bool)> {
        for (e, k) in self.kinds.iter().enumerate() {
            let whole_ok = k.whole_head.iter().any(|h| starts_with_words(whole, h))
                && (k.whole_has.is_empty() || k.whole_has.iter().any(|h| window_at(whole, h).is_some()));
            if !whole_ok {
                continue;
            }
            for (i, variants) in k.kinds.iter().enumerate() {
                if variants.iter().any(|(exact, v)| {
                    if *exact {
                        part.len() == v.len() && starts_with_words(part, v)
                    } else {
                        starts_with_words(part, v)
                    }
                }) {
                    return Some((e, i, k.complete));
                }
            }
        }
        None
    }

    /// Whether two distinct kinds of this entry cover its whole ("đảng bộ cơ sở" and "chi bộ
    /// cơ sở" are every "tổ chức cơ sở đảng").
    pub fn kind_complete(&self, entry: usize) -> bool {
        self.kinds.get(entry).is_some_and(|k| k.complete)
    }

    /// Whether the unit counts people.
    pub fn is_person(&self, unit: &[&str]) -> bool {
        let unit = strip_counter(unit);
        self.persons.iter().any(|p| starts_with_words(unit, p))
    }

    /// Whether the unit counts files or cases.
    pub fn is_case(&self, unit: &[&str]) -> bool {
        let unit = strip_counter(unit);
        self.cases.iter().any(|p| starts_with_words(unit, p))
    }

    /// Whether the words name an attribute that overlaps a breakdown ("nữ", "dân tộc thiểu số").
    pub fn overlaps(&self, words: &[&str]) -> bool {
        self.overlap.iter().any(|o| window_at(words, o).is_some())
    }

    /// Units that never announce a list ("tháng", "tuổi", "mg").
    pub fn never_counted(&self, first_word: &str) -> bool {
        self.never_counted.iter().any(|w| w == first_word)
    }

    /// Nouns a report enumerates item by item.
    pub fn is_enumeration_noun(&self, unit: &[&str]) -> bool {
        self.enumeration.iter().any(|n| starts_with_words(unit, n))
    }

    /// A unit that opens with a listed noun of several words ("độ tuổi", "cấp độ"): it names items
    /// even when its first word alone never does ("độ", a degree).
    pub fn is_enumeration_phrase(&self, unit: &[&str]) -> bool {
        self.enumeration.iter().any(|n| n.len() > 1 && starts_with_words(unit, n))
    }
}

/// "lượt cán bộ" counts cán bộ; "số hồ sơ" counts hồ sơ.
pub fn strip_counter<'a>(unit: &'a [&'a str]) -> &'a [&'a str] {
    match unit.first() {
        Some(&("lượt" | "số")) if unit.len() > 1 => &unit[1..],
        _ => unit,
    }
}

fn pattern_member(words: &[&str], pattern: &[String]) -> Option<String> {
    if words.len() < pattern.len() || pattern.is_empty() {
        return None;
    }
    for i in 0..=words.len() - pattern.len() {
        let mut member = None;
        let ok = pattern.iter().enumerate().all(|(j, p)| {
            let w = words[i + j];
            match p.as_str() {
                "#" if is_digits(w) => {
                    member = Some(w.to_string());
                    true
                }
                "#year" if is_digits(w) && w.len() == 4 && ("1900"..="2100").contains(&w) => {
                    member = Some(w.to_string());
                    true
                }
                _ => w == p,
            }
        });
        if ok {
            return member;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<&str> {
        s.split(' ').filter(|x| !x.is_empty()).collect()
    }

    #[test]
    fn bundled_lexicon_parses() {
        let lexicon = Lexicon::parse(BUNDLED_JSON);
        assert!(lexicon.is_ok(), "{:?}", lexicon.err());
    }

    #[test]
    fn longest_member_wins_across_sets() {
        let lx = lexicon();
        let a = lx.category(&w("giải quyết"), &w("đúng hạn"));
        let b = lx.category(&w(""), &w("đúng"));
        assert!(a.is_some() && b.is_some());
        assert_ne!(a.map(|c| c.set), b.map(|c| c.set));
        let c = lx.category(&w("hoàn thành tốt nhiệm vụ"), &[]);
        assert_eq!(c.map(|c| c.member), Some("hoàn thành tốt nhiệm vụ".to_string()));
        let d = lx.category(&w("không hoàn thành nhiệm vụ"), &[]);
        assert_eq!(d.map(|c| c.member), Some("không hoàn thành nhiệm vụ".to_string()));
    }

    #[test]
    fn gender_is_read_only_at_the_head() {
        let lx = lexicon();
        assert!(lx.category(&[], &w("nữ")).is_some());
        assert!(lx.category(&w("tỉnh hà nam có"), &w("xã")).is_none());
        assert!(lx.category(&w("nam"), &[]).is_some());
    }

    #[test]
    fn patterns_take_their_number_as_member() {
        let lx = lexicon();
        let c = lx.category(&w("nhận huy hiệu 40 năm tuổi đảng"), &[]);
        assert_eq!(c.map(|c| c.member), Some("40".to_string()));
        let y = lx.category(&w("năm 2017 có"), &[]);
        assert_eq!(y.map(|c| c.member), Some("2017".to_string()));
    }

    #[test]
    fn kinds_and_classes() {
        let lx = lexicon();
        assert!(lx.kind_of(&w("tổ chức cơ sở đảng"), &w("chi bộ cơ sở")).is_some());
        assert!(lx.kind_of(&w("tổ chức cơ sở đảng"), &w("chi bộ")).is_some());
        assert!(lx.kind_of(&w("tổ chức cơ sở đảng"), &w("chi bộ trực thuộc")).is_none());
        assert!(lx.kind_of(&w("đơn vị hành chính cấp xã"), &w("phường")).is_some());
        assert!(lx.kind_of(&w("đảng viên"), &w("chi bộ")).is_none());
        assert!(lx.is_person(&w("lượt cán bộ")));
        assert!(lx.is_case(&w("vụ việc")));
        assert!(lx.overlaps(&w("đảng viên nữ")));
        assert!(lx.complete(0, &["khiển trách", "cảnh cáo", "cách chức", "khai trừ"]));
        assert!(!lx.complete(0, &["khiển trách", "cảnh cáo"]));
    }
}
