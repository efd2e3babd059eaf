//! Rule: total-mismatch
//!
//! An announced total whose parts of the same unit do not add up to it, or a part larger than
//! its whole. "Trong tổng số 11 nhóm chỉ tiêu chủ yếu, với 28 chỉ tiêu thành phần, có 6 chỉ tiêu
//! thành phần đạt và vượt; 19 chỉ tiêu thành phần đạt mục tiêu theo tiến độ" → 6 + 19 = 25, not 28.
//!
//! Parts are summed only when they are presented as a breakdown: after "gồm", "bao gồm",
//! "chia ra", a colon, or when every part names a status category ("đạt", "chưa đạt",
//! "đúng hạn" …). Parts after a bare "trong đó" may be overlapping subsets ("trong đó 30 đảng
//! viên nữ, 20 đảng viên dân tộc thiểu số") and are only checked for being larger than the whole.
//! When the sum falls short and a same-unit quantity elsewhere in the document equals the
//! difference ("còn 3 chỉ tiêu thành phần đạt thấp"), the finding stays, as information, and
//! links the place that states the remaining part.

use super::groups::{category_of, fit, overlapping, set_complete, tail, Fit, Group, Mode};
use super::{is_status, BlockCtx, DocCtx, Placed, Rule, RuleCode, Setup};
use crate::categories::Category;
use crate::extract::{Quantity, QuantityKind};
use crate::units::compatible;
use crate::number::format_vi;
use crate::{Edit, Finding, Fix, Related, Severity, TextRange};
use rust_decimal::Decimal;

/// A short sum whose remaining part may be stated elsewhere in the document.
#[derive(Debug, Clone)]
pub struct OpenTotal {
    /// Index of the finding in the block's findings.
    pub finding: usize,
    pub unit: Vec<String>,
    pub missing: Decimal,
    /// Block-relative ranges of the total and of its parts (never taken as the remaining part).
    pub used: Vec<TextRange>,
}

/// The tolerance for sums of rounded numbers: half a unit of the last printed digit of each
/// number, in the number's own scale ("4,52 ngàn" is 4.520 ± 5).
pub fn tolerance(values: &[&Quantity]) -> Decimal {
    values
        .iter()
        .map(|q| {
            if q.decimals == 0 && q.multiplier.is_none() {
                return Decimal::ZERO;
            }
            // Checked: a zero amount or a scale past Decimal's 28 digits is no tolerance, not a panic.
            let scale = q.value.checked_div(parse_scale(&q.written, q.value)).unwrap_or(Decimal::ONE);
            Decimal::try_new(5, q.decimals + 1).ok().and_then(|half| half.checked_mul(scale)).unwrap_or(Decimal::ZERO)
        })
        .sum()
}

/// Renders a quantity's number for a message: as written, or in the total's multiplier.
pub fn show(q: &Quantity) -> String {
    q.written.clone()
}

fn show_value(value: Decimal, like: &Quantity, decimals: u32) -> String {
    match &like.multiplier {
        Some(word) => {
            let scale = like.value.checked_div(parse_scale(&like.written, like.value)).unwrap_or(Decimal::ONE);
            format!("{} {}", format_vi(value.checked_div(scale).unwrap_or(value), decimals), word)
        }
        None => format_vi(value, decimals),
    }
}

/// The multiplier value hidden in a written number ("15.000 tỷ" = 15.000 × 10⁹).
fn parse_scale(written: &str, value: Decimal) -> Decimal {
    let digits = written.split_whitespace().next().unwrap_or("");
    match crate::number::parse_digits(digits) {
        Some(p) if !p.value.is_zero() => p.value,
        _ => value,
    }
}

/// How a part reads in a message: its number with its unit, or its label and number.
fn part_text(text: &str, q: &Quantity) -> String {
    if !q.unit.is_empty() {
        return format!("{} {}", show(q), q.unit_as_written(text));
    }
    let connectors = ["trong", "đó", "số", "có", "gồm", "bao", "và", "là", "với", "còn", "thì", "cụ", "thể"];
    let label: Vec<&str> = q.label.iter().map(String::as_str).filter(|w| !connectors.contains(w)).collect();
    let label = &label[label.len().saturating_sub(5)..];
    if label.is_empty() {
        show(q)
    } else {
        format!("{} {}", label.join(" "), show(q))
    }
}

pub fn check(ctx: &BlockCtx<'_>, _groups: &[Group], findings: &mut Vec<Finding>, open: &mut Vec<OpenTotal>) {
    let qs = &ctx.facts.quantities;
    let mut reported: rustc_hash::FxHashSet<usize> = rustc_hash::FxHashSet::default();
    for b in ctx.breakdowns() {
        if reported.contains(&b.whole) {
            continue;
        }
        let total = &qs[b.whole];
        let fits: Vec<(usize, Fit)> =
            b.parts.iter().map(|&p| (p, fit(total, &qs[p], ctx.abbreviations).unwrap_or(Fit::Labelled))).collect();
        // "trên 360 đảng bộ", "khoảng 1,5 triệu": an approximate number adds up to nothing exact.
        let approximate = |q: &Quantity| {
            q.pre.last().is_some_and(|w| ["trên", "hơn", "gần", "khoảng", "xỉ", "chừng", "hầu"].contains(&w.as_str()))
                || q.pre.iter().rev().take(2).any(|w| w == "khoảng")
        };
        // A part larger than its whole, whatever the cue.
        let oversized: Vec<usize> = fits
            .iter()
            .filter(|(p, f)| {
                // A threshold ("trên 10 tỷ USD") exceeds nothing.
                let threshold = qs[*p].pre.last().is_some_and(|w| ["trên", "hơn", "dưới", "từ"].contains(&w.as_str()));
                // "20.000 LĐ …; trong đó làm việc ngoài tỉnh chiếm 24.500 người": people of
                // people, said to be a share of the whole ("chiếm").
                let occupies = matches!(f, Fit::Class) && qs[*p].pre.iter().any(|w| w == "chiếm");
                (matches!(f, Fit::Same(_) | Fit::Kind(..)) || occupies)
                    && !threshold
                    && qs[*p].value > total.value + tolerance(&[&qs[*p], total])
            })
            .map(|(p, _)| *p)
            .collect();
        if let (Some(&p), false) = (oversized.first(), b.linked) {
            reported.insert(b.whole);
            findings.push(oversize(ctx, total, &qs[p]));
            continue;
        }
        if approximate(total) || b.parts.iter().any(|&p| approximate(&qs[p])) {
            continue;
        }
        let overlap = fits.iter().any(|(p, f)| overlapping(&qs[*p], *f));
        let cats: Vec<Option<Category>> = fits.iter().map(|(p, f)| category_of(&qs[*p], *f)).collect();
        match b.mode {
            Mode::Exact => {
                let all_one_set = cats.iter().all(Option::is_some) && set_complete(&cats.iter().flatten().cloned().collect::<Vec<_>>());
                if b.parts.len() < 2 || (overlap && !all_one_set) {
                    continue;
                }
                let parts: Vec<&Quantity> = b.parts.iter().map(|&p| &qs[p]).collect();
                if sum_finding(ctx, total, &parts, b.open, findings, open) {
                    reported.insert(b.whole);
                }
            }
            Mode::Subset => {
                // Parts drawn from one closed set are mutually exclusive.
                let mut sets: Vec<usize> = cats.iter().flatten().map(|c| c.set).collect();
                sets.sort_unstable();
                sets.dedup();
                let mut done = false;
                for set in sets {
                    let members: Vec<(usize, Category)> = b
                        .parts
                        .iter()
                        .zip(&cats)
                        .filter_map(|(&p, c)| c.as_ref().filter(|c| c.set == set).map(|c| (p, c.clone())))
                        .collect();
                    if members.len() < 2 {
                        continue;
                    }
                    let parts: Vec<&Quantity> = members.iter().map(|(p, _)| &qs[*p]).collect();
                    let list: Vec<Category> = members.iter().map(|(_, c)| c.clone()).collect();
                    let complete = set_complete(&list) && !b.open;
                    if sum_finding(ctx, total, &parts, !complete, findings, open) {
                        reported.insert(b.whole);
                        done = true;
                        break;
                    }
                }
                let _ = (done, overlap);
            }
        }
    }
    for b in ctx.breakdowns() {
        if !reported.contains(&b.whole) {
            parallel_changes(ctx, b, findings);
        }
    }
    compound_wholes(ctx, &reported, findings);
}

/// "tổng biên chế là 31.564 người (giảm 346 người), trong đó công chức 2.929 người (giảm 41
/// người), viên chức 27.114 người (giảm 269 người) và hợp đồng 1.521 người (giảm 36 người)": when
/// the parts add up to the whole and the whole and every part carry their own change in
/// parentheses, the parts' changes add up to the whole's.
fn parallel_changes(ctx: &BlockCtx<'_>, b: &super::groups::Breakdown, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let whole = &qs[b.whole];
    if b.open || b.parts.len() < 2 || whole.kind != QuantityKind::Count {
        return;
    }
    let parts: Vec<&Quantity> = b.parts.iter().map(|&p| &qs[p]).collect();
    let mut all = parts.clone();
    all.push(whole);
    if (parts.iter().map(|q| q.value).sum::<Decimal>() - whole.value).abs() > tolerance(&all) {
        return;
    }
    // The change right after a quantity, inside its parentheses: signed, with the quantity.
    let change_of = |at: usize| -> Option<(Decimal, &Quantity)> {
        let q = &qs[at];
        let c = qs.get(at + 1)?;
        let up = match c.pre.first().map(String::as_str) {
            Some("tăng") => true,
            Some("giảm") => false,
            _ => return None,
        };
        let inside = c.comparison && c.depth == q.depth + 1 && c.sentence == q.sentence && c.kind == QuantityKind::Count;
        let same_unit = compatible(&q.unit, &c.unit, ctx.abbreviations).is_some();
        (inside && same_unit && c.multiplier == q.multiplier).then_some((if up { c.value } else { -c.value }, c))
    };
    let Some((whole_change, whole_c)) = change_of(b.whole) else { return };
    let Some(changes) = b.parts.iter().map(|&p| change_of(p)).collect::<Option<Vec<_>>>() else { return };
    let sum: Decimal = changes.iter().map(|(v, _)| *v).sum();
    let mut changed: Vec<&Quantity> = changes.iter().map(|(_, c)| *c).collect();
    changed.push(whole_c);
    if (sum - whole_change).abs() <= tolerance(&changed) {
        return;
    }
    let locale = ctx.locale;
    let unit = whole_c.unit_as_written(ctx.text);
    let decimals = changed.iter().map(|q| q.decimals).max().unwrap_or(0);
    let same_way = changes.iter().all(|(v, _)| v.is_sign_negative() == whole_change.is_sign_negative());
    let message = if same_way {
        // "giảm 41 + 296 + 36 = 373 người": all one way, told as the drafter told them.
        let terms: Vec<&str> = changes.iter().map(|(_, c)| c.written.as_str()).collect();
        let arithmetic = format!("{} = {} {unit}", terms.join(" + "), format_vi(sum.abs(), decimals));
        let (vi, en) = if whole_change.is_sign_negative() { ("giảm", "decreases") } else { ("tăng", "increases") };
        locale.pick(
            format!("Các thành phần {vi} {arithmetic}, không khớp mức {vi} chung {} {unit}", whole_c.written),
            format!("The parts' {en} add up to {arithmetic}, not the whole's {} {unit}", whole_c.written),
        )
    } else {
        let signed = |v: Decimal| if v.is_sign_negative() { format!("−{}", format_vi(-v, decimals)) } else { format!("+{}", format_vi(v, decimals)) };
        let terms: Vec<String> = changes.iter().map(|(v, _)| signed(*v)).collect();
        let arithmetic = format!("{} = {} {unit}", terms.join(" "), signed(sum));
        locale.pick(
            format!("Mức tăng, giảm của các thành phần: {arithmetic}, không khớp mức chung {} {unit}", signed(whole_change)),
            format!("The parts' changes: {arithmetic}, which does not match the whole's {} {unit}", signed(whole_change)),
        )
    };
    let related = changes
        .iter()
        .map(|(_, c)| Related { range: c.span, message: locale.pick(format!("mức thay đổi của thành phần: {}", c.written), format!("a part's change: {}", c.written)) })
        .collect();
    let fixes: Vec<Fix> = (whole_c.multiplier.is_none() && same_way)
        .then(|| {
            let shown = format_vi(sum.abs(), decimals);
            Fix {
                title: locale.pick(format!("Sửa mức chung thành {shown}"), format!("Change the whole's change to {shown}")),
                edits: vec![Edit { range: whole_c.range, new_text: shown.clone() }],
                preferred: false,
                snippet: false,
            }
        })
        .into_iter()
        .collect();
    findings.push(
        Finding::new(RuleCode::TotalMismatch, whole_c.span, message).with_severity(Severity::Warning).with_related(related).with_fixes(fixes),
    );
}

/// How far after a compound whole its two parts are looked for (quantities): keeps it linear.
const COMPOUND_WINDOW: usize = 24;

/// "Tặng Bằng khen cho 25 tập thể và cá nhân … tặng Bằng khen … cho 13 tập thể và 14 cá nhân": a
/// whole counted in two nouns joined by "và", told again as one number per noun after the same
/// action. The two numbers are the whole told in detail, so they add up to it.
fn compound_wholes(ctx: &BlockCtx<'_>, reported: &rustc_hash::FxHashSet<usize>, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let connectors = ["cho", "có", "là", "với", "được", "đã", "và", "của", "trong", "đó"];
    for (w, whole) in qs.iter().enumerate() {
        if whole.kind != QuantityKind::Count || whole.unit.is_empty() || whole.comparison || reported.contains(&w) {
            continue;
        }
        // The second noun: the words after "và", up to four, before anything else begins.
        let Some(rest) = whole.qualifier.strip_prefix(&["và".to_string()]) else { continue };
        let second: Vec<String> = rest.iter().take(4).take_while(|w| !connectors.contains(&w.as_str())).cloned().collect();
        if second.is_empty() {
            continue;
        }
        // The action that names the whole ("tặng bằng khen"): at least two words, all repeated
        // before the detailed numbers.
        let action: Vec<&String> = whole.pre.iter().filter(|w| !connectors.contains(&w.as_str())).collect();
        if action.len() < 2 {
            continue;
        }
        let window = qs.iter().enumerate().skip(w + 1).take(COMPOUND_WINDOW);
        for (a, first) in window {
            let Some(b) = qs.get(a + 1) else { break };
            let told_again = first.kind == QuantityKind::Count
                && b.kind == QuantityKind::Count
                && !first.comparison
                && !b.comparison
                && b.sentence == first.sentence
                && b.label.last().is_some_and(|w| w == "và")
                && first.pre.iter().all(|w| w != "đó")
                && action.iter().all(|word| first.pre.contains(word))
                && compatible(&whole.unit, &first.unit, ctx.abbreviations).is_some()
                && compatible(&second, &b.unit, ctx.abbreviations).is_some();
            if !told_again {
                continue;
            }
            let sum = first.value + b.value;
            if sum != whole.value && first.decimals == 0 && b.decimals == 0 && whole.decimals == 0 {
                let locale = ctx.locale;
                let unit = format!("{} và {}", whole.unit_as_written(ctx.text), second.join(" "));
                let arithmetic = format!("{} + {} = {}", part_text(ctx.text, first), part_text(ctx.text, b), format_vi(sum, 0));
                let related = [first, b]
                    .iter()
                    .map(|q| {
                        let part = part_text(ctx.text, q);
                        Related { range: q.span, message: locale.pick(format!("thành phần: {part}"), format!("part: {part}")) }
                    })
                    .collect();
                let message = locale.pick(
                    format!("{arithmetic}, không khớp tổng số {} {unit}", show(whole)),
                    format!("{arithmetic}, which does not match the total of {} {unit}", show(whole)),
                );
                // Which number slipped cannot be told; the one edit that makes the text agree is
                // offered, not preferred.
                let fix = change_total_fix(ctx, whole.range, format_vi(sum, 0), false);
                findings.push(
                    Finding::new(RuleCode::TotalMismatch, whole.span, message)
                        .with_severity(Severity::Warning)
                        .with_related(related)
                        .with_fixes([fix]),
                );
            }
            break;
        }
    }
}

fn oversize(ctx: &BlockCtx<'_>, total: &Quantity, part: &Quantity) -> Finding {
    let locale = ctx.locale;
    // A part in the sentence after its total is reported on the total, which the relation starts
    // from ("… 1,4 triệu lao động. Trong đó, … 1,494 triệu lao động").
    let (range, other) = if part.sentence != total.sentence { (total.span, part.span) } else { (part.span, total.span) };
    let unit = total.unit_as_written(ctx.text);
    let part_text = part_text(ctx.text, part);
    Finding::new(RuleCode::TotalMismatch, range, locale.pick(
            format!("{part_text} lớn hơn tổng số {} {unit}", show(total)),
            format!("{part_text} is more than the total of {} {unit}", show(total)),
        )).with_severity(Severity::Warning).with_related(vec![Related {
            range: other,
            message: if other == total.span {
                locale.pick(format!("tổng số {} {unit}", show(total)), format!("the total, {} {unit}", show(total)))
            } else {
                locale.pick(format!("thành phần: {part_text}"), format!("part: {part_text}"))
            },
        }])
}

/// Adds the finding for parts that do not add up to their whole: any difference, or with
/// `at_most` only a sum above the whole. Returns whether a finding was added.
fn sum_finding(
    ctx: &BlockCtx<'_>,
    total: &Quantity,
    parts: &[&Quantity],
    at_most: bool,
    findings: &mut Vec<Finding>,
    open: &mut Vec<OpenTotal>,
) -> bool {
    let locale = ctx.locale;
    let unit = total.unit_as_written(ctx.text);
    let sum: Decimal = parts.iter().map(|q| q.value).sum();
    let mut all: Vec<&Quantity> = parts.to_vec();
    all.push(total);
    let tol = tolerance(&all);
    if (sum - total.value).abs() <= tol || (at_most && sum <= total.value) {
        return false;
    }
    let decimals = all.iter().map(|q| q.decimals).max().unwrap_or(0);
    let terms: Vec<String> = parts.iter().map(|q| show(q)).collect();
    let sum_text = show_value(sum, total, decimals);
    let arithmetic = format!("{} = {sum_text}", terms.join(" + "));
    let related = parts
        .iter()
        .map(|q| {
            let part = part_text(ctx.text, q);
            Related { range: q.span, message: locale.pick(format!("thành phần: {part}"), format!("part: {part}")) }
        })
        .collect();
    let fixes = if total.multiplier.is_none() && total.kind == crate::extract::QuantityKind::Count {
        // A short sum of statuses ("đạt", "chưa đạt" …) usually left a status out: adding it is the
        // likely fix. Parts that are kinds ("chi bộ thôn", "chi bộ trường học") have no category
        // to invent: there, changing the total is the fix offered first.
        let statuses = parts.iter().all(|q| is_status(&tail(total, q, common_unit(total, q, ctx))));
        let add_missing = sum < total.value && statuses;
        let mut fixes = vec![change_total_fix(ctx, total.range, sum_text.clone(), !add_missing)];
        // Add the missing status, with a placeholder for it (the reconciliation in the document
        // pass fills in a stated one).
        if add_missing {
            if let Some((at, separator)) = after_last_part(ctx.text, parts) {
                let missing = format_vi(total.value - sum, decimals);
                fixes.insert(
                    0,
                    Fix {
                        title: locale.pick(
                            format!("Thêm loại còn thiếu: {missing} {unit}"),
                            format!("Add the missing category: {missing} {unit}"),
                        ),
                        edits: vec![Edit {
                            range: TextRange::new(at, at),
                            new_text: format!("{separator}${{1:{missing}}} {unit} ${{2:chưa đạt}}"),
                        }],
                        preferred: true,
                        snippet: true,
                    },
                );
            }
        }
        fixes
    } else {
        Vec::new()
    };
    let index = findings.len();
    let message = locale.pick(
        format!("{arithmetic}, không khớp tổng số {} {unit}", show(total)),
        format!("{arithmetic}, which does not match the total of {} {unit}", show(total)),
    );
    findings.push(Finding::new(RuleCode::TotalMismatch, total.span, message).with_severity(Severity::Warning).with_related(related).with_fixes(fixes));
    if sum < total.value {
        let mut used: Vec<TextRange> = parts.iter().map(|q| q.range).collect();
        used.push(total.range);
        open.push(OpenTotal { finding: index, unit: total.unit.clone(), missing: total.value - sum, used });
    }
    true
}

/// "Sửa tổng số thành N": the total rewritten as the sum of its parts.
fn change_total_fix(ctx: &BlockCtx<'_>, range: TextRange, sum_text: String, preferred: bool) -> Fix {
    Fix {
        title: ctx.locale.pick(format!("Sửa tổng số thành {sum_text}"), format!("Change the total to {sum_text}")),
        edits: vec![Edit { range, new_text: sum_text }],
        preferred,
        snippet: false,
    }
}

/// How many unit words a part shares with its total ("chi bộ" of "chi bộ trực thuộc").
fn common_unit(total: &Quantity, part: &Quantity, ctx: &BlockCtx<'_>) -> usize {
    compatible(&total.unit, &part.unit, ctx.abbreviations).unwrap_or(0)
}

/// Where a category can be added after the last part of a breakdown: the end of that part's
/// clause (before the next `,`, `;`, `.`, `)` or line break), and the separator the breakdown
/// uses between its parts ("; " or ", ").
fn after_last_part(text: &str, parts: &[&Quantity]) -> Option<(usize, &'static str)> {
    let last = parts.iter().max_by_key(|q| q.span.end)?;
    let first = parts.iter().min_by_key(|q| q.span.start)?;
    let end = last.span.end.min(text.len());
    let at = text[end..].find([',', ';', '.', ')', '\n', '\r']).map_or(text.len(), |i| end + i);
    let at = end + text[end..at].trim_end().len();
    let between = text.get(first.span.end..last.span.start).unwrap_or("");
    Some((at, if between.contains(';') { "; " } else { ", " }))
}

/// Lowers a short sum to information when the remaining part is stated elsewhere, and turns the
/// "add the missing category" fix into writing the complete breakdown with that part.
/// `remaining` is the document-relative span of that part and its text.
pub fn reconcile(finding: &mut Finding, remaining: TextRange, remaining_text: &str, locale: crate::Locale) {
    finding.severity = Severity::Information;
    if let Some(fix) = finding.fixes.iter_mut().find(|f| f.snippet) {
        if let Some(edit) = fix.edits.first_mut() {
            let separator = if edit.new_text.starts_with(';') { "; " } else { ", " };
            edit.new_text = format!("{separator}{remaining_text}");
            fix.snippet = false;
            fix.title = locale.pick(
                format!("Viết đủ các thành phần: thêm “{remaining_text}”"),
                format!("Write the complete breakdown: add “{remaining_text}”"),
            );
        }
    }
    finding.message.push_str(&locale.pick(
        format!("; phần còn lại ({remaining_text}) được nêu ở chỗ khác trong văn bản"),
        format!("; the remaining part ({remaining_text}) is stated elsewhere in the document"),
    ));
    finding.related.push(Related {
        range: remaining,
        message: locale.pick(format!("phần còn lại: {remaining_text}"), format!("remaining part: {remaining_text}")),
    });
}

/// The rule: a scan finds each block's short or long sums; the conclusion looks for the
/// remaining part of a short sum anywhere in the document.
pub struct TotalMismatch;

/// Findings of one block (block-relative) and its short sums.
pub struct Scan {
    findings: Vec<Finding>,
    open: Vec<OpenTotal>,
}

impl Rule for TotalMismatch {
    type Scan = Scan;

    fn new(_: &Setup<'_>) -> TotalMismatch {
        TotalMismatch
    }

    fn scan(&self, block: &BlockCtx<'_>) -> Scan {
        let mut scan = Scan { findings: Vec::new(), open: Vec::new() };
        check(block, block.groups(), &mut scan.findings, &mut scan.open);
        scan
    }

    fn conclude(&self, doc: &DocCtx<'_>, scans: &[Placed<'_, Scan>], out: &mut Vec<Finding>) {
        // Remaining parts are looked up only among quantities whose value is one of the missing
        // amounts: one linear scan, whatever the number of short sums.
        let missing: rustc_hash::FxHashSet<Decimal> = scans.iter().flat_map(|p| p.scan.open.iter().map(|o| o.missing)).collect();
        let mut candidates: rustc_hash::FxHashMap<Decimal, Vec<(usize, usize)>> = Default::default();
        if !missing.is_empty() {
            for (b, block) in doc.blocks.iter().enumerate() {
                for (q, quantity) in block.facts.quantities.iter().enumerate() {
                    if missing.contains(&quantity.value) {
                        candidates.entry(quantity.value).or_default().push((b, q));
                    }
                }
            }
        }
        for placed in scans {
            let mut local: Vec<Finding> = placed.scan.findings.iter().map(|f| f.shifted(placed.offset)).collect();
            for open in &placed.scan.open {
                let Some(finding) = local.get_mut(open.finding) else { continue };
                let same_value = candidates.get(&open.missing).map_or(&[][..], Vec::as_slice);
                if let Some((range, text_of)) = remaining_part(doc, same_value, placed.block, open) {
                    reconcile(finding, range, &text_of, doc.locale);
                }
            }
            out.extend(local);
        }
    }
}

/// A same-unit quantity elsewhere in the document equal to the missing part of a short sum:
/// its document range and how it reads.
fn remaining_part(doc: &DocCtx<'_>, same_value: &[(usize, usize)], home: usize, open: &OpenTotal) -> Option<(TextRange, String)> {
    for &(b, index) in same_value {
        let Some(block) = doc.blocks.get(b) else { continue };
        let Some(q) = block.facts.quantities.get(index) else { continue };
        if q.kind != QuantityKind::Count || q.comparison || q.value != open.missing || q.unit.is_empty() {
            continue;
        }
        if b == home && open.used.contains(&q.range) {
            continue;
        }
        let Some(common) = compatible(&open.unit, &q.unit, doc.abbreviations) else { continue };
        let mut description = tail(q, q, common);
        if q.pre.iter().any(|w| w == "còn") {
            description.insert(0, "còn".to_string());
        }
        if !is_status(&description) {
            continue;
        }
        let span = q.span.shift(block.offset);
        let mut shown = format!("{} {}", q.written, q.unit.join(" "));
        if !q.qualifier.is_empty() {
            shown.push(' ');
            shown.push_str(&q.qualifier.iter().take(4).cloned().collect::<Vec<_>>().join(" "));
        }
        return Some((span, shown));
    }
    None
}
