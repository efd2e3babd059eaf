//! Stage 3: what groups quantities — cues, announcers of totals and breakdowns, shares.

use super::*;

impl Ctx<'_> {
    /// Marks what makes each quantity a whole: a cue after it, the opener of its sentence, the
    /// words of a closing total, and whether its sentence trails off with "…".
    pub(super) fn find_cues(&mut self) {
        let tokens = self.tokens;
        // First token of each sentence, in order.
        let mut sentence_start: Vec<usize> = Vec::new();
        for (i, s) in self.seg.iter().enumerate() {
            if i == 0 || self.seg[i - 1].sentence != s.sentence {
                sentence_start.push(i);
            }
        }
        // Per sentence, in one pass: whether it is a formula ("= …", "+", "×"), and where its last
        // "…" (or "..", "v.v.") stands.
        let mut formula_sentences = rustc_hash::FxHashSet::default();
        let mut ellipsis_at: rustc_hash::FxHashMap<usize, usize> = rustc_hash::FxHashMap::default();
        for (j, t) in tokens.iter().enumerate() {
            let sentence = self.seg[j].sentence;
            if t.is_any_punct("=+×") {
                formula_sentences.insert(sentence);
            }
            let dots = t.is_punct('.') && j > 0 && tokens[j - 1].is_punct('.');
            let vv = t.is_word("v") && tokens.get(j + 2).is_some_and(|n| n.is_word("v"));
            if t.is_punct('…') || dots || vv {
                ellipsis_at.insert(sentence, j);
            }
        }
        // Which quantity starts at a byte offset: keeps the scans below linear.
        let by_start: rustc_hash::FxHashMap<usize, usize> = self.quantities.iter().enumerate().map(|(i, q)| (q.range.start, i)).collect();
        let start_of = |sentence: usize| -> Option<usize> {
            sentence_start.binary_search_by(|&i| self.seg[i].sentence.cmp(&sentence)).ok().map(|k| sentence_start[k])
        };
        for idx in 0..self.quantities.len() {
            let (first, after) = self.number_token[idx];
            let q = &self.quantities[idx];
            if q.kind == QuantityKind::Percent {
                continue;
            }
            let here = self.seg[first];
            let mut cue = None;
            let mut paren = None;
            let mut cue_segment = here.semicolons;
            // A formula ("(9 triệu đồng + 1,5 triệu đồng) = 22 triệu đồng") states no breakdown.
            if formula_sentences.contains(&here.sentence) {
                continue;
            }
            let mut k = after;
            while let Some(t) = tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 40 || self.seg[k].depth < here.depth {
                    break;
                }
                if t.is_punct('(') {
                    let close = self.matching_paren(k);
                    let Some(close) = close else { break };
                    let has_count = (k + 1..close).any(|j| {
                        tokens[j].kind == TokenKind::Number
                            && by_start.get(&tokens[j].start).is_some_and(|&o| {
                                let o = &self.quantities[o];
                                o.kind == QuantityKind::Count && !o.comparison
                            })
                    });
                    if has_count {
                        let inner = TextRange::new(tokens[k].end, tokens[close].start);
                        let w1 = self.word(k + 1);
                        let subset = w1 == Some("trong") && matches!(self.word(k + 2), Some("đó" | "số"));
                        let gom = subset && (self.word(k + 3) == Some("gồm") || self.tokens.get(k + 3).is_some_and(|t| t.is_punct(':')));
                        cue = Some(if subset && !gom { Cue::Subset } else { Cue::Partition });
                        paren = Some(inner);
                        break;
                    }
                    k = close + 1;
                    continue;
                }
                if t.is_punct(':') {
                    // A colon right after the unit (a few words at most, no comma) announces the
                    // parts; "3.083 đơn, địa phương: 18.008 đơn" is a label's colon.
                    let between = &tokens[after..k];
                    let plain = between.len() <= 3 && !between.iter().any(|t| t.is_punct(','));
                    let worded = (after..k).any(|j| self.word(j) == Some("hình") || self.word(j) == Some("sau"));
                    if (plain || worded) && self.rest_has_compatible_number(k) {
                        cue = Some(Cue::Partition);
                    }
                    break;
                }
                if t.kind == TokenKind::Number {
                    // Percentages between a total and its parts ("1.225 đơn, chiếm 34% (…)").
                    if by_start.get(&t.start).is_some_and(|&o| self.quantities[o].kind == QuantityKind::Percent) {
                        k += 2;
                        continue;
                    }
                    break;
                }
                if t.kind == TokenKind::Word {
                    let w = t.norm.as_str();
                    let n1 = self.word(k + 1);
                    let n2 = self.word(k + 2);
                    if w == "trong" && (n1 == Some("đó") || (n1 == Some("số") && n2 == Some("đó"))) {
                        cue_segment = self.seg[k].semicolons;
                        let after_cue = if n1 == Some("đó") { k + 2 } else { k + 3 };
                        let colon = tokens.get(after_cue).is_some_and(|t| t.is_punct(':')) || (self.word(after_cue) == Some("gồm"));
                        cue = Some(if colon { Cue::Partition } else { Cue::Subset });
                        break;
                    }
                    let partition = w == "gồm"
                        || (w == "bao" && n1 == Some("gồm"))
                        || (matches!(w, "chia" | "phân") && matches!(n1, Some("ra" | "thành")))
                        || (w == "cụ" && n1 == Some("thể") && tokens.get(k + 2).is_some_and(|t| t.is_any_punct(":,")))
                        || (matches!(w, "với" | "bằng" | "theo") && (n1 == Some("hình") || (n1 == Some("các") && n2 == Some("hình"))));
                    if partition {
                        cue = Some(Cue::Partition);
                        break;
                    }
                }
                if t.is_punct(';') && !(self.word(k + 1) == Some("trong") && self.word(k + 2) == Some("đó")) {
                    break;
                }
                if t.is_punct('.') {
                    break;
                }
                k += 1;
            }
            // "Trong (tổng) số 26 chỉ tiêu …, có …", "Trong 48 Bí thư …, có …".
            let pre = &q.pre;
            if cue.is_none() && (ends_with(pre, &["trong", "số"]) || ends_with(pre, &["trong", "tổng", "số"]) || ends_with(pre, &["trong"]))
            {
                cue = Some(Cue::Subset);
            }

            // "nâng tổng số … lên N", "nâng tổng vốn … lên N", "lũy kế … là N", "trên tổng số N".
            let closing = (pre.len() >= 3
                && ends_with(pre, &["tổng", "số"])
                && matches!(pre[pre.len() - 3].as_str(), "trên" | "trong")
                && pre.len() > 3)
                || (pre.first().is_some_and(|w| w == "nâng")
                    && pre.get(1).is_some_and(|w| w == "tổng")
                    && pre.last().is_some_and(|w| w == "lên" || w == "là"))
                || (pre.first().is_some_and(|w| w == "lũy" || w == "luỹ") && pre.get(1).is_some_and(|w| w == "kế"));
            if cue.is_none() && closing {
                cue = Some(Cue::Closing);
            }
            if cue.is_none() && q.announcer == Some(Announcer::VoiCo) {
                cue = Some(Cue::Subset);
            }
            // The sentence opener.
            let opener = start_of(here.sentence).and_then(|s| {
                let a = self.word(s);
                let b = self.word(s + 1);
                match (a, b) {
                    (Some("trong"), Some("đó")) => Some(Cue::Subset),
                    (Some("trong"), Some("số")) if matches!(self.word(s + 2), Some("đó" | "này" | "trên")) => Some(Cue::Subset),
                    (Some("cụ"), Some("thể")) => Some(Cue::Partition),
                    (Some("gồm" | "bao"), _) => Some(Cue::Partition),
                    _ => None,
                }
            });
            // "…", "...", "v.v." later in the sentence.
            let open_end = ellipsis_at.get(&here.sentence).is_some_and(|&e| e >= after);
            let q = &mut self.quantities[idx];
            q.cue = cue;
            q.paren = paren;
            q.cue_segment = cue_segment;
            q.opener = opener;
            q.open_end = open_end;
        }
    }

    pub(super) fn matching_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (j, t) in self.tokens.iter().enumerate().skip(open).take(LOOKAHEAD) {
            if j > open && t.line_start {
                return None;
            }
            if t.is_punct('(') {
                depth += 1;
            } else if t.is_punct(')') {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    }

    /// Marks quantities that announce a total of the parts after them.
    pub(super) fn find_announcers(&mut self) {
        for idx in 0..self.quantities.len() {
            let (first, after) = self.number_token[idx];
            let q = &self.quantities[idx];
            if q.kind == QuantityKind::Percent {
                continue;
            }
            let pre = &q.pre;
            let mut announcer = None;
            if ends_with(pre, &["tổng", "số"])
                || ends_with(pre, &["tổng", "cộng"])
                || ends_with(pre, &["tổng"])
                || ends_with(pre, &["tổng", "số", "là"])
                || (starts_with(pre, &["tổng", "số"]) && pre.last().is_some_and(|w| w == "là"))
            {
                announcer = Some(Announcer::TotalWord);
            }
            // "Tổng số hồ sơ tiếp nhận: 1.250" or "Tổng số hồ sơ tiếp nhận là 1.250".
            let mut unit_from_before = None;
            if q.unit.is_empty() && q.kind == QuantityKind::Count {
                let lead = if pre.len() >= 3 && (starts_with(pre, &["tổng", "số"]) || starts_with(pre, &["tổng", "cộng"])) {
                    Some(pre[2..].iter().take_while(|w| *w != "là").cloned().collect::<Vec<_>>())
                } else {
                    self.previous_clause_words(first).and_then(|words| {
                        (starts_with(&words, &["tổng", "số"]) || starts_with(&words, &["tổng", "cộng"])).then(|| words[2..].to_vec())
                    })
                };
                if let Some(words) = lead.filter(|w| !w.is_empty() && w.len() <= 8) {
                    announcer = Some(Announcer::TotalWord);
                    unit_from_before = Some(words);
                }
            }
            // What follows the unit: "trong đó", "gồm", "bao gồm", "chia ra", ":".
            let mut k = after;
            let here = self.seg[first];
            while let Some(t) = self.tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 12 {
                    break;
                }
                if t.is_punct(':') {
                    if self.rest_has_compatible_number(k) {
                        announcer = announcer.or(Some(Announcer::Partition));
                    }
                    break;
                }
                if t.kind == TokenKind::Word {
                    match t.norm.as_str() {
                        "trong" if self.word(k + 1) == Some("đó") || (self.word(k + 1) == Some("số") && self.word(k + 2) == Some("đó")) =>
                        {
                            announcer =
                                Some(
                                    announcer
                                        .map_or(Announcer::TrongDo, |a| if a == Announcer::TotalWord { a } else { Announcer::TrongDo }),
                                );
                            break;
                        }
                        "gồm" => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        "chia" | "phân" if matches!(self.word(k + 1), Some("ra" | "thành")) => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        "bao" if self.word(k + 1) == Some("gồm") => {
                            announcer = Some(Announcer::Partition);
                            break;
                        }
                        _ => {}
                    }
                }
                if t.is_any_punct(".(")
                    || (t.is_any_punct(",;") && self.word(k + 1).is_none_or(|w| !["trong", "gồm", "bao", "chia"].contains(&w)))
                {
                    break;
                }
                if t.kind == TokenKind::Number {
                    break;
                }
                k += 1;
            }
            // "với 28 chỉ tiêu thành phần, có …"
            if announcer.is_none() && pre.first().is_some_and(|w| w == "với") {
                let sentence = here.sentence;
                let clause = here.clause;
                // Bounded look-ahead: "có" follows "với N …," closely; a long sentence must not
                // make this quadratic.
                let later_co = self.tokens.iter().enumerate().skip(first).take(LOOKAHEAD).any(|(j, t)| {
                    self.seg[j].sentence == sentence
                        && self.seg[j].clause > clause
                        && t.is_word("có")
                        && (j == 0 || self.seg[j - 1].clause != self.seg[j].clause)
                });
                if later_co {
                    announcer = Some(Announcer::VoiCo);
                }
            }
            let q = &mut self.quantities[idx];
            q.announcer = announcer;
            if let Some(words) = unit_from_before {
                q.unit = words;
                q.unit_before = true;
            }
        }
    }

    /// Words of the clause just before the one holding token `i`, if that clause ends with ":"
    /// or "là" and lies in the same sentence.
    pub(super) fn previous_clause_words(&self, i: usize) -> Option<Vec<String>> {
        let here = self.seg[i];
        let mut j = i;
        while j > 0 && self.seg[j - 1].clause == here.clause && i - j < 40 {
            j -= 1;
        }
        if j == 0 || !self.tokens[j - 1].is_punct(':') || self.seg[j - 1].sentence != here.sentence {
            return None;
        }
        let clause = self.seg[j - 1].clause;
        let mut words = Vec::new();
        let mut k = j - 1;
        while k > 0 && self.seg[k - 1].clause == clause {
            k -= 1;
            match self.tokens[k].kind {
                TokenKind::Word => words.push(self.tokens[k].norm.clone()),
                TokenKind::Number => return None,
                TokenKind::Punct => {}
            }
        }
        words.reverse();
        Some(words)
    }

    pub(super) fn rest_has_compatible_number(&self, colon: usize) -> bool {
        let sentence = self.seg[colon].sentence;
        self.tokens[colon + 1..]
            .iter()
            .zip(&self.seg[colon + 1..])
            .take(LOOKAHEAD)
            .take_while(|(_, s)| s.sentence == sentence)
            .any(|(t, _)| t.kind == TokenKind::Number)
    }

    /// Attaches percentages to the quantity they are a share of.
    pub(super) fn find_shares(&mut self) {
        for idx in 0..self.quantities.len() {
            if self.quantities[idx].kind != QuantityKind::Percent || self.quantities[idx].comparison {
                continue;
            }
            let p = &self.quantities[idx];
            let pre: Vec<&str> = p.pre.iter().map(String::as_str).collect();
            let share_words = matches!(
                pre.as_slice(),
                [] | ["chiếm"]
                    | ["chiếm", "tỷ", "lệ"]
                    | ["chiếm", "tỉ", "lệ"]
                    | ["bằng"]
                    | ["tỷ", "lệ"]
                    | ["tỉ", "lệ"]
                    | ["đạt", "tỷ", "lệ"]
                    | ["đạt", "tỉ", "lệ"]
            );
            if !share_words {
                continue;
            }
            let bad_after = ["kế", "cùng", "dự", "mục", "so", "chỉ", "năm", "nhiệm"];
            if p.qualifier.first().is_some_and(|w| bad_after.contains(&w.as_str())) {
                continue;
            }
            // "(chiếm 38,2% tổng vốn)": the share names its own base, which may be another whole.
            if p.depth > 0 && !p.qualifier.is_empty() {
                continue;
            }
            let (first, _) = self.number_token[idx];
            // Bare "(72%)" must sit right after a "(": the owner is what the parenthesis follows.
            let in_paren = first > 0 && self.seg[first].depth > 0;
            if pre.is_empty() && !in_paren {
                continue;
            }
            // The owner: the closest count or fraction before, in the same sentence, with at most
            // one clause between.
            let owner = (0..idx).rev().take(8).take_while(|&o| self.quantities[o].sentence == p.sentence).find(|&o| {
                let q = &self.quantities[o];
                q.kind != QuantityKind::Percent && p.clause <= q.clause + 2 && !q.comparison
            });
            if let Some(o) = owner {
                if self.quantities[o].depth + u32::from(in_paren) >= p.depth {
                    self.quantities[idx].share_of = Some(o);
                }
            }
        }
    }
}
