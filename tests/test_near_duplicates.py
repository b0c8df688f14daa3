"""Near-duplicates across sources: edited and shortened copies match, look-alike stories do not."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from replica import encoding
from replica.families import renderer_for
from replica.world import World, WorldConfig
from transforms import near_duplicates as nd
from transforms.constants import VN_TZ
from transforms.extract import extract
from transforms.profile import Profile
from transforms.record import ArticleRecord

T0 = datetime(2026, 10, 5, 15, 0, tzinfo=VN_TZ)

TITLE = "UBND tỉnh họp phiên thường kỳ tháng 10/2026"
LEAD = ("Chiều 5/10, UBND tỉnh Hải Dương tổ chức phiên họp thường kỳ để đánh giá tình hình kinh tế - xã hội "
        "tháng 10 và triển khai nhiệm vụ trọng tâm thời gian tới. Đồng chí Triệu Thế Hùng, Phó Bí thư Tỉnh ủy, "
        "Chủ tịch UBND tỉnh chủ trì phiên họp.")
BODY = (
    "Theo báo cáo, tổng thu ngân sách nhà nước trên địa bàn ước đạt 19.290 tỷ đồng, bằng 108,4% dự toán. "
    "Giải ngân vốn đầu tư công đạt 4.120 tỷ đồng, bằng 71,2% kế hoạch vốn giao.",
    "Kim ngạch xuất khẩu ước đạt 8.350,6 triệu USD, tăng 12,4% so với cùng kỳ. Toàn tỉnh có thêm 1.240 doanh "
    "nghiệp thành lập mới trong năm 2026.",
    "Phát biểu kết luận, Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung tháo gỡ vướng mắc trong giải phóng "
    "mặt bằng các dự án trọng điểm, nhất là tuyến đường vành đai I và cầu Hàn.",
    "Đồng chí đề nghị các địa phương rà soát, đẩy nhanh tiến độ giải ngân vốn đầu tư công, xử lý dứt điểm các "
    "dự án chậm tiến độ; chủ động phòng, chống thiên tai trong mùa mưa bão.",
    "Cùng với đó, Sở Tài chính chủ trì tham mưu phương án điều hành ngân sách những tháng cuối năm, bảo đảm "
    "nguồn lực cho an sinh xã hội và chương trình xóa nhà tạm, nhà dột nát.",
    "Các đơn vị liên quan cần nâng cao chất lượng phục vụ người dân, doanh nghiệp; đẩy mạnh cải cách hành "
    "chính, chuyển đổi số trong giải quyết thủ tục hành chính.",
)


def sig(title: str, lead: str | None, body: tuple[str, ...] | list[str]) -> nd.Signature:
    return nd.signature(title, lead, body)


def candidate(article_id: str, source: str, hours: float, title: str, lead: str | None,
              body: tuple[str, ...] | list[str]) -> nd.Candidate:
    return nd.Candidate(article_id, source, T0 + timedelta(hours=hours), sig(title, lead, body))


def test_an_edited_copy_and_a_shortened_copy_point_at_the_original() -> None:
    edited_body = list(BODY)
    edited_body[2] = edited_body[2].replace("nhất là tuyến đường vành đai I và cầu Hàn", "nhất là các tuyến đường")
    edited_body.insert(4, "Đây là nhiệm vụ trọng tâm, cần được triển khai quyết liệt trong thời gian tới.")
    edited_body.append("Nguồn: Báo điện tử Hải Dương")
    shortened = [*BODY[:3], "Theo Báo Hải Dương"]
    pairs = nd.find_duplicates([
        candidate("original", "baohaiduong", 0, TITLE, LEAD, BODY),
        candidate("edited", "haiduonggov", 3, "UBND tỉnh tổ chức phiên họp thường kỳ tháng 10/2026", LEAD,
                  edited_body),
        candidate("short", "tinhuyhaiduong", 20, TITLE, LEAD, shortened),
    ])
    assert [(p.article_id, p.duplicate_of, p.method) for p in pairs] == [
        ("edited", "original", nd.METHOD), ("short", "original", nd.METHOD)]
    assert all(nd.MIN_OVERLAP <= p.similarity <= 1 for p in pairs)


def test_different_stories_with_the_same_formulaic_opening_and_furniture_do_not_match() -> None:
    furniture = ("Cổng thông tin điện tử tỉnh Hải Dương", "Từ khóa: Kinh tế - xã hội; Tăng trưởng")
    other_lead = LEAD.replace("Chiều 5/10", "Chiều 5/11").replace("tháng 10", "tháng 11")
    other_body = (
        "Báo cáo tại phiên họp cho biết, tốc độ tăng trưởng kinh tế (GRDP) ước đạt 9,12%, cao hơn cùng kỳ năm "
        "trước; sản xuất công nghiệp tiếp tục là động lực chính.",
        "Phát biểu kết luận, Chủ tịch UBND tỉnh yêu cầu các sở, ngành chuẩn bị tốt các điều kiện tổ chức kỳ họp "
        "cuối năm của HĐND tỉnh, hoàn thiện hồ sơ các đề án trình kỳ họp.",
    )
    first = candidate("october", "baohaiduong", 0, TITLE, LEAD, (*BODY[:2], *furniture))
    second = candidate("november", "haiduonggov", 24 * 31, TITLE.replace("10/2026", "11/2026"), other_lead,
                       (*other_body, *furniture))
    assert nd.jaccard(first.signature, second.signature) < nd.MIN_JACCARD
    assert nd.overlap(first.signature, second.signature) < nd.MIN_OVERLAP
    assert nd.find_duplicates([first, second]) == []


def test_two_articles_of_one_source_are_never_paired() -> None:
    same = [candidate("a", "baohaiduong", 0, TITLE, LEAD, BODY), candidate("b", "baohaiduong", 1, TITLE, LEAD, BODY)]
    assert nd.find_duplicates(same) == []


def test_normalisation_ignores_tone_style_nfd_case_punctuation_and_source_lines() -> None:
    new = nd.article_text("Tỉnh ủy chỉ đạo", None, ["Sáng nay, Tỉnh ủy Hòa Bình họp phiên thường kỳ.",
                                                    "Nguồn: Báo điện tử Hải Dương"])
    old = nd.article_text("TỈNH UỶ CHỈ ĐẠO", None, [unicodedata.normalize("NFD", "Sáng nay Tỉnh uỷ Hoà Bình "
                                                                            "họp phiên thường kỳ!"),
                                                    "Theo Báo Hải Dương", "Ảnh: Thành Tâm"])
    assert new == old == nd.normalize("tỉnh uỷ chỉ đạo sáng nay tỉnh uỷ hoà bình họp phiên thường kỳ")
    assert nd.article_text("Tỉnh ủy chỉ đạo", None, ["Theo Báo Hải Dương", "Sáng nay, Tỉnh ủy Hòa Bình họp phiên "
                                                    "thường kỳ."]) == new  # a source line above the text too
    assert nd.origin_of(["Một đoạn văn.", "Theo Báo Hải Dương"]) == "Báo Hải Dương"
    assert nd.origin_of(["Một đoạn văn."]) is None


def test_signatures_are_deterministic_compact_and_round_trip_as_bytes() -> None:
    a, b = sig(TITLE, LEAD, BODY), sig(TITLE, LEAD, list(BODY))
    assert a.values.dtype == np.uint32 and len(a.values) == nd.NUM_PERM and a == b
    assert len(a.to_bytes()) == 4 + 4 * nd.NUM_PERM and nd.Signature.from_bytes(a.to_bytes()) == a
    half, most = sig(TITLE, LEAD, BODY[:3]), sig(TITLE, LEAD, BODY[:5])
    assert nd.jaccard(a, half) < nd.jaccard(a, most) < 1.0
    assert nd.overlap(a, half) > 0.9 and nd.overlap(a, most) > 0.9  # a shortened text is all in the original


def test_a_batch_is_bounded() -> None:
    many = [candidate(str(i), f"s{i}", i, TITLE, LEAD, BODY) for i in range(3)]
    with pytest.raises(ValueError, match="max_articles"):
        nd.find_duplicates(many, max_articles=2)


SHAREPOINT = Profile(title="h1.news-title", lead="div.news-summary", body="div.news-content", date="div.news-date")
NEWSPAPER = Profile(title="h1.title", lead="h2.sapo", body="div.fck", date="div.meta span.date",
                    author="div.author-box p")


def test_the_replica_portals_copies_are_found_on_its_rendered_pages() -> None:
    world = World(WorldConfig(seed=3, sites=4, per_day=4, days=4))
    today: date = world.config.end
    records: dict[str, ArticleRecord] = {}  # page URL → record
    copies: dict[str, str] = {}  # copy URL → original URL
    candidates = []
    for site_id, profile in (("baohaiduong", NEWSPAPER), ("haiduonggov", SHAREPOINT)):
        site = world.site(site_id)
        renderer = renderer_for(site, world, 8377)
        for ref in world.refs(site_id, today):
            article = world.article(site_id, ref.key)
            page = renderer.page(article.path, {}, today)
            url = site.base_url(8377) + article.path
            rec = extract(encoding.encode(page.body, site.charset, site.nfd), url, profile,
                          encoding.content_type(page.content_type, site.charset))
            assert isinstance(rec, ArticleRecord)
            records[url] = rec
            candidates.append(nd.Candidate(rec.article_id, site_id, rec.published_at,
                                           nd.signature(rec.title, rec.lead, rec.paragraphs)))
            if (copied := article.republished_from) is not None:
                original = world.article(copied.site_id, copied.key)
                copies[url] = world.site(copied.site_id).base_url(8377) + original.path
    gold = {(records[c].article_id, records[o].article_id) for c, o in copies.items()}
    assert len(gold) >= 5
    assert {(p.article_id, p.duplicate_of) for p in nd.find_duplicates(candidates)} == gold
