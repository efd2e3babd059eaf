//! A deterministic generator of Vietnamese report drafts for the benchmarks.
//!
//! The text imitates what baocao-ls is written for: Roman and decimal headings, totals broken
//! into parts, fractions of a target count, shares in percent, counted lists, Markdown tables
//! with a "Tổng cộng" row, and citations of Party and state documents. Numbers vary from block
//! to block so that a large document is not a repeat of a few blocks (the analyser caches by
//! block content, so verbatim repeats would flatter it). Most sums are right, as in a real
//! draft; one block in about forty carries a deliberate error so the rules have work to report.
//!
//! Same size and line ending → byte-identical text on every run and machine.

/// A small xorshift generator: deterministic, no dependency, good enough to vary numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// `1250` → `1.250`: Vietnamese thousands separators.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    // The leading group has 1–3 digits; every later group has exactly 3.
    let head = match digits.len() % 3 {
        0 => digits.len().min(3),
        short => short,
    };
    let mut out = digits[..head].to_string();
    let mut at = head;
    while at < digits.len() {
        out.push('.');
        out.push_str(&digits[at..at + 3]);
        at += 3;
    }
    out
}

/// `part / whole` in percent with one decimal and a decimal comma: `72,0`.
fn percent(part: u64, whole: u64) -> String {
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{},{}", tenths / 10, tenths % 10)
}

const ROMAN: &[&str] = &["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

const SECTIONS: &[&str] = &[
    "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ",
    "CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ",
    "PHÁT TRIỂN KINH TẾ - XÃ HỘI",
    "CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG",
    "HẠN CHẾ, NGUYÊN NHÂN VÀ BÀI HỌC KINH NGHIỆM",
    "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TIẾP THEO",
];

const TOPICS: &[&str] = &[
    "Công tác cải cách hành chính",
    "Công tác phát triển đảng viên",
    "Công tác chuyển đổi số",
    "Công tác giải quyết khiếu nại, tố cáo",
    "Công tác xây dựng nông thôn mới",
    "Công tác giáo dục và đào tạo",
    "Công tác bảo đảm an sinh xã hội",
];

const PLACES: &[&str] = &["huyện Lục Ngạn", "thành phố Bắc Giang", "huyện Yên Thế", "thị xã Việt Yên", "huyện Tân Yên", "huyện Lạng Giang"];

const PROSE: &[&str] = &[
    "Các cấp ủy, tổ chức đảng đã tập trung lãnh đạo, chỉ đạo triển khai đồng bộ các nhiệm vụ, giải pháp; phát huy vai trò nêu gương của người đứng đầu, tạo chuyển biến rõ nét trong nhận thức và hành động của cán bộ, đảng viên.",
    "Công tác phối hợp giữa các cơ quan, đơn vị có lúc chưa chặt chẽ; việc theo dõi, đôn đốc thực hiện kết luận sau kiểm tra, giám sát ở một số nơi chưa thường xuyên, hiệu quả chưa cao.",
    "Việc ứng dụng công nghệ thông tin trong quản lý, điều hành được đẩy mạnh; hệ thống quản lý văn bản và điều hành được kết nối liên thông từ tỉnh đến cấp xã, góp phần rút ngắn thời gian xử lý công việc.",
    "Nguyên nhân chủ yếu của hạn chế là do một số cấp ủy chưa quan tâm đúng mức đến công tác kiểm tra, giám sát; năng lực của một bộ phận cán bộ làm công tác chuyên môn còn hạn chế, chưa đáp ứng yêu cầu nhiệm vụ trong tình hình mới.",
    "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội đã tích cực tuyên truyền, vận động đoàn viên, hội viên và Nhân dân thực hiện tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước, tham gia giám sát và phản biện xã hội.",
];

const CITATIONS: &[&str] = &[
    "Nghị quyết số 11-NQ/TW ngày 10/02/2022 của Bộ Chính trị",
    "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
    "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
    "Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII",
    "Quy định số 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương",
];

const TASKS: &[&str] = &[
    "nâng cao chất lượng sinh hoạt chi bộ",
    "đẩy mạnh cải cách thủ tục hành chính",
    "tăng cường kiểm tra, giám sát",
    "phát triển kinh tế số",
    "bảo đảm quốc phòng, an ninh",
    "nâng cao chất lượng nguồn nhân lực",
    "thu hút đầu tư vào khu công nghiệp",
];

/// Units that take a status breakdown: (unit, done, not done).
const BREAKDOWNS: &[(&str, &str, &str)] = &[
    ("hồ sơ", "giải quyết đúng hạn", "giải quyết trễ hạn"),
    ("đảng viên", "được xếp loại hoàn thành tốt nhiệm vụ", "được xếp loại hoàn thành nhiệm vụ"),
    ("đơn thư", "đã giải quyết xong", "đang tiếp tục giải quyết"),
    ("dự án", "đã hoàn thành", "đang triển khai"),
];

struct Writer {
    rng: Rng,
    out: String,
    line_break: &'static str,
    section: usize,
    subsection: usize,
    block: u64,
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str(self.line_break);
    }

    fn end_block(&mut self) {
        self.out.push_str(self.line_break);
        self.block += 1;
    }

    /// One block in about forty gets a number that does not add up.
    fn slip(&mut self) -> u64 {
        if self.rng.range(1, 40) == 1 {
            self.rng.range(1, 9)
        } else {
            0
        }
    }

    fn heading(&mut self) {
        let roman = ROMAN[self.section % ROMAN.len()];
        let title = SECTIONS[self.section % SECTIONS.len()];
        self.line(&format!("## {roman}. {title}"));
        self.end_block();
        self.section += 1;
        self.subsection = 0;
    }

    fn subheading(&mut self) {
        self.subsection += 1;
        let topic = self.rng.pick(TOPICS);
        self.line(&format!("### {}.{}. {topic}", self.section, self.subsection));
        self.end_block();
    }

    fn total_with_parts(&mut self) {
        let (unit, done, not_done) = BREAKDOWNS[(self.rng.next() % BREAKDOWNS.len() as u64) as usize];
        let total = self.rng.range(120, 25_000);
        let late = self.rng.range(1, total / 5);
        let on_time = total - late + self.slip();
        let citation = self.rng.pick(CITATIONS);
        let place = self.rng.pick(PLACES);
        let text = format!(
            "Thực hiện {citation}, {place} đã chỉ đạo quyết liệt. Tổng số {} {unit}, trong đó {} {unit} {done}, {} {unit} {not_done} (chiếm {}%). So với cùng kỳ năm trước, tăng {} {unit}.",
            thousands(total),
            thousands(on_time),
            thousands(late),
            percent(late, total),
            self.rng.range(2, 90),
        );
        self.line(&text);
        self.end_block();
    }

    fn fractions(&mut self) {
        let whole = self.rng.range(20, 60);
        let reached = self.rng.range(5, whole / 2);
        let on_track = whole - reached - self.rng.range(0, 3);
        self.line(&format!(
            "Về kết quả thực hiện các chỉ tiêu chủ yếu, đến nay có {reached}/{whole} chỉ tiêu đạt và vượt kế hoạch; {on_track}/{whole} chỉ tiêu đạt theo tiến độ; các chỉ tiêu còn lại đạt thấp, cần tập trung chỉ đạo trong thời gian tới."
        ));
        self.end_block();
    }

    fn counted_list(&mut self) {
        let count = self.rng.range(3, 5) as usize;
        let start = (self.rng.next() % TASKS.len() as u64) as usize;
        let items: Vec<&str> = (0..count).map(|i| TASKS[(start + i) % TASKS.len()]).collect();
        let said = count as u64 + if self.slip() > 0 { 1 } else { 0 };
        let year = self.rng.range(2021, 2025);
        self.line(&format!("Năm {year}, Ban Thường vụ xác định {said} nhiệm vụ trọng tâm, gồm: {}.", items.join("; ")));
        self.end_block();
    }

    fn bullet_list(&mut self) {
        let count = self.rng.range(2, 4) as usize;
        let start = (self.rng.next() % TASKS.len() as u64) as usize;
        self.line(&format!("Để khắc phục hạn chế, cần thực hiện tốt {count} giải pháp sau:"));
        for i in 0..count {
            let task = TASKS[(start + i) % TASKS.len()];
            self.line(&format!("- Tiếp tục {task} gắn với trách nhiệm của người đứng đầu;"));
        }
        self.end_block();
    }

    fn table(&mut self) {
        let rows = self.rng.range(3, 6) as usize;
        self.line("| Đơn vị | Số chi bộ | Số đảng viên |");
        self.line("|---|---:|---:|");
        let (mut branches, mut members) = (0, 0);
        for i in 0..rows {
            let b = self.rng.range(5, 90);
            let m = self.rng.range(100, 4_000);
            branches += b;
            members += m;
            let place = PLACES[(self.block as usize + i) % PLACES.len()];
            self.line(&format!("| Đảng bộ {place} | {b} | {} |", thousands(m)));
        }
        members += self.slip();
        self.line(&format!("| Tổng cộng | {branches} | {} |", thousands(members)));
        self.end_block();
    }

    /// Narrative without a breakdown. The opening clause varies (quarter, year, place, a
    /// number) so prose blocks are not verbatim repeats of each other.
    fn prose(&mut self) {
        let quarter = ROMAN[self.rng.range(0, 3) as usize];
        let year = self.rng.range(2021, 2025);
        let place = self.rng.pick(PLACES);
        let sessions = self.rng.range(12, 4_800);
        let first = self.rng.pick(PROSE);
        let second = self.rng.pick(PROSE);
        let text =
            format!("Trong quý {quarter} năm {year}, {place} tổ chức {} lượt sinh hoạt chuyên đề. {first} {second}", thousands(sessions));
        self.line(&text);
        self.end_block();
    }
}

/// A report of at least `bytes` bytes (it stops after the block that crosses the size),
/// with `\r\n` line breaks when `crlf`.
pub fn report(bytes: usize, crlf: bool) -> String {
    let mut w = Writer {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        out: String::with_capacity(bytes + 4_096),
        line_break: if crlf { "\r\n" } else { "\n" },
        section: 0,
        subsection: 0,
        block: 0,
    };
    w.line("# BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM 2024 VÀ PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025");
    w.end_block();
    while w.out.len() < bytes {
        if w.block % 40 == 1 {
            w.heading();
        }
        if w.block % 8 == 2 {
            w.subheading();
        }
        match w.rng.range(0, 9) {
            0 | 1 => w.total_with_parts(),
            2 => w.fractions(),
            3 => w.counted_list(),
            4 => w.bullet_list(),
            5 => w.table(),
            _ => w.prose(),
        }
    }
    w.out
}

/// The same text with one character changed near the middle: the first "và" after the middle
/// becomes "vá" (both two bytes in UTF-8, so block offsets after the edit do not move).
/// `None` when there is no "và" after the middle.
pub fn flip_middle(text: &str) -> Option<String> {
    let middle = (text.len() / 2..text.len()).find(|&i| text.is_char_boundary(i))?;
    let at = text[middle..].find(" và ").map(|i| middle + i + 1)?;
    let mut edited = String::with_capacity(text.len());
    edited.push_str(&text[..at]);
    edited.push_str("vá");
    edited.push_str(&text[at + "và".len()..]);
    Some(edited)
}

/// The same text with one paragraph per line and no blank lines (the shape of text exported
/// from a word processor).
pub fn one_paragraph_per_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}
