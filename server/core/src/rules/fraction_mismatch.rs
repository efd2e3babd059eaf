//! Rule: fraction-mismatch
//!
//! Parts written as fractions of one whole ("**11/40** chỉ tiêu đã đạt …, **29/40** chỉ tiêu
//! đang thực hiện") — same denominator, compatible unit, same paragraph — whose numerators add
//! up to more than the denominator, or a numerator larger than its denominator.
//!
//! A lone fraction larger than one is often "achieved/target" ("8.793/6.500 đảng viên",
//! "45.799/36.875 tỷ đồng"), so it is flagged only for units that name a fixed set of items
//! (chỉ tiêu, tiêu chí, nhiệm vụ, nội dung …) or when it sits among other parts of the same whole.

use super::{BlockCtx, RuleCode, Setup};
use crate::extract::{Quantity, QuantityKind};
use crate::number::format_vi;
use crate::units::compatible;
use crate::{Finding, Related, Severity};
use rust_decimal::Decimal;

/// Units that name a fixed set: a numerator above the denominator cannot be "achieved/target".
const SET_UNITS: &[&str] =
    &["chỉ tiêu", "tiêu chí", "nhiệm vụ", "nội dung", "nhóm", "giải pháp", "mục tiêu", "chương trình", "đề án", "dự án"];

fn denominator(q: &Quantity) -> Option<(Decimal, u32)> {
    match q.kind {
        QuantityKind::Fraction { denominator, denominator_decimals } => Some((denominator, denominator_decimals)),
        _ => None,
    }
}

fn is_set_unit(unit: &[String]) -> bool {
    let joined = unit.join(" ");
    SET_UNITS.iter().any(|u| joined == *u || joined.starts_with(&format!("{u} ")))
}

pub fn check(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    let before = findings.len();
    check_parts(ctx, findings);
    // A vote tally already reported as fractions of one whole is not reported twice.
    if findings.len() == before {
        vote_tallies(ctx, findings);
    }
}

fn check_parts(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    let locale = ctx.locale;
    // "24/7", "24/24": round the clock, never a part of a whole.
    let round_the_clock = |q: &Quantity| matches!(q.written.as_str(), "24/7" | "24/24");
    let fractions: Vec<&Quantity> =
        ctx.facts.quantities.iter().filter(|q| denominator(q).is_some() && !q.comparison && !round_the_clock(q)).collect();
    let mut grouped = vec![false; fractions.len()];
    // Fractions by denominator, so grouping stays linear in long paragraphs.
    let mut by_denominator: rustc_hash::FxHashMap<Decimal, Vec<usize>> = rustc_hash::FxHashMap::default();
    for (i, q) in fractions.iter().enumerate() {
        if let Some((den, _)) = denominator(q) {
            by_denominator.entry(den).or_default().push(i);
        }
    }
    for i in 0..fractions.len() {
        if grouped[i] {
            continue;
        }
        let Some((den, den_decimals)) = denominator(fractions[i]) else { continue };
        let mut members = vec![i];
        let same_den: &[usize] = by_denominator.get(&den).map_or(&[], Vec::as_slice);
        for &j in same_den.iter().filter(|&&j| j > i).take(64) {
            if grouped[j] {
                continue;
            }
            if fractions[j].topic != fractions[i].topic {
                continue; // "Về kinh tế, 7/12 …. Về văn hóa - xã hội, 6/12 …" are two wholes
            }
            let same_unit = match (fractions[i].unit.is_empty(), fractions[j].unit.is_empty()) {
                (false, false) => compatible(&fractions[i].unit, &fractions[j].unit, ctx.abbreviations).is_some(),
                _ => false,
            };
            if same_unit {
                members.push(j);
            }
        }
        for &m in &members {
            grouped[m] = true;
        }
        let unit = fractions[i].unit.join(" ");
        let den_text = format_vi(den, den_decimals);
        // A numerator above its denominator.
        let mut oversized = false;
        for &m in &members {
            let q = fractions[m];
            if q.value > den && (members.len() >= 2 || is_set_unit(&q.unit)) && q.decimals == 0 {
                oversized = true;
                findings.push(Finding::new(RuleCode::FractionMismatch, q.span, locale.pick(
                        format!("{}: tử số {} lớn hơn mẫu số {den_text}{}", q.written, format_vi(q.value, q.decimals), suffix(&unit)),
                        format!(
                            "{}: the numerator {} is larger than the denominator {den_text}{}",
                            q.written,
                            format_vi(q.value, q.decimals),
                            suffix(&unit)
                        ),
                    )).with_severity(Severity::Warning));
            }
        }
        if oversized || members.len() < 2 {
            continue;
        }
        // Summed only when every part names a status ("đạt", "chưa đạt", "đang thực hiện" …):
        // "9/12 thôn kiểu mẫu, 11/12 thôn có nhà văn hóa" describe overlapping properties.
        if !members.iter().all(|&m| names_status(fractions[m])) {
            continue;
        }
        let sum: Decimal = members.iter().map(|&m| fractions[m].value).sum();
        if sum > den {
            let terms: Vec<&str> = members.iter().map(|&m| fractions[m].written.as_str()).collect();
            let last = fractions[members[members.len() - 1]];
            let decimals = members.iter().map(|&m| fractions[m].decimals).max().unwrap_or(0);
            findings.push(Finding::new(RuleCode::FractionMismatch, last.span, locale.pick(
                    format!(
                        "{} = {}/{den_text}, vượt quá tổng số {den_text}{}",
                        terms.join(" + "),
                        format_vi(sum, decimals),
                        suffix(&unit)
                    ),
                    format!(
                        "{} = {}/{den_text}, more than the whole of {den_text}{}",
                        terms.join(" + "),
                        format_vi(sum, decimals),
                        suffix(&unit)
                    ),
                )).with_severity(Severity::Warning).with_related(members[..members.len() - 1]
                    .iter()
                    .map(|&m| Related { range: fractions[m].span, message: fractions[m].written.clone() })
                    .collect()));
        }
    }
}

/// The level of a confidence vote a quantity counts ("42/47 phiếu tín nhiệm cao", "số phiếu tín
/// nhiệm là 7/47", "1 phiếu tín nhiệm thấp"): 0 high, 1 plain, 2 low. `None` when it counts no
/// confidence ballots.
fn vote_level(q: &Quantity) -> Option<u8> {
    let level = |next: Option<&String>| match next.map(String::as_str) {
        Some("cao") => 0,
        Some("thấp") => 2,
        _ => 1,
    };
    let unit: Vec<&str> = q.unit.iter().map(String::as_str).collect();
    match unit.as_slice() {
        ["phiếu", "tín", "nhiệm", ..] => return Some(level(q.unit.get(3))),
        ["phiếu"] | [] => {}
        _ => return None,
    }
    // The level is told before the number: "… số phiếu tín nhiệm cao nhiều nhất là 42/47".
    let from = q.pre.len().saturating_sub(7);
    let at = (from + 1..q.pre.len()).rev().find(|&i| q.pre[i] == "nhiệm" && q.pre[i - 1] == "tín")?;
    (at >= 2 && q.pre[at - 2] == "phiếu").then(|| level(q.pre.get(at + 1)))
}

/// "ông A nhận được số phiếu tín nhiệm cao là 42/47 phiếu; số phiếu tín nhiệm là 7/47 và không có
/// phiếu tín nhiệm thấp": one person's ballots, one level each, in one sentence. A fraction gives
/// the ballots cast; the levels, each counted once, cannot add up to more.
fn vote_tallies(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let mut start = 0;
    while start < qs.len() {
        let sentence = qs[start].sentence;
        let end = qs[start..].iter().position(|q| q.sentence != sentence).map_or(qs.len(), |n| start + n);
        let votes: Vec<(&Quantity, u8)> = qs[start..end]
            .iter()
            .filter(|q| !q.comparison && q.decimals == 0 && q.kind != QuantityKind::Percent)
            .filter_map(|q| vote_level(q).map(|l| (q, l)))
            .collect();
        start = end;
        let Some((den, den_decimals)) = votes.iter().find_map(|(q, _)| denominator(q)) else { continue };
        let same_ballots = votes.iter().all(|(q, _)| denominator(q).is_none_or(|(d, _)| d == den));
        let mut levels: Vec<u8> = votes.iter().map(|(_, l)| *l).collect();
        levels.sort_unstable();
        levels.dedup();
        if votes.len() < 2 || !same_ballots || levels.len() != votes.len() {
            continue;
        }
        let sum: Decimal = votes.iter().map(|(q, _)| q.value).sum();
        if sum <= den {
            continue;
        }
        let den_text = format_vi(den, den_decimals);
        let terms: Vec<&str> = votes.iter().map(|(q, _)| q.written.as_str()).collect();
        let (last, _) = votes[votes.len() - 1];
        let locale = ctx.locale;
        findings.push(Finding::new(RuleCode::FractionMismatch, last.span, locale.pick(
                format!("Phiếu tín nhiệm các mức: {} = {}, vượt quá {den_text} phiếu", terms.join(" + "), format_vi(sum, 0)),
                format!("Confidence ballots by level: {} = {}, more than the {den_text} ballots", terms.join(" + "), format_vi(sum, 0)),
            )).with_severity(Severity::Warning).with_related(votes[..votes.len() - 1]
                .iter()
                .map(|(q, _)| Related { range: q.span, message: q.written.clone() })
                .collect()));
    }
}

/// The words right after the unit name a status category ("đạt", "hoàn thành", "đang …").
fn names_status(q: &Quantity) -> bool {
    super::is_status(&q.qualifier)
}

fn suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// The rule: fractions of one whole in one block; the conclusion only places the block's findings.
pub struct FractionMismatch;

local_rule!(FractionMismatch, |_: &Setup<'_>| FractionMismatch, |_rule, block, found| check(block, &mut found));
