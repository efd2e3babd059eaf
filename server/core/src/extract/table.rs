//! Stage 5: Markdown tables, as rows of cells with their numbers.

use super::*;

pub(super) fn split_row(line: &str, line_start: usize) -> Vec<TableCell> {
    let mut cells = Vec::new();
    let trimmed_start = line.len() - line.trim_start().len();
    let body = line.trim();
    let body = body.strip_prefix('|').unwrap_or(body);
    let body_offset = line_start + trimmed_start + 1;
    let body = body.strip_suffix('|').unwrap_or(body);
    let mut offset = body_offset;
    for raw in body.split('|') {
        let lead = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        let start = offset + lead;
        let clean: String = text.trim_matches(|c| c == '*' || c == '_' || c == ' ').to_string();
        // The range covers the cell's value without Markdown emphasis, so a fix keeps the bold.
        let inner_lead = text.find(clean.as_str()).unwrap_or(0);
        let start = if clean.is_empty() { start } else { start + inner_lead };
        let parsed = parse_digits(clean.trim_end_matches('%').trim());
        let blank = clean.is_empty() || clean == "-" || clean == "–" || clean == "—";
        cells.push(TableCell {
            range: TextRange::new(start, start + if clean.is_empty() { text.len() } else { clean.len() }),
            text: clean,
            value: parsed.map(|p| p.value),
            decimals: parsed.map_or(0, |p| p.decimals),
            blank,
        });
        offset += raw.len() + 1;
    }
    cells
}

pub(super) fn is_separator_row(cells: &[TableCell]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let t = c.text.trim_matches(':');
            !t.is_empty() && t.chars().all(|ch| ch == '-')
        })
}

pub(super) fn tables(text: &str, line_infos: &[LineInfo]) -> Vec<Table> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line_infos.len() {
        if line_infos[i].marker != Some(Marker::TableRow) {
            i += 1;
            continue;
        }
        let start = i;
        while i < line_infos.len() && line_infos[i].marker == Some(Marker::TableRow) {
            i += 1;
        }
        let rows: Vec<Vec<TableCell>> = line_infos[start..i].iter().map(|l| split_row(&text[l.start..l.end], l.start)).collect();
        if rows.len() < 3 || !is_separator_row(&rows[1]) {
            continue;
        }
        let header = rows[0].iter().map(|c| c.text.clone()).collect();
        out.push(Table { header, rows: rows.into_iter().skip(2).collect() });
    }
    out
}
