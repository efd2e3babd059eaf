//! Stage 1 of reading a block: sentences and clauses (`Seg`), and where a line opens a list item.

use super::*;

/// Sentence, clause and parenthesis depth of each token.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Seg {
    pub(super) sentence: usize,
    pub(super) clause: usize,
    pub(super) depth: u32,
    /// Semicolons at depth 0 before this token in its sentence.
    pub(super) semicolons: usize,
    /// Counts sentences that open a topic ("Về kinh tế, …"): quantities under two topics
    /// belong to two different wholes.
    pub(super) topic: usize,
}

pub(super) fn segment(tokens: &[Token]) -> Vec<Seg> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut seg = Seg::default();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            let prev = &tokens[i - 1];
            let after_stop = prev.is_any_punct(".!?…");
            // A blank line ends a sentence even without a full stop (a headline, a title).
            let new_sentence = if token.paragraph_start {
                true
            } else if token.line_start {
                let soft = prev.is_any_punct(":;,(") || (prev.kind != TokenKind::Punct && !line_opens_item(tokens, i));
                after_stop || !soft
            } else {
                after_stop && (token.capitalized || token.is_any_punct("“\"‘'(") || token.kind == TokenKind::Number)
            };
            if new_sentence {
                seg.sentence += 1;
                seg.clause += 1;
                seg.depth = 0;
                seg.semicolons = 0;
                if token.is_word("về") || (token.is_any_punct("-–+•") && tokens.get(i + 1).is_some_and(|t| t.is_word("về"))) {
                    seg.topic += 1;
                }
            } else if prev.is_punct(';') && seg.depth == 0 {
                seg.semicolons += 1;
                seg.clause += 1;
            } else if prev.is_any_punct(",;:()") || starts_clause_word(tokens, i) {
                seg.clause += 1;
            }
        }
        if token.is_punct('(') {
            out.push(seg);
            seg.depth += 1;
            continue;
        }
        if token.is_punct(')') {
            seg.depth = seg.depth.saturating_sub(1);
        }
        out.push(seg);
    }
    out
}

/// A line that opens a list item or a heading starts a new sentence even after a soft break.
pub(super) fn line_opens_item(tokens: &[Token], i: usize) -> bool {
    let token = &tokens[i];
    if token.is_any_punct("-–+•#|") {
        return true;
    }
    if token.kind == TokenKind::Number && tokens.get(i + 1).is_some_and(|n| n.is_any_punct(".)") && !n.space_before) {
        return true;
    }
    token.kind == TokenKind::Word && token.capitalized && tokens.get(i + 1).is_some_and(|n| n.is_word("là"))
}

/// "trong đó", "trong số đó", "gồm", "bao gồm" open a new clause even without a comma.
pub(super) fn starts_clause_word(tokens: &[Token], i: usize) -> bool {
    let word = |k: usize| tokens.get(k).filter(|t| t.kind == TokenKind::Word).map(|t| t.norm.as_str());
    match word(i) {
        Some("trong") => word(i + 1) == Some("đó") || (word(i + 1) == Some("số") && word(i + 2) == Some("đó")),
        Some("gồm") => word(i.wrapping_sub(1)) != Some("bao"),
        Some("bao") => word(i + 1) == Some("gồm"),
        _ => false,
    }
}
