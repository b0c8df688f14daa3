"""The generic extractor on small hand-written pages: the page shapes real sites have that broke it once
(comments between blocks, a body split over many wrappers, a story inside <aside>, a listing)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from transforms.extract import extract
from transforms.record import ArticleRecord, Quarantine

SENTENCE = "The council approved the new budget for schools, roads and clinics after a long debate, {n}."


def _page(body: str, head: str = "") -> bytes:
    return (f"<html><head><title>Budget passes | Daily</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a><a href='/world'>World</a></nav>{body}"
            f"<footer>Copyright Daily News, all rights reserved.</footer></body></html>").encode()


def _paragraphs(count: int) -> list[str]:
    return [SENTENCE.format(n=f"item {i}") for i in range(count)]


def test_paragraphs_split_over_many_wrappers_are_all_kept() -> None:
    blocks = "".join(f"<section class='story-part'><div class='inline'><p>{p}</p></div></section><!-- ad -->"
                     for p in _paragraphs(12))
    html = _page(f"<main><article><h1>Budget passes</h1><div class='body'>{blocks}</div></article>"
                 "<div class='related'><h3><a href='/a'>Another story about the weather today</a></h3></div>"
                 "</main>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.title == "Budget passes"
    assert list(rec.paragraphs) == _paragraphs(12)


def test_a_story_inside_aside_is_found_and_page_furniture_left_out() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    html = _page(f"<aside class='wrap'><article><h1>Budget passes</h1><div>{text}</div></article></aside>"
                 "<div class='newsletter'><p>Sign up for our newsletter and get the news every morning.</p></div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)
    assert "Copyright" not in rec.body_text and "newsletter" not in rec.body_text


def test_teaser_boxes_and_repeated_labels_inside_the_article_are_dropped() -> None:
    parts = []
    for i, p in enumerate(_paragraphs(8)):
        parts.append(f"<div class='label'>Article content</div><p>{p}</p>")
        if i == 3:
            parts.append("<div class='box'><h3><a href='/x'>Floods hit the north</a></h3>"
                         "<p>Rivers rose overnight. <a href='/x'>more</a></p></div>")
    html = _page(f"<article><h1>Budget passes</h1><div class='article-body'>{''.join(parts)}</div></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(8)


def test_a_listing_is_quarantined_even_with_summaries() -> None:
    items = "".join(f"<li><h3><a href='/s{i}'>Story number {i} about the provincial budget</a></h3>"
                    f"<p>{SENTENCE.format(n=i)}</p></li>" for i in range(10))
    html = _page(f"<div class='col-left'><h1>Politics</h1><ul class='news'>{items}</ul></div>")

    rec = extract(html, "https://news.example/politics/")

    assert isinstance(rec, Quarantine)
    assert rec.reason == "listing"


def test_json_ld_authors_and_date_win_over_page_furniture() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget passes",'
            ' "datePublished": "2024-05-02T09:30:00+02:00",'
            ' "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Li Wei"}]}'
            "</script>")
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    html = _page(f"<article><h1>Budget passes</h1>{text}<div class='contact'><p>CONTACT US</p></div></article>",
                 head)

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.authors == ("Ana Ruiz", "Li Wei")
    assert rec.published_at is not None and rec.published_at.isoformat() == "2024-05-02T07:30:00+00:00"


def test_without_labelled_dates_a_time_in_the_article_then_the_url_date_is_used() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    sidebar = "<div class='box'><time datetime='2020-01-01T08:00:00+00:00'>1 Jan</time></div>"
    in_article = _page(f"{sidebar}<article><h1>Budget passes</h1>"
                       f"<time datetime='2024-05-02T09:30:00+02:00'>2 May</time>{text}</article>")
    bare = _page(f"{sidebar}<article><h1>Budget passes</h1>{text}</article>")

    dated = extract(in_article, "https://news.example/budget")
    from_url = extract(bare, "https://news.example/2024/05/03/budget")
    undated = extract(bare, "https://news.example/budget")

    assert isinstance(dated, ArticleRecord) and isinstance(from_url, ArticleRecord)
    assert isinstance(undated, ArticleRecord)
    assert dated.published_at is not None and dated.published_at.isoformat() == "2024-05-02T07:30:00+00:00"
    assert str(from_url.published_date) == "2024-05-03"
    assert undated.published_at is None  # the sidebar's <time> is never the article's date


def test_a_story_whose_wrapper_is_named_like_a_sidebar_is_found_on_the_second_attempt() -> None:
    # Politico names the story's own grid "sidebar-grid": the first attempt drops it for its name and finds
    # too little, so readability's second attempt runs without trusting names.
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(10))
    html = _page(f"<main><article><h1>Budget passes</h1><div class='sidebar-grid'>"
                 f"<div class='sidebar-grid__container'><div class='article__content'>{text}</div></div>"
                 "</div></article></main><div class='about'><p>Daily News is the paper of the valley since 1901 and"
                 " is published by the Daily News Company every morning except Sundays.</p></div>"
                 + "<div class='legal'>" + "<div>Terms apply.</div>" * 200 + "</div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(10)


def test_reader_comments_in_grid_columns_are_not_the_article() -> None:
    # CSS grids call everything a "column": a comment box named "comment column" is still a comment.
    story = "".join(f"<p class='bodytext column'>{p}</p>" for p in _paragraphs(12))
    comment = ("<p>I disagree with this, as I wrote before, and the council, the mayor, the clerk, the board,"
               " the schools and the roads, all of them, have failed us, again and again, for years, and"
               " nobody, nobody at all, listens, reads, answers or cares, which is sad, very sad.</p>")
    comments = f"<li class='comment column'><div class='text'>{comment * 2}</div></li>"
    html = _page(f"<main><article><h1>Budget passes</h1><div class='columns'>{story}</div></article>"
                 f"<section class='columns'><ul class='comments-list columns'>{comments}</ul></section></main>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(12)


def test_a_stream_of_teasers_beside_the_story_does_not_outrank_it() -> None:
    # an <li> holding a headline and a summary box is a teaser card, not one paragraph of text
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(4))
    cards = "".join(f"<li><div><h3><a href='/s{i}'>Story number {i} about the provincial budget</a></h3>"
                    f"<p>{SENTENCE.format(n=i)} {SENTENCE.format(n=i)}</p></div></li>" for i in range(12))
    html = _page(f"<div class='story'><h1>Budget passes</h1>{story}</div><ul class='stream'>{cards}</ul>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(4)


def test_a_list_named_like_articles_is_no_article_and_a_gallery_legend_list_is_furniture() -> None:
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(8))
    promo = ("<ul class='list-articles'><li><div class='box'><div>Deals of the day</div>"
             "<div>Phones, cameras and laptops at lower prices • Garden tools from 17 € • Watches</div>"
             "</div></li></ul>")
    legends = "".join(f"<li><h2>{i}/30 Ships at sea</h2><p>{SENTENCE.format(n=i)} {SENTENCE.format(n=i)}</p></li>"
                      for i in range(30))  # a gallery's captions: more text than the story itself
    html = _page(f"<div class='wrap'>{promo}</div><div><h1>Budget passes</h1><div>{story}</div>"
                 f"<div class='gallery'><ul class='legends'>{legends}</ul></div></div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(8)


def test_a_wrapper_named_article_does_not_widen_the_story_to_a_video_player_beside_it() -> None:
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(12))
    menu = "".join(f"<div>{item}</div>" for item in ("Closed captions", "Back", "Language", "English", "Size",
                                                      "Transparency 75%", "Video not available"))
    html = _page(f"<section class='article-card'><h1>Budget passes</h1><div class='player'>{menu}</div>"
                 f"<div class='book'><div class='story-body'>{story}</div></div></section>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(12)


def test_elements_hidden_by_their_style_are_not_text() -> None:
    # Wikipedia keeps a hidden MathML twin of each formula; players keep hidden error boxes
    hidden = "<span style='display: none'>{\\displaystyle a_{ij}}</span>"
    story = "".join(f"<p>{p[:-1]}{hidden}.</p>" for p in _paragraphs(8))
    html = _page(f"<article><h1>Budget passes</h1><div style='DISPLAY:none'><p>Report issue</p></div>"
                 f"{story}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(8)


def test_highlighted_code_keeps_its_repeated_tokens() -> None:
    # syntax highlighters wrap each token in a <span>: "(" and "SELECT" repeat, yet they are no widget labels
    tokens = "".join(f"<span class='k'>SELECT</span> <span class='p'>(</span>n{i}<span class='p'>)</span>; "
                     for i in range(3))
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    html = _page(f"<article><h1>Budget passes</h1>{story}<pre>{tokens}</pre></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.paragraphs[-1] == "SELECT (n0); SELECT (n1); SELECT (n2);"


def test_an_intro_box_of_several_paragraphs_inside_the_article_is_not_printed_twice_as_lead() -> None:
    paragraphs = _paragraphs(8)
    intro = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    rest = "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    html = _page(f"<article><h1>Budget passes</h1><div class='content'><div class='intro'>{intro}</div>"
                 f"{rest}</div></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.lead is None
    assert list(rec.paragraphs) == paragraphs


def test_a_wordy_or_unreadable_date_meta_does_not_hide_the_iso_one_and_updated_time_is_a_last_resort() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    article = f"<article><h1>Budget passes</h1>{text}</article>"
    iso_later = _page(article, '<meta name="sailthru.date" content="to be announced">'
                               '<meta property="article:published_time" content="2023-05-15T09:00:37+00:00">')
    wordy = _page(article, '<meta name="sailthru.date" content="May 15th, 2023">')
    updated_only = _page(article, '<meta property="og:updated_time" content="2026-05-13T15:44:29+02:00">')

    records = [extract(html, "https://news.example/budget") for html in (iso_later, wordy, updated_only)]

    assert all(isinstance(rec, ArticleRecord) for rec in records)
    dates = [rec.published_at.isoformat() for rec in records
             if isinstance(rec, ArticleRecord) and rec.published_at is not None]
    assert dates == ["2023-05-15T09:00:37+00:00", "2023-05-14T17:00:00+00:00", "2026-05-13T13:44:29+00:00"]


def test_short_teaser_articles_named_article_do_not_outrank_the_story() -> None:
    # Nikkei: teaser cards are <article class="article_x"> (tag and name both say article) with one line
    teasers = "".join(f"<article class='article_card'><div>Markets today: shares rise in Tokyo trading {i}"
                      "</div></article>" for i in range(3))
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(3))
    html = _page(f"<h1>Budget passes</h1><section class='container'>{story}</section>"
                 f"<div class='rail'>{teasers}</div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(3)


def test_japanese_story_beats_a_short_box_named_content() -> None:
    # unspaced CJK paragraphs count by characters; a newsletter box does not win on its name alone
    story = "".join(f"<p>イオン銀行は{i}日、同日付で社長を解任する人事を発表した。持ち株会社の社長も引責辞任し、"
                    f"金融庁は業務改善命令を出した。改善計画は月末にまとまる見通しだ。</p>" for i in range(6))
    box = ("<div class='main_content'><p>ニュースレターを登録すると続きが読めます（無料）。ご登録いただいた"
           "メールアドレス宛てにニュースレターの配信と電子版のキャンペーン情報などをお送りします、"
           "登録後の配信解除も可能です、これらメール配信の目的に同意のうえ登録してください。</p>"
           "<p>初割ですべての記事が読み放題、今なら二か月無料でお試しいただけます、お申し込みはこちらから。</p></div>")
    rec = extract(_page(f"<div><h1>イオン銀社長を解任</h1><section>{story}</section></div><div>{box}</div>"),
                  "https://example.jp/a")
    assert isinstance(rec, ArticleRecord)
    assert sum(p.startswith("イオン銀行は") for p in rec.paragraphs) == 6
    assert not any("ニュースレター" in p for p in rec.paragraphs)


def test_keyword_links_inside_a_sentence_stay_in_the_text() -> None:
    # a link named "tag-link" is a word of its paragraph; the tag bar's links still go
    words = "".join(f"<p>The <a class='tag-link' href='/tags/1'>council</a> approved the budget for schools "
                    f"and roads after a long debate, item {i}.</p>" for i in range(6))
    tags = "<div>Tags: <a class='tag-link' href='/tags/1'>council</a>, <a class='tag' href='/t/2'>roads</a></div>"
    rec = extract(_page(f"<article><h1>Budget passes</h1>{words}{tags}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.paragraphs[0] == "The council approved the budget for schools and roads after a long debate, item 0."
    assert not any("roads" in p and p.startswith("Tags") for p in rec.paragraphs)


def test_a_description_box_after_the_story_is_body_not_lead() -> None:
    # a lead opens the article; a fact box named "description" further down stays where it stands
    text = _paragraphs(6)
    box = "<p class='description'>Daily News: founded in 1900, the city's oldest paper, read by many.</p>"
    body = "".join(f"<p>{p}</p>" for p in text[:4]) + box + "".join(f"<p>{p}</p>" for p in text[4:])
    rec = extract(_page(f"<article><h1>Budget passes</h1>{body}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.lead is None
    assert list(rec.paragraphs) == [*text[:4], "Daily News: founded in 1900, the city's oldest paper, read by many.",
                                    *text[4:]]
    # nor is a teaser's "subtitle" further down the page, after the article
    teaser = ("<div class='rail'><a href='/paper'><span class='card-subtitle'>A research paper on smart work, "
              "by our study group.</span></a></div>")
    rec = extract(_page(f"<article><h1>Budget passes</h1>{body}</article>{teaser}"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.lead is None


def test_hidden_elements_are_not_text() -> None:
    # ids and timestamps kept for scripts in a display:none box, a pop-up template with the hidden attribute
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    hidden = ("<div style='display: none'><span id='postId'>6073731</span> <span>2024/12/03 23:17:00</span></div>"
              "<div hidden><p>Your note was saved to your scrapbook, open it any time from the menu.</p></div>")
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}{hidden}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(5)


@pytest.mark.slow
def test_a_year_first_meta_row_opening_the_area_is_not_text() -> None:
    # East Asian pages write the day year first: "公開日：2025/01/31 11:30", "渡辺洋介2025年1月13日 21時37分"
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    for row in ("公開日：2025/01/31 11:30 更新日：2025/01/31 11:30", "渡辺洋介2025年1月13日 21時37分"):
        rec = extract(_page(f"<article><h1>Budget passes</h1><div>{row}</div>{text}</article>"),
                      "https://news.example/b")
        assert isinstance(rec, ArticleRecord)
        assert list(rec.paragraphs) == _paragraphs(5)


def test_a_login_or_subscribe_prompt_inside_the_article_is_dropped() -> None:
    # a paywall notice between the story and the page's end: its links lead to registration and login
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    prompt = ("<div class='box'><p>This article is for members only. Readers of the paper edition can "
              "register free of charge.</p><a href='/service/regist'>Register</a> <a href='/service/login'>Log in</a>"
              "</div>")
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}{prompt}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(5)


def test_a_story_only_in_the_scripts_data_is_read_from_it() -> None:
    # a script-rendered page (Next.js): the HTML has no text, the story is a JSON string of HTML in a script
    story = "".join(f"<p class=\"editor-p\">{p}</p>" for p in _paragraphs(5))
    data = json.dumps({"detail": {"title": "Budget passes", "contentHtml": story.replace("</p><p", "</p>$$AD$$<p", 1)}})
    html = _page(f"<div id='root'></div><script>window.__DATA__ = {data};</script>",
                 head="<meta property='og:type' content='article'>")
    rec = extract(html, "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(5)


def test_a_dialog_or_menu_by_its_role_is_not_text() -> None:
    # a share pop-up as a custom element with role=dialog, between the headline and the story
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(8))
    dialog = ("<x-popover role='dialog'><p>Companies wishing to share this article or reprint it in meeting "
              "papers, see the link.</p></x-popover>")
    rec = extract(_page(f"<article><h1>Budget passes</h1>{dialog}{text}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(8)


def test_a_date_standing_alone_in_the_title_is_the_last_resort() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    page = (f"<html lang='de'><head><title>Gegenoffensive: Ziele | Europa | DW | 28.04.2023</title></head>"
            f"<body><article><h1>Gegenoffensive: Ziele</h1>{text}</article></body></html>").encode()
    rec = extract(page, "https://example.de/a-65464327")
    assert isinstance(rec, ArticleRecord)
    assert rec.published_date == date(2023, 4, 28)
    # a date inside the headline's words is not the publication day
    worded = page.replace(b"| DW | 28.04.2023", b"seit 28.04.2023 | DW")
    rec = extract(worded, "https://example.de/a-65464327")
    assert isinstance(rec, ArticleRecord) and rec.published_date is None


def test_a_short_notice_under_its_own_title_lands_flagged_short_body() -> None:
    notice = "UBND tỉnh thông báo lịch tiếp công dân tháng 12/2026, kèm tệp đính kèm."
    html = (f"<html><head><title>Lịch tiếp công dân tháng 12</title></head><body>"
            f"<div class='detail'><h1>Lịch tiếp công dân tháng 12</h1>"
            f"<div class='date'>Ngày đăng: 21/11/2026 08:30</div>"
            f"<div><div>{notice}</div></div></div></body></html>").encode()

    rec = extract(html, "https://ubnd.example/thong-bao/lich-tiep-cong-dan")

    assert isinstance(rec, ArticleRecord)
    assert rec.title == "Lịch tiếp công dân tháng 12"
    assert rec.paragraphs == (notice,)
    assert rec.published_at is not None and rec.published_at.isoformat() == "2026-11-21T01:30:00+00:00"
    assert "short-body" in rec.flags


def test_a_photo_story_without_prose_lands_from_its_article_container() -> None:
    html = ("<html><head><title>Chùm ảnh: Mùa lúa chín</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
            "<article><h2>Cánh đồng Thanh Miện</h2><img src='/a.jpg' alt='lúa'>"
            "<h2>Thu hoạch sớm</h2><img src='/b.jpg' alt='lúa'></article></body></html>").encode()

    rec = extract(html, "https://bao.example/chum-anh-mua-lua-chin")

    assert isinstance(rec, ArticleRecord)
    assert rec.paragraphs == ("Cánh đồng Thanh Miện", "Thu hoạch sớm")
    assert [image.url for image in rec.images] == ["https://bao.example/a.jpg", "https://bao.example/b.jpg"]


def test_a_short_fragment_without_a_title_stays_in_quarantine() -> None:
    html = b"<html><body><ol><li><p>A list item and nothing else on the page, no title.</p></li></ol></body></html>"

    rec = extract(html, "https://news.example/fragment")

    assert isinstance(rec, Quarantine)
    assert rec.reason == "no-article-body"


def test_json_ld_in_cdata_is_read_and_its_article_date_beats_the_meta_tag() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    ld = ('<script type="application/ld+json">//<![CDATA[\n{"@type": "SocialMediaPosting",'
          ' "datePublished": "2015-10-15T02:19:15Z", "author": {"@type": "Person", "name": "Ana Ruiz"}}\n//]]>'
          "</script>")
    # a page-level meta tag re-stamped when the post moved; the post's own record keeps its first day
    meta = '<meta property="article:published_time" content="2015-12-11T14:28:34Z">'
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", meta + ld),
                  "https://news.example/budget")
    assert isinstance(rec, ArticleRecord)
    assert rec.published_at is not None and rec.published_at.isoformat() == "2015-10-15T02:19:15+00:00"
    assert rec.authors == ("Ana Ruiz",)


def test_a_webpage_date_in_json_ld_does_not_override_the_article_meta_tag() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = ('<meta property="article:published_time" content="2024-05-02T09:30:00+00:00">'
            '<script type="application/ld+json">{"@type": "WebPage", "datePublished": "2019-01-01"}</script>')
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.published_at is not None and rec.published_at.isoformat() == "2024-05-02T09:30:00+00:00"


def test_a_json_ld_author_that_is_the_site_yields_to_the_author_meta_tag() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = ('<meta property="og:site_name" content="Daily"><meta name="author" content="Ana Ruiz">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Daily"}}</script>')
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)
    # with no other name, the site stays the author (it is what the page says)
    alone = head.replace('<meta name="author" content="Ana Ruiz">', "")
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", alone), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Daily",)


def test_a_json_ld_headline_that_is_a_tagline_yields_to_the_name_in_the_title() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    page = ("<html><head><title>Hermitian matrix - Wikipedia</title><script type='application/ld+json'>"
            '{"@type": "Article", "name": "Hermitian matrix", "headline": "matrix equal to its conjugate"}'
            f"</script></head><body><div>Matrix equal to its conjugate</div><div>{text}</div></body></html>")
    rec = extract(page.encode(), "https://en.example.org/wiki/Hermitian_matrix")
    assert isinstance(rec, ArticleRecord) and rec.title == "Hermitian matrix"
    # a name that is only the site's is never the title
    site = page.replace("<title>Hermitian matrix - Wikipedia", "<title>Wikipedia").replace(
        '"name": "Hermitian matrix"', '"name": "Wikipedia"').replace(
        "</title>", "</title><meta property='og:site_name' content='Wikipedia'>")
    rec = extract(site.encode(), "https://en.example.org/wiki/Hermitian_matrix")
    assert isinstance(rec, ArticleRecord) and rec.title == "Matrix equal to its conjugate"


def test_a_json_ld_date_saying_less_keeps_the_time_and_offset_a_meta_tag_gives() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    meta = '<meta property="article:published_time" content="2024-04-22T06:00:00+02:00">'
    found = []
    for ld in ("2024-04-22", "2024-04-22 06:00:00.0", "2024-04-22T06:00:00.5+02:00", "2024-04-21T19:30:00+02:00"):
        head = meta + f'<script type="application/ld+json">{{"@type": "Article", "datePublished": "{ld}"}}</script>'
        rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", head), "https://news.example/b")
        assert isinstance(rec, ArticleRecord) and rec.published_at is not None
        found.append(rec.published_at.isoformat())
    # a bare day or a time without offset says less; a value as precise, or another moment, is the article's
    assert found == ["2024-04-22T04:00:00+00:00", "2024-04-22T04:00:00+00:00", "2024-04-22T04:00:00+00:00",
                     "2024-04-21T17:30:00+00:00"]


def test_a_byline_in_the_article_header_is_read_before_headers_are_dropped() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    story = ("<article><header><h1>Budget passes</h1><span class='byline' itemprop='author'>Ana Ruiz</span>"
             f"</header>{text}</article><div class='tags'>Tags</div>")
    rec = extract(_page(story), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)


def test_a_byline_box_gives_its_names_without_job_titles_and_sidebar_widgets() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    widget = "<div class='author-follow'><a href='/kc'>Kim Cole</a></div>"  # before the headline: a sidebar
    boxes = {"<div class='author'><a href='/a/ana'>Ana Ruiz</a><div>Games Editor</div></div>": ("Ana Ruiz",),
             "<div class='byline'><span>Ana Ruiz</span><span>Li Wei</span></div>": ("Ana Ruiz", "Li Wei")}
    for box, names in boxes.items():
        rec = extract(_page(f"{widget}<article><h1>Budget passes</h1>{box}{text}</article>"), "https://n.example/b")
        assert isinstance(rec, ArticleRecord) and rec.authors == names, box


def test_a_link_to_the_writers_page_names_the_author() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    story = f"<article><h1>Budget passes</h1><ul><li><a href='/author/ana-ruiz/'>Ana Ruiz</a></li></ul>{text}</article>"
    rec = extract(_page(story), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)


def test_author_names_from_seo_tags_and_instead_of_json_ld_slugs() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    story = f"<article><h1>Budget passes</h1>{text}</article>"
    head = '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ana Ruiz">'
    rec = extract(_page(story, head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)
    head = ('<meta name="author" content="Ana Ruiz"><script type="application/ld+json">'
            '{"@type": "NewsArticle", "author": {"name": "ana-ruiz"}}</script>')
    rec = extract(_page(story, head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)


def test_an_author_meta_tag_naming_a_person_beats_a_short_line_after_the_body() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    story = f"<article><h1>Budget passes</h1>{text}</article><div>Lena Park</div>"
    rec = extract(_page(story, '<meta name="author" content="Ana Ruiz">'), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)
    # a capitalised line of five words or more after the body is a heading, not a name
    heading = story.replace("Lena Park", "Text Without Notes Melville Web Links")
    rec = extract(_page(heading), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ()
    # a meta tag naming the site itself ("Daily", a domain, an acronym) yields to the line
    for site in ("Daily", "daily.example", "DN"):
        rec = extract(_page(story, f'<meta name="author" content="{site}">'), "https://news.example/b")
        assert isinstance(rec, ArticleRecord) and rec.authors == ("Lena Park",), site


def test_the_article_inside_a_webpage_main_entity_gives_date_and_author() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = ('<script type="application/ld+json">{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle",'
            ' "datePublished": "2024-04-26T20:44:00+0200", "author": {"@type": "Person", "name": "Ana Ruiz"}}}'
            "</script>")
    page = _page(f"<article><h1>Budget passes</h1><time datetime='2024-04-26 20:44'>20:44</time>{text}</article>",
                 head)
    rec = extract(page.replace(b"<html>", b"<html lang='de'>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.authors == ("Ana Ruiz",)
    assert rec.published_at is not None and rec.published_at.isoformat() == "2024-04-26T18:44:00+00:00"


def test_articles_listed_as_a_collection_page_main_entity_are_not_the_page_date() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = ('<script type="application/ld+json">{"@type": "CollectionPage", "mainEntity": [{"@type": "NewsArticle",'
            ' "datePublished": "2020-01-01T08:00:00+00:00"}]}</script>')
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>", head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord) and rec.published_at is None


def test_story_sections_wrapped_deep_between_teaser_boxes_are_all_kept() -> None:
    # ARD sites: section > div.con > div.modCon > div.mod > div.boxCon > div.box > div.paragraph > p, one
    # div.con per part of the story and teaser boxes between them: the parts score too deep to reach div.con
    def part(paras: list[str]) -> str:
        inner = "".join(f"<div class='paragraph'><p>{p}</p></div>" for p in paras)
        return (f"<div class='con'><div class='modCon'><div class='mod modParagraph'><div class='boxCon'>"
                f"<div class='box'>{inner}</div></div></div></div></div>")
    teaser = ("<div class='con cssBoxTeaserStandard'><h3>Mehr zum Thema</h3><a href='/t'>Schlachthöfe in "
              "Thüringen: die Zahl sinkt seit Jahren weiter und weiter</a></div>")
    paras = _paragraphs(12)
    html = _page(f"<div class='section sectionDetailPage'>{part(paras[:5])}{teaser}{part(paras[5:9])}{teaser}"
                 f"{part(paras[9:])}</div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == paras


def test_a_paragraph_with_a_link_in_wrapper_divs_is_text_not_a_link_box() -> None:
    linked = ("<div class='text-block'><div><p>Article 5 <a href='https://nato.example/art5'>is one of the "
              "alliance's core principles</a>. It says an attack on one member is an attack on all.</p></div></div>")
    paras = "".join(f"<div class='text-block'><div><p>{p}</p></div></div>" for p in _paragraphs(6))
    html = _page(f"<article><h1>Budget passes</h1>{paras}{linked}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.paragraphs[-1].startswith("Article 5 is one of the alliance's core principles.")


def test_paragraphs_opening_with_a_guillemet_quote_are_kept_and_arrow_links_dropped() -> None:
    quotes = ["»Jeg er opvokset i Aarhus centrum, i Skolegade. Dengang var byen fyldt med skæve eksistenser,« "
              "siger hun.", "»Vi skal smage på verden. Hvis vi ikke smager, lærer vi ingenting,» siger hun."]
    text = "".join(f"<p>{p}</p>" for p in [*_paragraphs(4), *quotes]) + "<p>» Xem thêm: Tin khác</p>"
    rec = extract(_page(f"<article><h1>Budget passes</h1>{text}</article>"), "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == [*_paragraphs(4), *quotes]


def test_a_copy_of_the_story_hidden_by_inline_style_is_left_out() -> None:
    # a paywall keeps the whole story again, as one run of text, in <div style="display:none">
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    copy = " ".join(_paragraphs(6))
    html = _page(f"<article><h1>Budget passes</h1><div class='text'>{text}</div>"
                 f"<div class='paywall' style='display: none'>{copy}</div></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_a_fact_box_inside_the_story_is_left_out() -> None:
    box = ("<div class='factbox'><h3>Fakta</h3><p>Budget: 4.2 billion.</p><p>Vote: 31 to 12.</p>"
           "<p>Next step: the regional assembly in May.</p></div>")
    paras = [f"<p>{p}</p>" for p in _paragraphs(6)]
    html = _page(f"<article><h1>Budget passes</h1><div class='text'>{''.join(paras[:3])}{box}{''.join(paras[3:])}"
                 "</div></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_a_name_linked_in_every_post_is_text_and_a_repeated_link_note_is_a_label() -> None:
    posts = [f"<p><a href='/harry'><span class='red'>Prince Harry</span></a> met the council about the budget "
             f"for schools, roads and clinics, item {i}. <a href='/doc'>the plan<span class='vh'>(opens in new "
             f"window)</span></a> was read out.</p>" for i in range(4)]
    html = _page(f"<article><h1>Budget passes</h1>{''.join(posts)}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert [p.startswith("Prince Harry met the council") for p in rec.paragraphs] == [True] * 4
    assert not any("opens in new window" in p for p in rec.paragraphs)


def test_a_poll_inside_the_story_is_left_out() -> None:
    answers = "".join(f"<label><input type='radio' name='q'><span>Answer number {i}, with some words.</span></label>"
                      for i in range(4))
    poll = f"<div class='x1'><strong>Which plan do you prefer?</strong>{answers}</div>"
    paras = [f"<p>{p}</p>" for p in _paragraphs(6)]
    html = _page(f"<article><h1>Budget passes</h1>{''.join(paras[:3])}{poll}{''.join(paras[3:])}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_short_pages_that_are_no_articles_stay_in_quarantine() -> None:
    shell = ("<html><head><title>{title} | Báo Hải Dương</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
             "<div class='main'><div>{text}</div></div></body></html>")
    pages = {"Bảo trì": "Hệ thống đang được bảo trì, xin quay lại sau ít phút.",
             "Tìm kiếm": "Không tìm thấy kết quả nào phù hợp với từ khóa của bạn.",
             "Đăng nhập": "Tên đăng nhập Mật khẩu Ghi nhớ đăng nhập Quên mật khẩu?"}

    records = [extract(shell.format(title=title, text=text).encode(), "https://baohaiduong.example/x")
               for title, text in pages.items()]

    assert [rec.reason for rec in records if isinstance(rec, Quarantine)] == ["no-article-body"] * 3


def test_a_story_hidden_until_a_script_shows_it_is_still_found() -> None:
    story = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    menu = "".join(f"<li><a href='/c{i}'>Chuyên mục số {i} của báo</a></li>" for i in range(40))
    html = _page(f"<ul class='mega'>{menu}</ul><div id='story' style='display:none'>{story}</div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_service_links_and_hidden_form_tokens_do_not_make_story_parts_furniture() -> None:
    # "/dang-ky-tam-tru" is a public service, not a sign-up page; a hidden input is a token, not a poll
    linked = ("<div class='part'><p>Người dân có thể <a href='/dich-vu/dang-ky-tam-tru'>đăng ký tạm trú</a> "
              "trực tuyến qua cổng dịch vụ công của tỉnh từ tháng tới, không phải đến trụ sở.</p></div>")
    parts = "".join(f"<div class='part'><input type='hidden' name='t' value='{i}'><p>{a}</p><p>{b}</p></div>"
                    for i, (a, b) in enumerate(zip(_paragraphs(6)[::2], _paragraphs(6)[1::2], strict=True)))
    html = _page(f"<article><h1>Budget passes</h1>{parts}{linked}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs[:6]) == _paragraphs(6)
    assert rec.paragraphs[6].startswith("Người dân có thể đăng ký tạm trú trực tuyến")


def test_a_json_ld_name_that_is_the_publisher_never_becomes_the_title() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "name": "Báo Hải Dương",'
            ' "headline": "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12"}</script>')
    page = (f"<html><head><title>Hội nghị Ban Chấp hành Đảng bộ tỉnh | Báo Hải Dương</title>{head}</head>"
            f"<body><article>{text}</article></body></html>")

    rec = extract(page.encode(), "https://baohaiduong.example/hoi-nghi")

    assert isinstance(rec, ArticleRecord) and rec.title == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12"


def test_broken_image_and_canonical_urls_do_not_cost_the_article() -> None:
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    head = '<link rel="canonical" href="http://[broken/budget">'
    html = _page(f"<article><h1>Budget passes</h1><img src='http://[x/a.jpg'>{text}</article>", head)

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert rec.canonical_url == "https://news.example/budget" and rec.images == ()


def test_a_lead_photo_wrapper_is_no_lead_and_its_caption_stays_out_of_the_body() -> None:
    # "LeadFeature" names the lead photo's box: its caption is neither the lead nor text
    caption = "A mother and her children sell bread at a market on Tuesday, April 18. (Photo: Agency)"
    photo = f"<div class='LeadFeature'><figure><img src='/a.jpg'><figcaption>{caption}</figcaption></figure></div>"
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    rec = extract(_page(f"<article><h1>Budget passes</h1>{photo}<div class='body'>{text}</div></article>"),
                  "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.lead is None
    assert list(rec.paragraphs) == _paragraphs(6)


def test_the_standfirst_under_the_title_is_found_by_the_page_description() -> None:
    # a subtitle h2 with no lead name, outside the story's area; the description truncates it with "..."
    standfirst = "Fires broke out in seven districts on Wednesday; planes and helicopters fought them for hours."
    head = f'<meta name="description" content="{standfirst[:60]}...">'
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    rec = extract(_page(f"<div class='top'><h1>Budget passes</h1><h2 class='text-red'>{standfirst}</h2></div>"
                        f"<article><div class='body'>{text}</div></article>", head), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.lead == standfirst
    assert list(rec.paragraphs) == _paragraphs(6)


def test_the_standfirst_in_the_article_header_is_the_lead() -> None:
    # <header> is pruned as page furniture, but the one around the title holds the "preface"
    preface = "The council approved the budget after a long night: schools and clinics get more, roads less."
    header = f"<header class='articlehead'><h1>Budget passes</h1><p class='preface'>{preface}</p></header>"
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    rec = extract(_page(f"<article>{header}<div class='body'>{text}</div></article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert rec.lead == preface
    assert list(rec.paragraphs) == _paragraphs(6)


def test_a_subheading_named_widget_title_stays_in_the_story() -> None:
    # "widget" names the CMS's block: a sidebar widget goes with its box, a heading in the story stays
    text = _paragraphs(6)
    body = "".join(f"<p>{p}</p>" for p in text[:3]) + "<h2 class='widget-title'>Second district</h2>" \
        + "".join(f"<p>{p}</p>" for p in text[3:])
    sidebar = "<div class='widget'><h3 class='widget-title'>Most read</h3><p>Weather: sunny all week</p></div>"
    rec = extract(_page(f"<article><h1>Budget passes</h1><div class='body'>{body}{sidebar}</div></article>"),
                  "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == [*text[:3], "Second district", *text[3:]]


def test_a_media_info_box_under_a_photo_is_its_caption() -> None:
    # public broadcasters' CMS: the photo's text and rights sit in "mediaInfo" beside the image, not in the story
    text = _paragraphs(6)
    photo = ("<div class='media'><img src='/pigs.jpg'><div class='mediaInfo'><span class='mediaSubtitle'>"
             "Many hands work in the hall.</span><span>Rights: Agency</span></div></div>")
    body = "".join(f"<p>{p}</p>" for p in text[:3]) + photo + "".join(f"<p>{p}</p>" for p in text[3:])
    rec = extract(_page(f"<article><h1>Budget passes</h1>{body}</article>"), "https://news.example/b")
    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == text


def test_source_indentation_does_not_hide_a_list_of_links_or_pass_a_meta_line_for_text() -> None:
    # templates indent their markup over many lines: the whitespace is not text, so a dated source line
    # is no paragraph of the story and an indented list of story links stays a list of links
    pad = "\n" + " " * 40
    meta = (f"<div class='l_time'>{pad}Posted: 2017-03-10 08:42{pad}<span>Source: <a href='/'>Daily</a></span>"
            f"{pad}</div>")
    teasers = "".join(f"<li>{pad}<div class='card'>{pad}<a href='/s{i}'>Another story about the weather, "
                      f"number {i}</a>{pad}</div>{pad}</li>" for i in range(12))
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    html = _page(f"<div class='main'><div class='l_tit'>Budget passes</div>{meta}"
                 f"<div class='article-wrap'><div class='text'>{text}</div></div>"
                 f"<div><span>Save this article</span></div>"
                 f"<div class='article-wrap more'><ul>{teasers}</ul></div></div>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_in_a_story_centred_throughout_the_line_after_a_photo_is_text_not_a_caption() -> None:
    # a blog post centres every line: centring sets no caption apart, unlike a centred line in a story
    photo = "<p style='text-align: center'><img src='/p{n}.jpg'></p>"
    lines = [f"<p style='text-align: center'>{p}</p>" for p in _paragraphs(6)]
    html = _page(f"<article><h1>Budget passes</h1>{photo.format(n=1)}{''.join(lines[:3])}{photo.format(n=2)}"
                 f"{''.join(lines[3:])}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)
    assert [i.caption for i in rec.images] == [None, None]


def test_an_indented_video_box_in_the_story_goes_and_a_list_citing_sources_stays() -> None:
    pad = "\n" + " " * 40
    video = (f"<div class='rv-root'>{pad}<div>{pad}<a href='#'>Autoplay</a>{pad}<span>on</span>{pad}</div>{pad}"
             f"<h2><a href='/v/1'>Watch: the mayor explains the budget</a></h2>{pad}<p>Loading...</p>{pad}</div>")
    claims = [("Schools get more teachers", "the education report"), ("Roads are repaired soon", "the road plan"),
              ("Clinics open longer", "the health minister")]
    points = [f"{what}, says {source}" for what, source in claims]
    # a third of each point is a link: a list citing its sources, not a box of links
    bullets = "<ul>" + "".join(f"<li>{pad}{what}, says <a href='/s'>{source}</a>{pad}</li>"
                               for what, source in claims) + "</ul>"
    paras = [f"<p>{p}</p>" for p in _paragraphs(6)]
    html = _page(f"<article><h1>Budget passes</h1>{''.join(paras[:3])}{video}{bullets}{''.join(paras[3:])}"
                 "</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)[:3] + points + _paragraphs(6)[3:]


def test_a_label_left_alone_after_its_links_or_script_slots_is_left_out() -> None:
    # the keyword list goes as links and the recommendation slots are filled by script: their labels stay
    keywords = ("<div class='block'><p class='hdg'>Related keywords</p>"
                "<ul class='list'><li><a href='/t/city'>City</a></li></ul></div>")
    slots = "<div class='misc'><div class='txt'>Recommended</div><div class='lnk'></div><div class='lnk'></div></div>"
    paras = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    html = _page(f"<article><h1>Budget passes</h1><div class='text'>{paras}{keywords}{slots}</div></article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert list(rec.paragraphs) == _paragraphs(6)


def test_a_sapo_under_the_lead_photo_and_its_caption_is_still_the_lead() -> None:
    sapo = "Sáng 21/11, Ban Chấp hành Đảng bộ tỉnh họp phiên thường kỳ, bàn nhiệm vụ phát triển năm 2027."
    caption = "Quang cảnh hội nghị. " * 18  # a long caption: more than the lead's allowance of text before it
    text = "".join(f"<p>{p}</p>" for p in _paragraphs(5))
    html = _page(f"<article><h1>Budget passes</h1><figure><img src='/a.jpg'><figcaption>{caption}</figcaption>"
                 f"</figure><div class='sapo'><p>{sapo}</p><p></p></div>{text}</article>")

    rec = extract(html, "https://baohaiduong.example/hoi-nghi")

    assert isinstance(rec, ArticleRecord)
    assert rec.lead == sapo
    assert list(rec.paragraphs) == _paragraphs(5)


def test_an_image_address_written_with_spaces_around_it_is_read_without_them() -> None:
    # HTML strips the spaces around a URL attribute; the area is cleaned from the page's own parse, so no
    # serializer turns the trailing space into "%20"
    paragraphs = "".join(f"<p>{p}</p>" for p in _paragraphs(6))
    html = _page(f"<article><h1>Budget passes</h1><p><img src=' /img/budget.jpg '></p>{paragraphs}</article>")

    rec = extract(html, "https://news.example/budget")

    assert isinstance(rec, ArticleRecord)
    assert [image.url for image in rec.images] == ["https://news.example/img/budget.jpg"]


def test_a_story_split_by_ads_into_chunks_is_read_whole() -> None:
    # The New Yorker (cut down from fundus's test page): each chunk of the story is a grid wrapper around its
    # text column and an empty ad rail, with an ad row between chunks; the first chunk is the longest
    page = Path(__file__).parent / "fixtures" / "pages" / "story_in_ad_chunks.html"

    url = "https://www.newyorker.com/news/annals-of-a-warming-planet/can-glass-bubbles-save-the-arctic-ice"

    rec = extract(page.read_bytes(), url, mentions=False)

    assert isinstance(rec, ArticleRecord)
    assert rec.title == "Can Glass Bubbles Save the Arctic Ice?"
    assert len(rec.paragraphs) == 12  # 8 + 2 + 2: every chunk's paragraphs, in order
    assert rec.paragraphs[0].startswith("On a clear morning in late March")
    assert rec.paragraphs[8].startswith("There were plenty of reasons")
    assert rec.paragraphs[-1].startswith("Geoengineering is powerful for the same reason")
