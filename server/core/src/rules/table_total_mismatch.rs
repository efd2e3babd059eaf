//! Rule: table-total-mismatch
//!
//! A Markdown table whose "Tổng", "Tổng cộng", "Tổng số" or "Cộng" row or column is not the sum
//! of its parts. The finding points at the wrong cell and gives the computed sum.
//!
//! Rows: a total row is compared with the rows above it (back to the previous total row); when
//! the table has sub-rows ("1.1", "a", "- trong đó …"), the sum of the top-level rows also counts
//! as a match, and a grand total may equal the sum of subtotals. Columns: a "Tổng số" column is
//! compared with the numeric columns on one side of it, and only when that side adds up in most
//! rows (the table shows its own structure). Percentage, rate, serial-number and year columns
//! are never summed.
//!
//! Statistical-yearbook layouts: bilingual labels ("TỔNG SỐ - TOTAL") are read by their
//! Vietnamese part; a total row placed first with groups below it ("Phân theo giới tính",
//! "Phân theo thành thị, nông thôn") is compared with each group; rows carrying every label of a
//! closed set ("Công lập"/"Ngoài công lập", "Nam"/"Nữ", "Thành thị"/"Nông thôn") split the row
//! above them (whole numbers only, so index and percentage sections are never summed); columns
//! sharing a header prefix ("Phân theo giới tính - Nam/Nữ") split the "Tổng số" column; a
//! malformed total cell ("24.48") is reported; unnumbered rows under a numbered row split it
//! when another such group of the table adds up.

use super::{BlockCtx, RuleCode, Setup};
use crate::extract::{Table, TableCell};
use crate::number::format_vi;
use crate::{Edit, Finding, Fix, Related, Severity};
use rust_decimal::Decimal;

const TOTAL_LABELS: &[&str] = &["tổng", "tổng cộng", "tổng số", "cộng", "tổng số chung", "cộng chung", "toàn bộ"];

/// The Vietnamese part of a bilingual label ("Tổng số - Total" → "tổng số"), lowercase.
fn vi_label(text: &str) -> String {
    let t = text.to_lowercase();
    let t = t.trim();
    let t = t.split_once(" - ").map_or(t, |(vi, _)| vi.trim());
    t.trim_end_matches(':').trim().to_string()
}

fn is_total_label(text: &str) -> bool {
    TOTAL_LABELS.contains(&vi_label(text).as_str())
}

/// A row that only names the group below it ("Phân theo giới tính - By sex", "Chia theo …"):
/// a label and no number.
fn is_group_header(row: &[TableCell]) -> bool {
    row.iter().any(|c| !c.blank && c.value.is_none()) && row.iter().all(|c| c.value.is_none() && (c.blank || !looks_numeric(&c.text)))
}

/// A cell written as a number, well formed or not ("24.48").
fn looks_numeric(text: &str) -> bool {
    // At least four digits: "1.1" or "12.3" are item numbers, "24.48" is a figure with a slip.
    text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().filter(char::is_ascii_digit).count() >= 4
}

/// Closed sets of row labels that split their parent completely.
const CLOSED_SETS: &[&[&str]] = &[&["công lập", "ngoài công lập"], &["nam", "nữ"], &["thành thị", "nông thôn"]];

/// The label of a row as written (Vietnamese part of a bilingual label), for messages.
fn shown_label(row: &[TableCell]) -> String {
    // A year row ("| 2023 | …") is labelled by its first cell.
    let cell = row.iter().find(|c| !c.blank && c.value.is_none() && !looks_numeric(&c.text)).or(row.first());
    let text = cell.map(|c| c.text.trim()).unwrap_or_default();
    let text = text.split_once(" - ").map_or(text, |(vi, _)| vi.trim());
    text.trim_start_matches(['-', '+', '–', '•', ' ']).trim().to_string()
}

/// The label of a row (its first non-numeric cell), Vietnamese part, without a leading bullet.
fn row_label(row: &[TableCell]) -> String {
    let cell = row.iter().find(|c| !c.blank && c.value.is_none() && !looks_numeric(&c.text));
    let label = cell.map(|c| vi_label(&c.text)).unwrap_or_default();
    label.trim_start_matches(['-', '+', '–', '•', ' ']).trim().to_string()
}

fn is_sub_row(row: &[TableCell]) -> bool {
    let label = |c: &TableCell| c.text.trim().to_lowercase();
    row.iter().take(2).filter(|c| c.value.is_none()).any(|c| {
        let l = label(c);
        l.starts_with("trong đó")
            || l.starts_with('-')
            || l.starts_with('+')
            || l.starts_with("gồm")
            || l.starts_with("chia ra")
            || (l.contains('.')
                && l.split('.').filter(|p| !p.is_empty()).count() >= 2
                && l.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
            || (l.len() <= 2 && l.chars().all(|ch| ch.is_alphabetic() && ch.is_lowercase()) && !l.is_empty())
    })
}

fn summable_column(table: &Table, col: usize) -> bool {
    let header = table.header.get(col).map(|h| h.to_lowercase()).unwrap_or_default();
    let header = header.as_str();
    let banned = [
        "stt",
        "tt",
        "năm",
        "%",
        "tỷ lệ",
        "tỉ lệ",
        "bình quân",
        "tốc độ",
        "tăng",
        "giảm",
        "so sánh",
        "xếp",
        "mã",
        "số hiệu",
        "ghi chú",
        "đơn vị tính",
        "đvt",
    ];
    if banned.iter().any(|b| header == *b || (b.len() > 3 && header.contains(b)) || header.starts_with(&format!("{b} "))) {
        return false;
    }
    let mut numeric = 0;
    for row in &table.rows {
        match row.get(col) {
            Some(cell) if cell.value.is_some() => {
                if cell.text.ends_with('%') {
                    return false;
                }
                numeric += 1;
            }
            Some(cell) if cell.blank => {}
            // A malformed number ("24.48") is a slip to report, not a text column.
            Some(cell) if looks_numeric(&cell.text) => {}
            Some(_) if !row.iter().take(2).any(|c| is_total_label(&c.text)) => return false,
            Some(_) => {}
            None => {}
        }
    }
    numeric >= 2
}

fn value(cell: Option<&TableCell>) -> Decimal {
    cell.and_then(|c| c.value).unwrap_or(Decimal::ZERO)
}

pub fn check(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    for table in &ctx.facts.tables {
        check_rows(ctx, table, findings);
        check_columns(ctx, table, findings);
        check_closed_sets(ctx, table, findings);
        check_column_groups(ctx, table, findings);
        check_numbered_parents(ctx, table, findings);
    }
}

/// "Trung học cơ sở 5.077" followed by "Công lập 4.862", "Ngoài công lập -": rows labelled with
/// every member of a closed set (after any "Trong đó" rows) split the row above them. Only whole
/// numbers are compared: index and rate sections ("Chỉ số phát triển", "%") are never sums.
fn check_closed_sets(ctx: &BlockCtx<'_>, table: &Table, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let labels: Vec<String> = table.rows.iter().map(|r| row_label(r)).collect();
    for (p, parent) in table.rows.iter().enumerate() {
        let subset = labels[p].starts_with("trong đó") || labels[p].starts_with("trong số");
        if subset || CLOSED_SETS.iter().any(|set| set.contains(&labels[p].as_str())) || is_group_header(parent) || labels[p].is_empty() {
            continue;
        }
        let mut k = p + 1;
        while k < table.rows.len() && labels[k].starts_with("trong đó") {
            k += 1;
        }
        let Some(set) = CLOSED_SETS.iter().find(|set| labels.get(k).is_some_and(|l| set.contains(&l.as_str()))) else { continue };
        let children: Vec<usize> = (k..(k + set.len()).min(table.rows.len())).collect();
        let mut named: Vec<&str> = children.iter().map(|&c| labels[c].as_str()).collect();
        named.sort_unstable();
        let mut wanted: Vec<&str> = set.to_vec();
        wanted.sort_unstable();
        if named != wanted {
            continue;
        }
        for (col, cell) in parent.iter().enumerate() {
            let Some(stated) = cell.value else { continue };
            let header = table.header.get(col).map(|h| vi_label(h)).unwrap_or_default();
            let never = ["stt", "tt", "mã", "mã số", "số hiệu", "đơn vị tính", "đvt", "ghi chú"].contains(&header.as_str())
                || header.contains('%')
                || header.contains("tỷ lệ")
                || header.contains("tỉ lệ");
            if cell.decimals > 0 || never || cell.text.ends_with('%') {
                continue;
            }
            let parts: Vec<&TableCell> = children.iter().filter_map(|&c| table.rows[c].get(col)).collect();
            if parts.len() != children.len() || parts.iter().any(|c| c.decimals > 0 || (c.value.is_none() && !c.blank)) {
                continue;
            }
            let sum: Decimal = parts.iter().filter_map(|c| c.value).sum();
            if sum == stated {
                continue;
            }
            let sum_text = format_vi(sum, 0);
            let terms: Vec<String> = children
                .iter()
                .zip(&parts)
                .map(|(&c, cell)| format!("{} {}", shown_label(&table.rows[c]), if cell.blank { "0" } else { &cell.text }))
                .collect();
            let parent_label = shown_label(parent);
            let column = table.header.get(col).cloned().unwrap_or_default();
            findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, locale.pick(
                    format!("Cột “{column}”: {} = {sum_text}, không khớp {} ở dòng “{parent_label}”", terms.join(" + "), cell.text),
                    format!("Column “{column}”: {} = {sum_text}, not {} as in the row “{parent_label}”", terms.join(" + "), cell.text),
                )).with_severity(Severity::Warning).with_related(parts.iter().map(|c| Related { range: c.range, message: c.text.clone() }).collect()).with_fixes(vec![Fix {
                    title: locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")),
                    edits: vec![Edit { range: cell.range, new_text: sum_text.clone() }],
                    preferred: true,
                    snippet: false,
                }]));
        }
    }
}

fn check_rows(ctx: &BlockCtx<'_>, table: &Table, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let n_cols = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    let total_rows: Vec<usize> = (0..table.rows.len()).filter(|&r| table.rows[r].iter().take(2).any(|c| is_total_label(&c.text))).collect();
    if total_rows.is_empty() {
        return;
    }
    // "TỔNG SỐ" as the first row with numbers: every total row sums the rows below it.
    let total_first = (0..total_rows[0]).all(|r| table.rows[r].iter().all(|c| c.value.is_none()));
    for col in 0..n_cols {
        if !summable_column(table, col) {
            continue;
        }
        let mut previous_total: Option<usize> = None;
        let mut subtotals: Vec<usize> = Vec::new();
        for &t in &total_rows {
            let Some(cell) = table.rows[t].get(col) else { continue };
            let Some(stated) = cell.value else { continue };
            let from = previous_total.map_or(0, |p| p + 1);
            let mut rows: Vec<usize> = if total_first { Vec::new() } else { (from..t).filter(|r| !total_rows.contains(r)).collect() };
            // Rows below grouped under headers ("Phân theo giới tính", "Phân theo thành thị, nông
            // thôn"): each group splits the same total.
            if total_first && groups_below(ctx, table, &total_rows, t, col, stated, cell, findings) {
                subtotals.push(t);
                previous_total = Some(t);
                continue;
            }
            if rows.is_empty() {
                // A total row at the top of the table sums the rows below it.
                let next_total = total_rows.iter().copied().find(|&r| r > t).unwrap_or(table.rows.len());
                rows = (t + 1..next_total).collect();
            }
            let all: Decimal = rows.iter().map(|&r| value(table.rows[r].get(col))).sum();
            let top: Decimal = rows.iter().filter(|&&r| !is_sub_row(&table.rows[r])).map(|&r| value(table.rows[r].get(col))).sum();
            let every_data_row: Decimal = (0..t).filter(|r| !total_rows.contains(r)).map(|r| value(table.rows[r].get(col))).sum();
            let of_subtotals: Decimal = subtotals.iter().map(|&r| value(table.rows[r].get(col))).sum();
            let decimals = rows.iter().filter_map(|&r| table.rows[r].get(col)).map(|c| c.decimals).max().unwrap_or(0).max(cell.decimals);
            let tolerance = if decimals == 0 { Decimal::ZERO } else { Decimal::new(5, decimals + 1) * Decimal::from(rows.len() as u64) };
            let candidates = [all, top, every_data_row, of_subtotals];
            let matches = candidates.iter().any(|c| (*c - stated).abs() <= tolerance && (!c.is_zero() || stated.is_zero()));
            if !matches && !rows.is_empty() {
                let sum_text = format_vi(top, decimals);
                let column = table.header.get(col).cloned().unwrap_or_default();
                findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, locale.pick(
                        format!("Cộng cột “{column}” được {sum_text}, không khớp {} ở dòng tổng", cell.text),
                        format!("The column “{column}” adds up to {sum_text}, not {} as in the total row", cell.text),
                    )).with_severity(Severity::Warning).with_fixes(vec![Fix {
                        title: locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")),
                        edits: vec![Edit { range: cell.range, new_text: sum_text.clone() }],
                        preferred: true,
                        snippet: false,
                    }]));
            }
            subtotals.push(t);
            previous_total = Some(t);
        }
    }
}

/// The rows below total row `t` (up to the next total row), split at group headers. Returns
/// whether there were groups (then every group has been compared with the total).
#[allow(clippy::too_many_arguments)]
fn groups_below(
    ctx: &BlockCtx<'_>,
    table: &Table,
    total_rows: &[usize],
    t: usize,
    col: usize,
    stated: Decimal,
    cell: &TableCell,
    findings: &mut Vec<Finding>,
) -> bool {
    let end = total_rows.iter().copied().find(|&r| r > t).unwrap_or(table.rows.len());
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for r in t + 1..end {
        if is_group_header(&table.rows[r]) {
            groups.push((shown_label(&table.rows[r]), Vec::new()));
        } else if let Some(group) = groups.last_mut() {
            if !is_sub_row(&table.rows[r]) {
                group.1.push(r);
            }
        } else {
            return false; // rows before any header: a plain list, handled by the caller
        }
    }
    let groups: Vec<(String, Vec<usize>)> = groups.into_iter().filter(|(_, rows)| rows.len() >= 2).collect();
    if groups.is_empty() {
        return false;
    }
    let decimals = groups
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .filter_map(|&r| table.rows[r].get(col))
        .map(|c| c.decimals)
        .max()
        .unwrap_or(0)
        .max(cell.decimals);
    for (name, rows) in &groups {
        let sum: Decimal = rows.iter().map(|&r| value(table.rows[r].get(col))).sum();
        let tolerance = if decimals == 0 { Decimal::ZERO } else { Decimal::new(5, decimals + 1) * Decimal::from(rows.len() as u64) };
        if (sum - stated).abs() <= tolerance {
            continue;
        }
        let sum_text = format_vi(sum, decimals);
        let column = table.header.get(col).cloned().unwrap_or_default();
        let locale = ctx.locale;
        let message = locale.pick(
            format!("Cột “{column}”: nhóm “{name}” cộng được {sum_text}, không khớp {} ở dòng tổng", cell.text),
            format!("Column “{column}”: the group “{name}” adds up to {sum_text}, not {} as in the total row", cell.text),
        );
        let related = rows.iter().filter_map(|&r| table.rows[r].get(col)).map(|c| Related { range: c.range, message: c.text.clone() });
        // Several groups split the same total: no one edit of the total fixes them all.
        let fix = (groups.len() == 1)
            .then(|| Fix::replace(locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")), cell.range, sum_text.clone()));
        findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, message).with_related(related.collect()).with_fixes(fix));
        break;
    }
    true
}

fn check_columns(ctx: &BlockCtx<'_>, table: &Table, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let Some(total_col) = table.header.iter().position(|h| is_total_label(h)) else { return };
    if !summable_column(table, total_col) {
        return;
    }
    let n_cols = table.header.len();
    let after: Vec<usize> = (total_col + 1..n_cols).filter(|&c| summable_column(table, c)).collect();
    let before: Vec<usize> = (0..total_col).filter(|&c| summable_column(table, c)).collect();
    let data_rows: Vec<usize> =
        (0..table.rows.len()).filter(|&r| table.rows[r].get(total_col).is_some_and(|c| c.value.is_some())).collect();
    let side_sum = |r: usize, cols: &[usize]| -> Decimal { cols.iter().map(|&c| value(table.rows[r].get(c))).sum() };
    let agree = |cols: &[usize]| data_rows.iter().filter(|&&r| side_sum(r, cols) == value(table.rows[r].get(total_col))).count();
    let mut best: Option<&[usize]> = None;
    for side in [&after[..], &before[..]] {
        if side.len() >= 2 {
            let n = agree(side);
            if n >= 2 && n * 2 > data_rows.len() && best.is_none_or(|b| agree(b) < n) {
                best = Some(side);
            }
        }
    }
    let Some(parts) = best else { return };
    // "24.48" where the parts give 24.480: the total is not a well-formed number.
    for (r, row) in table.rows.iter().enumerate() {
        let Some(cell) = row.get(total_col) else { continue };
        if cell.value.is_some()
            || !looks_numeric(&cell.text)
            || parts.iter().any(|&c| row.get(c).is_none_or(|p| p.value.is_none() && !p.blank))
        {
            continue;
        }
        let sum = side_sum(r, parts);
        let sum_text = format_vi(sum, 0);
        let label =
            row.iter().find(|c| c.value.is_none() && !c.blank && !looks_numeric(&c.text)).map(|c| c.text.clone()).unwrap_or_default();
        let names: Vec<String> = parts.iter().filter_map(|&c| table.header.get(c).cloned()).collect();
        findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, locale.pick(
                format!("Dòng “{label}”: “{}” không phải số viết đúng; {} = {sum_text}", cell.text, names.join(" + ")),
                format!("Row “{label}”: “{}” is not a well-formed number; {} = {sum_text}", cell.text, names.join(" + ")),
            )).with_severity(Severity::Warning).with_related(parts.iter().filter_map(|&c| row.get(c)).map(|c| Related { range: c.range, message: c.text.clone() }).collect()).with_fixes(vec![Fix {
                title: locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")),
                edits: vec![Edit { range: cell.range, new_text: sum_text.clone() }],
                preferred: true,
                snippet: false,
            }]));
    }
    for &r in &data_rows {
        let sum = side_sum(r, parts);
        let Some(cell) = table.rows[r].get(total_col) else { continue };
        if Some(sum) == cell.value {
            continue;
        }
        let sum_text = format_vi(sum, cell.decimals);
        let label = table.rows[r].iter().find(|c| c.value.is_none() && !c.blank).map(|c| c.text.clone()).unwrap_or_default();
        let names: Vec<String> = parts.iter().filter_map(|&c| table.header.get(c).cloned()).collect();
        findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, locale.pick(
                format!("Dòng “{label}”: {} = {sum_text}, không khớp {} ở cột “{}”", names.join(" + "), cell.text, table.header[total_col]),
                format!(
                    "Row “{label}”: {} = {sum_text}, not {} as in the column “{}”",
                    names.join(" + "),
                    cell.text,
                    table.header[total_col]
                ),
            )).with_severity(Severity::Warning).with_related(parts
                .iter()
                .filter_map(|&c| table.rows[r].get(c))
                .map(|c| Related { range: c.range, message: c.text.clone() })
                .collect()).with_fixes(vec![Fix {
                title: locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")),
                edits: vec![Edit { range: cell.range, new_text: sum_text.clone() }],
                preferred: true,
                snippet: false,
            }]));
    }
}

/// "Tổng số - Total | Phân theo giới tính - Nam | … - Nữ | Phân theo thành thị, nông thôn -
/// Thành thị | … - Nông thôn": each group of columns sharing a header prefix splits the total
/// column. Compared section by section (sections start at a row without numbers), and only in a
/// section where the group adds up in most rows: index rows ("Chỉ số phát triển") never do.
fn check_column_groups(ctx: &BlockCtx<'_>, table: &Table, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let Some(total_col) = table.header.iter().position(|h| is_total_label(h)) else { return };
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (c, header) in table.header.iter().enumerate().skip(total_col + 1) {
        let Some((prefix, _)) = header.rsplit_once(" - ") else { continue };
        match groups.iter_mut().find(|(p, _)| p == prefix.trim()) {
            Some(group) => group.1.push(c),
            None => groups.push((prefix.trim().to_string(), vec![c])),
        }
    }
    groups.retain(|(_, cols)| cols.len() >= 2);
    if groups.len() < 2 {
        return;
    }
    let mut sections: Vec<Vec<usize>> = vec![Vec::new()];
    for (r, row) in table.rows.iter().enumerate() {
        if is_group_header(row) {
            sections.push(Vec::new());
        } else if row.get(total_col).is_some_and(|c| c.value.is_some()) {
            if let Some(section) = sections.last_mut() {
                section.push(r);
            }
        }
    }
    for section in &sections {
        for (_, cols) in &groups {
            let cells_ok = |r: usize| cols.iter().all(|&c| table.rows[r].get(c).is_some_and(|x| x.value.is_some() || x.blank));
            let rows: Vec<usize> = section.iter().copied().filter(|&r| cells_ok(r)).collect();
            let sum_of = |r: usize| -> Decimal { cols.iter().map(|&c| value(table.rows[r].get(c))).sum() };
            let tolerance = |r: usize| -> Decimal {
                let decimals = cols.iter().filter_map(|&c| table.rows[r].get(c)).map(|x| x.decimals).max().unwrap_or(0);
                if decimals == 0 {
                    Decimal::ZERO
                } else {
                    Decimal::new(5, decimals + 1) * Decimal::from(cols.len() as u64)
                }
            };
            let agrees = |r: usize| (sum_of(r) - value(table.rows[r].get(total_col))).abs() <= tolerance(r);
            let agreeing = rows.iter().filter(|&&r| agrees(r)).count();
            if agreeing < 2 || agreeing * 2 <= rows.len() {
                continue;
            }
            for &r in rows.iter().filter(|&&r| !agrees(r)) {
                let Some(cell) = table.rows[r].get(total_col) else { continue };
                let decimals = cols.iter().filter_map(|&c| table.rows[r].get(c)).map(|x| x.decimals).max().unwrap_or(0);
                let sum_text = format_vi(sum_of(r), decimals);
                let names: Vec<String> = cols
                    .iter()
                    .filter_map(|&c| table.header.get(c))
                    .map(|h| h.rsplit_once(" - ").map_or(h.as_str(), |(_, n)| n.trim()).to_string())
                    .collect();
                let label = shown_label(&table.rows[r]);
                let column = table.header.get(total_col).cloned().unwrap_or_default();
                let message = locale.pick(
                    format!("Dòng “{label}”: {} = {sum_text}, không khớp {} ở cột “{column}”", names.join(" + "), cell.text),
                    format!("Row “{label}”: {} = {sum_text}, not {} as in the column “{column}”", names.join(" + "), cell.text),
                );
                let related =
                    cols.iter().filter_map(|&c| table.rows[r].get(c)).map(|x| Related { range: x.range, message: x.text.clone() }).collect();
                // Other groups split the same total: no one edit of the total is sure to fix it.
                findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, message).with_related(related));
            }
        }
    }
}

/// A numbered row ("1 | Cấp tỉnh | 63", "VI | Số người … | 832.869") followed by unnumbered rows
/// ("| Tỉnh | 58", "| Thành phố trực thuộc Trung ương | 5"): the unnumbered rows split it. Only
/// when another such group of the same column adds up (the table shows its own structure), never
/// with a "Trong đó" row among the children, whole numbers only.
fn check_numbered_parents(ctx: &BlockCtx<'_>, table: &Table, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let Some(stt) = table.header.iter().position(|h| ["stt", "tt"].contains(&vi_label(h).as_str())) else { return };
    let numbered = |r: usize| table.rows[r].get(stt).is_some_and(|c| !c.blank);
    let mut groups: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut r = 0;
    while r < table.rows.len() {
        if !numbered(r) {
            r += 1;
            continue;
        }
        let mut k = r + 1;
        while k < table.rows.len() && !numbered(k) {
            k += 1;
        }
        let subset = (r + 1..k).any(|c| {
            let label = row_label(&table.rows[c]);
            label.starts_with("trong đó")
                || label.starts_with("trong số")
                || label.starts_with("of which")
                || TOTAL_LABELS.contains(&label.as_str())
        });
        if k - r > 2 && !subset {
            groups.push((r, r + 1..k));
        }
        r = k;
    }
    let n_cols = table.header.len();
    for col in (0..n_cols).filter(|&c| c != stt) {
        let header = table.header.get(col).map(|h| vi_label(h)).unwrap_or_default();
        if ["năm", "mã", "mã số", "đơn vị tính", "đvt", "ghi chú"].contains(&header.as_str())
            || header.contains('%')
            || header.contains("tỷ lệ")
        {
            continue;
        }
        let mut agreeing = 0;
        let mut wrong: Vec<(usize, Decimal)> = Vec::new();
        for (parent, children) in &groups {
            let Some(cell) = table.rows[*parent].get(col) else { continue };
            let Some(stated) = cell.value else { continue };
            let parts: Vec<&TableCell> = children.clone().filter_map(|c| table.rows[c].get(col)).collect();
            if cell.decimals > 0 || parts.len() != children.len() || parts.iter().any(|c| c.decimals > 0 || (c.value.is_none() && !c.blank))
            {
                continue;
            }
            let sum: Decimal = parts.iter().filter_map(|c| c.value).sum();
            if sum == stated {
                agreeing += 1;
            } else {
                wrong.push((*parent, sum));
            }
        }
        if agreeing == 0 || wrong.len() > agreeing {
            continue;
        }
        for (parent, sum) in wrong {
            let Some(cell) = table.rows[parent].get(col) else { continue };
            let sum_text = format_vi(sum, 0);
            let label = shown_label(&table.rows[parent]);
            findings.push(Finding::new(RuleCode::TableTotalMismatch, cell.range, locale.pick(
                    format!("Các dòng con của “{label}” cộng được {sum_text}, không khớp {} ở cột “{}”", cell.text, table.header[col]),
                    format!("The rows under “{label}” add up to {sum_text}, not {} as in the column “{}”", cell.text, table.header[col]),
                )).with_severity(Severity::Warning).with_fixes(vec![Fix {
                    title: locale.pick(format!("Sửa thành {sum_text}"), format!("Change to {sum_text}")),
                    edits: vec![Edit { range: cell.range, new_text: sum_text.clone() }],
                    preferred: true,
                    snippet: false,
                }]));
        }
    }
}

/// The rule: the total rows of one block's tables; the conclusion only places the block's findings.
pub struct TableTotalMismatch;

local_rule!(TableTotalMismatch, |_: &Setup<'_>| TableTotalMismatch, |_rule, block, found| check(block, &mut found));
