//! Byte ranges and the split of a document into blocks (paragraphs, list runs, tables).
//!
//! A block is a maximal run of non-blank lines. Blocks are the unit of caching: editing one
//! character changes one block, and only that block is extracted again.

use std::ops::Range;

/// A half-open byte range `[start, end)` into the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        TextRange { start, end: end.max(start) }
    }

    /// The same range moved `by` bytes to the right (block-relative to document-relative).
    pub fn shift(self, by: usize) -> TextRange {
        TextRange { start: self.start + by, end: self.end + by }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn as_range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// One block of the document: its byte offset and its text (with its line breaks, as written).
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub offset: usize,
    pub text: &'a str,
}

/// Splits `text` into blocks separated by blank lines. Accepts `\n`, `\r\n` and lone `\r`
/// line breaks, as the LSP does. The trailing line break of a block is not part of it.
pub fn split_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut block_start: Option<usize> = None;
    let mut block_end = 0;
    for (line_start, line_end, _next) in lines(text) {
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if let Some(start) = block_start.take() {
                blocks.push(Block { offset: start, text: &text[start..block_end] });
            }
        } else {
            if block_start.is_none() {
                block_start = Some(line_start);
            }
            block_end = line_end;
        }
    }
    if let Some(start) = block_start {
        blocks.push(Block { offset: start, text: &text[start..block_end] });
    }
    blocks
}

/// Maximal runs of characters that `belongs` accepts, with their byte offsets: words are runs
/// of letters, a legacy-encoded word a run of ASCII and Latin-1 letters.
pub fn runs<'a>(text: &'a str, belongs: impl Fn(char) -> bool + 'a) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = rest.next()?;
            if belongs(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !belongs(c) {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// Iterates over lines as `(start, end_without_break, start_of_next_line)` byte offsets.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = pos;
        // memchr searches for the line break with SIMD: this runs over the whole document on
        // every keystroke.
        if let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            let i = start + found;
            pos = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
            return Some((start, i, pos));
        }
        done = true;
        pos = bytes.len();
        Some((start, bytes.len(), bytes.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_separated_by_blank_lines_in_any_line_ending() {
        let text = "Một\r\nhai\r\n\r\nba\n \nbốn\rnăm";
        let blocks: Vec<&str> = split_blocks(text).iter().map(|b| b.text).collect();
        assert_eq!(blocks, vec!["Một\r\nhai", "ba", "bốn\rnăm"]);
        for block in split_blocks(text) {
            assert_eq!(&text[block.offset..block.offset + block.text.len()], block.text);
        }
    }

    #[test]
    fn empty_and_blank_texts_have_no_blocks() {
        assert!(split_blocks("").is_empty());
        assert!(split_blocks("\n\n  \r\n").is_empty());
    }
}
