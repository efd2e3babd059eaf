//! List numbering from `word/numbering.xml`: the prefix ("1.", "a)", "-") a drafter sees
//! before a numbered paragraph. Formats: decimal (and zero-padded decimal), lower/upper letter,
//! lower/upper roman, bullet (shown as "-"); any other format is shown as decimal. Numbering
//! that comes from a paragraph style (not from the paragraph's own `w:numPr`) is not rendered.

use quick_xml::events::Event;
use quick_xml::Reader;
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Numbering {
    /// abstractNumId → levels by ilvl.
    abstracts: FxHashMap<String, FxHashMap<u32, Level>>,
    /// numId → abstractNumId.
    nums: FxHashMap<String, String>,
    /// Counters by abstract list and level (Word continues a list across its num instances).
    counters: FxHashMap<String, Vec<u32>>,
}

fn local(name: &[u8]) -> &[u8] {
    super::local(name)
}

impl Numbering {
    pub(crate) fn parse(xml: &str) -> Result<Numbering, quick_xml::Error> {
        let mut reader = Reader::from_str(xml);
        let mut out = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(u32, Level)> = None;
        let mut num_id: Option<String> = None;
        loop {
            let event = reader.read_event()?;
            let (e, is_start) = match &event {
                Event::Eof => break,
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match local(e.name().as_ref()) {
                        b"abstractNum" => abstract_id = None,
                        b"lvl" => {
                            if let (Some(a), Some((ilvl, lvl))) = (&abstract_id, level.take()) {
                                out.abstracts.entry(a.clone()).or_default().insert(ilvl, lvl);
                            }
                        }
                        b"num" => num_id = None,
                        _ => {}
                    }
                    continue;
                }
                _ => continue,
            };
            let val = || super::attr(e, b"val");
            match local(e.name().as_ref()) {
                b"abstractNum" if is_start => abstract_id = super::attr(e, b"abstractNumId"),
                b"lvl" if is_start => {
                    let ilvl = super::attr(e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((ilvl, Level { format: "decimal".into(), text: String::new(), start: 1 }));
                }
                b"start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = val().unwrap_or_default();
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = val().unwrap_or_default();
                    }
                }
                b"num" if is_start => num_id = super::attr(e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(n), Some(a)) = (&num_id, val()) {
                        out.nums.insert(n.clone(), a);
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// The prefix of the next paragraph of list `num_id` at level `ilvl`, with a trailing space;
    /// empty when the list is unknown (or `numId` 0, which means "no numbering").
    pub(crate) fn next(&mut self, num_id: &str, ilvl: &str) -> String {
        let ilvl: u32 = ilvl.parse().unwrap_or(0).min(8);
        let Some(abstract_id) = self.nums.get(num_id) else { return String::new() };
        let Some(levels) = self.abstracts.get(abstract_id) else { return String::new() };
        let counters = self.counters.entry(abstract_id.clone()).or_insert_with(|| vec![0; 9]);
        let i = ilvl as usize;
        let start = |l: u32| levels.get(&l).map_or(1, |lvl| lvl.start);
        counters[i] = if counters[i] == 0 { start(ilvl) } else { counters[i] + 1 };
        for c in counters.iter_mut().skip(i + 1) {
            *c = 0;
        }
        let Some(level) = levels.get(&ilvl) else { return String::new() };
        if level.format == "bullet" {
            return "- ".to_string();
        }
        if level.format == "none" {
            return String::new();
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let l = d.saturating_sub(1);
                    let value = counters.get(l as usize).copied().filter(|&v| v > 0).unwrap_or_else(|| start(l));
                    let format = levels.get(&l).map_or("decimal", |lvl| lvl.format.as_str());
                    out.push_str(&render(value, format));
                    continue;
                }
            }
            out.push(ch);
        }
        if out.is_empty() {
            return String::new();
        }
        out.push(' ');
        out
    }
}

fn render(value: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(value, b'a'),
        "upperLetter" => letters(value, b'A'),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        "decimalZero" if value < 10 => format!("0{value}"),
        _ => value.to_string(),
    }
}

/// a, b, … z, aa, bb, … as Word counts letters.
fn letters(value: u32, base: u8) -> String {
    if value == 0 {
        return String::new();
    }
    let letter = (base + ((value - 1) % 26) as u8) as char;
    letter.to_string().repeat(((value - 1) / 26 + 1) as usize)
}

fn roman(mut value: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (n, s) in TABLE {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}
