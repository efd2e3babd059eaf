//! Stage 2: quantities — a number (digits or words) with its unit, label, multiplier and kind.

use super::*;

impl Ctx<'_> {
    pub(super) fn word(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).filter(|t| t.kind == TokenKind::Word).map(|t| t.norm.as_str())
    }

    pub(super) fn glued(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    pub(super) fn find_quantities(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            let token = &self.tokens[i];
            let consumed = match token.kind {
                TokenKind::Number => self.digit_quantity(i),
                TokenKind::Word if NUMBER_WORDS.contains(&token.norm.as_str()) => self.word_quantity(i),
                _ => None,
            };
            i = consumed.unwrap_or(i + 1).max(i + 1);
        }
    }

    /// Recognises a quantity written in digits at token `i`; returns the index after it.
    pub(super) fn digit_quantity(&mut self, i: usize) -> Option<usize> {
        let token = &self.tokens[i];
        let lexeme = token.norm.as_str();
        if lexeme.contains('-') {
            return None; // dates (27-5-2023) and spans (2020-2025)
        }
        // Glued to a symbol on either side: 147-KH/TU, 15/CT-TTg, 30/2020/NĐ-CP, 5K, 8h30.
        if i > 0 && self.glued(i - 1, i) && self.tokens[i - 1].is_any_punct("/-.–") {
            return None;
        }
        // Letters glued before the digits: a code, not an amount (PLO12, QH15, DV08).
        if i > 0 && self.glued(i - 1, i) && self.tokens[i - 1].kind == TokenKind::Word {
            return None;
        }
        if let Some(next) = self.tokens.get(i + 1) {
            if self.glued(i, i + 1) {
                // "21.091đơn", "3.004tổ chức": a grouped amount typed without its space.
                let glued_amount = lexeme.contains('.')
                    && !next.capitalized
                    && next.norm.chars().count() >= 2
                    && parse_digits(lexeme).is_some_and(|p| p.decimals == 0);
                if next.kind == TokenKind::Word && !glued_amount {
                    return None;
                }
                if next.is_any_punct("/-–") {
                    return None;
                }
                if next.is_any_punct(".)") && token.line_start {
                    return None; // "1." or "2)" opening a list item
                }
            }
        }
        // A closing quote right after: a slogan name ("“3 dám”") is handled by count claims.
        let prev_word = if i > 0 { self.word(i - 1) } else { None };
        if let Some(prev) = prev_word {
            // "tồn đầu kỳ 40 đơn": the period's opening balance, not period number 40.
            let balance = prev == "kỳ" && matches!(self.word(i.wrapping_sub(2)), Some("đầu" | "cuối"));
            if IDENTIFIER_BEFORE.contains(&prev) && !lexeme.contains('/') && !balance {
                return None;
            }
            if prev == "số" && !self.word(i.wrapping_sub(2)).is_some_and(|w| w == "tổng" || w == "trong") {
                return None;
            }
        }
        let (kind, value, decimals) = if let Some((num, den)) = lexeme.split_once('/') {
            if den.contains('/') {
                return None; // d/m/yyyy
            }
            let x = parse_digits(num)?;
            let n = parse_digits(den)?;
            let small_date = x.decimals == 0 && n.decimals == 0 && x.value <= Decimal::from(31) && n.value <= Decimal::from(12);
            if small_date && prev_word.is_some_and(|w| ["ngày", "hôm", "từ", "đến", "tới", "đêm", "sáng", "chiều", "tối"].contains(&w))
            {
                return None;
            }
            if den.len() == 4 && (1900..=2100).contains(&den.parse::<u32>().unwrap_or(0)) {
                return None; // month/year or number/year
            }
            if n.value.is_zero() {
                return None;
            }
            (QuantityKind::Fraction { denominator: n.value, denominator_decimals: n.decimals }, x.value, x.decimals)
        } else {
            let parsed = parse_digits(lexeme)?;
            let digits = lexeme.bytes().filter(u8::is_ascii_digit).count();
            if digits >= 9 && lexeme.starts_with('0') {
                return None; // phone number
            }
            if lexeme.len() == 4 && lexeme.bytes().all(|b| b.is_ascii_digit()) {
                let n: u32 = lexeme.parse().unwrap_or(0);
                if (1900..=2100).contains(&n) {
                    let year_context = prev_word.is_some_and(|w| YEAR_BEFORE.contains(&w))
                        || self.tokens.get(i + 1).is_some_and(|t| t.is_any_punct("-–/"))
                        || self.word(i + 1).is_none_or(|w| UNIT_STOP.contains(&w))
                        || self.tokens.get(i + 1).is_some_and(|t| t.capitalized);
                    if year_context {
                        return None;
                    }
                }
            }
            if self.tokens.get(i + 1).is_some_and(is_percent_sign) {
                (QuantityKind::Percent, parsed.value, parsed.decimals)
            } else {
                (QuantityKind::Count, parsed.value, parsed.decimals)
            }
        };
        let end_number = if kind == QuantityKind::Percent { i + 2 } else { i + 1 };
        // A number directly inside a slogan name: “3 dám”.
        if i > 0 && self.tokens[i - 1].is_any_punct("“\"‘'") && self.glued(i - 1, i) {
            return None;
        }
        Some(self.finish_quantity(i, end_number, kind, value, decimals))
    }

    /// Recognises a quantity written in words at token `i` ("hai mươi tám chỉ tiêu").
    pub(super) fn word_quantity(&mut self, i: usize) -> Option<usize> {
        let token = &self.tokens[i];
        if token.capitalized && !(token.line_start || i == 0 || self.seg[i].sentence != self.seg[i - 1].sentence) {
            return None; // "Năm" in the middle of a sentence is a name, not a number
        }
        let mut words: Vec<&str> = Vec::new();
        let mut k = i;
        while let Some(t) = self.tokens.get(k) {
            if t.kind != TokenKind::Word || words.len() >= 8 || (k > i && t.capitalized) {
                break;
            }
            words.push(t.norm.as_str());
            k += 1;
        }
        let (value, used) = parse_words(&words)?;
        let next = self.word(i + used);
        let next_token = self.tokens.get(i + used);
        // "Một là, …": an enumerator.
        if next == Some("là") {
            return None;
        }
        // A number word must be followed by its unit.
        let unit_word = next?;
        if next_token.is_some_and(|t| t.capitalized && !t.all_caps) || UNIT_STOP.contains(&unit_word) && unit_word != "năm" {
            return None;
        }
        let first = words[0];
        let prev = if i > 0 { self.word(i - 1) } else { None };
        if first == "một" && (used == 1 && MOT_NOT_ONE.contains(&unit_word)) {
            return None;
        }
        // "tập trung vào năm nhóm:": a count when its noun is directly followed by a colon.
        let counted_before_colon = self.tokens.get(i + 2).is_some_and(|t| t.is_punct(':'))
            || (self.word(i + 2).is_some() && self.tokens.get(i + 3).is_some_and(|t| t.is_punct(':')));
        if used == 1 && first == "năm" && (!counted_before_colon || NAM_YEAR_NEXT.contains(&unit_word)) {
            if NAM_YEAR_NEXT.contains(&unit_word) || prev.is_some_and(|p| NAM_YEAR_PREV.contains(&p)) {
                return None;
            }
            if self.tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number) {
                return None;
            }
        }
        if used == 1 && first == "ba" && prev.is_some_and(|p| ["ông", "bà", "cha", "mẹ", "bố"].contains(&p)) {
            return None;
        }
        if prev.is_some_and(|p| IDENTIFIER_BEFORE.contains(&p) && p != "năm") {
            return None;
        }
        Some(self.finish_quantity(i, i + used, QuantityKind::Count, Decimal::from(value), 0))
    }

    /// Reads the multiplier, the unit and the qualifier after a number and records the quantity.
    pub(super) fn finish_quantity(
        &mut self,
        first: usize,
        after_number: usize,
        kind: QuantityKind,
        value: Decimal,
        decimals: u32,
    ) -> usize {
        let tokens = self.tokens;
        let mut k = after_number;
        let mut value = value;
        let mut multiplier = None;
        if kind == QuantityKind::Count {
            if let Some(scale) = self.word(k).and_then(multiplier_value) {
                if tokens[first].kind == TokenKind::Number {
                    // Amounts beyond 10^20 are not figures of a report; dropping them keeps every
                    // later sum far from the decimal type's limit.
                    match value.checked_mul(scale).filter(|v| *v < max_amount()) {
                        Some(v) => value = v,
                        None => return k + 1,
                    }
                    multiplier = Some(tokens[k].norm.clone());
                    k += 1;
                }
            }
        }
        let number_end = tokens[k - 1].end;
        let mut unit = Vec::new();
        if kind != QuantityKind::Percent {
            while let Some(t) = tokens.get(k) {
                if t.kind != TokenKind::Word || unit.len() >= 6 {
                    break;
                }
                // A capitalised noun opens a unit only when a lowercase word follows ("6 Nghị
                // quyết", "48 Bí thư đảng bộ"); otherwise it starts a name ("3 tỉnh Nam Định").
                if unit.is_empty()
                    && t.capitalized
                    && !t.all_caps
                    && !tokens
                        .get(k + 1)
                        .is_some_and(|n| n.kind == TokenKind::Word && !n.capitalized && !n.all_caps && n.start == t.end + 1)
                {
                    break;
                }
                if !unit.is_empty() && (t.capitalized || t.all_caps) {
                    break;
                }
                // "15.400 II": a roman section number on the next line is no unit.
                if t.all_caps && t.norm.chars().all(|c| "ivxlc".contains(c)) {
                    break;
                }
                let compound = self.word(k + 1).is_some_and(|next| NOUN_COMPOUNDS.contains(&(t.norm.as_str(), next)))
                    || unit.last().is_some_and(|last: &String| ENDING_COMPOUNDS.contains(&(last.as_str(), t.norm.as_str())));
                if !compound && (UNIT_STOP.contains(&t.norm.as_str()) || NUMBER_WORDS.contains(&t.norm.as_str()) && !unit.is_empty()) {
                    break;
                }
                unit.push(t.norm.clone());
                k += 1;
            }
        }
        let span_end = if unit.is_empty() { number_end } else { tokens[k - 1].end };
        // "900 đồng/gói", "14,1 tiêu chí/xã": a rate per item, never a whole or a part.
        let rate = !unit.is_empty()
            && tokens.get(k).is_some_and(|t| t.is_punct('/'))
            && self.glued(k - 1, k)
            && tokens.get(k + 1).is_some_and(|t| t.kind == TokenKind::Word && self.glued(k, k + 1));
        let here = self.seg[first];
        // Qualifier: the rest of the clause.
        let mut qualifier = Vec::new();
        let mut tail = Vec::new();
        let mut q = k;
        while let Some(t) = tokens.get(q) {
            if self.seg[q].clause != here.clause || qualifier.len() >= 16 || q >= k + 40 {
                break;
            }
            if t.kind == TokenKind::Word {
                qualifier.push(t.norm.clone());
            }
            if tail.len() < 10 && matches!(t.kind, TokenKind::Word | TokenKind::Number) {
                tail.push(t.norm.clone());
            }
            q += 1;
        }
        // Pre: the clause up to the number.
        let mut pre = Vec::new();
        let mut p = first;
        while p > 0 && first - p < 40 {
            p -= 1;
            if self.seg[p].clause != here.clause {
                break;
            }
            if tokens[p].kind == TokenKind::Word {
                pre.push(tokens[p].norm.clone());
            }
        }
        pre.reverse();
        // "thiếu hụt" (deprived of) is a category, "thiếu 3 chỉ tiêu" a shortfall.
        // "thiếu hụt" (deprived of) is a category, "thiếu 3 chỉ tiêu" a shortfall; "Hòa Bình" is a
        // name, "bình quân" an average; "các năm trước" is a time, "trước 5 ngày" a comparison.
        let comparison = pre.iter().enumerate().any(|(i, w)| {
            let next = pre.get(i + 1).map(String::as_str);
            let prev = if i > 0 { pre.get(i - 1).map(String::as_str) } else { None };
            COMPARISON.contains(&w.as_str())
                && !(w == "thiếu" && next == Some("hụt"))
                && !(w == "bình" && next != Some("quân"))
                && !(matches!(w.as_str(), "trước" | "ngoái")
                    && matches!(prev, Some("năm" | "kỳ" | "tháng" | "quý" | "đợt"))
                    && i + 1 < pre.len())
                && !(w == "trước" && next == Some("hạn"))
        }) || window(&pre, &["so", "với"])
            // A limit ("chưa vượt quá 50 miligam", "tối đa 30 ngày") is no amount of anything.
            || pre.last().is_some_and(|w| w == "quá")
            || ends_with(&pre, &["tối", "đa"])
            || ends_with(&pre, &["tối", "thiểu"])
            || window(&pre, &["cùng", "kỳ"])
            // "03/26 chỉ tiêu không đạt so với kế hoạch" is a status measured against the plan,
            // "tăng 5 xã so với năm trước" a comparison.
            || (window(&qualifier, &["so", "với"]) && !status_against_plan(&qualifier))
            || window(&qualifier, &["cùng", "kỳ"])
            || qualifier.first().is_some_and(|w| (w == "trước" && qualifier.get(1).is_none_or(|n| n != "hạn")) || w == "ngoái")
            || rate;
        let written = match kind {
            QuantityKind::Percent => format!("{}%", tokens[first].norm),
            _ => self.text[tokens[first].start..number_end].split_whitespace().collect::<Vec<_>>().join(" "),
        };
        let written = written.replace(['*', '_'], "");
        self.quantities.push(Quantity {
            kind,
            value,
            decimals,
            written,
            range: TextRange::new(tokens[first].start, number_end),
            span: TextRange::new(tokens[first].start, span_end),
            unit,
            multiplier,
            qualifier,
            pre,
            sentence: here.sentence,
            clause: here.clause,
            depth: here.depth,
            segment: here.semicolons,
            topic: here.topic,
            announcer: None,
            comparison,
            share_of: None,
            unit_before: false,
            label: self.label_before(first),
            tail,
            cue: None,
            paren: None,
            cue_segment: here.semicolons,
            opener: None,
            open_end: false,
        });
        self.number_token.push((first, k));
        k
    }

    /// The label of the number at token `first`: words and numbers that are not amounts back to
    /// the clause boundary ("Hoàn thành tốt nhiệm vụ 35", "khiển trách: 1", "năm 2017 có 61").
    pub(super) fn label_before(&self, first: usize) -> Vec<String> {
        let tokens = self.tokens;
        let mut out = Vec::new();
        let mut p = first;
        if p > 0 && tokens[p - 1].is_punct(':') {
            p -= 1;
        }
        while p > 0 && out.len() < 12 {
            p -= 1;
            let t = &tokens[p];
            if self.seg[p].sentence != self.seg[first].sentence {
                break;
            }
            match t.kind {
                TokenKind::Word => out.push(t.norm.clone()),
                TokenKind::Number => {
                    // Another amount with its own unit ends the label ("cho 13 tập thể và 14 …").
                    if self.quantities.iter().rev().take(6).any(|q| q.range.start == t.start && !q.unit.is_empty()) {
                        break;
                    }
                    out.push(t.norm.clone());
                }
                TokenKind::Punct => {
                    if t.is_any_punct(",;:()[].!?…") {
                        break;
                    }
                }
            }
        }
        out.reverse();
        out
    }
}

/// "đạt so với kế hoạch", "không đạt so với kế hoạch", "vượt so với chỉ tiêu": a part named by
/// how it stands against the plan, not an amount compared with another.
fn status_against_plan(qualifier: &[String]) -> bool {
    let starts = qualifier.first().is_some_and(|w| ["đạt", "vượt", "không", "chưa", "hoàn"].contains(&w.as_str()));
    starts && (window(qualifier, &["so", "với", "kế", "hoạch"]) || window(qualifier, &["so", "với", "chỉ", "tiêu"]))
}
