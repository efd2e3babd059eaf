//! Splits a block into words, numeric lexemes and punctuation, with byte ranges.
//!
//! Words keep a lowercase NFC form (`norm`) so that checks compare decomposed (NFD) and
//! composed Vietnamese alike, while ranges still point at the text exactly as written.
//! Markdown emphasis characters (`*`, `_`, `` ` ``, `~`) are skipped, so `**11/40**` reads as `11/40`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters (with combining marks).
    Word,
    /// Digits with inner `.`, `,`, `/` or `-` between digits: `1.600`, `2.664,5`, `11/40`, `10-8-2023`.
    Number,
    /// Any other visible character; `norm` holds it.
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// Words: lowercase NFC. Numbers: as written. Punctuation: the character.
    pub norm: String,
    /// Whitespace (or a line break) stands right before this token.
    pub space_before: bool,
    /// This is the first token of its line.
    pub line_start: bool,
    /// A blank line stands before this token: it opens a paragraph (or follows a headline).
    pub paragraph_start: bool,
    /// Words: the first letter is uppercase.
    pub capitalized: bool,
    /// Words: every letter is uppercase (an abbreviation such as `TCCSĐ`).
    pub all_caps: bool,
}

impl Token {
    pub fn is_word(&self, word: &str) -> bool {
        self.kind == TokenKind::Word && self.norm == word
    }

    pub fn is_punct(&self, ch: char) -> bool {
        self.kind == TokenKind::Punct && self.norm.starts_with(ch) && self.norm.len() == ch.len_utf8()
    }

    pub fn is_any_punct(&self, chars: &str) -> bool {
        self.kind == TokenKind::Punct && self.norm.chars().next().is_some_and(|c| chars.contains(c))
    }
}

fn is_markup(ch: char) -> bool {
    matches!(ch, '*' | '_' | '`' | '~')
}

/// A letter or a combining mark: what words are made of. Vietnamese letters sit in a few Latin
/// blocks, answered here by range before falling back to the standard library's tables (which
/// are slow for non-ASCII characters); a test checks that both agree for every character.
pub fn is_word_char(ch: char) -> bool {
    match ch {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7f}' => false,
        '\u{d7}' | '\u{f7}' => false,
        '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{300}'..='\u{36f}' => true,
        _ => ch.is_alphabetic() || is_combining_mark(ch),
    }
}

/// Tokenizes `text` (one block). Never fails; every byte is either skipped whitespace or
/// markup, or belongs to exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut space_before = true;
    let mut line_start = true;
    // Line breaks since the last token ("\r\n" is one).
    let mut breaks = 0;
    let bytes = text.as_bytes();
    while let Some((start, ch)) = chars.next() {
        if ch == '\n' || ch == '\r' {
            space_before = true;
            line_start = true;
            if !(ch == '\r' && bytes.get(start + 1) == Some(&b'\n')) {
                breaks += 1;
            }
            continue;
        }
        if ch.is_whitespace() {
            space_before = true;
            continue;
        }
        if is_markup(ch) {
            continue;
        }
        if ch.is_ascii_digit() {
            let mut end = start + 1;
            loop {
                match bytes.get(end) {
                    Some(b) if b.is_ascii_digit() => end += 1,
                    Some(b'.' | b',' | b'/' | b'-') if bytes.get(end + 1).is_some_and(|b| b.is_ascii_digit()) => end += 2,
                    _ => break,
                }
            }
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
            tokens.push(Token {
                kind: TokenKind::Number,
                start,
                end,
                norm: text[start..end].to_string(),
                space_before,
                line_start,
                paragraph_start: breaks >= 2,
                capitalized: false,
                all_caps: false,
            });
        } else if is_word_char(ch) {
            let mut end = start + ch.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                if is_word_char(next) {
                    end = i + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let raw = &text[start..end];
            let capitalized = ch.is_uppercase();
            let all_caps = capitalized && raw.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
            // Text typed in editors is almost always NFC already: normalise only when needed.
            let norm: String = if raw.is_ascii() {
                raw.to_ascii_lowercase()
            } else if is_nfc_quick(raw.chars()) == IsNormalized::Yes {
                raw.to_lowercase()
            } else {
                raw.nfc().flat_map(char::to_lowercase).collect()
            };
            tokens.push(Token {
                kind: TokenKind::Word,
                start,
                end,
                norm,
                space_before,
                line_start,
                paragraph_start: breaks >= 2,
                capitalized,
                all_caps,
            });
        } else {
            tokens.push(Token {
                kind: TokenKind::Punct,
                start,
                end: start + ch.len_utf8(),
                norm: ch.to_string(),
                space_before,
                line_start,
                paragraph_start: breaks >= 2,
                capitalized: false,
                all_caps: false,
            });
        }
        space_before = false;
        line_start = false;
        breaks = 0;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, String)> {
        tokenize(text).into_iter().map(|t| (t.kind, t.norm)).collect()
    }

    #[test]
    fn numbers_keep_inner_separators_and_markup_is_skipped() {
        use TokenKind::*;
        assert_eq!(
            kinds("có **11/40** chỉ tiêu, 1.600 tỷ; 30/2020/NĐ-CP."),
            vec![
                (Word, "có".into()),
                (Number, "11/40".into()),
                (Word, "chỉ".into()),
                (Word, "tiêu".into()),
                (Punct, ",".into()),
                (Number, "1.600".into()),
                (Word, "tỷ".into()),
                (Punct, ";".into()),
                (Number, "30/2020".into()),
                (Punct, "/".into()),
                (Word, "nđ".into()),
                (Punct, "-".into()),
                (Word, "cp".into()),
                (Punct, ".".into()),
            ]
        );
    }

    #[test]
    fn decomposed_words_are_normalized_but_ranges_are_not() {
        let nfd = "Đa\u{323}t";
        let tokens = tokenize(nfd);
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].norm, "đạt");
        assert_eq!(tokens[0].end, nfd.len());
    }

    #[test]
    fn the_word_char_fast_path_agrees_with_the_unicode_tables() {
        for code in 0..0x3_0000u32 {
            if let Some(ch) = char::from_u32(code) {
                assert_eq!(is_word_char(ch), ch.is_alphabetic() || is_combining_mark(ch), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn emoji_are_punctuation_and_do_not_break_offsets() {
        let text = "🎉 28 chỉ tiêu";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[1].start..tokens[1].end], "28");
    }
}
