//! The only place that knows about LSP positions: byte offsets ↔ (line, character) in the
//! negotiated encoding (UTF-16 by default, UTF-8 or UTF-32 when the client offers it),
//! and core findings → LSP diagnostics.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specifies.

use baocao_core::{Finding, Severity};
use serde_json::{json, Value};
use tower_lsp::lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range, Url,
};

/// How LSP `character` offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// Line starts of one text, for converting offsets in both directions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> LineIndex<'a> {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts, encoding }
    }

    /// The end of line `line`'s content (before its line break).
    fn line_end(&self, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        let content = &self.text[self.starts[line]..next];
        self.starts[line] + content.trim_end_matches(['\n', '\r']).len()
    }

    /// Byte offset → position. Offsets inside a character snap to its start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts[line];
        let mut end = offset.min(self.line_end(line));
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let segment = &self.text[start..end];
        let character = match self.encoding {
            Encoding::Utf8 => segment.len(),
            Encoding::Utf16 => segment.encode_utf16().count(),
            Encoding::Utf32 => segment.chars().count(),
        };
        Position { line: line as u32, character: character as u32 }
    }

    /// Position → byte offset. Positions past the end of a line clamp to the line's end and
    /// lines past the end of the text clamp to the text's end, as the LSP asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.starts[line];
        let end = self.line_end(line);
        let mut units = 0usize;
        for (i, ch) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Utf32 => 1,
            };
        }
        end
    }

    pub fn range(&self, range: baocao_core::TextRange) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end) }
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// A core finding as the LSP diagnostic the server publishes (and the CLI prints as JSON).
pub fn diagnostic(finding: &Finding, index: &LineIndex<'_>, uri: &Url) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: index.range(r.range) },
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: index.range(finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: Url::parse(&finding.code.doc_url()).ok().map(|href| CodeDescription { href }),
        source: Some("baocao".to_string()),
        message: finding.message.clone(),
        related_information: if related.is_empty() { None } else { Some(related) },
        tags: None,
        data: fix_data(finding, index),
    }
}

/// The fixes of a finding, carried in `Diagnostic.data` so code actions need no re-analysis.
fn fix_data(finding: &Finding, index: &LineIndex<'_>) -> Option<Value> {
    if finding.fixes.is_empty() {
        return None;
    }
    let fixes: Vec<Value> = finding
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<Value> = fix.edits.iter().map(|e| json!({ "range": index.range(e.range), "newText": e.new_text })).collect();
            json!({ "title": fix.title, "preferred": fix.preferred, "snippet": fix.snippet, "edits": edits })
        })
        .collect();
    Some(json!({ "fixes": fixes }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_astral_characters_count_in_utf16_units() {
        // "Tổng số hồ sơ tiếp nhận: " is 25 UTF-16 units but 36 bytes.
        let text = "Tổng số hồ sơ tiếp nhận: 1.250\n🎉 28 chỉ tiêu";
        let index = LineIndex::new(text, Encoding::Utf16);
        let number = text.find("1.250").unwrap_or_default();
        assert_eq!(number, 36);
        assert_eq!(index.position(number), Position { line: 0, character: 25 });
        let second = text.find("28").unwrap_or_default();
        assert_eq!(index.position(second), Position { line: 1, character: 3 });
        assert_eq!(index.offset(Position { line: 1, character: 3 }), second);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(number), Position { line: 0, character: 36 });
        let utf32 = LineIndex::new(text, Encoding::Utf32);
        assert_eq!(utf32.position(second), Position { line: 1, character: 2 });
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_and_out_of_range_positions_clamp() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.position(3), Position { line: 1, character: 0 });
        assert_eq!(index.position(5), Position { line: 2, character: 0 });
        assert_eq!(index.offset(Position { line: 0, character: 99 }), 1);
        assert_eq!(index.offset(Position { line: 99, character: 0 }), text.len());
        // An offset inside a line break maps to the end of the line.
        assert_eq!(index.position(2), Position { line: 0, character: 1 });
    }
}
