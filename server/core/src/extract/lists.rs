//! Stage 4: counted lists — an announced count and the items listed (inline, slogans, the
//! following lines), and each line's list marker.

use super::*;

impl Ctx<'_> {
    /// Announced counts and where their items are.
    pub(super) fn find_counts(&self) -> Vec<CountClaim> {
        let mut claims = Vec::new();
        for (idx, q) in self.quantities.iter().enumerate() {
            let (first, after) = self.number_token[idx];
            // "có thêm 15 xã …" reads as a comparison ("thêm"), but names the places added: such a
            // count is kept for places only (below).
            let only_added = q.pre.last().is_some_and(|w| w == "thêm") && q.pre.iter().rev().nth(1).is_none_or(|w| w != "tăng");
            if q.kind != QuantityKind::Count || q.unit.is_empty() || q.unit_before || q.comparison && !only_added {
                continue;
            }
            if q.value < Decimal::from(2) || q.value > Decimal::from(60) || q.decimals > 0 || q.multiplier.is_some() {
                continue;
            }
            let lexicon = crate::categories::lexicon();
            // A list is announced with a noun a report enumerates ("4 nhiệm vụ"), never with a
            // duration, an age or a measure ("từ 06 tháng đến 03 năm:", "dưới 16 tuổi như:").
            let unit_words: Vec<&str> = q.unit.iter().map(String::as_str).collect();
            if lexicon.never_counted(unit_words[0]) && !lexicon.is_enumeration_phrase(&unit_words)
                || !lexicon.is_enumeration_noun(&unit_words)
            {
                continue;
            }
            if self.tokens[after - 1].all_caps || self.tokens[first..after].iter().any(|t| t.all_caps) {
                continue;
            }
            // "ít nhất 01 trong 02 tiêu chí", "từ 3 nhiệm vụ trở lên", "khoảng 5 nội dung": not the
            // number of items listed.
            let threshold =
                ["trong", "từ", "trên", "dưới", "quá", "đến", "tới", "khoảng", "hơn", "gần", "mỗi", "hàng", "đủ", "thêm", "những"];
            // "có thêm 15 xã hoàn thành 19/19 tiêu chí: A, B, …": the places added are named, so
            // they can be counted (only against a list of names, below).
            let place =
                PLACE_NOUNS.contains(&unit_words[0]) || starts_with(&q.unit, &["địa", "phương"]) || starts_with(&q.unit, &["thành", "phố"]);
            let added = q.pre.last().is_some_and(|w| w == "thêm");
            if q.pre.last().is_some_and(|w| threshold.contains(&w.as_str()) && !(place && added))
                || ends_with(&q.pre, &["ít", "nhất"])
                || ends_with(&q.pre, &["tối", "đa"])
                || ends_with(&q.pre, &["tối", "thiểu"])
            {
                continue;
            }
            let here = self.seg[first];
            // "(11 chỉ tiêu)" closing a line: the list follows on the next lines.
            if here.depth > 0 && first > 0 && self.tokens[first - 1].is_punct('(') {
                if let Some(close) = self.tokens.get(after).filter(|t| t.is_punct(')')) {
                    // Only blanks, ':', '*', '_' up to the end of the line (read up to the first
                    // other sign, not to the end of a long line: issue 12).
                    let line_end = self.line_end_if_only_blanks(close.end);
                    if let Some(line_end) = line_end.filter(|_| {
                        !self.tokens[..first].iter().rev().take(LOOKAHEAD).take_while(|t| !t.line_start).any(|t| t.is_punct(':'))
                    }) {
                        claims.push(self.claim(q, Items::FollowingLines { from: line_end }));
                    }
                }
                continue;
            }
            // Places are listed by name: "4 tỉnh Nam Định, Đồng Nai, Hưng Yên và Hà Nam",
            // "6 tỉnh (Nam Định, …)", "8 xã: Ngọc Sơn, …, Nhân Nghĩa, tỉnh Phú Thọ".
            if place {
                let direct = self.tokens.get(after).filter(|t| t.kind == TokenKind::Word && t.capitalized).map(|_| after);
                let paren = self.tokens.get(after).filter(|t| t.is_punct('(')).map(|_| after + 1);
                if let Some(items) = direct.or(paren).and_then(|s| self.name_items(s, here.sentence)) {
                    claims.push(self.claim(q, Items::Inline(items)));
                    continue;
                }
            }
            // Look for "gồm", "bao gồm", "sau:", "như sau:", "là:", "cụ thể:", or ":" after the unit.
            let mut k = after;
            let mut list_start = None;
            // A figure of another noun in the description ("… hoàn thành 19/19 tiêu chí:"): only
            // places, whose list is then of names, may be counted across it.
            let mut crossed_figure = false;
            while let Some(t) = self.tokens.get(k) {
                if self.seg[k].sentence != here.sentence || k > after + 12 || self.seg[k].depth != here.depth {
                    break;
                }
                let other_figure = |t: &crate::lexer::Token| {
                    self.quantities[idx + 1..]
                        .iter()
                        .take(4)
                        .find(|o| o.range.start == t.start && !o.unit.is_empty() && o.unit.first() != q.unit.first())
                };
                if let Some(figure) = other_figure(t).filter(|_| place && t.kind == TokenKind::Number) {
                    // Past the whole figure ("19/19" is three tokens).
                    crossed_figure = true;
                    while self.tokens.get(k).is_some_and(|t| t.start < figure.range.end) {
                        k += 1;
                    }
                    continue;
                }
                // A number, a name or another noun phrase ("các xã sau:") between the count and
                // the colon: the list is announced by something else.
                if t.kind == TokenKind::Number || (k > after && t.capitalized) || t.is_word("các") || t.is_word("những") {
                    break;
                }
                if t.is_punct(':') {
                    list_start = Some(k + 1);
                    break;
                }
                if t.is_word("gồm") {
                    let next = k + 1;
                    list_start = Some(if self.tokens.get(next).is_some_and(|t| t.is_punct(':')) { next + 1 } else { next });
                    break;
                }
                if t.is_punct(',') && matches!(self.word(k + 1), Some("gồm" | "bao")) {
                    k += 1;
                    continue;
                }
                // "9 xã, phường không có hộ nghèo gồm …"
                if place && t.is_punct(',') && self.word(k + 1).is_some_and(|w| PLACE_NOUNS.contains(&w)) {
                    k += 1;
                    continue;
                }
                // "tốp năm địa phương … nhiều nhất là TPHCM (…); Hà Nội (…)": "là" before names.
                if place && t.is_word("là") && self.tokens.get(k + 1).is_some_and(|n| n.capitalized) {
                    if let Some(items) = self.name_items(k + 1, here.sentence) {
                        claims.push(self.claim(q, Items::Inline(items)));
                    }
                    break;
                }
                if t.is_any_punct(",;.()") {
                    break;
                }
                if t.kind == TokenKind::Number
                    && self.quantities[idx + 1..]
                        .iter()
                        .take(4)
                        .any(|o| o.range.start == t.start && o.kind == QuantityKind::Count && !o.unit.is_empty())
                {
                    break;
                }
                k += 1;
            }
            let Some(start) = list_start else {
                if let Some(items) = self.far_announced_items(q, after, here.sentence, here.depth) {
                    claims.push(self.claim(q, Items::Inline(items)));
                }
                continue;
            };
            if place {
                if let Some(items) = self.name_items(start, here.sentence) {
                    claims.push(self.claim(q, Items::Inline(items)));
                    continue;
                }
                if added || crossed_figure {
                    continue;
                }
                // Places are never counted from lines ("34 tỉnh thành như sau:" then one line per
                // conference).
                if self.tokens.get(start).is_none_or(|t| t.line_start) {
                    continue;
                }
            }
            match self.tokens.get(start) {
                None => {
                    let from = self.line_end_after(self.tokens[start - 1].end);
                    claims.push(self.claim(q, Items::FollowingLines { from }));
                }
                Some(t) if t.line_start => {
                    claims.push(self.claim(q, Items::FollowingLines { from: self.line_start_before(t.start) }));
                }
                Some(_) => {
                    if let Some(items) = self.semicolon_items(start, here.sentence, here.depth, Some(unit_words[0])) {
                        // "9 cuộc kiểm tra: 4 cuộc …; 5 cuộc …" is a breakdown of numbers, which
                        // total-mismatch checks; it is not a list of items to count.
                        // An item opening with a number ("22 xã, 30 phường") makes the list a
                        // breakdown.
                        let numeric_items = items
                            .iter()
                            .filter(|item| {
                                // Only amounts of the counted noun make a breakdown ("9 cuộc: 4 cuộc …;
                                // 5 cuộc …"); "Dưới 40 tuổi" in a list of age brackets does not.
                                self.quantities_within(**item).any(|o| {
                                    o.kind == QuantityKind::Count
                                        && o.range.start >= item.start
                                        && o.range.end <= item.end
                                        && o.unit.first() == q.unit.first()
                                })
                            })
                            .count();
                        let opens_with_number = items.iter().any(|item| {
                            self.tokens
                                .iter()
                                .skip(start)
                                .take(20 * LOOKAHEAD)
                                .find(|t| t.start >= item.start)
                                .is_some_and(|t| t.kind == TokenKind::Number)
                        });
                        if numeric_items < 2 && !opens_with_number {
                            claims.push(self.claim(q, Items::Inline(items)));
                        }
                    }
                }
            }
        }
        claims.extend(self.slogan_claims());
        claims
    }

    pub(super) fn line_end_after(&self, pos: usize) -> usize {
        self.text[pos..].find(['\n', '\r']).map_or(self.text.len(), |i| pos + i)
    }

    pub(super) fn line_start_before(&self, pos: usize) -> usize {
        self.text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    /// Names of places listed from token `start`: runs of capitalised words separated by commas,
    /// semicolons or "và", each with an optional parenthesis ("Tân Thạnh (Tam Kỳ)"). The list ends
    /// at the first lowercase word, number or other sign. `None` unless there are two names.
    pub(super) fn name_items(&self, start: usize, sentence: usize) -> Option<Vec<TextRange>> {
        let tokens = self.tokens;
        let mut items = Vec::new();
        let mut current: Option<(usize, usize, usize)> = None; // start, end, words
        let mut k = start;
        let _ = sentence;
        while let Some(t) = tokens.get(k).filter(|_| k < start + LOOKAHEAD) {
            // Sentence ends are read from the signs: "TP.Hội An" in a parenthesis ends nothing, and
            // a name may be wrapped onto the next line.
            if t.is_any_punct(".!?…") {
                break;
            }
            if t.kind == TokenKind::Word && (t.capitalized || t.all_caps) {
                let c = current.get_or_insert((t.start, t.end, 0));
                c.1 = t.end;
                c.2 += 1;
                if c.2 > 5 {
                    return None;
                }
                k += 1;
                continue;
            }
            if t.is_punct('(') && current.is_some() {
                let close = self.matching_paren(k)?;
                k = close + 1;
                continue;
            }
            if t.is_any_punct(",;") || t.is_word("và") {
                match current.take() {
                    Some((s, e, _)) => items.push(TextRange::new(s, e)),
                    None if t.is_punct(';') && items.is_empty() => {}
                    None => return None,
                }
                k += 1;
                continue;
            }
            break;
        }
        if let Some((s, e, _)) = current {
            items.push(TextRange::new(s, e));
        }
        (items.len() >= 2).then_some(items)
    }

    /// Items of an inline list separated by semicolons, up to the end of the sentence.
    /// `None` when there is no semicolon (a comma list is too ambiguous to count).
    pub(super) fn semicolon_items(&self, start: usize, sentence: usize, depth: u32, key: Option<&str>) -> Option<Vec<TextRange>> {
        let mut items = Vec::new();
        let mut item_start: Option<usize> = None;
        let mut last_end = 0;
        let mut semicolons = 0;
        let mut k = start;
        while let Some(t) = self.tokens.get(k).filter(|_| k < start + 20 * LOOKAHEAD) {
            if self.seg[k].sentence != sentence || self.seg[k].depth < depth {
                break;
            }
            if t.is_punct(';') && self.seg[k].depth == depth {
                if let Some(s) = item_start.take() {
                    items.push(TextRange::new(s, last_end));
                }
                semicolons += 1;
                // "…; đồng thời …", "…; ngoài ra …": the sentence goes on, the list has ended.
                if self.starts_connective(k + 1) {
                    break;
                }
            } else if t.is_word("và") && key.is_some() && self.word(k + 1) == key && self.seg[k].depth == depth && item_start.is_some() {
                // "…; phương pháp B và phương pháp C": the last two items joined by "và".
                if let Some(s) = item_start.take() {
                    items.push(TextRange::new(s, last_end));
                }
            } else if !(t.is_any_punct(".") && self.tokens.get(k + 1).is_none_or(|_| self.seg[k + 1].sentence != sentence)) {
                item_start.get_or_insert(t.start);
                last_end = t.end;
            }
            k += 1;
        }
        if let Some(s) = item_start {
            items.push(TextRange::new(s, last_end));
        }
        (semicolons > 0).then_some(items)
    }

    /// "có 4 đảng bộ kết nạp đảng viên mới đạt trên 50% chỉ tiêu, bao gồm: Đảng bộ A …; Đảng bộ
    /// B …; …": the count is described at length before ", bao gồm:" (or ", gồm:"), so the
    /// announcement is far from the number. Counted only when the list is of semicolon items that
    /// each open with the counted noun itself ("Đảng bộ …"): then they are surely the items.
    fn far_announced_items(&self, q: &Quantity, after: usize, sentence: usize, depth: u32) -> Option<Vec<TextRange>> {
        let noun: Vec<&str> = q.unit.iter().take(2).map(String::as_str).collect();
        if noun.len() < 2 {
            return None;
        }
        let mut k = after;
        let start = loop {
            let t = self.tokens.get(k)?;
            if self.seg[k].sentence != sentence || k > after + 3 * LOOKAHEAD || t.is_any_punct(";.") {
                return None;
            }
            let gom = (t.is_word("bao") && self.word(k + 1) == Some("gồm")).then_some(k + 2).or(t.is_word("gồm").then_some(k + 1));
            if let Some(next) = gom.filter(|_| k > 0 && self.tokens[k - 1].is_punct(',') && self.seg[k].depth == depth) {
                break self.tokens.get(next).filter(|t| t.is_punct(':')).map(|_| next + 1)?;
            }
            k += 1;
        };
        let items = self.semicolon_items(start, sentence, depth, Some(noun[0]))?;
        let opens_with_noun = |item: &TextRange| {
            let words: Vec<String> = self.text[item.start..item.end].split_whitespace().take(2).map(str::to_lowercase).collect();
            words.len() == 2 && words[0] == noun[0] && words[1] == noun[1]
        };
        (items.len() >= 2 && items.iter().all(opens_with_noun)).then_some(items)
    }

    /// Words that continue a sentence after a list instead of adding an item.
    pub(super) fn starts_connective(&self, k: usize) -> bool {
        let pairs: &[(&str, &str)] = &[
            ("đồng", "thời"),
            ("ngoài", "ra"),
            ("bên", "cạnh"),
            ("qua", "đó"),
            ("từ", "đó"),
            ("trong", "đó"),
            ("tuy", "nhiên"),
            ("nhờ", "đó"),
        ];
        let (Some(a), Some(b)) = (self.word(k), self.word(k + 1)) else { return false };
        // "…; riêng huyện X chỉ …": an exception told after the list, not one of its items.
        pairs.contains(&(a, b)) || matches!(a, "song" | "nhưng" | "nhằm" | "để" | "riêng")
    }

    /// “5 rõ” (rõ người, rõ việc, …): a quoted slogan with its items in parentheses.
    pub(super) fn slogan_claims(&self) -> Vec<CountClaim> {
        let mut claims = Vec::new();
        let tokens = self.tokens;
        for i in 0..tokens.len() {
            if !(tokens[i].is_any_punct("“\"") && tokens.get(i + 1).is_some_and(|t| t.kind == TokenKind::Number) && self.glued(i, i + 1))
            {
                continue;
            }
            let Some(n) = parse_digits(&tokens[i + 1].norm).filter(|p| p.decimals == 0) else { continue };
            // The slogan word(s), then a closing quote, then "(".
            let mut k = i + 2;
            let mut slogan_words = Vec::new();
            while tokens.get(k).is_some_and(|t| t.kind == TokenKind::Word) && slogan_words.len() < 3 {
                slogan_words.push(tokens[k].norm.as_str());
                k += 1;
            }
            if slogan_words.is_empty() || !tokens.get(k).is_some_and(|t| t.is_any_punct("”\"")) {
                continue;
            }
            if !tokens.get(k + 1).is_some_and(|t| t.is_punct('(')) {
                // “7 dám”, đó là: “Dám nghĩ; dám nói; …; và dám hành động …”: items after a colon,
                // separated by semicolons (an item may hold a comma) or "và" before the key word.
                if let Some(claim) = self.slogan_after_colon(i, k, &slogan_words, n.value) {
                    claims.push(claim);
                }
                continue;
            }
            let key = slogan_words[slogan_words.len() - 1];
            let open = k + 1;
            let mut depth = 0;
            let mut close = None;
            for (j, t) in tokens.iter().enumerate().skip(open).take(LOOKAHEAD) {
                if t.is_punct('(') {
                    depth += 1;
                } else if t.is_punct(')') {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
            }
            let Some(close) = close else { continue };
            // Split on commas, then on "và" when the slogan word follows it.
            let mut items: Vec<Vec<usize>> = vec![Vec::new()];
            for (j, t) in tokens.iter().enumerate().take(close).skip(open + 1) {
                if t.is_any_punct(",;") || (t.is_word("và") && self.word(j + 1) == Some(key)) {
                    items.push(Vec::new());
                } else if let Some(last) = items.last_mut() {
                    last.push(j);
                }
            }
            items.retain(|item| !item.is_empty());
            let all_keyed = items.iter().all(|item| tokens[item[0]].norm == key || item.iter().take(3).any(|&j| tokens[j].norm == key));
            if !all_keyed || items.is_empty() {
                continue;
            }
            let ranges: Vec<TextRange> =
                items.iter().map(|item| TextRange::new(tokens[item[0]].start, tokens[item[item.len() - 1]].end)).collect();
            let span = TextRange::new(tokens[i + 1].start, tokens[k - 1].end);
            claims.push(CountClaim {
                value: n.value,
                written: tokens[i + 1].norm.clone(),
                number: TextRange::new(tokens[i + 1].start, tokens[i + 1].end),
                span,
                noun: slogan_words.join(" "),
                items: Items::Inline(ranges),
            });
        }
        claims
    }

    pub(super) fn slogan_after_colon(&self, quote: usize, close: usize, slogan_words: &[&str], value: Decimal) -> Option<CountClaim> {
        let tokens = self.tokens;
        let key = *slogan_words.last()?;
        let colon = (close + 1..close + 6).find(|&j| tokens.get(j).is_some_and(|t| t.is_punct(':')))?;
        if (close + 1..colon).any(|j| tokens.get(j).is_some_and(|t| t.kind == TokenKind::Number)) {
            return None;
        }
        let mut j = colon + 1;
        let quoted = tokens.get(j).is_some_and(|t| t.is_any_punct("“\""));
        if quoted {
            j += 1;
        }
        let sentence = self.seg[colon].sentence;
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        while let Some(t) = tokens.get(j).filter(|_| j < colon + LOOKAHEAD) {
            if self.seg[j].sentence != sentence || (quoted && t.is_any_punct("”\"")) {
                break;
            }
            if t.is_punct(';') || (t.is_word("và") && self.word(j + 1) == Some(key)) {
                if let Some(c) = current.take() {
                    items.push(c);
                }
            } else if !t.is_punct('.') {
                let c = current.get_or_insert((j, j));
                c.1 = j;
            }
            j += 1;
        }
        if let Some(c) = current {
            items.push(c);
        }
        if items.len() < 2 || !items.iter().all(|&(a, _)| tokens[a].norm == key) {
            return None;
        }
        let ranges: Vec<TextRange> = items.iter().map(|&(a, b)| TextRange::new(tokens[a].start, tokens[b].end)).collect();
        Some(CountClaim {
            value,
            written: tokens[quote + 1].norm.clone(),
            number: TextRange::new(tokens[quote + 1].start, tokens[quote + 1].end),
            span: TextRange::new(tokens[quote + 1].start, tokens[close - 1].end),
            noun: slogan_words.join(" "),
            items: Items::Inline(ranges),
        })
    }

    pub(super) fn claim(&self, q: &Quantity, items: Items) -> CountClaim {
        CountClaim { value: q.value, written: q.written.clone(), number: q.range, span: q.span, noun: q.unit.join(" "), items }
    }
}

pub(super) fn line_infos(text: &str) -> Vec<LineInfo> {
    lines(text)
        .map(|(start, end, _)| {
            let line = &text[start..end];
            let marker = marker_of(line);
            let number = match marker {
                Some(Marker::Numbered) => {
                    let digits = line.trim_start().trim_start_matches(['*', '_', '(']);
                    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
                    digits[..len].parse().ok()
                }
                _ => None,
            };
            LineInfo { start, end, marker, number }
        })
        .collect()
}

/// The list marker opening a line, if any.
pub fn marker_of(line: &str) -> Option<Marker> {
    let trimmed = line.trim_start();
    let first = trimmed.chars().next()?;
    if first == '#' {
        return Some(Marker::Heading);
    }
    if first == '|' {
        return Some(Marker::TableRow);
    }
    let mut chars = trimmed.chars();
    chars.next();
    let second = chars.next();
    if matches!(first, '-' | '–' | '+' | '•' | '*' | '—') && second.is_some_and(char::is_whitespace) {
        return Some(Marker::Bullet(if first == '—' { '–' } else { first }));
    }
    let unbolded = trimmed.trim_start_matches(['*', '_']);
    // Numbered: "1." "12)" "(3)"; sub-numbered "1.1." "2.3".
    let digits: String = unbolded.trim_start_matches('(').chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let after = &unbolded.trim_start_matches('(')[digits.len()..];
        let mut rest = after.chars();
        match (rest.next(), rest.next()) {
            (Some('.'), Some(c)) if c.is_ascii_digit() => return Some(Marker::SubNumbered),
            (Some('.' | ')'), Some(c)) if c.is_whitespace() || c == '*' => return Some(Marker::Numbered),
            (Some('.' | ')'), None) => return Some(Marker::Numbered),
            _ => return None,
        }
    }
    // Roman: "I." "II-" "IV." followed by a space or text.
    let roman: String = unbolded.chars().take_while(|c| "IVXLC".contains(*c)).collect();
    if !roman.is_empty() {
        let after = unbolded[roman.len()..].chars().next();
        if matches!(after, Some('.' | '-' | ')' | '–')) {
            return Some(Marker::Roman);
        }
    }
    // Letter: "a)" "b." "đ)".
    let mut it = unbolded.chars();
    if let (Some(l), Some(p), Some(s)) = (it.next(), it.next(), it.next()) {
        if l.is_lowercase() && l.is_alphabetic() && (p == ')' || (p == '.' && s.is_whitespace())) && (s.is_whitespace() || p == ')') {
            return Some(Marker::Letter);
        }
    }
    // Ordinal: "Một là", "Hai là", "Mười một là".
    let words: Vec<String> = unbolded
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '*')
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.to_lowercase())
        .collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    if unbolded.chars().next().is_some_and(char::is_uppercase) {
        if let Some((_, used)) = parse_words(&refs) {
            if refs.get(used) == Some(&"là") {
                return Some(Marker::Ordinal);
            }
        }
    }
    None
}
