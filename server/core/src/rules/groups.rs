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
