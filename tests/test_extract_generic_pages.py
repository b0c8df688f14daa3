"""The generic extractor on small hand-written pages: the page shapes real sites have that broke it once
(comments between blocks, a body split over many wrappers, a story inside <aside>, a listing)."""

from __future__ import annotations

from datetime import date

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
