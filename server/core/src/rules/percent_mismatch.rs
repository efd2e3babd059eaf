//! Rule: percent-mismatch
//!
//! Shares of one whole that add up to more than 100%, or clearly less than 100% after
//! "gồm"/"bao gồm" (a breakdown presented as complete). A single share that disagrees with its
//! own numbers ("có 18 chỉ tiêu đạt (chiếm 75,5%)" of 25) is `ratio-mismatch`; a group holding
//! such a share is not summed (one slip, one finding).
//!
//! Only percentages attached to a part are shares: "chiếm 72%", "(72%)", "bằng 72%", "tỷ lệ 72%".
//! Growth rates and comparisons ("tăng 18,4%", "bằng 105% so với cùng kỳ", "đạt 95% kế hoạch",
//! "14%/năm") are never shares and never summed.

use super::groups::{Group, Mode};
use super::{is_status, BlockCtx, RuleCode, Setup};
use crate::extract::{ends_with, Quantity, QuantityKind};
use crate::number::format_vi;
use crate::{Finding, Related, Severity};
use rust_decimal::{Decimal, RoundingStrategy};

pub fn check(ctx: &BlockCtx<'_>, groups: &[Group], findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let hundred = Decimal::from(100);
    // 1. Shares that disagree with their own numbers (reported by `ratio-mismatch`).
    let mut wrong_shares = rustc_hash::FxHashSet::default();
    let group_of_part = super::first_group_of_part(groups);
    for (index, p) in qs.iter().enumerate().filter(|(_, q)| q.kind == QuantityKind::Percent) {
        let Some(owner) = p.share_of else { continue };
        let part = &qs[owner];
        let (numerator, base) = match part.kind {
            QuantityKind::Fraction { denominator, .. } => (part.value, denominator),
            QuantityKind::Count => {
                let Some(group) = group_of_part.get(&owner).map(|&g| &groups[g]) else { continue };
                (part.value, qs[group.anchor].value)
            }
            QuantityKind::Percent => continue,
        };
        if base.is_zero() {
            continue;
        }
        let computed = numerator * hundred / base;
        if share_agrees(p.value, p.decimals, computed) {
            continue;
        }
        // The share itself is reported by `ratio-mismatch`; here it only keeps its group's sum quiet.
        wrong_shares.insert(index);
    }
    // 2. Shares of the parts of one total adding up to more than 100%.
    // The shares of each part, looked up per group: linear in the quantities, whatever the groups.
    let mut by_owner: rustc_hash::FxHashMap<usize, Vec<usize>> = rustc_hash::FxHashMap::default();
    for (index, q) in qs.iter().enumerate() {
        if let (QuantityKind::Percent, Some(owner)) = (q.kind, q.share_of) {
            by_owner.entry(owner).or_default().push(index);
        }
    }
    let mut summed: rustc_hash::FxHashSet<Vec<usize>> = rustc_hash::FxHashSet::default();
    for group in groups {
        let mut indices: Vec<usize> = group.parts.iter().filter_map(|o| by_owner.get(o)).flatten().copied().collect();
        indices.sort_unstable();
        let shares: Vec<&Quantity> = indices.iter().map(|&i| &qs[i]).collect();
        // One wrong share is one finding: its sum with the right ones would point at a right number.
        let has_wrong = indices.iter().any(|i| wrong_shares.contains(i));
        if shares.len() >= 2 && !has_wrong {
            check_sum(ctx, &shares, false, findings);
            summed.insert(indices);
        }
    }
    // 2b. The same over the sentences: "202 xã … Cụ thể, có một xã …; 25 xã … (chiếm 12,4%);
    // 88 xã … (43,6%); …" — a whole in one sentence, its parts with their shares in the next.
    for over in ctx.shares_over_hundred() {
        if summed.contains(&over.shares) {
            continue;
        }
        let shares: Vec<&Quantity> = over.shares.iter().map(|&i| &qs[i]).collect();
        match over.wrong {
            Some((index, computed)) => wrong_share_of_whole(ctx, &shares, index, computed, findings),
            None => check_sum(ctx, &shares, false, findings),
        }
        summed.insert(over.shares.clone());
    }
    // 3. A breakdown written in percentages only: "trong đó 60% đúng hạn, 50% trễ hạn".
    let mut sentence_start = 0;
    while sentence_start < qs.len() {
        let sentence = qs[sentence_start].sentence;
        let end = qs[sentence_start..].iter().position(|q| q.sentence != sentence).map_or(qs.len(), |n| sentence_start + n);
        let loose: Vec<&Quantity> = qs[sentence_start..end]
            .iter()
            .filter(|q| q.kind == QuantityKind::Percent && q.share_of.is_none() && !q.comparison && q.depth == 0)
            // "kết nạp 52 đảng viên, đạt 50,98%": each unit's own completion rate, never a share.
            .filter(|q| q.pre.last().is_none_or(|w| w != "đạt") && !ends_with(&q.pre, &["đạt", "tỷ", "lệ"]))
            .filter(|q| !q.qualifier.first().is_some_and(|w| ["năm", "so", "kế", "cùng", "dự", "mục", "chỉ"].contains(&w.as_str())))
            .collect();
        if loose.len() >= 2 {
            let before = sentence_text_before(ctx, qs[sentence_start].range.start, loose[0]);
            let introduced = loose[0].pre.iter().any(|w| w == "đó" || w == "gồm")
                || introduced_by_colon(ctx, loose[0])
                || before.contains("gồm")
                || before.contains("trong đó");
            // "Cơ cấu kinh tế gồm: nông nghiệp 22,4%, công nghiệp 41,8% …": shares of one whole by name.
            // "Trong đó, loại hình … chiếm 70,2%; loại hình … chiếm 8,5%", "khu vực nhà nước chiếm
            // 36,8%; khu vực tư nhân chiếm 47,7%": parallel kinds of one classifier noun.
            // Only with "chiếm" on every share: "khu vực dịch vụ … với tỷ lệ 85,9%" is a rate within a kind.
            let occupies = loose.iter().all(|q| q.pre.last().is_some_and(|w| w == "chiếm") || ends_with(&q.pre, &["chiếm", "tỷ", "lệ"]));
            let classifier = occupies && CLASSIFIERS.iter().any(|c| loose.iter().all(|q| segment_text_before(ctx, q).contains(c)));
            let structure = before.contains("cơ cấu") || classifier;
            let described = structure
                || loose.iter().all(|q| {
                    let mut words: Vec<String> =
                        q.pre.iter().filter(|w| !["trong", "đó", "gồm", "bao", "có", "và"].contains(&w.as_str())).cloned().collect();
                    words.extend(q.qualifier.iter().cloned());
                    is_status(&words)
                });
            if introduced && described {
                let complete = loose[0].pre.iter().any(|w| w == "gồm");
                check_sum(ctx, &loose, complete, findings);
            }
        }
        ratings(ctx, &qs[sentence_start..end], findings);
        sentence_start = end;
    }
}

/// The shares of the parts of one whole that add up to more than 100%, found across sentences.
pub struct SharesOverHundred {
    /// The percentages, in order.
    pub shares: Vec<usize>,
    /// The one share that disagrees with its part and the whole, and the share computed from them,
    /// when all the others agree: that share is the slip.
    pub wrong: Option<(usize, Decimal)>,
}

/// The breakdowns presented as complete ("Cụ thể,", "gồm", a colon) whose parts add up to their
/// whole exactly, and whose parts' shares add up to more than 100%. `ratio-mismatch` leaves the
/// shares of these to this rule, so that one slip gives one finding.
pub(super) fn shares_over_hundred_in_breakdowns(ctx: &BlockCtx<'_>) -> Vec<SharesOverHundred> {
    let qs = &ctx.facts.quantities;
    let mut out = Vec::new();
    for b in ctx.breakdowns().iter().filter(|b| b.mode == Mode::Exact && !b.open) {
        let whole = qs[b.whole].value;
        // Only when the parts add up: then they are surely the parts of that one whole.
        if whole.is_zero() || b.parts.iter().map(|&p| qs[p].value).sum::<Decimal>() != whole {
            continue;
        }
        let mut shares: Vec<(usize, usize)> = Vec::new();
        for &part in &b.parts {
            // Each part's own share: the percentages the extractor tied to it, at most one.
            let mut own = qs.iter().enumerate().skip(part + 1).take(3).filter(|(_, q)| q.kind == QuantityKind::Percent && q.share_of == Some(part));
            if let (Some((index, _)), None) = (own.next(), own.next()) {
                shares.push((index, part));
            }
        }
        if shares.len() < 2 {
            continue;
        }
        let sum: Decimal = shares.iter().map(|&(i, _)| qs[i].value).sum();
        let decimals = shares.iter().map(|&(i, _)| qs[i].decimals).max().unwrap_or(0);
        let rounding = Decimal::new(5, decimals + 1) * Decimal::from(shares.len() as u64);
        if sum <= Decimal::ONE_HUNDRED + rounding {
            continue;
        }
        let computed = |&(i, part): &(usize, usize)| (i, qs[part].value * Decimal::ONE_HUNDRED / whole);
        let disagreeing: Vec<(usize, Decimal)> =
            shares.iter().map(computed).filter(|&(i, c)| !share_agrees(qs[i].value, qs[i].decimals, c)).collect();
        let wrong = match disagreeing.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        out.push(SharesOverHundred { shares: shares.into_iter().map(|(i, _)| i).collect(), wrong });
    }
    out
}

/// The shares add up to more than 100% because of one of them: the finding sits on that share,
/// says what it should be, and offers the correction.
fn wrong_share_of_whole(ctx: &BlockCtx<'_>, shares: &[&Quantity], index: usize, computed: Decimal, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let wrong = &qs[index];
    let sum: Decimal = shares.iter().map(|q| q.value).sum();
    let decimals = shares.iter().map(|q| q.decimals).max().unwrap_or(0);
    let terms: Vec<&str> = shares.iter().map(|q| q.written.as_str()).collect();
    let arithmetic = format!("{} = {}%", terms.join(" + "), format_vi(sum, decimals));
    let should = format_vi(computed, wrong.decimals.max(1));
    let (part, whole) = match (wrong.share_of, ctx.breakdowns().iter().find(|b| wrong.share_of.is_some_and(|o| b.parts.contains(&o)))) {
        (Some(o), Some(b)) => (&qs[o], &qs[b.whole]),
        _ => return,
    };
    let message = ctx.locale.pick(
        format!("{arithmetic}, vượt quá 100%: {}/{} = {should}%, không phải {}", part.written, whole.written, wrong.written),
        format!("{arithmetic}, more than 100%: {}/{} = {should}%, not {}", part.written, whole.written, wrong.written),
    );
    let related = shares
        .iter()
        .filter(|q| q.range != wrong.range)
        .map(|q| Related { range: q.range, message: q.written.clone() })
        .chain([Related { range: whole.span, message: ctx.locale.pick("tổng số".into(), "the whole".into()) }])
        .collect();
    let fix = super::ratio_mismatch::percent_fix(ctx, wrong, computed);
    findings.push(
        Finding::new(RuleCode::PercentMismatch, wrong.range, message).with_severity(Severity::Warning).with_related(related).with_fixes([fix]),
    );
}

/// Nouns that name the kinds of one whole when they open each part ("loại hình", "khu vực").
const CLASSIFIERS: &[&str] = &["loại hình", "khu vực kinh tế", "khu vực nhà nước", "khu vực", "thành phần kinh tế", "lĩnh vực"];

/// The quality ratings of one evaluation: mutually exclusive, so their shares never exceed 100%.
/// Checked in order: the first phrase found in a part names its rating.
const RATINGS: &[(&str, u8)] = &[("không hoàn thành", 4), ("hoàn thành xuất sắc", 1), ("hoàn thành tốt", 2), ("hoàn thành nhiệm vụ", 3)];

/// "… hoàn thành xuất sắc nhiệm vụ là 15 đảng viên, chiếm 20,5%; … hoàn thành tốt nhiệm vụ …
/// chiếm 75,3%; … hoàn thành nhiệm vụ chiếm 2,7%": one share per semicolon part, each part one
/// rating, all different: the shares are of one whole.
fn ratings(ctx: &BlockCtx<'_>, sentence: &[Quantity], findings: &mut Vec<Finding>) {
    let mut shares: Vec<&Quantity> = Vec::new();
    let mut seen: Vec<u8> = Vec::new();
    for q in sentence.iter().filter(|q| q.kind == QuantityKind::Percent && !q.comparison && q.depth == 0) {
        let cue = q.pre.last().is_some_and(|w| w == "chiếm") || ends_with(&q.pre, &["tỷ", "lệ"]) || ends_with(&q.pre, &["tỉ", "lệ"]);
        if !cue {
            return;
        }
        let part = segment_text_before(ctx, q);
        let Some(&(_, rating)) = RATINGS.iter().find(|(phrase, _)| part.contains(phrase)) else { return };
        if seen.contains(&rating) || shares.last().is_some_and(|last| last.segment == q.segment) {
            return;
        }
        seen.push(rating);
        shares.push(q);
    }
    if shares.len() >= 2 {
        check_sum(ctx, &shares, false, findings);
    }
}

/// The text from the start of `q`'s semicolon part (or sentence) to `q`, lowercase, bounded.
fn segment_text_before(ctx: &BlockCtx<'_>, q: &Quantity) -> String {
    let mut from = q.range.start.saturating_sub(300);
    while !ctx.text.is_char_boundary(from) {
        from += 1;
    }
    let lead = &ctx.text[from..q.range.start];
    let start = lead.rfind([';', '.', '!', '?', '\n']).map_or(0, |i| i + 1);
    lead[start..].to_lowercase()
}

/// The text of the sentence before `q`, lowercase (within the block, at most a few hundred bytes).
/// `start` is where the sentence's first quantity begins.
fn sentence_text_before(ctx: &BlockCtx<'_>, start: usize, q: &Quantity) -> String {
    let mut lo = q.range.start.saturating_sub(400);
    while !ctx.text.is_char_boundary(lo) {
        lo += 1;
    }
    let start = start.clamp(lo, q.range.start);
    let from = ctx.text[lo..start].rfind(['.', '!', '?', '\n']).map_or(lo, |i| lo + i + 1);
    ctx.text[from..q.range.start].to_lowercase()
}

fn introduced_by_colon(ctx: &BlockCtx<'_>, q: &Quantity) -> bool {
    ctx.text[..q.range.start].trim_end().trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace()).ends_with(':')
}

/// A share agrees when the computed value rounds or truncates to the stated precision.
pub fn share_agrees(stated: Decimal, decimals: u32, computed: Decimal) -> bool {
    let rounded = computed.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let truncated = computed.round_dp_with_strategy(decimals, RoundingStrategy::ToZero);
    stated == rounded || stated == truncated
}

fn check_sum(ctx: &BlockCtx<'_>, shares: &[&Quantity], complete: bool, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    let hundred = Decimal::from(100);
    let sum: Decimal = shares.iter().map(|q| q.value).sum();
    let decimals = shares.iter().map(|q| q.decimals).max().unwrap_or(0);
    let rounding = Decimal::new(5, decimals + 1) * Decimal::from(shares.len() as u64);
    let terms: Vec<&str> = shares.iter().map(|q| q.written.as_str()).collect();
    let arithmetic = format!("{} = {}%", terms.join(" + "), format_vi(sum, decimals));
    let last = shares[shares.len() - 1];
    let related = shares[..shares.len() - 1].iter().map(|q| Related { range: q.range, message: q.written.clone() }).collect();
    let message = if sum > hundred + rounding {
        locale.pick(format!("{arithmetic}, vượt quá 100%"), format!("{arithmetic}, more than 100%"))
    } else if complete && sum + rounding + Decimal::ONE < hundred {
        locale.pick(
            format!("{arithmetic}, chưa đủ 100% dù được trình bày là toàn bộ cơ cấu"),
            format!("{arithmetic}, short of 100% although presented as the whole breakdown"),
        )
    } else {
        return;
    };
    findings.push(Finding::new(RuleCode::PercentMismatch, last.range, message).with_severity(Severity::Warning).with_related(related));
}

/// The rule: shares of one whole in one block; the conclusion only places the block's findings.
pub struct PercentMismatch;

local_rule!(PercentMismatch, |_: &Setup<'_>| PercentMismatch, |_rule, block, found| check(block, block.groups(), &mut found));
