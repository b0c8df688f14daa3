"""Word lists for the replica's Vietnamese news generator (replica.content).

Plain immutable data. Text is written in the "new" tone-mark style (hòa, ủy); replica.content converts a whole
article or block to the old style (hoà, uỷ) when it wants to. Fragments start lower-case; the generator
capitalises sentence starts.
"""

from __future__ import annotations

# -- people -------------------------------------------------------------------------------------------

SURNAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Triệu", "Mai", "Tạ", "Lưu", "Đào",
)
MIDDLE_M = ("Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Mạnh", "Tiến", "Đình", "Công", "Khắc",
            "Đông", "Thế", "Thanh", "Trung", "Quốc", "Ngọc", "Anh")
MIDDLE_F = ("Thị", "Thị", "Thu", "Hồng", "Ngọc", "Thanh", "Thúy", "Minh", "Kim", "Lan")
GIVEN_M = ("Hùng", "Thắng", "Hải", "Long", "Thành", "Tâm", "Phúc", "Dũng", "Tuấn", "Sơn", "Bình", "Hòa",
           "Nam", "Quân", "Cường", "Huy", "Trung", "Khánh", "Thăng", "Toàn", "Hưng", "Lâm", "Vinh", "Tùng",
           "Đạt", "Kiên", "Nghĩa", "Thái", "Hiếu", "Chiến", "Thịnh", "Bộ", "Thận", "Tú")
GIVEN_F = ("Hà", "Lan", "Hương", "Thủy", "Hiền", "Nga", "Hạnh", "Mai", "Yến", "Quyên", "Trang", "Linh",
           "Phương", "Thảo", "Huyền", "Dung", "Hoa", "Oanh", "Vân", "Hằng")
# Short pen names of reporters and photographers, as printed under articles ("Đào Quyên", "Thành Tâm").
PEN_FIRST = ("Đào", "Thành", "Đình", "Minh", "Thu", "Hải", "Văn", "Ngọc", "Quang", "Hồng", "Lê", "Phạm",
             "Trần", "Thanh", "Đức", "Hoàng", "Mai", "Việt", "Tuấn", "Khánh")
PEN_LAST = ("Quyên", "Tâm", "Bộ", "Hà", "Nam", "Anh", "Long", "Hương", "Thắng", "Trang", "Duy", "Phong",
            "Hiền", "Lợi", "Tùng", "Giang", "Hưng", "Linh", "Hiếu", "Thảo")
AUTHOR_ORGS = ("VPTU", "BTG", "BTC", "UBKT", "BDV")  # Party-portal author suffixes, "Đình Bộ- VPTU"

# -- places -------------------------------------------------------------------------------------------

# Districts (pre-2025 units) of the provinces the replica writes about: (kind, name).
DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "Hải Dương": (("huyện", "Nam Sách"), ("huyện", "Ninh Giang"), ("huyện", "Cẩm Giàng"),
                  ("huyện", "Kim Thành"), ("huyện", "Thanh Hà"), ("huyện", "Gia Lộc"), ("huyện", "Tứ Kỳ"),
                  ("huyện", "Thanh Miện"), ("huyện", "Bình Giang"), ("thị xã", "Kinh Môn"),
                  ("thành phố", "Chí Linh")),
    "Bắc Giang": (("huyện", "Lục Ngạn"), ("huyện", "Lục Nam"), ("huyện", "Yên Thế"), ("huyện", "Tân Yên"),
                  ("huyện", "Hiệp Hòa"), ("thị xã", "Việt Yên"), ("huyện", "Lạng Giang"),
                  ("huyện", "Sơn Động"), ("thị xã", "Chũ")),
    "Thái Bình": (("huyện", "Đông Hưng"), ("huyện", "Hưng Hà"), ("huyện", "Kiến Xương"),
                  ("huyện", "Quỳnh Phụ"), ("huyện", "Thái Thụy"), ("huyện", "Tiền Hải"), ("huyện", "Vũ Thư")),
    "Nam Định": (("huyện", "Giao Thủy"), ("huyện", "Hải Hậu"), ("huyện", "Xuân Trường"), ("huyện", "Ý Yên"),
                 ("huyện", "Nghĩa Hưng")),
    "Hà Nam": (("thị xã", "Duy Tiên"), ("thị xã", "Kim Bảng"), ("huyện", "Thanh Liêm"), ("huyện", "Lý Nhân"),
               ("huyện", "Bình Lục")),
    "Ninh Bình": (("thành phố", "Hoa Lư"), ("huyện", "Gia Viễn"), ("huyện", "Kim Sơn"), ("huyện", "Yên Mô"),
                  ("huyện", "Nho Quan")),
    "Hưng Yên": (("huyện", "Văn Lâm"), ("thị xã", "Mỹ Hào"), ("huyện", "Khoái Châu"), ("huyện", "Kim Động"),
                 ("huyện", "Ân Thi")),
    "Vĩnh Phúc": (("huyện", "Tam Đảo"), ("huyện", "Bình Xuyên"), ("huyện", "Yên Lạc"),
                  ("huyện", "Vĩnh Tường"), ("huyện", "Lập Thạch")),
    "Phú Thọ": (("huyện", "Lâm Thao"), ("huyện", "Thanh Sơn"), ("huyện", "Cẩm Khê"), ("huyện", "Đoan Hùng"),
                ("huyện", "Phù Ninh")),
    "Hòa Bình": (("huyện", "Mai Châu"), ("huyện", "Lương Sơn"), ("huyện", "Kim Bôi"), ("huyện", "Tân Lạc"),
                 ("huyện", "Lạc Sơn")),
    "Bắc Kạn": (("huyện", "Ba Bể"), ("huyện", "Chợ Đồn"), ("huyện", "Na Rì"), ("huyện", "Ngân Sơn"),
                ("huyện", "Pác Nặm")),
    "Thái Nguyên": (("huyện", "Đại Từ"), ("huyện", "Phú Lương"), ("huyện", "Võ Nhai"), ("huyện", "Định Hóa"),
                    ("huyện", "Đồng Hỷ")),
    "Quảng Bình": (("huyện", "Bố Trạch"), ("huyện", "Quảng Ninh"), ("huyện", "Lệ Thủy"),
                   ("huyện", "Minh Hóa"), ("huyện", "Tuyên Hóa")),
    "Quảng Trị": (("huyện", "Gio Linh"), ("huyện", "Vĩnh Linh"), ("huyện", "Hải Lăng"), ("huyện", "Cam Lộ"),
                  ("huyện", "Hướng Hóa")),
    "Kon Tum": (("huyện", "Đắk Hà"), ("huyện", "Đắk Tô"), ("huyện", "Ngọc Hồi"), ("huyện", "Sa Thầy"),
                ("huyện", "Kon Plông")),
    "Gia Lai": (("huyện", "Chư Sê"), ("huyện", "Đức Cơ"), ("huyện", "Ia Grai"), ("huyện", "Mang Yang"),
                ("huyện", "Kbang")),
    "Bình Định": (("thị xã", "Hoài Nhơn"), ("huyện", "Phù Mỹ"), ("huyện", "Tuy Phước"),
                  ("huyện", "Tây Sơn"), ("huyện", "Vân Canh")),
    "Long An": (("huyện", "Bến Lức"), ("huyện", "Cần Giuộc"), ("huyện", "Đức Hòa"), ("huyện", "Thủ Thừa"),
                ("huyện", "Tân Thạnh")),
    "Bến Tre": (("huyện", "Ba Tri"), ("huyện", "Bình Đại"), ("huyện", "Giồng Trôm"),
                ("huyện", "Mỏ Cày Nam"), ("huyện", "Thạnh Phú")),
    "Trà Vinh": (("huyện", "Cầu Kè"), ("huyện", "Tiểu Cần"), ("thị xã", "Duyên Hải"), ("huyện", "Trà Cú"),
                 ("huyện", "Càng Long")),
    "Sóc Trăng": (("huyện", "Kế Sách"), ("huyện", "Mỹ Tú"), ("huyện", "Long Phú"), ("huyện", "Trần Đề"),
                  ("huyện", "Thạnh Trị")),
    "Hậu Giang": (("huyện", "Châu Thành A"), ("huyện", "Phụng Hiệp"), ("thị xã", "Long Mỹ"),
                  ("huyện", "Vị Thủy")),
    "Bạc Liêu": (("huyện", "Hồng Dân"), ("huyện", "Phước Long"), ("huyện", "Vĩnh Lợi"),
                 ("huyện", "Đông Hải"), ("huyện", "Hòa Bình")),
    "Lào Cai": (("huyện", "Bát Xát"), ("huyện", "Bảo Thắng"), ("thị xã", "Sa Pa"), ("huyện", "Bắc Hà"),
                ("huyện", "Văn Bàn")),
    "Yên Bái": (("huyện", "Lục Yên"), ("huyện", "Văn Yên"), ("huyện", "Trấn Yên"),
                ("huyện", "Mù Cang Chải"), ("huyện", "Văn Chấn")),
    "Hà Giang": (("huyện", "Đồng Văn"), ("huyện", "Mèo Vạc"), ("huyện", "Yên Minh"), ("huyện", "Bắc Quang"),
                 ("huyện", "Vị Xuyên")),
}
# Commune and ward names common across the country; post-2025 communes often keep such names.
COMMUNES = ("Tân Tiến", "Hợp Tiến", "Quang Trung", "Đồng Tâm", "Thống Nhất", "Hưng Đạo", "Tân Hưng",
            "An Phú", "Thanh An", "Minh Tân", "Đại Đồng", "Thắng Lợi", "Vĩnh Lập", "Tiên Động", "Hồng Phong",
            "Cộng Hòa", "Tân Dân", "Quyết Thắng", "Đoàn Kết", "Hòa Bình", "Nghĩa Dân", "Lam Sơn", "Việt Hòa",
            "Tứ Minh", "Bình Minh", "Phú Thái", "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Ái Quốc")
# Post-2025 units that are centrally-run cities rather than provinces.
CITIES = frozenset({"Hải Phòng", "Cần Thơ", "Hà Nội", "Huế", "Đà Nẵng", "Thành phố Hồ Chí Minh"})

# -- the political register -----------------------------------------------------------------------------

ROMAN = ("XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")

ACTIONS = (
    "tập trung tháo gỡ khó khăn, vướng mắc trong công tác giải phóng mặt bằng",
    "đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "nâng cao chất lượng, hiệu quả hoạt động của hệ thống chính trị ở cơ sở",
    "rà soát, hoàn thiện các cơ chế, chính sách thu hút đầu tư",
    "tăng cường công tác kiểm tra, giám sát việc thực hiện nhiệm vụ được giao",
    "chủ động xây dựng kịch bản tăng trưởng cho từng quý, từng lĩnh vực",
    "làm tốt công tác tuyên truyền để người dân đồng thuận, ủng hộ",
    "thực hiện nghiêm các quy định về phòng, chống tham nhũng, lãng phí, tiêu cực",
    "giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn",
    "quan tâm chăm lo đời sống vật chất, tinh thần cho nhân dân",
    "sắp xếp, kiện toàn tổ chức bộ máy theo hướng tinh gọn, hoạt động hiệu lực, hiệu quả",
    "đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan Đảng, chính quyền",
    "đôn đốc các chủ đầu tư hoàn thành các công trình trọng điểm đúng tiến độ",
    "kiểm soát chặt chẽ chất lượng công trình, không để xảy ra thất thoát, lãng phí",
    "phát huy vai trò gương mẫu của cán bộ, đảng viên, nhất là người đứng đầu",
    "giải quyết dứt điểm các kiến nghị chính đáng của người dân và doanh nghiệp",
    "cải thiện mạnh mẽ môi trường đầu tư kinh doanh, nâng cao năng lực cạnh tranh",
    "chuẩn bị chu đáo các điều kiện tổ chức đại hội đảng bộ các cấp",
    "huy động mọi nguồn lực để xây dựng nông thôn mới nâng cao, kiểu mẫu",
    "đào tạo, bồi dưỡng nguồn nhân lực chất lượng cao đáp ứng yêu cầu phát triển",
    "triển khai quyết liệt các giải pháp bảo vệ môi trường, ứng phó với biến đổi khí hậu",
    "làm tốt công tác phòng, chống thiên tai, tìm kiếm cứu nạn",
    "đẩy mạnh cải cách hành chính, nâng cao chỉ số hài lòng của người dân",
    "thực hiện có hiệu quả các chương trình mục tiêu quốc gia",
    "tiếp tục rà soát, đánh giá đúng thực chất đội ngũ cán bộ",
    "phối hợp chặt chẽ trong việc thẩm định, phê duyệt các dự án đầu tư",
    "quản lý chặt chẽ đất đai, tài nguyên, khoáng sản",
    "nâng cao chất lượng sinh hoạt chi bộ, nhất là sinh hoạt chuyên đề",
    "bảo đảm đủ vốn, đủ điều kiện thi công các dự án hạ tầng giao thông kết nối",
    "chăm lo tốt cho các gia đình chính sách, người có công và hộ nghèo",
)
SUBJECTS = (
    "các cấp ủy, tổ chức đảng", "các sở, ban, ngành và địa phương", "các cơ quan chuyên môn",
    "người đứng đầu cấp ủy, chính quyền các cấp", "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
    "các chủ đầu tư và đơn vị thi công", "đội ngũ cán bộ, công chức, viên chức", "các ngành chức năng",
    "các cơ quan, đơn vị", "các địa phương",
)
OPENERS = ("", "", "", "Bên cạnh đó, ", "Đồng thời, ", "Thời gian tới, ", "Trong đó, ", "Ngoài ra, ",
           "Để hoàn thành các mục tiêu đề ra, ", "Trên cơ sở đó, ", "Cùng với đó, ")
TAILS = ("", "", ", bảo đảm đúng quy định", " trong thời gian tới", ", không để tồn đọng, kéo dài",
         ", góp phần hoàn thành thắng lợi các mục tiêu đề ra", " ngay từ những tháng đầu năm",
         ", tạo chuyển biến rõ nét", " với tinh thần quyết tâm cao nhất", ", bảo đảm thiết thực, hiệu quả")
MODALS = ("cần", "phải", "tiếp tục", "khẩn trương", "chủ động", "quyết liệt hơn nữa trong việc",
          "cần tập trung")
CLAIMS = (
    "những kết quả đạt được thời gian qua là rất đáng ghi nhận, song khối lượng công việc còn rất lớn",
    "mọi chủ trương, chính sách phải hướng tới lợi ích chính đáng của người dân và doanh nghiệp",
    "cần nhìn thẳng vào những hạn chế, yếu kém để có giải pháp khắc phục kịp thời",
    "công tác cán bộ là khâu then chốt, quyết định sự thành công của mọi nhiệm vụ",
    "việc tổ chức thực hiện phải bám sát thực tiễn, tránh hình thức, sao chép",
    "đoàn kết, thống nhất trong Đảng bộ là yếu tố quyết định thắng lợi",
    "không để các dự án chậm tiến độ kéo dài gây lãng phí nguồn lực",
    "năm nay có ý nghĩa đặc biệt quan trọng, tạo nền tảng cho giai đoạn phát triển mới",
    "tăng trưởng kinh tế phải gắn với bảo đảm an sinh xã hội và bảo vệ môi trường",
    "mỗi cán bộ, đảng viên phải thực sự gương mẫu, nói đi đôi với làm",
)
ASSESSMENTS = (
    "Các ý kiến thảo luận tập trung, thẳng thắn, có tinh thần xây dựng cao.",
    "Nhiều chỉ tiêu đạt và vượt kế hoạch đề ra, cao hơn cùng kỳ năm trước.",
    "Tuy nhiên, vẫn còn một số hạn chế như tiến độ một số dự án còn chậm, công tác giải phóng mặt bằng "
    "còn vướng mắc.",
    "Công tác lãnh đạo, chỉ đạo được triển khai đồng bộ, quyết liệt, sát thực tế.",
    "Tình hình chính trị, quốc phòng, an ninh được giữ vững, đời sống nhân dân tiếp tục được cải thiện.",
    "Một số cơ quan, đơn vị còn lúng túng trong tổ chức thực hiện, chưa chủ động tham mưu.",
    "Công tác phối hợp giữa các ngành, các cấp có lúc chưa chặt chẽ, hiệu quả chưa cao.",
    "Kết quả này tạo tiền đề quan trọng để hoàn thành các mục tiêu của cả nhiệm kỳ.",
    "Hoạt động sản xuất, kinh doanh của doanh nghiệp dần phục hồi, thu hút đầu tư có nhiều chuyển biến.",
    "Các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời, đúng đối tượng.",
)
DOC_TOPICS = (
    "về phát triển kinh tế tập thể, hợp tác xã", "về chuyển đổi số giai đoạn 2026 - 2030",
    "về xây dựng nông thôn mới nâng cao, kiểu mẫu", "về phát triển hạ tầng giao thông kết nối vùng",
    "về nâng cao chất lượng nguồn nhân lực", "về công tác cán bộ trong tình hình mới",
    "về tăng cường công tác phòng, chống tham nhũng, lãng phí", "về phát triển công nghiệp hỗ trợ",
    "về đẩy mạnh cải cách hành chính", "về bảo vệ môi trường và ứng phó với biến đổi khí hậu",
    "về phát triển văn hóa, con người", "về phát triển du lịch trở thành ngành kinh tế mũi nhọn",
    "về thực hiện các chương trình mục tiêu quốc gia", "về sắp xếp tổ chức bộ máy tinh gọn",
)
PROJECTS = ("tuyến đường trục Bắc - Nam", "cầu {p}", "Khu công nghiệp {p}", "Cụm công nghiệp {p}",
            "tuyến đường vành đai", "Bệnh viện Đa khoa {p}", "khu tái định cư {p}", "trường THPT {p}",
            "hệ thống thủy lợi {p}", "Khu đô thị mới {p}")

CAPTIONS_GENERIC = (
    "Quang cảnh hội nghị", "Các đại biểu dự hội nghị", "Đại biểu biểu quyết thông qua nghị quyết",
    "Đoàn công tác kiểm tra tiến độ thi công dự án", "Quang cảnh buổi làm việc",
    "Các đại biểu thảo luận tại hội nghị", "Đại biểu tham quan mô hình sản xuất", "Ảnh minh họa",
    "Các đồng chí lãnh đạo chụp ảnh lưu niệm cùng đại biểu",
)
