//! The word lists the quantity reader consults: identifiers, unit stops, noun compounds,
//! comparisons, number words, years and places.

use super::*;

/// Words after which a number is an identifier, not an amount ("Điều 5", "lần 2", "thứ 12").
pub(super) const IDENTIFIER_BEFORE: &[&str] = &[
    "điều",
    "khoản",
    "điểm",
    "mục",
    "chương",
    "phần",
    "lục",
    "biểu",
    "bảng",
    "thứ",
    "lần",
    "kỳ",
    "khóa",
    "khoá",
    "tuần",
    "tháng",
    "quý",
    "ngày",
    "giờ",
    "phòng",
    "tầng",
    "đường",
    "lộ",
    "km",
    "lô",
    "tổ",
    "ấp",
    "thôn",
    "khu",
    "phường",
    "quận",
    "xóm",
    "đội",
    "hình",
    "trang",
    "câu",
    "bước",
    "đợt",
    "khối",
    "lớp",
    "mẫu",
    "top",
    "hạng",
    "kênh",
    "hotline",
    "điện",
    "thoại",
    "fax",
    "mã",
    "phiên",
    "vòng",
    "hiệu",
    "vực",
    "ký",
    "lúc",
    "sáng",
    "chiều",
    "tối",
    "trưa",
    "đêm",
    "năm",
];

/// Words that end the unit of a quantity: the start of a predicate or a qualifier.
pub(super) const UNIT_STOP: &[&str] = &[
    "đạt", "vượt", "chưa", "không", "được", "đã", "đang", "sẽ", "là", "có", "của", "trong", "tại", "với", "và", "hoặc", "hay", "so",
    "chiếm", "bằng", "trên", "dưới", "theo", "thuộc", "ở", "do", "cho", "về", "từ", "đến", "tới", "nhằm", "để", "bị", "gồm", "bao", "như",
    "sau", "trước", "này", "đó", "đều", "còn", "cần", "phải", "nhưng", "mà", "thì", "nên", "vì", "khi", "nếu", "tăng", "giảm", "dự",
    "hoàn", "đề", "trở", "thực", "triển", "tham", "ra", "vào", "lên", "xuống", "nữa", "khác", "nhất", "cùng", "ước", "gấp", "hơn", "đúng",
    "trễ", "quá", "chậm", "hợp", "mới", "đi", "lại", "cả", "tất", "mỗi", "khó", "tán", "từng", "riêng", "chung", "tổng", "cụ", "gần",
    "khoảng", "hiện", "nay", "đây", "năm", "tìm", "kết",
];

/// Nouns whose first syllable is otherwise a unit stop word: "dự án", "đề án", "hợp tác xã".
pub(super) const NOUN_COMPOUNDS: &[(&str, &str)] = &[
    ("dự", "án"),
    ("dự", "toán"),
    ("đề", "án"),
    ("đề", "tài"),
    ("đề", "xuất"),
    ("hợp", "tác"),
    ("hợp", "đồng"),
    ("trung", "tâm"),
    ("cùng", "cấp"),
    ("thực", "thể"),
    ("tham", "luận"),
    ("hoàn", "cảnh"),
    ("chậm", "tiến"),
    // "kết nạp" (admitted) ends a unit; these nouns open one.
    ("kết", "quả"),
    ("kết", "luận"),
    ("kết", "nối"),
    ("kết", "cấu"),
];

/// Nouns whose second syllable is otherwise a unit stop word: "trường hợp", "chi bộ trực thuộc",
/// "hội nghị chuyên đề". The unit is the whole noun phrase the drafter wrote.
pub(super) const ENDING_COMPOUNDS: &[(&str, &str)] = &[("trường", "hợp"), ("trực", "thuộc"), ("chuyên", "đề")];

/// Words before a number that make it a change or a comparison, not a part.
pub(super) const COMPARISON: &[&str] = &["tăng", "giảm", "hơn", "gấp", "trước", "ngoái", "bình", "mỗi", "thêm", "bớt", "thiếu", "lệch"];

/// Number words that may open a number in words.
pub(super) const NUMBER_WORDS: &[&str] = &["hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười", "một"];

/// Words after "một" that make it "a", "some" or "one of", not the amount 1.
pub(super) const MOT_NOT_ONE: &[&str] = &[
    "số", "vài", "cách", "trong", "phần", "bộ", "chút", "mặt", "lúc", "thời", "khi", "mình", "loạt", "hệ", "lòng", "nửa", "khác", "khi",
    "lần", "ít", "nào", "khía", "dấu", "chiều", "sự", "điều", "việc", "người", "tấm", "nền",
];

/// Words after "năm" (or before it) that make it "year", not five.
pub(super) const NAM_YEAR_NEXT: &[&str] = &[
    "nay", "qua", "tới", "sau", "trước", "học", "đó", "này", "ấy", "nào", "liền", "liên", "tài", "kế", "rồi", "thứ", "tháng", "đầu",
    "cuối", "kia", "ngoái", "là", "mới", "gần", "đây", "và", "hoặc", "trở", "thực", "kỷ",
];

pub(super) const NAM_YEAR_PREV: &[&str] = &[
    "các", "mỗi", "hằng", "hàng", "trong", "những", "nhiều", "cả", "từng", "vài", "mấy", "của", "sau", "trước", "cuối", "đầu", "giữa",
    "qua", "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười", "mươi", "một", "lăm", "cùng", "kỳ", "tết", "trăm", "nghìn", "đến",
    "tới", "từ", "vào", "là",
];

/// Words before a four-digit number that make it a year.
pub(super) const YEAR_BEFORE: &[&str] = &[
    "năm", "giai", "đoạn", "kỳ", "từ", "đến", "tới", "cuối", "đầu", "giữa", "trước", "sau", "khóa", "khoá", "quý", "tháng", "vào", "trong",
    "của", "niên", "mùa", "vụ", "hè", "xuân", "tết",
];

/// Nouns of places, whose lists are lists of names.
pub(super) const PLACE_NOUNS: &[&str] = &["tỉnh", "xã", "phường", "huyện", "quận", "thị", "thôn", "bản", "nước", "quốc", "đặc"];

/// How far (in tokens) a pattern looks ahead or back. Keeps extraction linear on huge sentences.
pub(super) const LOOKAHEAD: usize = 200;

pub(super) fn is_percent_sign(token: &Token) -> bool {
    token.is_punct('%')
}
