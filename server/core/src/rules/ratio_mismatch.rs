//! Rule: ratio-mismatch
//!
//! A stated percentage (or multiple) that does not match the ratio of numbers stated with it:
//! - a share of a stated base: "5.360/8.233 xã (chiếm 65,1%)", "1.763 tỷ đồng/1.922 tỷ đồng,
//!   đạt 91,72%", "50 trong tổng số 88 thôn … (chiếm 56,8%)", a part of an announced total
//!   ("tổng cộng 52.105 tổ chức …, có 51.985 tổ chức … (chiếm 99,8%)");
//! - a share whose base is only implied, when the text settles it: the other shares of the
//!   paragraph all agree with one stated number ("kết nạp 152 đảng viên … nữ 73 đồng chí (chiếm
//!   48,02%); … 47 đồng chí (chiếm 30,9%)"), or "Trong đó, …" opens on the total of the sentence
//!   before and the share names that total ("… 715 hộ. Trong đó, … 699 hộ, chiếm 97,8% hộ cận nghèo");
//! - a rate of change between two stated values: "từ 48,2 lên 61,5 triệu USD, tăng 27,6%";
//!   "còn 51 đơn vị, giảm 86 đơn vị, tương ứng tỷ lệ giảm 62,77%" (the earlier value is
//!   51 + 86); "gấp 1,3 lần" after "từ A lên B".
//!
//! Tolerance comes from the printed precision of every number (rounding or truncation of the
//! percentage; "48,2" may be anything from 48,15 to 48,25) and from hedges: "trên 28%", "gần
//! 40%", "khoảng 38,7%", "trên 46,8 ha". A percentage that names another base ("chiếm 11% dân
//! số toàn huyện", "trên 50% số phiếu"), compares with a plan or a period ("đạt 95% kế hoạch",
//! "so với cùng kỳ") or follows a rate (a change in percentage points) is never recomputed.

use super::groups::Group;
use super::{BlockCtx, RuleCode, Setup};
use crate::extract::{Quantity, QuantityKind};
use crate::number::{format_vi, parse_digits};
use crate::ratios::{accepted, bounds_of, cue_of, named_base, names_plan_or_period, words_between, Bounds, Cue, Hedge};
use crate::text::TextRange;
use crate::units::compatible;
use crate::{Edit, Finding, Fix, Related, Severity};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

/// A base written after a slash with its own unit: "44 xã /104 xã", "1.763 tỷ đồng/1.922 tỷ đồng".
struct SlashBase {
    value: Decimal,
    bounds: Bounds,
    written: String,
    /// Where the base (number and unit) ends.
    end: usize,
    range: TextRange,
}

fn multiplier(word: &str) -> Option<Decimal> {
    Some(match word {
        "nghìn" | "ngàn" => Decimal::from(1_000),
        "triệu" => Decimal::from(1_000_000),
        "tỷ" | "tỉ" => Decimal::from(1_000_000_000u64),
        _ => return None,
    })
}

/// Reads "/N unit" right after a quantity, when N carries the same unit as the quantity.
fn slash_base(text: &str, q: &Quantity) -> Option<SlashBase> {
    if q.kind != QuantityKind::Count || q.unit.is_empty() {
        return None;
    }
    let rest = text.get(q.span.end..)?;
    let after_spaces = rest.trim_start_matches([' ', '\t']);
    let after_slash = after_spaces.strip_prefix('/')?;
    let number_text = after_slash.trim_start_matches([' ', '\t']);
    let start = text.len() - number_text.len();
    let digits_len = number_text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(number_text.len());
    let digits = number_text[..digits_len].trim_end_matches(['.', ',']);
    let parsed = parse_digits(digits)?;
    let mut words = number_text[digits.len()..].split_whitespace();
    let mut value = parsed.value;
    let mut scale = Decimal::ONE;
    let mut written = digits.to_string();
    let mut next = words.next().map(str::to_lowercase);
    if let Some(m) = next.as_deref().and_then(multiplier) {
        scale = m;
        value *= m;
        written = format!("{written} {}", next.unwrap_or_default());
        next = words.next().map(str::to_lowercase);
    }
    if q.multiplier.is_some() != (scale != Decimal::ONE) {
        return None;
    }
    // The same unit after the base: "xã /104 xã", not "24/7" or "3/2 phần".
    let first_unit = next?;
    let first_unit = first_unit.trim_end_matches(|c: char| !crate::lexer::is_word_char(c));
    if q.unit.first().map(String::as_str) != Some(first_unit) {
        return None;
    }
    let unit_at = start + number_text[digits.len()..].find(first_unit)? + digits.len();
    let end = unit_at + first_unit.len();
    let half = if parsed.decimals > 0 || scale != Decimal::ONE { Decimal::new(5, parsed.decimals + 1) * scale } else { Decimal::ZERO };
    Some(SlashBase {
        value,
        bounds: Bounds { lo: value - half, hi: value + half },
        written,
        end,
        range: TextRange::new(start, start + digits.len()),
    })
}

/// A percentage read as the ratio of two stated numbers.
struct Share {
    percent: usize,
    part: usize,
    num: Bounds,
    base: Bounds,
    base_value: Decimal,
    shown: String,
    base_range: TextRange,
    hedge: Hedge,
}

impl Share {
    /// Quantity `part` (`owner`) as a share of the stated `total`, as percentage `percent` claims.
    fn of_total(percent: usize, part: usize, owner: &Quantity, total: &Quantity, hedge: Hedge) -> Share {
        Share {
            percent,
            part,
            num: bounds_of(owner),
            base: bounds_of(total),
            base_value: total.value,
            shown: format!("{}/{}", owner.written, total.written),
            base_range: total.span,
            hedge,
        }
    }
}

/// A share whose base is not written next to it.
struct Loose {
    percent: usize,
    part: usize,
    hedge: Hedge,
    /// Bases (values) it agrees with.
    matches: Vec<Decimal>,
}

/// How many earlier quantities a loose share looks at for its base: keeps long paragraphs linear.
const BASE_WINDOW: usize = 60;

/// How many earlier quantities of its sentence a share looks at for another numerator
/// ([`other_numerator_fits`]): keeps a sentence of thousands of numbers linear (issue 12).
const NUMERATOR_WINDOW: usize = 60;

pub fn check(ctx: &BlockCtx<'_>, groups: &[Group], findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let text = ctx.text;
    let mut shares: Vec<Share> = Vec::new();
    let mut loose: Vec<Loose> = Vec::new();
    // Shares of one whole that add up to more than 100% are `percent-mismatch`'s: one slip, one finding.
    let left_to_percent: FxHashSet<usize> = ctx.shares_over_hundred().iter().flat_map(|o| o.shares.iter().copied()).collect();
    // The first group each quantity is a part of (made at the first share of a part).
    let mut group_of_part: Option<FxHashMap<usize, usize>> = None;
    for (pi, p) in qs.iter().enumerate() {
        if p.kind != QuantityKind::Percent || left_to_percent.contains(&pi) {
            continue;
        }
        let Some(o) = (0..pi).rev().take(4).take_while(|&o| qs[o].sentence == p.sentence).find(|&o| qs[o].kind != QuantityKind::Percent)
        else {
            continue;
        };
        let owner = &qs[o];
        let slash = slash_base(text, owner);
        let after = slash.as_ref().map_or(owner.span.end, |s| s.end);
        let Some(gap) = text.get(after..p.range.start) else { continue };
        let whole = words_between(gap);
        let mut read = whole.as_ref().and_then(|between| cue_of(between, gap.contains('(')));
        // "4.976 đảng viên người dân tộc thiểu số, tỷ lệ 10,75%", "37 trong tổng số 52 thôn, tổ dân
        // phố thực hiện …, đạt 75,3%": the words after the unit describe it; the cue is the last clause.
        let long_gap_ok = gap.len() <= 400 && !gap.contains(|c: char| c.is_ascii_digit() || ".!?;\n".contains(c));
        let reach = if in_total_of(text, qs, o).is_some() { 8 } else { 3 };
        if read.is_none() && long_gap_ok && p.clause <= owner.clause + reach {
            if let Some(clause_at) = gap.rfind([',', '(']) {
                let last = &gap[clause_at + 1..];
                read = words_between(last).and_then(|w| cue_of(&w, gap[clause_at..].starts_with('(')));
            }
        }
        // The extractor already tied "(61,5%)" to "16/28 chỉ tiêu đạt và vượt …".
        // Not across a number the extractor did not read ("(2/19) trong đó có 14/19GV (73,6 %)").
        let attached = (p.share_of == Some(o) && !gap.contains(|c: char| c.is_ascii_digit())).then(|| (Cue::Share, Hedge::before(&p.pre)));
        let Some((cue, hedge)) = read.or(attached) else { continue };
        if let Cue::Change { up } = cue {
            change(ctx, pi, o, up, hedge, findings);
            continue;
        }
        let plan = names_plan_or_period(&p.qualifier);
        let base_named = named_base(&p.qualifier);
        let names_own_unit = |q: &Quantity| base_named.is_none() || base_named == q.unit.first().map(String::as_str);
        // 1. X/N (fraction or slash with units).
        if let QuantityKind::Fraction { denominator, denominator_decimals } = owner.kind {
            if !(plan || names_own_unit(owner)) {
                continue;
            }
            let shown = format!("{}/{}", format_vi(owner.value, owner.decimals), format_vi(denominator, denominator_decimals));
            shares.push(Share {
                percent: pi,
                part: o,
                num: bounds_of(owner),
                base: Bounds::point(denominator),
                base_value: denominator,
                shown,
                base_range: owner.span,
                hedge,
            });
            continue;
        }
        if let Some(s) = slash {
            if !(plan || names_own_unit(owner)) {
                continue;
            }
            let shown = format!("{}/{}", owner.written, s.written);
            shares.push(Share {
                percent: pi,
                part: o,
                num: bounds_of(owner),
                base: s.bounds,
                base_value: s.value,
                shown,
                base_range: s.range,
                hedge,
            });
            continue;
        }
        if owner.kind != QuantityKind::Count || is_change(owner) || plan {
            continue;
        }
        // 2. "X trong tổng số N …".
        if let Some(x) = in_total_of(text, qs, o) {
            let x = &qs[x];
            if names_own_unit(owner) {
                shares.push(Share {
                    percent: pi,
                    part: o - 1,
                    num: bounds_of(x),
                    base: bounds_of(owner),
                    base_value: owner.value,
                    shown: format!("{}/{}", x.written, owner.written),
                    base_range: owner.span,
                    hedge,
                });
                continue;
            }
        }
        // 3. A part of an announced total.
        if p.share_of == Some(o) {
            let group_of_part = group_of_part.get_or_insert_with(|| super::first_group_of_part(groups));
            if let Some(group) = group_of_part.get(&o).map(|&g| &groups[g]) {
                let total = &qs[group.anchor];
                shares.push(Share::of_total(pi, o, owner, total, hedge));
                continue;
            }
        }
        // 4. A share whose base is implied.
        let first_of_clause = o == 0 || qs[o - 1].clause != owner.clause || qs[o - 1].sentence != owner.sentence;
        let measure = owner.unit.first().is_some_and(|u| ["tuổi", "năm", "tháng", "ngày", "giờ", "phút", "lần"].contains(&u.as_str()));
        if cue == Cue::Share && !owner.unit.is_empty() && !owner.unit_before && first_of_clause && !measure {
            if let Some(base) = previous_sentence_total(ctx, o, pi) {
                let total = &qs[base];
                shares.push(Share::of_total(pi, o, owner, total, hedge));
                continue;
            }
            if p.qualifier.is_empty() {
                loose.push(Loose { percent: pi, part: o, hedge, matches: Vec::new() });
            }
        }
    }

    // Explicit shares: each against its own base.
    let mut support: Vec<(Decimal, usize)> = Vec::new();
    for share in &shares {
        let p = &qs[share.percent];
        let Some(computed) = share.num.percent_of(&share.base) else { continue };
        let want = accepted(p.value, p.decimals, share.hedge);
        if want.meets(&computed) {
            support.push((share.base_value, share.part));
            continue;
        }
        if other_numerator_fits(qs, share, want) {
            continue;
        }
        findings.push(share_finding(ctx, share, computed));
    }

    // Implied bases: the stated counts before each loose share.
    for l in &mut loose {
        let p = &qs[l.percent];
        let part = &qs[l.part];
        let num = bounds_of(part);
        let want = accepted(p.value, p.decimals, l.hedge);
        let hundred = Decimal::ONE_HUNDRED;
        for q in qs[l.part.saturating_sub(BASE_WINDOW)..l.part].iter() {
            let (value, slash) = match q.kind {
                QuantityKind::Count if !is_change(q) && q.decimals == 0 && q.multiplier.is_none() => {
                    (q.value, slash_base(text, q).filter(|s| s.bounds.is_point()).map(|s| s.value))
                }
                QuantityKind::Fraction { denominator, .. } => (denominator, None),
                _ => continue,
            };
            for value in std::iter::once(value).chain(slash) {
                if value <= part.value || l.matches.contains(&value) {
                    continue;
                }
                // x/N·100 ∈ want, without a division: want.lo·N ≤ x.hi·100 and x.lo·100 ≤ want.hi·N.
                // Checked: amounts near Decimal's limit are no base, not a panic.
                let product = |a: Decimal, b: Decimal| a.checked_mul(b);
                let fits = match (product(want.lo, value), product(num.hi, hundred), product(num.lo, hundred), product(want.hi, value)) {
                    (Some(a), Some(b), Some(c), Some(d)) => a <= b && c <= d,
                    _ => false,
                };
                if fits {
                    l.matches.push(value);
                }
            }
        }
    }
    for l in &loose {
        for &value in &l.matches {
            support.push((value, l.part));
        }
    }
    // The base most shares of the paragraph agree with (counted once: linear in the shares).
    let mut tally: Vec<(Decimal, usize, Vec<Option<&String>>)> = Vec::new();
    for &(value, supporter) in &support {
        let head = qs[supporter].unit.first();
        let at = match tally.iter().position(|(v, _, _)| *v == value) {
            Some(at) => at,
            None if tally.len() < 64 => {
                tally.push((value, 0, Vec::new()));
                tally.len() - 1
            }
            None => continue,
        };
        let entry = &mut tally[at];
        entry.1 += 1;
        if !entry.2.contains(&head) && entry.2.len() < 16 {
            entry.2.push(head);
        }
    }
    tally.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    let consensus = match (tally.first(), tally.get(1)) {
        (Some(first), second) if first.1 >= 2 && second.is_none_or(|s| s.1 < first.1) => Some(first),
        _ => None,
    };
    for l in loose.iter().filter(|l| l.matches.is_empty()) {
        let part = &qs[l.part];
        let Some((value, _, heads)) = consensus else { break };
        let value = *value;
        // Shares of the same kind of thing ("đồng chí", "xã") confirm the base.
        if !heads.contains(&part.unit.first()) {
            continue;
        }
        let mut base_at = None;
        for q in qs[l.part.saturating_sub(BASE_WINDOW)..l.part].iter().rev() {
            let found = match q.kind {
                QuantityKind::Count if q.value == value && !is_change(q) => Some((q.written.clone(), q.span)),
                QuantityKind::Count => slash_base(text, q).filter(|s| s.value == value).map(|s| (s.written, s.range)),
                QuantityKind::Fraction { denominator, denominator_decimals } if denominator == value => {
                    Some((format_vi(denominator, denominator_decimals), q.span))
                }
                _ => None,
            };
            if found.is_some() {
                base_at = found;
                break;
            }
        }
        let Some((base_written, base_range)) = base_at else { continue };
        let share = Share {
            percent: l.percent,
            part: l.part,
            num: bounds_of(part),
            base: Bounds::point(value),
            base_value: value,
            shown: format!("{}/{}", part.written, base_written),
            base_range,
            hedge: l.hedge,
        };
        let want = accepted(qs[l.percent].value, qs[l.percent].decimals, l.hedge);
        if other_numerator_fits(qs, &share, want) {
            continue;
        }
        if let Some(computed) = share.num.percent_of(&share.base) {
            findings.push(share_finding(ctx, &share, computed));
        }
    }

    multiples(ctx, findings);
}

/// Whether another count of the percentage's sentence, among the [`NUMERATOR_WINDOW`] quantities before it, gives the stated percentage
/// over the same base ("29 TC (27 TC bắt buộc, 2 TC tự chọn, 22,1%)" of 131 credits): then the
/// numerator is unclear, and the rule says nothing.
fn other_numerator_fits(qs: &[Quantity], share: &Share, want: Bounds) -> bool {
    let Some(p) = qs.get(share.percent) else { return false };
    qs[..share.percent]
        .iter()
        .enumerate()
        .rev()
        .take(NUMERATOR_WINDOW)
        .take_while(|(_, q)| q.sentence == p.sentence)
        .filter(|(k, q)| *k != share.part && q.kind == QuantityKind::Count)
        .any(|(_, q)| bounds_of(q).percent_of(&share.base).is_some_and(|c| want.meets(&c)))
}

/// "X trong tổng số N": the index of X when quantity `o` is N.
fn in_total_of(text: &str, qs: &[Quantity], o: usize) -> Option<usize> {
    let owner = &qs[o];
    let x = o.checked_sub(1)?;
    let xq = &qs[x];
    if owner.kind != QuantityKind::Count || xq.kind != QuantityKind::Count || xq.clause != owner.clause || is_change(xq) {
        return None;
    }
    let link = text.get(xq.span.end..owner.range.start).and_then(words_between)?;
    let link: Vec<&str> = link.iter().map(String::as_str).collect();
    let linked = matches!(link.as_slice(), ["trong", "tổng", "số"] | ["trong", "số"] | ["trên", "tổng", "số"] | ["trong"]);
    let same_unit = xq.unit.is_empty() || xq.unit.first() == owner.unit.first();
    (linked && same_unit && xq.value <= owner.value && !is_change(owner)).then_some(x)
}

/// "Trong đó, … X unit, chiếm p% [base words]" right after a sentence stating the total: the
/// total is the last count of the sentence before with X's unit, when the share names nothing
/// that sentence does not.
fn previous_sentence_total(ctx: &BlockCtx<'_>, o: usize, pi: usize) -> Option<usize> {
    let qs = &ctx.facts.quantities;
    let part = &qs[o];
    let sentence = part.sentence;
    if sentence == 0 || (o > 0 && qs[o - 1].sentence == sentence) {
        return None;
    }
    // Looking back a bounded stretch keeps a long paragraph linear.
    let mut from = part.range.start.saturating_sub(1200);
    while !ctx.text.is_char_boundary(from) {
        from += 1;
    }
    let lead = ctx.text.get(from..part.range.start)?;
    let sentence_start = lead.rfind(['.', '!', '?', '\n'])? + 1;
    let opening = lead[sentence_start..].trim_start().to_lowercase();
    if !(opening.starts_with("trong đó") || opening.starts_with("trong số đó")) {
        return None;
    }
    let window = o.saturating_sub(BASE_WINDOW);
    let base = window
        + qs[window..o].iter().rposition(|q| {
            q.sentence + 1 == sentence
                && q.kind == QuantityKind::Count
                && !is_change(q)
                && q.value > part.value
                && q.unit.first() == part.unit.first()
        })?;
    // The base words of the share ("hộ cận nghèo toàn huyện") must all appear in that sentence.
    let previous_start = lead[..sentence_start.saturating_sub(1)].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let previous = lead[previous_start..sentence_start].to_lowercase();
    let ignore = ["số", "tổng", "toàn", "huyện", "tỉnh", "xã", "thành", "phố", "quận", "của", "trên", "địa", "bàn", "cả", "nước"];
    let named_all = qs[pi].qualifier.iter().all(|w| ignore.contains(&w.as_str()) || previous.contains(w.as_str()));
    named_all.then_some(base)
}

fn share_finding(ctx: &BlockCtx<'_>, share: &Share, computed: Bounds) -> Finding {
    let locale = ctx.locale;
    let p = &ctx.facts.quantities[share.percent];
    let value = computed.mid();
    let shown = format_vi(value, p.decimals.max(1));
    let stated = if share.hedge == Hedge::Exact { p.written.clone() } else { hedged(ctx, p) };
    let mut fixes = Vec::new();
    if share.hedge == Hedge::Exact {
        fixes.push(percent_fix(ctx, p, value));
    }
    let part = &ctx.facts.quantities[share.part];
    Finding::new(RuleCode::RatioMismatch, p.range, locale.pick(
            format!("{} = {shown}%, không khớp tỷ lệ {stated} đã ghi", share.shown),
            format!("{} = {shown}%, which does not match the stated {stated}", share.shown),
        )).with_severity(Severity::Warning).with_related(vec![
            Related { range: part.span, message: part.written.clone() },
            Related { range: share.base_range, message: locale.pick("cơ sở của tỷ lệ".into(), "the base of the ratio".into()) },
        ]).with_fixes(fixes)
}

/// The percentage with its hedge word, as written ("trên 28%").
fn hedged(ctx: &BlockCtx<'_>, p: &Quantity) -> String {
    let lead = ctx.text.get(..p.range.start).unwrap_or_default();
    let word: String =
        lead.trim_end().chars().rev().take_while(|c| crate::lexer::is_word_char(*c)).collect::<Vec<_>>().into_iter().rev().collect();
    if Hedge::of_word(&word.to_lowercase()).is_some() {
        format!("{word} {}", p.written)
    } else {
        p.written.clone()
    }
}

/// "Sửa thành r%": the stated percentage rewritten as computed, to its printed precision.
pub(super) fn percent_fix(ctx: &BlockCtx<'_>, p: &Quantity, value: Decimal) -> Fix {
    let replacement = format_vi(value, p.decimals);
    Fix {
        title: ctx.locale.pick(format!("Sửa thành {replacement}%"), format!("Change to {replacement}%")),
        edits: vec![Edit { range: TextRange::new(p.range.start, p.range.end.saturating_sub(1)), new_text: replacement }],
        preferred: true,
        snippet: false,
    }
}

/// "từ A lên B" ending at quantity `b`: the index of A, and A's bounds in B's scale.
fn from_to(ctx: &BlockCtx<'_>, b: usize) -> Option<(usize, Bounds)> {
    let qs = &ctx.facts.quantities;
    if b == 0 {
        return None;
    }
    let (a_q, b_q) = (&qs[b - 1], &qs[b]);
    if a_q.kind != QuantityKind::Count || b_q.kind != QuantityKind::Count || a_q.sentence != b_q.sentence {
        return None;
    }
    if a_q.pre.last().map(String::as_str) != Some("từ") {
        return None;
    }
    let between = words_between(ctx.text.get(a_q.span.end..b_q.range.start)?)?;
    if !matches!(between.last().map(String::as_str), Some("lên" | "xuống" | "còn")) || between.len() > 1 + a_q.unit.len() {
        return None;
    }
    if !a_q.unit.is_empty() && a_q.unit.first() != b_q.unit.first() {
        return None;
    }
    let mut a = bounds_of(a_q);
    // "từ 48,2 lên 61,5 triệu USD": A is in B's multiplier.
    if a_q.multiplier.is_none() && b_q.multiplier.is_some() {
        let printed = b_q.written.split_whitespace().next().and_then(parse_digits)?.value;
        if printed.is_zero() {
            return None;
        }
        let scale = b_q.value / printed;
        let half = if a_q.decimals > 0 { Decimal::new(5, a_q.decimals + 1) } else { Decimal::new(5, 1) };
        a = Bounds { lo: (a_q.value - half) * scale, hi: (a_q.value + half) * scale };
    }
    Some((b - 1, a))
}

/// A rate of change: "từ A lên B, tăng p%", "C …, giảm D …, tương ứng giảm p%", "C …, giảm p% (giảm D …)".
fn change(ctx: &BlockCtx<'_>, pi: usize, o: usize, up: bool, hedge: Hedge, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    let p = &qs[pi];
    if names_plan_or_period(&p.qualifier) && p.qualifier.first().is_none_or(|w| w != "so") {
        return;
    }
    let owner = &qs[o];
    // "từ A lên B, tăng p%".
    if let Some((a, from)) = from_to(ctx, o) {
        let to = bounds_of(owner);
        if (to.lo > from.hi) != up || from.lo <= Decimal::ZERO {
            return;
        }
        let delta = if up { to.minus(&from) } else { from.minus(&to) };
        let Some(computed) = delta.percent_of(&from) else { return };
        if accepted(p.value, p.decimals, hedge).meets(&computed) {
            return;
        }
        let a_q = &qs[a];
        let (vi, en) = if up { ("tăng", "increase") } else { ("giảm", "decrease") };
        let shown = format_vi(computed.mid(), p.decimals.max(1));
        // "từ 48,2 lên 61,5 triệu": both in the same scale, shown without the multiplier.
        let one_scale = a_q.multiplier.is_none() || a_q.multiplier == owner.multiplier;
        let number =
            |q: &Quantity| if one_scale { q.written.split_whitespace().next().unwrap_or_default().to_string() } else { q.written.clone() };
        let (an, bn) = (number(a_q), number(owner));
        let arithmetic = if up { format!("({bn} − {an})/{an}") } else { format!("({an} − {bn})/{an}") };
        findings.push(Finding::new(RuleCode::RatioMismatch, p.range, ctx.locale.pick(
                format!("Từ {} đến {}: {arithmetic} = {shown}%, không khớp mức {vi} {} đã ghi", a_q.written, owner.written, p.written),
                format!("From {} to {}: {arithmetic} = {shown}%, not the stated {en} of {}", a_q.written, owner.written, p.written),
            )).with_severity(Severity::Warning).with_related(vec![
                Related { range: a_q.span, message: a_q.written.clone() },
                Related { range: owner.span, message: owner.written.clone() },
            ]).with_fixes(if hedge == Hedge::Exact { vec![percent_fix(ctx, p, computed.mid())] } else { Vec::new() }));
        return;
    }
    // The current value C and the change D, in either order around the percentage.
    let (c, d) = if is_delta(owner, up) {
        let Some(c) = current_before(qs, o) else { return };
        (c, o)
    } else if !is_change(owner) {
        let Some(d) = qs.get(pi + 1) else { return };
        let gap = ctx.text.get(p.range.end..d.range.start).and_then(words_between);
        let adjacent = gap.is_some_and(|w| w.len() == 1);
        if !adjacent || d.sentence != p.sentence || !is_delta(d, up) {
            return;
        }
        (o, pi + 1)
    } else {
        return;
    };
    let (c_q, d_q) = (&qs[c], &qs[d]);
    if c_q.kind != QuantityKind::Count || is_change(c_q) || compatible(&c_q.unit, &d_q.unit, ctx.abbreviations).is_none() {
        return;
    }
    // A current value given with its own rate ("16.003 hộ, chiếm 19,93%"): the change may be in points.
    if qs.iter().skip(c + 1).take(6).any(|q| q.kind == QuantityKind::Percent && q.share_of == Some(c)) {
        return;
    }
    let current = bounds_of(c_q);
    let delta = bounds_of(d_q);
    let earlier = if up { current.minus(&delta) } else { current.plus(&delta) };
    let Some(computed) = delta.percent_of(&earlier) else { return };
    let want = accepted(p.value, p.decimals, hedge);
    // Precision first: a drafter who divided by the current value is not flagged either.
    if want.meets(&computed) || delta.percent_of(&current).is_some_and(|alt| want.meets(&alt)) {
        return;
    }
    let shown = format_vi(computed.mid(), p.decimals.max(1));
    let earlier_value = if up { c_q.value - d_q.value } else { c_q.value + d_q.value };
    let earlier_shown = format_vi(earlier_value, c_q.decimals.max(d_q.decimals));
    let sign = if up { "−" } else { "+" };
    let (vi, en) = if up { ("tăng", "increase") } else { ("giảm", "decrease") };
    let arithmetic = format!("{}/({} {sign} {}) = {}/{earlier_shown} = {shown}%", d_q.written, c_q.written, d_q.written, d_q.written);
    findings.push(Finding::new(RuleCode::RatioMismatch, p.range, ctx.locale.pick(
            format!("Mức {vi}: {arithmetic}, không khớp {} đã ghi", p.written),
            format!("The {en}: {arithmetic}, not the stated {}", p.written),
        )).with_severity(Severity::Warning).with_related(vec![Related { range: c_q.span, message: c_q.written.clone() }, Related { range: d_q.span, message: d_q.written.clone() }]).with_fixes(if hedge == Hedge::Exact { vec![percent_fix(ctx, p, computed.mid())] } else { Vec::new() }));
}

/// "tăng 60 đảng viên", "giảm 86 đơn vị": an absolute change in the given direction.
fn is_delta(q: &Quantity, up: bool) -> bool {
    let verb = if up { "tăng" } else { "giảm" };
    q.kind == QuantityKind::Count
        && !q.unit.is_empty()
        && q.pre.last().is_some_and(|w| w == verb || (w == "thêm" && up))
        && !q.qualifier.iter().any(|w| w == "lần")
}

/// The value a change is reported against: the closest earlier quantity of the sentence at the
/// change's parenthesis depth (parts in parentheses are skipped).
fn current_before(qs: &[Quantity], d: usize) -> Option<usize> {
    let change = &qs[d];
    let c = (0..d).rev().take(8).take_while(|&i| qs[i].sentence == change.sentence).find(|&i| qs[i].depth <= change.depth)?;
    (qs[c].kind == QuantityKind::Count && !is_change(&qs[c])).then_some(c)
}

/// "từ A lên B, gấp k lần": k against B/A.
fn multiples(ctx: &BlockCtx<'_>, findings: &mut Vec<Finding>) {
    let qs = &ctx.facts.quantities;
    for (k, times) in qs.iter().enumerate() {
        if times.kind != QuantityKind::Count || times.unit.first().map(String::as_str) != Some("lần") {
            continue;
        }
        let verb_at = times.pre.iter().rposition(|w| w == "gấp");
        if verb_at.is_none_or(|at| times.pre.len() - at > 2) || k == 0 {
            continue;
        }
        let b = k - 1;
        let Some(gap) = ctx.text.get(qs[b].span.end..times.range.start).and_then(words_between) else { continue };
        if gap.iter().any(|w| !["gấp", "khoảng", "gần", "hơn", "trên", "tăng", "tương", "ứng", "và", "là"].contains(&w.as_str()))
        {
            continue;
        }
        let Some((a, from)) = from_to(ctx, b) else { continue };
        let to = bounds_of(&qs[b]);
        let Some(ratio) = to.ratio_to(&from) else { continue };
        let hedge = Hedge::before(&times.pre);
        if accepted(times.value, times.decimals, hedge).meets(&ratio) {
            continue;
        }
        let shown = format_vi(ratio.mid(), times.decimals.max(1));
        let (a_q, b_q) = (&qs[a], &qs[b]);
        findings.push(Finding::new(RuleCode::RatioMismatch, times.range, ctx.locale.pick(
                format!("{}/{} = {shown} lần, không khớp “gấp {} lần” đã ghi", b_q.written, a_q.written, times.written),
                format!("{}/{} = {shown} times, not the stated “{} times”", b_q.written, a_q.written, times.written),
            )).with_severity(Severity::Warning).with_related(vec![
                Related { range: a_q.span, message: a_q.written.clone() },
                Related { range: b_q.span, message: b_q.written.clone() },
            ]).with_fixes(if hedge == Hedge::Exact {
                let replacement = format_vi(ratio.mid(), times.decimals);
                vec![Fix {
                    title: ctx.locale.pick(format!("Sửa thành {replacement}"), format!("Change to {replacement}")),
                    edits: vec![Edit { range: times.range, new_text: replacement }],
                    preferred: true,
                    snippet: false,
                }]
            } else {
                Vec::new()
            }));
    }
}

/// A change or comparison ("tăng 20 hồ sơ", "hơn 300 người", "so với cùng kỳ"), read from the
/// words next to the number only: a place name such as "Bình Giang" before it is not "bình quân".
fn is_change(q: &Quantity) -> bool {
    use crate::extract::window;
    let verb = ["tăng", "giảm", "hơn", "gấp", "thêm", "bớt", "thiếu", "lệch", "vượt"];
    q.pre.iter().rev().take(2).any(|w| verb.contains(&w.as_str()))
        || window(&q.pre, &["bình", "quân"])
        || window(&q.pre, &["so", "với"])
        || window(&q.qualifier, &["so", "với"])
        || window(&q.qualifier, &["cùng", "kỳ"])
        || q.qualifier.first().is_some_and(|w| w == "trước" || w == "ngoái")
}

/// The rule: stated ratios against their numbers in one block; the conclusion only places the
/// block's findings.
pub struct RatioMismatch;

local_rule!(RatioMismatch, |_: &Setup<'_>| RatioMismatch, |_rule, block, found| check(block, block.groups(), &mut found));
