//! The grammar of one written Vietnamese syllable: onset + (medial) + nucleus + coda + tone,
//! with the spelling rules of the Quốc ngữ orthography (“k” before e/ê/i/y and “c” elsewhere,
//! “gh”/“ngh” before e/ê/i and “g”/“ng” elsewhere, “qu” for the labialised k, stop codas
//! c/ch/p/t only with the sắc or nặng tone) and the place of the tone mark (on the vowel with a
//! diacritic; otherwise on the last vowel of a closed syllable; on the first vowel of an open
//! two-vowel syllable, except “oa”, “oe”, “uy”, whose mark goes either way — the old or the new
//! style of `tone-mark-mixed`; on the middle vowel of three).
//!
//! Used by the `spelling` rule to tell a slip (“gíup”, “thưc”, “nghành”) from a syllable, and
//! to find the syllables one keystroke away from it.

use crate::config::ToneMarks;

/// Each vowel with its five toned forms, in the order ngang, sắc, huyền, hỏi, ngã, nặng.
const VOWELS: [&str; 12] =
    ["aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ"];

/// Written onsets, longest first so that the first prefix found is the right one.
const ONSETS: [&str; 27] = [
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s",
    "t", "v", "x",
];

/// Written rhymes (medial + nucleus + coda, without tone), the complete inventory of standard
/// Quốc ngữ plus the few loan rhymes of everyday text (“xoong”, “quốc”-type after “qu”).
const RHYMES: &[&str] = &[
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "âc", "âm", "ân",
    "âng", "âp", "ât", "âu", "ây", "e", "ec", "em", "en", "eng", "eo", "ep", "et", "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", "i",
    "ia", "ich", "im", "in", "inh", "ip", "it", "iu", "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu", "y", "yêm", "yên", "yêt", "yêu",
    "o", "oc", "oi", "om", "on", "ong", "op", "ot", "ooc", "oong", "ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", "ơ", "ơi", "ơm", "ơn",
    "ơp", "ơt", "u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut", "uôc", "uôi", "uôm", "uôn", "uông", "uôt", "ư", "ưa", "ưc", "ưi",
    "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm", "ươn", "ương", "ươp", "ươt", "ươu", "oa", "oac", "oach", "oai", "oam", "oan",
    "oang", "oanh", "oao", "oap", "oat", "oay", "oăc", "oăm", "oăn", "oăng", "oăt", "oe", "oen", "oeo", "oet", "uân", "uâng", "uât", "uây",
    "uê", "uêch", "uênh", "uy", "uya", "uych", "uynh", "uyt", "uyu", "uyên", "uyêt", "uơ",
];

/// Rhymes written only after “qu” (whose u is the medial): “quých”, “quỳnh”, “quýt”.
const QU_ONLY: [&str; 3] = ["ych", "ynh", "yt"];

/// The base letter and tone (0 ngang … 5 nặng) of a lowercase character, if it is a vowel.
pub fn vowel(c: char) -> Option<(char, u8)> {
    for row in VOWELS {
        if let Some(tone) = row.chars().position(|t| t == c) {
            return row.chars().next().map(|base| (base, tone as u8));
        }
    }
    None
}

fn toned(base: char, tone: u8) -> char {
    VOWELS.iter().find(|row| row.starts_with(base)).and_then(|row| row.chars().nth(usize::from(tone))).unwrap_or(base)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y')
}

/// One lowercase word taken apart: its letters without tone, its tone and where the mark sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spelled {
    pub letters: Vec<char>,
    pub tone: u8,
    /// Index in `letters` of the vowel that carries the mark (`None` for ngang).
    pub at: Option<usize>,
}

impl Spelled {
    /// Reads a lowercase word of Vietnamese letters (“Ð”/“ð”, the Latin Eth often typed for
    /// “Đ”, counts as “đ”: `unicode-nfd` reports the character itself). `None` for anything
    /// else, or two tone marks.
    pub fn read(word: &str) -> Option<Spelled> {
        let mut letters = Vec::with_capacity(word.len());
        let (mut tone, mut at) = (0, None);
        for c in word.chars() {
            let c = if c == 'ð' { 'đ' } else { c };
            if let Some((base, t)) = vowel(c) {
                if t != 0 {
                    if at.is_some() {
                        return None;
                    }
                    tone = t;
                    at = Some(letters.len());
                }
                letters.push(base);
            } else if c == 'đ' || (c.is_ascii_lowercase() && !matches!(c, 'f' | 'j' | 'w' | 'z')) {
                letters.push(c);
            } else {
                return None;
            }
        }
        Some(Spelled { letters, tone, at })
    }

    pub fn write(&self) -> String {
        self.letters.iter().enumerate().map(|(i, &c)| if Some(i) == self.at { toned(c, self.tone) } else { c }).collect()
    }
}

/// How the letters of a syllable divide: the onset's length and where the vowels run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parse {
    /// The vowels of the rhyme (the “i” of “gì”, “gìn” shared with the onset “gi” included).
    pub vowels: (usize, usize),
    /// Whether a consonant closes the syllable.
    pub closed: bool,
    /// Whether the coda is a stop (c, ch, p, t), which takes only the sắc or nặng tone.
    pub stop: bool,
}

fn starts_front(rhyme: &[char]) -> bool {
    matches!(rhyme.first(), Some('e' | 'ê' | 'i' | 'y'))
}

fn onset_allows(onset: &str, rhyme: &str, chars: &[char]) -> bool {
    let medial = ["oa", "oă", "oe", "uâ", "uê", "uy", "uơ"].iter().any(|m| rhyme.starts_with(m));
    match onset {
        "k" => starts_front(chars),
        "c" => !starts_front(chars) && !medial,
        "gh" | "ngh" => matches!(chars.first(), Some('e' | 'ê' | 'i')),
        "g" | "ng" => !starts_front(chars),
        "qu" => !matches!(chars.first(), Some('o' | 'u' | 'ư')) && (!rhyme.starts_with('i') || rhyme == "i"),
        "" => true,
        _ => !rhyme.starts_with("yê"),
    }
}

/// The parse of `letters` as a syllable, if they spell one (tone not considered).
pub fn parse(letters: &[char]) -> Option<Parse> {
    let word: String = letters.iter().collect();
    let rhyme_ok = |rhyme: &str| RHYMES.contains(&rhyme);
    for onset in ONSETS.iter().copied().chain([""]) {
        let Some(rest) = word.strip_prefix(onset) else { continue };
        let onset_len = onset.chars().count();
        let rest_chars: Vec<char> = rest.chars().collect();
        let mut found = None;
        if onset == "gi" {
            // “gia”, “giúp” (gi + rhyme) or “gì”, “gìn”, “giếng” (the i shared: gi + in, iêng).
            if !rest.is_empty() && rhyme_ok(rest) && !rest.starts_with('i') {
                found = Some((onset_len, rest_chars.clone()));
            } else if rhyme_ok(&format!("i{rest}")) {
                found = Some((1, std::iter::once('i').chain(rest_chars.iter().copied()).collect()));
            }
        } else if (rhyme_ok(rest) || (onset == "qu" && QU_ONLY.contains(&rest))) && onset_allows(onset, rest, &rest_chars) {
            found = Some((onset_len, rest_chars.clone()));
        }
        if onset.is_empty() && rest.starts_with("iê") {
            found = None;
        }
        if let Some((start, rhyme)) = found {
            let n_vowels = rhyme.iter().take_while(|c| is_vowel(**c)).count();
            let coda: String = rhyme[n_vowels..].iter().collect();
            return Some(Parse {
                vowels: (start, start + n_vowels),
                closed: !coda.is_empty(),
                stop: matches!(coda.as_str(), "c" | "ch" | "p" | "t"),
            });
        }
    }
    None
}

/// Where the tone mark of a parsed syllable goes: the place, and the other accepted place
/// (“hòa”/“hoà”, “thủy”/“thuỷ”) for open “oa”, “oe”, “uy”.
pub fn mark_places(letters: &[char], p: Parse) -> (usize, Option<usize>) {
    let (a, b) = p.vowels;
    let vowels = &letters[a..b];
    // “ươ”, “uơ”: the mark goes on ơ; otherwise on the (last) vowel with a diacritic.
    if let Some(i) = vowels.iter().rposition(|c| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')) {
        if vowels[i] == 'ư' && vowels.get(i + 1) == Some(&'ơ') {
            return (a + i + 1, None);
        }
        return (a + i, None);
    }
    match (vowels.len(), p.closed) {
        (0 | 1, _) => (a, None),
        (_, true) => (b - 1, None),
        (2, false) => {
            let pair: String = vowels.iter().collect();
            if matches!(pair.as_str(), "oa" | "oe" | "uy") {
                (a, Some(a + 1))
            } else {
                (a, None)
            }
        }
        _ => (a + 1, None),
    }
}

/// Whether the word is a valid syllable: letters, tone with its coda, and the mark's place.
pub fn is_valid(s: &Spelled) -> bool {
    let Some(p) = parse(&s.letters) else { return false };
    if p.stop && !matches!(s.tone, 1 | 5) {
        return false;
    }
    match s.at {
        None => true,
        Some(at) => {
            let (place, other) = mark_places(&s.letters, p);
            at == place || Some(at) == other
        }
    }
}

/// The kind of one-keystroke edit that leads from a slip to a candidate, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edit {
    /// The onset spelled by the rule of the next vowel (“nghành” → “ngành”, “kông” → “công”,
    /// “gé” → “ghé”).
    Onset,
    /// The same tone on another vowel (“gíup” → “giúp”).
    MoveMark,
    /// A tone added or changed (“thưc” → “thực”).
    Tone,
    /// A diacritic added or removed on one letter (“nuớc” → “nước”, “đ” ↔ “d”).
    Diacritic,
    /// A letter dropped (“nhưư” → “như”).
    Drop,
    /// A letter doubled (“xong” → “xoong”).
    Double,
    /// A missing letter typed (“nguyê” → “nguyên”).
    Insert,
}

fn diacritic_twins(c: char) -> &'static [char] {
    match c {
        'a' => &['ă', 'â'],
        'ă' => &['a', 'â'],
        'â' => &['a', 'ă'],
        'e' => &['ê'],
        'ê' => &['e'],
        'o' => &['ô', 'ơ'],
        'ô' => &['o', 'ơ'],
        'ơ' => &['o', 'ô'],
        'u' => &['ư'],
        'ư' => &['u'],
        'd' => &['đ'],
        'đ' => &['d'],
        _ => &[],
    }
}

/// The tone mark of a valid syllable put where the house style wants it (`tone-marks: new` →
/// “hoà”, otherwise the old “hòa” that state texts keep).
fn in_style(mut s: Spelled, style: ToneMarks) -> Spelled {
    if let (Some(_), Some(p)) = (s.at, parse(&s.letters)) {
        let (place, other) = mark_places(&s.letters, p);
        s.at = Some(match (style, other) {
            (ToneMarks::New, Some(o)) => o,
            _ => place,
        });
    }
    s
}

/// With the tone moved to where the syllable wants it (“gíup” → “giúp”), if only that is wrong.
fn remarked(s: &Spelled) -> Option<Spelled> {
    let p = parse(&s.letters)?;
    let (place, _) = mark_places(&s.letters, p);
    let fixed = Spelled { at: s.at.map(|_| place), ..s.clone() };
    is_valid(&fixed).then_some(fixed)
}

/// With the tone `tone` on the place the letters want (or none for ngang), if that is valid.
fn with_tone(letters: Vec<char>, tone: u8) -> Option<Spelled> {
    let p = parse(&letters)?;
    let at = (tone != 0).then(|| mark_places(&letters, p).0);
    let s = Spelled { letters, tone, at };
    is_valid(&s).then_some(s)
}

/// The word with its onset spelled the other way (k ↔ c, gh ↔ g, ngh ↔ ng), where that is valid.
fn respelled_onset(s: &Spelled) -> Vec<Spelled> {
    let word: String = s.letters.iter().collect();
    let mut out = Vec::new();
    for (from, to) in [("ngh", "ng"), ("ng", "ngh"), ("gh", "g"), ("g", "gh"), ("k", "c"), ("c", "k")] {
        if let Some(rest) = word.strip_prefix(from) {
            // “ch”, “kh”, “ngh” are onsets of their own, not “c”, “k”, “ng” + h.
            if rest.starts_with('h') && !from.ends_with('h') {
                continue;
            }
            let letters: Vec<char> = to.chars().chain(rest.chars()).collect();
            if let Some(c) = with_tone(letters, s.tone) {
                out.push(c);
            }
        }
    }
    out
}

/// The valid syllables one keystroke from an invalid one, best first, with the kind of edit;
/// the tone of each placed in `style`.
pub fn candidates(s: &Spelled, style: ToneMarks) -> Vec<(Spelled, Edit)> {
    let mut out: Vec<(Spelled, Edit)> = Vec::new();
    let push = |c: Option<Spelled>, edit: Edit, out: &mut Vec<(Spelled, Edit)>| {
        if let Some(c) = c {
            let c = in_style(c, style);
            if !out.iter().any(|(o, _)| *o == c) {
                out.push((c, edit));
            }
        }
    };
    for c in respelled_onset(s) {
        push(Some(c), Edit::Onset, &mut out);
    }
    if s.at.is_some() {
        push(remarked(s), Edit::MoveMark, &mut out);
    }
    // A tone added, changed or removed (the stop codas allow only sắc and nặng).
    for tone in [1, 5, 2, 3, 4, 0] {
        if tone != s.tone {
            push(with_tone(s.letters.clone(), tone), Edit::Tone, &mut out);
        }
    }
    let n = s.letters.len();
    for i in 0..n {
        for &twin in diacritic_twins(s.letters[i]) {
            let mut letters = s.letters.clone();
            letters[i] = twin;
            push(with_tone(letters, s.tone), Edit::Diacritic, &mut out);
        }
    }
    for i in 0..n {
        let mut letters = s.letters.clone();
        letters.remove(i);
        push(with_tone(letters, s.tone), Edit::Drop, &mut out);
    }
    for i in 0..n {
        let mut letters = s.letters.clone();
        letters.insert(i, s.letters[i]);
        push(with_tone(letters, s.tone), Edit::Double, &mut out);
    }
    for i in 0..=n {
        for c in "nghtcmpiuoaeyđdbklqrsvx".chars() {
            let mut letters = s.letters.clone();
            letters.insert(i, c);
            push(with_tone(letters, s.tone), Edit::Insert, &mut out);
        }
    }
    out.sort_by_key(|(_, e)| *e);
    out
}

/// Whether the consonants before the first vowel could be an onset and those after the last
/// a coda: “Krông”, “Hlốp”, “Đak”, “Pưh” are names from other languages, not slips.
pub fn vietnamese_shape(letters: &[char]) -> bool {
    let lead: String = letters.iter().take_while(|c| !is_vowel(**c)).collect();
    let tail: String = letters.iter().rev().take_while(|c| !is_vowel(**c)).collect::<Vec<_>>().into_iter().rev().collect();
    let onset = lead.is_empty() || lead == "q" || ONSETS.contains(&lead.as_str());
    let coda = matches!(tail.as_str(), "" | "c" | "ch" | "m" | "n" | "ng" | "nh" | "p" | "t");
    onset && coda && lead.len() < letters.len()
}

/// Whether the letters hold one run of vowels (“ôtô”, “karaoke” are several syllables or
/// foreign, not a slip of one).
pub fn one_vowel_run(letters: &[char]) -> bool {
    // The u of “qu” and the i of “gi” belong to the onset, but they sit next to the nucleus,
    // so they never start a second run.
    let mut runs = 0;
    let mut previous = false;
    for &c in letters {
        let v = is_vowel(c);
        if v && !previous {
            runs += 1;
        }
        previous = v;
    }
    runs == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(word: &str) -> bool {
        Spelled::read(word).is_some_and(|s| is_valid(&s))
    }

    fn best(word: &str, style: ToneMarks) -> Vec<String> {
        let s = Spelled::read(word).expect("letters");
        candidates(&s, style).into_iter().map(|(c, _)| c.write()).collect()
    }

    #[test]
    fn standard_syllables_are_valid() {
        let text = "thực hiện nghị quyết của đảng bộ tỉnh ủy giúp giữ gìn giếng gì quốc quyết quỳnh quýt khuya khuỷu \
                    ngoài ngoẹo hoàn toán xoong boong thuở huơ người đường nước giường giữa ghi ghế nghe nghiêng kiểm kỹ ký \
                    yêu yên uyên khuyên tuần xuân thuế huế hòa hoà khỏe khoẻ thủy thuỷ quý quả qua của mua chia kìa \
                    anh ánh ách ếch ông ốc ơi ưu hươu rượu khuây oẳn hoẵng ngoằn cuộc cuối ăn ắt ấy ạ ừ ờ gia giá giải \
                    giao gió giỏi giòn giấc giết pin phim ga xăng vắc xin đúng đắn sáng tạo đáng đán";
        for word in text.split_whitespace() {
            assert!(valid(word), "{word}");
        }
    }

    #[test]
    fn slips_are_invalid() {
        for word in ["gíup", "thưc", "nghành", "nuớc", "ngiệp", "kông", "cếch", "gé", "ngé", "ghà", "quoá", "tóan"] {
            assert!(!valid(word), "{word}");
        }
        // Stop codas: only sắc and nặng.
        for word in ["thưc", "hàt", "bảp", "mãch", "viêc"] {
            assert!(!valid(word), "{word}");
        }
    }

    #[test]
    fn tone_places() {
        // Both styles are valid for open oa/oe/uy; closed syllables and others have one place.
        assert!(valid("hòa") && valid("hoà") && valid("tủy") && valid("tuỷ"));
        assert!(!valid("hòan") && valid("hoàn"));
        assert!(valid("mùa") && !valid("muà"));
        assert!(valid("ngoài") && !valid("ngòai") && !valid("ngoaì"));
        assert!(valid("người") && !valid("ngừơi") && !valid("nguời"));
        assert!(valid("giúp") && !valid("gíup"));
        assert!(valid("quả") && !valid("qủa"));
    }

    #[test]
    fn candidates_are_ranked() {
        assert_eq!(best("gíup", ToneMarks::Majority)[0], "giúp");
        let thuc = best("thưc", ToneMarks::Majority);
        assert_eq!(&thuc[..2], ["thức", "thực"]);
        assert_eq!(best("nghành", ToneMarks::Majority)[0], "ngành");
        assert_eq!(best("qủa", ToneMarks::Majority)[0], "quả");
        assert_eq!(best("nuớc", ToneMarks::Majority)[0], "nước");
        assert!(best("nguyê", ToneMarks::Majority).contains(&"nguyên".to_string()));
        assert_eq!(best("kông", ToneMarks::Majority)[0], "công");
        assert_eq!(best("gé", ToneMarks::Majority)[0], "ghé");
        assert_eq!(best("tóan", ToneMarks::Majority)[0], "toán");
    }

    #[test]
    fn candidates_follow_the_house_style() {
        // “hòan” (a closed syllable) has one place; an open “oa” goes per the style.
        assert_eq!(best("hòan", ToneMarks::New)[0], "hoàn");
        assert_eq!(best("hòaa", ToneMarks::New)[0], "hoà");
        assert_eq!(best("hòaa", ToneMarks::Old)[0], "hòa");
    }

    #[test]
    fn reading_words() {
        assert_eq!(Spelled::read("ðảng").map(|s| s.write()), Some("đảng".to_string()));
        assert_eq!(Spelled::read("façade"), None);
        assert_eq!(Spelled::read("zalo"), None);
        assert_eq!(Spelled::read("hóá"), None);
        assert!(one_vowel_run(&Spelled::read("nguyễn").expect("letters").letters));
        assert!(!one_vowel_run(&Spelled::read("ôtô").expect("letters").letters));
        for name in ["krông", "hlốp", "đak", "pưh", "mrơn", "rsươm"] {
            assert!(!vietnamese_shape(&Spelled::read(name).expect("letters").letters), "{name}");
        }
        for word in ["nghành", "gíup", "thưc", "ấp", "quốc"] {
            assert!(vietnamese_shape(&Spelled::read(word).expect("letters").letters), "{word}");
        }
    }
}
