//! Totals and their parts within a sentence, shared by `total-mismatch` and `percent-mismatch`.
//!
//! An anchor is a quantity with an announcer ("tổng số", "trong đó", "gồm", "với N …, có").
//! Its parts are the later quantities of the same sentence and parenthesis depth whose unit is
//! compatible with the anchor's. A part that is itself an anchor ("6 chỉ tiêu đạt, trong đó
//! 2 chỉ tiêu vượt") absorbs the parts that follow it as long as they fit inside it, so a
//! nested breakdown is not summed twice.

use crate::extract::{Announcer, Quantity, QuantityKind};
use crate::rules::is_status;
use crate::units::{compatible, AbbreviationMap};

#[derive(Debug, Clone)]
pub struct Group {
    pub anchor: usize,
    /// Top-level parts, in order.
    pub parts: Vec<usize>,
    /// The parts are presented as a complete breakdown of the anchor.
    pub partition: bool,
}

/// The words that describe a part beyond the unit it shares with its total.
pub fn tail(anchor: &Quantity, part: &Quantity, common: usize) -> Vec<String> {
    let mut out: Vec<String> = part.unit.iter().skip(common).cloned().collect();
    if part.unit.is_empty() {
        let connectors = ["trong", "đó", "số", "có", "gồm", "bao", "và", "là", "với"];
        out.extend(part.pre.iter().filter(|w| !connectors.contains(&w.as_str())).cloned());
    }
    out.extend(part.qualifier.iter().cloned());
    // "hoàn thành xuất sắc nhiệm vụ 436 đồng chí": the status stands before the number.
    if out.is_empty() {
        let connectors = ["trong", "đó", "số", "có", "gồm", "bao", "và", "là", "với"];
        out.extend(part.pre.iter().filter(|w| !connectors.contains(&w.as_str())).cloned());
    }
    let _ = anchor;
    out
}

fn can_be_part(anchor: &Quantity, candidate: &Quantity, abbreviations: &AbbreviationMap) -> Option<usize> {
    if candidate.kind != QuantityKind::Count || candidate.comparison || candidate.depth != anchor.depth {
        return None;
    }
    if candidate.unit.is_empty() {
        // Elliptical part ("trong đó đúng hạn 700"): only with words describing it, and
        // only when the total's multiplier (if any) matches.
        let described =
            candidate.pre.iter().any(|w| !["trong", "đó", "số", "có", "gồm", "bao", "và", "là", "với", "còn"].contains(&w.as_str()));
        // The number must close its clause: "từ 30 đến 60 tuổi" is a range, not a part.
        return (described && candidate.qualifier.is_empty() && candidate.multiplier == anchor.multiplier).then_some(0);
    }
    compatible(&anchor.unit, &candidate.unit, abbreviations)
}

/// How many quantities around an anchor may belong to it: keeps huge sentences linear.
const WINDOW: usize = 60;

/// How many candidate wholes a breakdown found from its parts looks back over.
const NEAR: usize = 12;

/// All anchors of a block with their parts.
pub fn groups(quantities: &[Quantity], abbreviations: &AbbreviationMap) -> Vec<Group> {
    let mut out = Vec::new();
    for (a, anchor) in quantities.iter().enumerate() {
        let Some(announcer) = anchor.announcer else { continue };
        // A change or comparison ("tăng 300 đảng viên so với năm trước") is never a total.
        if anchor.kind != QuantityKind::Count || anchor.unit.is_empty() || anchor.comparison {
            continue;
        }
        // A breakdown nested in one part of a larger one ("6 chỉ tiêu đạt và vượt, trong đó
        // 2 chỉ tiêu vượt; 19 chỉ tiêu …"): its parts stay within its own semicolon segment and
        // fit inside it; whatever does not fit belongs to the outer breakdown.
        let nested = quantities[a.saturating_sub(WINDOW)..a].iter().any(|outer| {
            outer.announcer.is_some()
                && outer.sentence == anchor.sentence
                && outer.depth == anchor.depth
                && outer.kind == QuantityKind::Count
                && outer.value >= anchor.value
                && compatible(&outer.unit, &anchor.unit, abbreviations).is_some()
        });
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        let mut nested_sum = rust_decimal::Decimal::ZERO;
        for (j, candidate) in quantities.iter().enumerate().skip(a + 1).take(WINDOW) {
            if candidate.sentence != anchor.sentence {
                break;
            }
            if candidate.announcer == Some(Announcer::TotalWord) && candidate.depth == anchor.depth {
                break; // a new total starts
            }
            // An anchor after a semicolon is one item of a larger enumeration: its parts stay in
            // its segment ("…; đã giải quyết 1.180 hồ sơ, trong đó …; đang giải quyết 70 hồ sơ").
            if anchor.segment > 0 && candidate.segment != anchor.segment {
                break;
            }
            if let Some(common) = can_be_part(anchor, candidate, abbreviations) {
                if nested {
                    if candidate.segment != anchor.segment || nested_sum + candidate.value > anchor.value {
                        break;
                    }
                    nested_sum += candidate.value;
                }
                candidates.push((j, common));
            }
        }
        // A total stated after its parts: "có 18 chỉ tiêu đạt, 7 chỉ tiêu chưa đạt trên tổng số
        // 25 chỉ tiêu". Only with "trong/trên tổng số", and the parts must all name a status.
        let closing = announcer == Announcer::TotalWord
            && anchor.pre.len() >= 3
            && matches!(anchor.pre[anchor.pre.len() - 3].as_str(), "trong" | "trên")
            && anchor.pre[anchor.pre.len() - 2] == "tổng";
        if candidates.is_empty() && closing {
            let before: Vec<(usize, usize)> = (a.saturating_sub(WINDOW)..a)
                .filter(|&j| quantities[j].sentence == anchor.sentence && quantities[j].announcer.is_none())
                .filter_map(|j| can_be_part(anchor, &quantities[j], abbreviations).map(|common| (j, common)))
                .collect();
            let tails: Vec<Vec<String>> = before.iter().map(|&(j, common)| tail(anchor, &quantities[j], common)).collect();
            if !before.is_empty() && tails.iter().all(|t| is_status(t)) {
                let parts: Vec<usize> = before.iter().map(|&(j, _)| j).collect();
                out.push(Group { anchor: a, partition: parts.len() >= 2, parts });
            }
            continue;
        }
        if candidates.is_empty() {
            continue;
        }
        // Nested anchors absorb what follows them while it fits inside them.
        let mut parts = Vec::new();
        let mut tails = Vec::new();
        let mut skip_until = 0;
        for (pos, &(j, common)) in candidates.iter().enumerate() {
            if pos < skip_until {
                continue;
            }
            parts.push(j);
            tails.push(tail(anchor, &quantities[j], common));
            if quantities[j].announcer.is_some() {
                let mut sum = rust_decimal::Decimal::ZERO;
                let mut k = pos + 1;
                while k < candidates.len() {
                    let next = &quantities[candidates[k].0];
                    if next.segment != quantities[j].segment || sum + next.value > quantities[j].value {
                        break;
                    }
                    sum += next.value;
                    k += 1;
                }
                skip_until = k;
            }
        }
        let statuses = parts.len() >= 2 && tails.iter().all(|t| is_status(t));
        let partition = match announcer {
            Announcer::Partition => parts.len() >= 2,
            Announcer::TotalWord | Announcer::TrongDo | Announcer::VoiCo => statuses,
        };
        out.push(Group { anchor: a, parts, partition });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Breakdowns: wholes and their parts as real reports write them (used by total-mismatch).
// ---------------------------------------------------------------------------------------------

use crate::categories::{lexicon, Category};
use crate::extract::Cue;

/// How strictly the parts of a breakdown must add up to their whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A complete breakdown ("gồm", a colon, a parenthesis, "Cụ thể,"): the sum equals the whole.
    Exact,
    /// Parts that may overlap ("trong đó", "Trong số N …, có"): only parts from one closed set,
    /// a part larger than the whole, or a sum a few percent off the whole are findings.
    Subset,
}

#[derive(Debug, Clone)]
pub struct Breakdown {
    pub whole: usize,
    pub parts: Vec<usize>,
    pub mode: Mode,
    /// The list trails off ("…", "v.v."): the parts may be fewer than the whole.
    pub open: bool,
    /// Found through the parts' categories alone, without a cue: only their sum is checked.
    pub linked: bool,
}

/// How a part's unit relates to its whole's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Same unit ("hồ sơ" / "hồ sơ hợp lệ"); the words shared.
    Same(usize),
    /// A kind of the whole ("chi bộ cơ sở" of "tổ chức cơ sở đảng"): entry, kind, complete.
    Kind(usize, usize, bool),
    /// Both count people ("đồng chí" / "người") or both count cases ("đơn" / "vụ việc").
    Class,
    /// No unit, described by a label ("khiển trách 26").
    Labelled,
}

pub fn fit(whole: &Quantity, part: &Quantity, abbreviations: &AbbreviationMap) -> Option<Fit> {
    if part.kind != QuantityKind::Count || part.comparison || part.value.is_zero() && part.unit.is_empty() {
        return None;
    }
    if part.unit.is_empty() {
        let connectors = ["trong", "đó", "số", "có", "gồm", "bao", "và", "là", "với", "còn", "thì"];
        let described = part.label.iter().any(|w| !connectors.contains(&w.as_str()) && !w.bytes().all(|b| b.is_ascii_digit()));
        let closes = part.qualifier.is_empty() || matches!(part.qualifier[0].as_str(), "và" | "hoặc");
        // "đạt trung bình 3,95": a score or an average, not a count of the whole.
        let score = (part.decimals > 0 && whole.decimals == 0 && whole.multiplier.is_none())
            || part.label.iter().any(|w| w == "bình" || w == "điểm");
        return (described && closes && !score && part.multiplier == whole.multiplier).then_some(Fit::Labelled);
    }
    if whole.unit.is_empty() {
        return None;
    }
    let lx = lexicon();
    let wr = crate::units::expand(&whole.unit, abbreviations);
    let pr = crate::units::expand(&part.unit, abbreviations);
    let (ws, ps) = (crate::categories::strip_counter(&wr), crate::categories::strip_counter(&pr));
    let common = ws.iter().zip(ps.iter()).take_while(|(a, b)| a == b).count();
    if common >= ws.len().min(ps.len()).min(2) && common > 0 {
        return Some(Fit::Same(common + (pr.len() - ps.len())));
    }
    if let Some((e, k, complete)) = lx.kind_of(ws, ps) {
        return Some(Fit::Kind(e, k, complete));
    }
    if (lx.is_person(ws) && lx.is_person(ps)) || (lx.is_case(ws) && lx.is_case(ps)) {
        return Some(Fit::Class);
    }
    None
}

/// The category of a part within its whole: a closed-set member named by its label or its
/// unit's tail, or the kind its unit names.
pub fn category_of(part: &Quantity, fit: Fit) -> Option<Category> {
    let lx = lexicon();
    if let Fit::Kind(e, k, _) = fit {
        return Some(Category { set: 10_000 + e, member: k.to_string() });
    }
    let common = match fit {
        Fit::Same(c) => c,
        _ => 0,
    };
    let mut head: Vec<&str> = part.unit.iter().skip(common).map(String::as_str).collect();
    // The words after the unit up to the next coordinated item ("31 đồng chí và bầu …").
    // The words after the unit up to the next coordinated item ("31 đồng chí và bầu 267 …"); a
    // "và" inside a category stays ("đúng và trước hạn").
    let tail: Vec<&str> = part.tail.iter().take(10).map(String::as_str).collect();
    let cut = tail
        .iter()
        .position(|w| matches!(*w, "và" | "hoặc"))
        .filter(|&i| tail[i..].iter().any(|w| w.bytes().next().is_some_and(|b| b.is_ascii_digit())))
        .unwrap_or(tail.len());
    head.extend(tail[..cut].iter().copied());
    let label: Vec<&str> = part.label.iter().map(String::as_str).collect();
    lx.category(&label, &head).or_else(|| {
        // The label stops at another amount ("vốn bổ sung của 217 lượt dự án … là 4.606,9"); the
        // clause before the number may still name the category.
        let pre: Vec<&str> = part.pre.iter().map(String::as_str).collect();
        (pre.len() > label.len()).then(|| lx.category(&pre, &head)).flatten()
    })
}

/// Whether the part's words name an attribute that cuts across a breakdown ("nữ").
pub fn overlapping(part: &Quantity, fit: Fit) -> bool {
    let common = match fit {
        Fit::Same(c) => c,
        _ => 0,
    };
    let mut all: Vec<&str> = part.label.iter().map(String::as_str).collect();
    all.extend(part.unit.iter().skip(common.max(1)).map(String::as_str));
    all.extend(part.qualifier.iter().take(6).map(String::as_str));
    lexicon().overlaps(&all)
}

/// Whether the parts of one category set cover it, so that they must add up exactly.
pub fn set_complete(categories: &[Category]) -> bool {
    let Some(first) = categories.first() else { return false };
    if categories.iter().any(|c| c.set != first.set) {
        return false;
    }
    if first.set >= 10_000 {
        // Kinds: complete when the entry says two distinct kinds cover the whole.
        let mut kinds: Vec<&str> = categories.iter().map(|c| c.member.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        return kinds.len() >= 2 && kind_entry_complete(first.set - 10_000);
    }
    let present: Vec<&str> = categories.iter().map(|c| c.member.as_str()).collect();
    lexicon().complete(first.set, &present)
}

fn kind_entry_complete(entry: usize) -> bool {
    lexicon().kind_complete(entry)
}

/// All breakdowns of a block. Linear in the number of quantities (each whole looks at a
/// bounded window).
pub fn breakdowns(qs: &[Quantity], abbreviations: &AbbreviationMap) -> Vec<Breakdown> {
    let mut out: Vec<Breakdown> = Vec::new();
    let mut is_part = vec![false; qs.len()];
    let mut is_whole = vec![false; qs.len()];
    let fits = |w: usize, p: usize| -> Option<Fit> { fit(&qs[w], &qs[p], abbreviations) };
    // "thuộc nhóm 4 nước dẫn đầu", "trong top 10": a rank, not a whole.
    let can_be_whole = |q: &Quantity| {
        q.kind != QuantityKind::Percent
            // "nâng tổng vốn cấp mới và tăng thêm lên N": the words of what was added do not make
            // the closing total a comparison.
            && (!q.comparison || q.cue == Some(Cue::Closing))
            && q.value > rust_decimal::Decimal::ONE
            && !q.pre.last().is_some_and(|w| matches!(w.as_str(), "nhóm" | "top" | "tốp"))
    };

    // 1. Wholes with a cue after them, in the same sentence.
    for w in 0..qs.len() {
        let whole = &qs[w];
        let Some(cue) = whole.cue else { continue };
        if !can_be_whole(whole) {
            continue;
        }
        if let Some(inner) = whole.paren {
            let inside: Vec<usize> = (w + 1..qs.len().min(w + 1 + WINDOW))
                .take_while(|&j| qs[j].range.start < inner.end)
                .filter(|&j| qs[j].depth == whole.depth + 1 && qs[j].kind == QuantityKind::Count && !qs[j].comparison)
                .collect();
            // One number in parentheses is a remark ("(mục tiêu là nhóm 15 tỉnh)"), unless it is
            // announced as a subset ("(trong đó 4 …)").
            if inside.is_empty() || (inside.len() < 2 && cue != Cue::Subset) {
                continue;
            }
            let fit_all = |cand: usize| {
                inside.iter().all(|&j| {
                    if qs[cand].unit.is_empty() {
                        // "35 (có 07 đảng bộ và 26 chi bộ)": a whole without a unit takes parts of one kind set.
                        qs[j].kind == QuantityKind::Count && !qs[j].comparison
                    } else {
                        fits(cand, j).is_some()
                    }
                })
            };
            let mut owner = fit_all(w).then_some(w);
            // "421 tổ chức cơ sở đảng trực thuộc 12 đảng bộ cấp trên cơ sở (168 đảng bộ, 235 chi bộ
            // cơ sở)": parts of several kinds belong to the earlier whole they are kinds of.
            if owner.is_none() && inside.len() >= 2 {
                owner = (w.saturating_sub(4)..w)
                    .rev()
                    .filter(|&c| {
                        qs[c].sentence == whole.sentence && qs[c].depth == whole.depth && can_be_whole(&qs[c]) && !qs[c].unit.is_empty()
                    })
                    .find(|&c| fit_all(c));
            }
            if let Some(o) = owner {
                if qs[o].unit.is_empty() {
                    // Only kinds or members of one set make a unit-less whole's breakdown.
                    let cats: Vec<Option<Category>> = inside
                        .iter()
                        .map(|&j| {
                            let probe = qs.iter().rposition(|q| {
                                !q.unit.is_empty()
                                    && q.sentence == whole.sentence
                                    && q.depth == whole.depth
                                    && q.kind != QuantityKind::Percent
                                    && q.range.start < whole.range.start
                            });
                            probe.and_then(|pw| fits(pw, j)).and_then(|f| category_of(&qs[j], f))
                        })
                        .collect();
                    if inside.len() < 2 || cats.iter().any(Option::is_none) {
                        continue;
                    }
                }
                for &j in &inside {
                    is_part[j] = true;
                }
                is_whole[o] = true;
                out.push(Breakdown {
                    whole: o,
                    parts: inside,
                    mode: if cue == Cue::Subset { Mode::Subset } else { Mode::Exact },
                    open: whole.open_end,
                    linked: false,
                });
            }
            continue;
        }
        if cue == Cue::Closing {
            let before: Vec<usize> = (w.saturating_sub(WINDOW)..w)
                .filter(|&j| qs[j].sentence == whole.sentence && qs[j].depth == whole.depth && !is_part[j])
                .filter(|&j| matches!(fits(w, j), Some(Fit::Same(_))))
                .collect();
            // "… trên tổng số 25 chỉ tiêu": only parts that name the categories of one closed set.
            let by_set = crate::extract::ends_with(&whole.pre, &["tổng", "số"]);
            let cats: Vec<Option<Category>> = before.iter().map(|&j| fits(w, j).and_then(|f| category_of(&qs[j], f))).collect();
            let set_ok = cats.iter().all(Option::is_some) && set_complete(&cats.iter().flatten().cloned().collect::<Vec<_>>());
            let before = if before.len() >= 2 { before } else { named_components(qs, w, abbreviations).unwrap_or(before) };
            if before.len() >= 2 && (!by_set || set_ok) {
                for &j in &before {
                    is_part[j] = true;
                }
                is_whole[w] = true;
                out.push(Breakdown { whole: w, parts: before, mode: Mode::Exact, open: false, linked: false });
            }
            continue;
        }
        if whole.unit.is_empty() {
            continue;
        }
        // The last item of a list followed by "; trong đó": the subsets are of the list's whole.
        if is_part[w] && cue == Cue::Subset && qs.get(w + 1).is_some_and(|n| n.segment > whole.segment) {
            continue;
        }
        let mut parts = Vec::new();
        // Counts in the list that are not parts: a breakdown not fully understood.
        let mut unfit: Vec<usize> = Vec::new();
        let mut j = w + 1;
        while j < qs.len() && j <= w + WINDOW {
            let cand = &qs[j];
            if cand.sentence != whole.sentence {
                break;
            }
            // A share between the parts ("13.529 hồ sơ, chiếm 86,5%; 1.958 hồ sơ, …") belongs to
            // the part before it: it neither ends the list nor takes part in it.
            if cand.depth != whole.depth || cand.kind == QuantityKind::Percent && cand.share_of.is_some() {
                j += 1;
                continue;
            }
            // A later whole with its own cue in a later clause group starts its own breakdown.
            let own = cand.cue.is_some_and(|c| c != Cue::Closing) && cand.paren.is_none();
            if own && cand.segment > whole.segment && !parts.is_empty() && cand.cue == Some(Cue::Partition) {
                break;
            }
            if own && cand.segment > whole.segment && parts.is_empty() {
                break;
            }
            if cand.announcer == Some(crate::extract::Announcer::TotalWord) && cand.pre.first().is_some_and(|p| p == "tổng") {
                break;
            }
            // After "trong đó", the subsets stay in the clause group of the first one ("973 đảng
            // viên, trong đó 400 …; kết luận có 589 đảng viên vi phạm").
            let spans_groups = cue == Cue::Partition
                || whole.pre.iter().rev().take(3).any(|p| p == "trong")
                || whole.pre.first().is_some_and(|p| p == "với");
            // The first subset stands in the clause group of "trong đó" itself.
            if !spans_groups && parts.is_empty() && cand.segment != whole.cue_segment {
                break;
            }
            if !spans_groups && parts.first().is_some_and(|&f: &usize| qs[f].segment != cand.segment) {
                // …unless the later clause names another category of the same closed set
                // ("trong đó trước hạn có 13.529 hồ sơ, …; đúng hạn có 1.958 hồ sơ, …").
                let same_set = |a: usize, b: usize| {
                    let ca = fits(w, a).and_then(|f| category_of(&qs[a], f));
                    let cb = fits(w, b).and_then(|f| category_of(&qs[b], f));
                    matches!((ca, cb), (Some(x), Some(y)) if x.set == y.set && x.member != y.member)
                };
                // A nested whole's subsets never leave its own clause group.
                if is_part[w] || !same_set(parts[0], j) {
                    break;
                }
            }
            if fits(w, j).is_none() && cand.kind == QuantityKind::Count && !cand.comparison && !own {
                unfit.push(j);
            }
            if fits(w, j).is_some() {
                parts.push(j);
                // "gồm 85 xã, 14 phường và 3 đặc khu; trong đó có 79 xã …": after "; trong đó"
                // the outer list has ended, and what follows is a subset of the whole list.
                if own && cand.cue == Some(Cue::Subset) && qs.get(j + 1).is_some_and(|n| n.segment > cand.segment) {
                    break;
                }
                if own {
                    // A nested whole ("6 chỉ tiêu đạt, trong đó 2 vượt; 19 …"): what follows in its
                    // clause group and fits inside it is its own; after "; trong đó" the outer list ended.
                    let mut sum = rust_decimal::Decimal::ZERO;
                    let mut k = j + 1;
                    while k < qs.len() && k <= j + WINDOW && qs[k].sentence == whole.sentence {
                        if qs[k].depth == whole.depth && fits(j, k).is_some() {
                            if qs[k].segment != cand.segment || sum + qs[k].value > cand.value {
                                break;
                            }
                            sum += qs[k].value;
                        }
                        k += 1;
                    }
                    let after_semicolon =
                        qs.get(k).is_some_and(|n| n.segment > cand.segment) && cand.cue == Some(Cue::Subset) && k == j + 1;
                    j = k;
                    if after_semicolon {
                        break;
                    }
                    continue;
                }
            }
            j += 1;
        }
        if parts.is_empty() {
            continue;
        }
        // "3 buổi thi, gồm: 1 buổi thi môn Văn, 1 buổi thi môn Toán và 1 buổi tổ chức bài thi tự
        // chọn": a count between or right after the parts that does not fit leaves the sum unsure.
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        if cue == Cue::Partition && unfit.iter().any(|&u| (u > first && u < last) || (u == last + 1 && qs[u].segment == qs[last].segment)) {
            continue;
        }
        for &p in &parts {
            is_part[p] = true;
        }
        is_whole[w] = true;
        let open = qs[*parts.last().unwrap_or(&w)].open_end && qs[*parts.last().unwrap_or(&w)].open_end;
        out.push(Breakdown { whole: w, parts, mode: if cue == Cue::Partition { Mode::Exact } else { Mode::Subset }, open, linked: false });
    }

    // 2. A sentence opening with "Trong đó," / "Cụ thể," breaks down a whole of the sentence before.
    let mut s_first = 0;
    while s_first < qs.len() {
        let sentence = qs[s_first].sentence;
        let s_end = (s_first..qs.len()).find(|&j| qs[j].sentence != sentence).unwrap_or(qs.len());
        let opener = qs[s_first].opener;
        let previous_start = (s_first.saturating_sub(WINDOW)..s_first)
            .rev()
            .take_while(|&j| qs[j].sentence + 1 >= sentence && qs[j].sentence < sentence)
            .last();
        if let (Some(cue), Some(ps)) = (opener, previous_start) {
            let own_whole = qs[s_first].cue == Some(Cue::Partition);
            // The whole must be the only quantity of the sentence before that parts here fit, and
            // no part may be a whole described in turn ("huyện A gồm có 66 …").
            let described = (s_first..s_end).any(|j| qs[j].pre.iter().any(|w| w == "gồm"));
            let free = |j: usize| !is_part[j] && qs[j].depth == 0 && qs[j].kind == QuantityKind::Count && !qs[j].comparison;
            let wholes: Vec<(usize, Vec<usize>)> = (ps.max(s_first.saturating_sub(NEAR))..s_first)
                .filter(|&c| !is_part[c] && can_be_whole(&qs[c]) && qs[c].depth == 0 && !qs[c].unit.is_empty())
                .map(|c| (c, (s_first..s_end.min(s_first + 2 * NEAR)).filter(|&j| free(j) && fits(c, j).is_some()).collect::<Vec<_>>()))
                .filter(|(_, parts)| parts.iter().any(|&j| !qs[j].unit.is_empty()))
                .collect();
            if let (false, false, [(w, parts)]) = (own_whole, described, wholes.as_slice()) {
                let (w, parts) = (*w, parts.clone());
                for &p in &parts {
                    is_part[p] = true;
                }
                is_whole[w] = true;
                let open = parts.last().is_some_and(|&l| qs[l].open_end);
                out.push(Breakdown {
                    whole: w,
                    parts,
                    mode: if cue == Cue::Partition { Mode::Exact } else { Mode::Subset },
                    open,
                    linked: false,
                });
            }
        }
        s_first = s_end;
    }

    // 3. Parts of one closed set without a stated whole in their clause: the whole is the nearest
    // quantity before them (this sentence or the two before) that they fit.
    let mut s_first = 0;
    while s_first < qs.len() {
        let sentence = qs[s_first].sentence;
        let s_end = (s_first..qs.len()).find(|&j| qs[j].sentence != sentence).unwrap_or(qs.len());
        let free: Vec<usize> = (s_first..s_end)
            .filter(|&j| {
                !is_part[j]
                    && !is_whole[j]
                    && qs[j].depth == 0
                    && qs[j].kind == QuantityKind::Count
                    && !qs[j].comparison
                    && !qs[j].unit.is_empty()
                    || (!is_part[j]
                        && !is_whole[j]
                        && qs[j].depth == 0
                        && qs[j].unit.is_empty()
                        && qs[j].kind == QuantityKind::Count
                        && !qs[j].comparison)
            })
            .collect();
        // Only quantities that name a category can be parts found this way.
        let free: Vec<usize> = free
            .into_iter()
            .filter(|&j| category_of(&qs[j], Fit::Same(0)).is_some() || category_of(&qs[j], Fit::Same(qs[j].unit.len().min(2))).is_some())
            .collect();
        if free.len() >= 2 {
            let first_free = free[0];
            let lower = (first_free.saturating_sub(WINDOW)..first_free)
                .rev()
                .take_while(|&c| qs[c].sentence + 2 >= sentence)
                .last()
                .unwrap_or(first_free);
            let candidates = (lower..first_free)
                .rev()
                .filter(|&c| !is_part[c] && can_be_whole(&qs[c]) && qs[c].depth == 0 && !qs[c].unit.is_empty())
                .take(NEAR);
            for w in candidates {
                // In the same sentence the parts must share the whole's noun or name its kinds;
                // people counted with another noun ("đồng chí" for "đảng viên") only across sentences.
                let same_sentence = qs[w].sentence == sentence;
                let fitting: Vec<(usize, Category)> = free
                    .iter()
                    .filter_map(|&j| {
                        fits(w, j)
                            .filter(|f| !same_sentence || !matches!(f, Fit::Class | Fit::Labelled))
                            .and_then(|f| category_of(&qs[j], f))
                            .map(|c| (j, c))
                    })
                    .collect();
                if fitting.len() < 2 {
                    continue;
                }
                // The set most of the parts belong to.
                let set = fitting[0].1.set;
                let mut parts: Vec<usize> = fitting.iter().filter(|(_, c)| c.set == set).map(|(j, _)| *j).collect();
                if parts.len() < 2 {
                    continue;
                }
                // The whole's own qualifier word ("124 vụ việc TC") picks its parts among parts
                // of two wholes ("5 vụ KN đúng, … 24 vụ TC đúng").
                if let Some(key) = qs[w].qualifier.first() {
                    let has = |j: usize| qs[j].qualifier.iter().take(2).any(|x| x == key) || qs[j].unit.iter().any(|x| x == key);
                    if parts.iter().any(|&j| has(j)) && parts.iter().any(|&j| !has(j)) {
                        parts.retain(|&j| has(j));
                    }
                }
                // At least two distinct members: "29 xã đạt …; 47 xã đạt …" is no breakdown.
                let mut members: Vec<String> = fitting.iter().filter(|(j, _)| parts.contains(j)).map(|(_, c)| c.member.clone()).collect();
                members.sort_unstable();
                members.dedup();
                if members.len() < 2 {
                    break;
                }
                if parts.len() < 2
                    || parts.iter().any(|&j| {
                        category_of(&qs[j], fits(w, j).unwrap_or(Fit::Labelled))
                            .is_some_and(|c| Some(&c) == category_of(&qs[w], Fit::Same(0)).as_ref())
                    })
                {
                    break;
                }
                for &p in &parts {
                    is_part[p] = true;
                }
                let open = parts.last().is_some_and(|&l| qs[l].open_end);
                out.push(Breakdown { whole: w, parts, mode: Mode::Subset, open, linked: true });
                break;
            }
        }
        s_first = s_end;
    }
    out
}

/// "… vốn đăng ký cấp mới là 7.256,8 triệu USD; … vốn đăng ký tăng thêm 4.924,54 triệu USD,
/// nâng tổng vốn đăng ký cấp mới và tăng thêm lên 12.181,35 triệu USD": the closing total names
/// its two components, joined by "và"; each is the nearest earlier amount of the same unit whose
/// label ends with that component's last two words (an increase counts: it is what was added).
fn named_components(qs: &[Quantity], w: usize, abbreviations: &AbbreviationMap) -> Option<Vec<usize>> {
    let whole = &qs[w];
    let pre = &whole.pre;
    let start = pre.iter().position(|x| x == "tổng")? + 1;
    let end = pre.iter().rposition(|x| x == "lên")?;
    let named = pre.get(start..end)?;
    let and = named.iter().position(|x| x == "và")?;
    let (first, second) = (&named[..and], &named[and + 1..]);
    if first.len() < 2 || second.len() < 2 || second.contains(&"và".to_string()) {
        return None;
    }
    let connectors = ["là", "đạt", "được", "có"];
    let label_ends_with = |q: &Quantity, words: &[String]| {
        let label: Vec<&String> = q.label.iter().filter(|x| !connectors.contains(&x.as_str())).collect();
        let tail = &words[words.len() - 2..];
        label.len() >= 2 && label[label.len() - 2..].iter().zip(tail).all(|(a, b)| *a == b)
    };
    let mut parts = Vec::new();
    for component in [first, second] {
        let found = (w.saturating_sub(WINDOW)..w).rev().find(|&j| {
            let q = &qs[j];
            q.sentence == whole.sentence
                && q.kind == QuantityKind::Count
                && q.multiplier == whole.multiplier
                && compatible(&whole.unit, &q.unit, abbreviations).is_some()
                && label_ends_with(q, component)
        })?;
        if parts.contains(&found) {
            return None;
        }
        parts.push(found);
    }
    parts.sort_unstable();
    Some(parts)
}
