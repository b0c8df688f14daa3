"""The words the mention finders know, grouped by concept: one place to read and extend them.

Everything is written in the old tone-mark style (ủy, hòa, khóa): the finders match against text folded
to that style (transforms.text.fold_tone_marks), so "Tỉnh uỷ" and "Tỉnh ủy" both match "Tỉnh ủy".
Phrases are plain strings; the finders escape them and join them longest first.
"""

from __future__ import annotations

# -- documents ---------------------------------------------------------------------------------------------

# Kinds of document, as they open a citation ("Nghị quyết số 20-NQ/TW").
DOCUMENT_KINDS = (
    "Chương trình hành động", "Chương trình", "Nghị quyết liên tịch", "Nghị quyết", "Kết luận", "Chỉ thị",
    "Quyết định", "Công điện", "Kế hoạch", "Thông báo kết luận", "Thông báo", "Nghị định",
    "Thông tư liên tịch", "Thông tư", "Luật", "Bộ luật", "Pháp lệnh", "Đề án", "Công văn", "Quy định",
    "Hướng dẫn", "Quy chế", "Lệnh", "Sắc lệnh", "Thông tri",
)
# The type code inside a number ("NQ" in 20-NQ/TW) → the kind it names, for numbers cited without a kind.
DOCUMENT_CODES = {
    "NQ": "Nghị quyết", "KL": "Kết luận", "CT": "Chỉ thị", "QĐ": "Quyết định", "CĐ": "Công điện",
    "KH": "Kế hoạch", "TB": "Thông báo", "NĐ": "Nghị định", "TT": "Thông tư", "CTr": "Chương trình hành động",
    "ĐA": "Đề án", "CV": "Công văn", "QĐi": "Quy định", "HD": "Hướng dẫn", "QC": "Quy chế",
    "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch", "QH": "Luật", "L": "Luật",
}
# Party numbers ("20-NQ/TW"): the issuer the part after the slash implies, per type code (None: any code).
PARTY_ISSUERS = {
    ("TW", "NQ"): "Ban Chấp hành Trung ương Đảng",
    ("TW", "KL"): "Bộ Chính trị",
    ("TW", "CT"): "Bộ Chính trị",
    ("TW", "QĐ"): "Bộ Chính trị",
    ("TW", "TB"): "Ban Bí thư",
    ("TW", "HD"): "Ban Tổ chức Trung ương",
    ("TW", None): "Trung ương",
    ("TU", None): "Tỉnh ủy",
    ("TƯ", None): "Trung ương",
    ("HU", None): "Huyện ủy",
    ("TU-BTV", None): "Ban Thường vụ Tỉnh ủy",
    ("ĐU", None): "Đảng ủy",
}
# State numbers ("2345/QĐ-UBND"): the issuer the part after the dash implies.
STATE_ISSUERS = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "UBND": "UBND tỉnh", "HĐND": "HĐND tỉnh",
    "BCT": "Bộ Công Thương", "BTC": "Bộ Tài chính", "BYT": "Bộ Y tế", "BCA": "Bộ Công an",
    "BNV": "Bộ Nội vụ", "BXD": "Bộ Xây dựng", "BGDĐT": "Bộ Giáo dục và Đào tạo", "BTP": "Bộ Tư pháp",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BGTVT": "Bộ Giao thông vận tải", "BQP": "Bộ Quốc phòng",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội", "VPCP": "Văn phòng Chính phủ", "NHNN": "Ngân hàng Nhà nước",
}
LAW_ISSUER = "Quốc hội"  # a number ending in QH15 ("31/2024/QH15") is a law or a resolution of the Assembly
# Issuers below the centre: their numbers restart in every province, so "143-NQ/TU" names one document per province.
LOCAL_ISSUERS = frozenset({"Tỉnh ủy", "Huyện ủy", "Ban Thường vụ Tỉnh ủy", "Đảng ủy", "UBND tỉnh", "HĐND tỉnh"})

# -- meetings ------------------------------------------------------------------------------------------------

MEETING_KINDS = {"hội nghị": "Hội nghị", "kỳ họp": "Kỳ họp", "phiên họp": "Phiên họp"}
MEETING_VERBS = ("tổ chức", "tiến hành", "khai mạc", "bế mạc", "họp", "triệu tập")

# -- numbers in words --------------------------------------------------------------------------------------

NUMBER_WORDS = {
    "một": 1, "mốt": 1, "nhất": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10, "mươi": 10,
}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

# -- figures -------------------------------------------------------------------------------------------------

# Units, longest first where one is the start of another ("nghìn tỷ đồng" before "tỷ đồng").
FIGURE_UNITS = (
    "nghìn tỷ đồng", "ngàn tỷ đồng", "tỷ đồng", "triệu đồng", "nghìn đồng", "ngàn đồng", "đồng",
    "tỷ USD", "triệu USD", "nghìn USD", "USD",
    "%", "ha", "héc-ta", "hecta", "km2", "km", "m2", "m3", "tấn", "nghìn tấn", "triệu tấn", "kg", "MW",
    "dự án", "doanh nghiệp", "hợp tác xã", "lao động", "hộ", "căn nhà", "ngôi nhà", "người", "lượt khách",
    "trường hợp", "khu công nghiệp", "cụm công nghiệp",
)
# Words between a figure and what it measures that are not part of the measure ("ước đạt", "tăng").
MEASURE_VERBS = (
    "ước đạt", "ước tăng", "ước giảm", "ước thu", "ước", "đạt", "tăng", "giảm còn", "giảm", "còn", "là", "bằng",
    "với", "khoảng", "hơn", "trên", "gần", "có", "có thêm", "thu hút", "cho", "vượt", "lên", "xuống",
    "chiếm", "tới", "đến", "từ", "được", "đã", "mới", "thêm", "trở lên", "của", "cho", "hỗ trợ xóa",
)

# -- people ------------------------------------------------------------------------------------------------

# Vietnamese family names: a person's name starts with one ("Trần Đức Thắng").
SURNAMES = frozenset((
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Triệu", "Mai", "Tạ", "Lưu", "Đào", "Cao", "Hà", "Lâm", "Phùng",
    "Quách", "Thái", "Tô", "Trương", "Vương", "Kiều", "Chu", "Đoàn", "Lò", "Nông", "Đàm", "Đồng",
    "Giang", "Hầu", "Khổng", "Lại", "Mạc", "Nghiêm", "Ninh", "Quan", "Tăng", "Thân", "Tống", "Từ",
    "Vi", "Âu", "Bạch", "Cù", "Diệp", "Doãn", "Hứa", "Kim", "Lục", "Mẫn", "Lã", "Tiêu", "Tôn",
))
# Words that open a person's name ("đồng chí Trần Đức Thắng"); "Đ/c" is the abbreviation party portals use.
PERSON_TITLES = ("các đồng chí", "đồng chí", "đ/c", "ông", "bà")
APPOINT_VERBS = ("bổ nhiệm", "bổ nhiệm lại", "điều động", "chỉ định", "bầu", "giới thiệu", "phân công")
APPOINT_LINKS = ("giữ chức vụ", "giữ chức", "làm", "tham gia", "đảm nhiệm chức vụ", "đảm nhận chức")

# -- organisations ------------------------------------------------------------------------------------------

# "tỉnh", "thành phố": the unit word after which a place name may follow ("UBND tỉnh Hải Dương").
UNIT_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
# Party committees by level ("Tỉnh ủy", "Thành ủy").
COMMITTEES = ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Thị ủy", "Quận ủy", "Đảng ủy")
# Government departments and ministries, written after "Sở" or "Bộ" ("Sở Tài chính", "Bộ Y tế").
DEPARTMENTS = (
    "Tài chính", "Xây dựng", "Nội vụ", "Y tế", "Tư pháp", "Công Thương", "Ngoại vụ", "Công an", "Quốc phòng",
    "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường", "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo", "Kế hoạch và Đầu tư", "Giao thông vận tải", "Tài nguyên và Môi trường",
    "Lao động - Thương binh và Xã hội", "Lao động, Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch",
    "Văn hóa - Thể thao và Du lịch", "Văn hóa và Thể thao", "Du lịch", "Thông tin và Truyền thông",
    "Dân tộc và Tôn giáo", "Ngoại giao", "Văn hóa, Thể thao", "Thông tin và Truyền thông",
)
# Party boards ("Ban Tổ chức Tỉnh ủy"), written after "Ban".
PARTY_BOARDS = ("Tổ chức", "Tuyên giáo và Dân vận", "Tuyên giáo", "Dân vận", "Nội chính", "Kinh tế",
                "Đối ngoại", "Chính sách, chiến lược", "Bảo vệ chăm sóc sức khỏe cán bộ")
# Named bodies that stand alone (no level, no place).
NATIONAL_BODIES = (
    "Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương", "Trung ương Đảng", "Bộ Chính trị",
    "Ban Bí thư Trung ương Đảng", "Ban Bí thư Trung ương", "Ban Bí thư", "Quốc hội", "Chính phủ",
    "Thủ tướng Chính phủ", "Ủy ban Thường vụ Quốc hội", "Ủy ban Kiểm tra Trung ương", "Văn phòng Chính phủ",
    "Mặt trận Tổ quốc Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Ngân hàng Nhà nước",
    "Ban Tổ chức Trung ương", "Ban Tuyên giáo Trung ương", "Ban Tuyên giáo và Dân vận Trung ương",
    "Ban Dân vận Trung ương", "Ban Nội chính Trung ương", "Ban Kinh tế Trung ương",
)
# Bodies that take a level and maybe a place after them ("UBND tỉnh", "HĐND thành phố Hải Phòng").
LEVELLED_BODIES = (
    "Ban Chấp hành Đảng bộ", "Đảng bộ", "UBND", "Ủy ban nhân dân", "HĐND", "Hội đồng nhân dân",
    "Thường trực HĐND", "Thường trực Hội đồng nhân dân", "Văn phòng UBND", "Văn phòng HĐND",
    "Văn phòng Đoàn ĐBQH và HĐND", "Đoàn Đại biểu Quốc hội", "Đoàn ĐBQH", "Ủy ban MTTQ Việt Nam",
    "Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc", "Công an",
    "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng", "Ban Cán sự đảng UBND", "Ban cán sự đảng UBND",
    "Đảng đoàn HĐND", "Cục Thuế", "Cục Quản lý thị trường", "Cục Thống kê", "Kho bạc Nhà nước",
    "Tòa án nhân dân", "Viện Kiểm sát nhân dân", "Liên đoàn Lao động", "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
    "Tỉnh đoàn", "Ban Quản lý các khu công nghiệp",
)
# Bodies that follow a party committee ("Ban Thường vụ Tỉnh ủy", "Ủy ban Kiểm tra Thành ủy").
COMMITTEE_BODIES = ("Ban Thường vụ", "Thường trực", "Ủy ban Kiểm tra", "Văn phòng", "Ban Chấp hành")

# -- positions ----------------------------------------------------------------------------------------------

# Positions that stand alone, with no body after them.
STANDALONE_POSITIONS = (
    "Tổng Bí thư", "Chủ tịch nước", "Phó Chủ tịch nước", "Thủ tướng Chính phủ", "Phó Thủ tướng Chính phủ",
    "Thủ tướng", "Phó Thủ tướng", "Thường trực Ban Bí thư Trung ương", "Thường trực Ban Bí thư",
    "Ủy viên Bộ Chính trị", "Ủy viên Ban Bí thư", "Ủy viên Trung ương Đảng", "Ủy viên Ban Chấp hành Trung ương Đảng",
    "Ủy viên dự khuyết Trung ương Đảng", "UVTW Đảng", "UVTW", "Chủ tịch Quốc hội", "Phó Chủ tịch Quốc hội",
    "Đại biểu Quốc hội", "Ủy viên Trung ương", "Phó Bí thư Thường trực", "Phó Bí thư thường trực",
)
# Title words that a body follows ("Bí thư" + "Tỉnh ủy", "Giám đốc" + "Sở Tài chính"), longest first.
POSITION_HEADS = (
    "Phó Bí thư Thường trực", "Phó Bí thư thường trực", "Phó Chủ tịch Thường trực", "Phó Chủ tịch thường trực",
    "Phó Trưởng đoàn chuyên trách", "Phó Trưởng đoàn", "Trưởng đoàn", "Phó Trưởng Ban", "Phó Trưởng ban",
    "Trưởng ban", "Phó Bí thư", "Bí thư", "Phó Chủ tịch", "Chủ tịch", "Phó Giám đốc", "Giám đốc",
    "Phó Chủ nhiệm", "Chủ nhiệm", "Phó Chánh Văn phòng", "Chánh Văn phòng", "Phó Chánh", "Chánh",
    "Bộ trưởng", "Thứ trưởng", "Phó Cục trưởng", "Cục trưởng", "Chánh án", "Viện trưởng", "Phó Viện trưởng",
    "Ủy viên Ban Thường vụ", "Ủy viên Ban Chấp hành", "Ủy viên", "Phó Trưởng", "Trưởng", "Chỉ huy trưởng",
    "Tư lệnh", "Chính ủy", "Tổng Giám đốc", "Phó Tổng Giám đốc", "Thủ trưởng", "Đại biểu",
)
