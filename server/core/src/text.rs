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

    /// The range moved `by` bytes (to the left when negative).
    pub fn move_by(self, by: isize) -> TextRange {
        TextRange { start: self.start.saturating_add_signed(by), end: self.end.saturating_add_signed(by) }
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
    /// A blank line stands before the block (a new paragraph), rather than the cut of a long
    /// run of lines.
    pub blank_before: bool,
}

/// A run of lines longer than this (in lines or bytes) is cut into smaller blocks at safe line
/// boundaries, so that a keystroke in a document without blank lines (one paragraph per line,
/// as word processors export) re-analyses one paragraph, not the whole document.
const LONG_RUN_LINES: usize = 24;
const LONG_RUN_BYTES: usize = 8 * 1024;
/// A run with no safe boundary (a long table, a long list) is still cut past this many lines,
/// at a line chosen by its content, so the cut points stay where they are when lines above are
/// edited. Past twice as many, more lines qualify; past four times, the run is cut wherever it
/// is (a run of a few distinct lines repeated, none of which qualifies, was one block however
/// long, analysed again in full on every keystroke).
const MAX_BLOCK_LINES: usize = 512;

/// Splits `text` into blocks: runs of lines separated by blank lines, long runs cut further at
/// safe line boundaries (see [`safe_boundary`]). Accepts `\n`, `\r\n` and lone `\r` line breaks, as
/// the LSP does. The trailing line break of a block is not part of it.
pub fn split_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut blank_before = false;
    for (line_start, line_end, _next) in lines(text) {
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if !run.is_empty() {
                cut_run(text, &run, blank_before, &mut blocks);
                run.clear();
            }
            blank_before = !blocks.is_empty();
        } else if line_end - line_start > LONG_RUN_BYTES {
            sentences(text, line_start, line_end, &mut run);
        } else {
            run.push((line_start, line_end));
        }
    }
    if !run.is_empty() {
        cut_run(text, &run, blank_before, &mut blocks);
    }
    join_back_references(text, blocks)
}

/// A line longer than [`LONG_RUN_BYTES`] (a whole section exported as one line) as pieces that
/// end where a sentence ends before a space, without the spaces between them. They join the run
/// like lines, and [`cut_run`] cuts between two of them only where it would cut between two
/// lines ([`safe_boundary`]), so a keystroke re-reads one stretch of the line, not all of it.
fn sentences(text: &str, start: usize, end: usize, run: &mut Vec<(usize, usize)>) {
    let line = &text[start..end];
    let mut piece = 0;
    for (i, _) in line.match_indices(' ') {
        if i < piece {
            continue;
        }
        let before = line[piece..i].trim_end_matches(['*', '_', '"', '”', '’', ')']);
        if before.is_empty() || !before.ends_with(['.', '!', '?', '…']) {
            continue;
        }
        let rest = &line[i..];
        let next = i + rest.len() - rest.trim_start().len();
        if next == line.len() {
            break;
        }
        run.push((start + piece, start + i));
        piece = next;
    }
    run.push((start + piece, end));
}

/// Paragraphs that open by referring to the one before ("Trong đó, …", "Cụ thể: …") break down
/// a total stated there, often in a headline: "Năm 2023, kết nạp 120 đảng viên" ⏎⏎ "Trong đó,
/// 45 đảng viên nữ, …". Such a paragraph is read in one block with the paragraph before, while
/// both stay short, so a keystroke still re-reads a bounded text.
fn join_back_references<'a>(text: &'a str, blocks: Vec<Block<'a>>) -> Vec<Block<'a>> {
    const OPENERS: [&str; 7] = ["Trong đó", "Trong số đó", "Trong số này", "Cụ thể", "Bao gồm", "Gồm", "Chia ra"];
    let mut out: Vec<Block<'a>> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let opens_back =
            block.blank_before && OPENERS.iter().any(|o| block.text.strip_prefix(o).is_some_and(|rest| rest.starts_with([',', ':', ' '])));
        if let Some(previous) = out.last_mut().filter(|p| opens_back && p.text.len() <= LONG_RUN_BYTES / 4) {
            let end = block.offset + block.text.len();
            if end - previous.offset <= LONG_RUN_BYTES {
                previous.text = &text[previous.offset..end];
                continue;
            }
        }
        out.push(block);
    }
    out
}

/// Pushes the blocks of one run of non-blank lines.
fn cut_run<'a>(text: &'a str, run: &[(usize, usize)], blank_before: bool, blocks: &mut Vec<Block<'a>>) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else { return };
    if run.len() <= LONG_RUN_LINES && last.1 - first.0 <= LONG_RUN_BYTES {
        blocks.push(Block { offset: first.0, text: &text[first.0..last.1], blank_before });
        return;
    }
    let mut start = 0;
    for i in 1..run.len() {
        let (previous, next) = (&text[run[i - 1].0..run[i - 1].1], &text[run[i].0..run[i].1]);
        let lines = i - start;
        let pick = crate::fingerprint_of(next);
        let forced =
            lines >= MAX_BLOCK_LINES && (pick % 16 == 0 || lines >= 2 * MAX_BLOCK_LINES && pick % 2 == 0 || lines >= 4 * MAX_BLOCK_LINES);
        if forced || safe_boundary(previous, next) {
            blocks.push(Block { offset: run[start].0, text: &text[run[start].0..run[i - 1].1], blank_before: blank_before && start == 0 });
            start = i;
        }
    }
    blocks.push(Block { offset: run[start].0, text: &text[run[start].0..last.1], blank_before: blank_before && start == 0 });
}

/// Whether a long run of lines may be cut between `previous` and `next` without parting what
/// the checks read together: `previous` ends a sentence, and `next` starts a new one with a
/// capital letter, not a list item ("- …", "1. …", "a) …", "Một là, …"), not a table row, and
/// not a sentence that refers back ("Trong đó, …", "Cụ thể: …").
pub fn safe_boundary(previous: &str, next: &str) -> bool {
    let previous = previous.trim_end().trim_end_matches(['*', '_', '"', '”', '’', ')']);
    let next = next.trim_start();
    if !previous.ends_with(['.', '!', '?', '…']) || previous.trim_start().starts_with('|') {
        return false;
    }
    if !next.chars().next().is_some_and(|c| c.is_alphabetic() && c.is_uppercase()) {
        return false;
    }
    const REFERS_BACK: [&str; 9] = ["Trong ", "Cụ thể", "Gồm", "Bao gồm", "Chia ra", "Còn lại", "Riêng ", "Ngoài ra", "Tổng "];
    if REFERS_BACK.iter().any(|w| next.starts_with(w)) {
        return false;
    }
    // "Một là, …", "Hai là: …": an ordinal paragraph of a counted list.
    let head: Vec<&str> = next.split_whitespace().take(4).collect();
    if head.iter().skip(1).any(|w| w.trim_end_matches([',', ':', '.']) == "là") {
        return false;
    }
    // "II. KẾT QUẢ" is a heading: safe. "A." and other single capitals before a dot may be list
    // items ("A. …", "B. …"): not safe.
    let mut chars = next.chars();
    !(chars.next().is_some() && matches!(chars.next(), Some('.' | ')')))
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
    fn a_paragraph_opening_with_trong_do_is_read_with_the_one_before() {
        let text = "Năm 2025 kết nạp 50 đảng viên\n\nTrong đó, 20 đảng viên nữ.\n\nCông tác khác.\n\nTrong đóng góp chung, 3 ý kiến.";
        let blocks: Vec<&str> = split_blocks(text).iter().map(|b| b.text).collect();
        assert_eq!(
            blocks,
            ["Năm 2025 kết nạp 50 đảng viên\n\nTrong đó, 20 đảng viên nữ.", "Công tác khác.", "Trong đóng góp chung, 3 ý kiến."]
        );
        // A long paragraph before keeps its own block: the join stays bounded.
        let long = format!("{}\n\nTrong đó, 2 ý kiến.", "Câu dài. ".repeat(400));
        assert_eq!(split_blocks(&long).len(), 2);
    }

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

    #[test]
    fn long_runs_without_blank_lines_are_cut_between_sentences() {
        let text = "UBND tỉnh chỉ đạo các sở, ngành triển khai kế hoạch.\n".repeat(3000);
        let blocks = split_blocks(&text);
        assert_eq!(blocks.len(), 3000);
        assert!(blocks.iter().all(|b| b.text == "UBND tỉnh chỉ đạo các sở, ngành triển khai kế hoạch."));
        assert!(blocks.iter().all(|b| !b.blank_before));
        // A short run stays whole, whatever it holds.
        assert_eq!(split_blocks("Câu một.\nCâu hai.\nCâu ba.").len(), 1);
    }

    #[test]
    fn cuts_never_part_a_list_a_table_or_a_sentence_that_refers_back() {
        let mut text = "Mở đầu của báo cáo.\n".repeat(30);
        text.push_str("Đảng bộ xác định 3 nhiệm vụ trọng tâm, gồm:\n- Một nhiệm vụ.\n- Hai nhiệm vụ.\n- Ba nhiệm vụ.\n");
        text.push_str("Toàn tỉnh có 28 chỉ tiêu.\nTrong đó, 6 chỉ tiêu đạt.\n");
        text.push_str("Năm nội dung chính sau.\nMột là, nội dung.\nHai là, nội dung.\n");
        text.push_str("Bảng tổng hợp.\n| Xã | Số |\n|---|---|\n| A. | 1 |\n| Tổng | 1 |\n");
        let blocks: Vec<&str> = split_blocks(&text).iter().map(|b| b.text).collect();
        assert!(blocks.contains(&"Đảng bộ xác định 3 nhiệm vụ trọng tâm, gồm:\n- Một nhiệm vụ.\n- Hai nhiệm vụ.\n- Ba nhiệm vụ."));
        assert!(blocks.contains(&"Toàn tỉnh có 28 chỉ tiêu.\nTrong đó, 6 chỉ tiêu đạt."));
        assert!(blocks.contains(&"Năm nội dung chính sau.\nMột là, nội dung.\nHai là, nội dung."));
        assert!(blocks.contains(&"Bảng tổng hợp.\n| Xã | Số |\n|---|---|\n| A. | 1 |\n| Tổng | 1 |"));
        for block in split_blocks(&text) {
            assert_eq!(&text[block.offset..block.offset + block.text.len()], block.text);
        }
    }

    #[test]
    fn a_run_with_no_safe_boundary_is_still_cut_and_its_cuts_do_not_move() {
        let rows: Vec<String> = (0..5000).map(|i| format!("| Xã {i} | {i} |")).collect();
        let text = rows.join("\n");
        let blocks = split_blocks(&text);
        assert!(blocks.len() > 5, "{} blocks", blocks.len());
        assert!(blocks.iter().all(|b| b.text.lines().count() <= 2000));
        // Insert a row near the top: every cut below it stays at the same row.
        let edited = format!("| Xã mới | 1 |\n{text}");
        let shift = "| Xã mới | 1 |\n".len();
        let before: Vec<&str> = blocks.iter().skip(2).map(|b| b.text).collect();
        let after: Vec<&str> = split_blocks(&edited).iter().map(|b| b.text).collect();
        assert!(before.iter().all(|b| after.contains(b)), "cuts moved after an edit {shift} bytes above");
    }

    #[test]
    fn a_run_of_a_few_repeated_lines_is_cut_too() {
        // Ten distinct lines repeated: whether or not one of them is a content-chosen cut point,
        // no block grows past four times the bound (one block of 100,000 lines was read again
        // in full on every keystroke).
        let text: String = (0..100_000).map(|i| format!("{}\n", i % 10)).collect();
        let blocks = split_blocks(&text);
        assert!(blocks.iter().all(|b| b.text.lines().count() <= 4 * MAX_BLOCK_LINES + 1), "{} blocks", blocks.len());
        for block in &blocks {
            assert_eq!(&text[block.offset..block.offset + block.text.len()], block.text);
        }
    }

    #[test]
    fn an_overlong_line_is_cut_between_sentences_like_a_run_of_lines() {
        let sentence = "Toàn tỉnh có 28 chỉ tiêu, có 6 chỉ tiêu đạt. ";
        let line = format!("{}Trong đó, 6 chỉ tiêu vượt. (Ghi chú: xem phụ lục.) - mục. {}", sentence.repeat(200), sentence.repeat(200));
        let text = format!("Mở đầu.\n\n{}\n\nKết luận.", line.trim_end());
        let blocks = split_blocks(&text);
        assert!(blocks.len() > 300, "{} blocks", blocks.len());
        for block in &blocks {
            assert_eq!(&text[block.offset..block.offset + block.text.len()], block.text);
            assert!(!block.text.starts_with(' ') && !block.text.ends_with(' '), "{:?}", block.text);
        }
        let texts: Vec<&str> = blocks.iter().map(|b| b.text).collect();
        // Cut only where a line would be cut: not before a sentence that refers back, nor
        // before what does not start with a capital.
        assert!(texts.contains(&"Toàn tỉnh có 28 chỉ tiêu, có 6 chỉ tiêu đạt. Trong đó, 6 chỉ tiêu vượt. (Ghi chú: xem phụ lục.) - mục."));
        assert_eq!(texts.first(), Some(&"Mở đầu."));
        assert_eq!(texts.last(), Some(&"Kết luận."));
        // A line under the bound stays whole.
        let short = sentence.repeat(20);
        assert_eq!(split_blocks(short.trim_end()).len(), 1);
    }
}
