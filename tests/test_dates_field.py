"""The page's dates (transforms.fields.dates): structured data, meta conventions, bylines in many languages,
refused dates, the day in the page's own offset, the URL's day, and htmldate asked only on weak evidence.
Real pages of htmldate's benchmark (tests/fixtures/pages/htmldate, see SOURCE.md there) and small snippets."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from transforms.dates import find_text_dates, naive_zone, parse_iso
from transforms.extract import extract
from transforms.fields.dates import PageDates, find_page_dates
from transforms.metadata import read_meta
from transforms.profile import Profile
from transforms.record import ArticleRecord

PAGES = Path(__file__).parent / "fixtures" / "pages" / "htmldate"
BODY = "<p>" + "Ein Absatz mit genug Text, damit die Seite als Artikel gilt und nicht als Notiz. " * 4 + "</p>"


def page(head: str = "", body: str = "", lang: str = "de", title: str = "Eine Meldung aus der Stadt") -> bytes:
    return (f'<html lang="{lang}"><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>'
            f"{body}{BODY}</article></body></html>").encode()


def record(html: bytes, url: str = "https://example.org/news/meldung") -> ArticleRecord:
    rec = extract(html, url)
    assert isinstance(rec, ArticleRecord), rec
    return rec


def dates_of(html: bytes, url: str = "https://example.org/news/meldung") -> PageDates:
    root = lxml_html.document_fromstring(html)
    meta = read_meta(root)
    h1 = root.find(".//h1")
    header = " ".join(" ".join(el.itertext()) for el in h1.itersiblings()) if h1 is not None else ""
    return find_page_dates(root, meta, Profile(), url, header, naive_zone(meta.language))


def test_json_ld_published_is_taken_and_modified_is_the_update() -> None:
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebSite", "name": "Stadt"}, {"@type": "NewsArticle", "headline": "Eine Meldung",'
          '"datePublished": "2020-02-03T09:15:00+01:00", "dateModified": "2020-02-05T18:00:00+01:00"}]}</script>')
    rec = record(page(ld))
    assert rec.published_date == date(2020, 2, 3) and rec.published_offset == "+01:00"
    assert rec.published_at == datetime(2020, 2, 3, 8, 15, tzinfo=UTC)
    assert rec.updated_at == datetime(2020, 2, 5, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize("tag", [
    '<meta property="article:published_time" content="2020-02-03T09:15:00+01:00">',
    '<meta property="og:published_time" content="2020-02-03T09:15:00+01:00">',
    '<meta itemprop="datePublished" content="2020-02-03T09:15:00+01:00">',
    '<meta name="DC.date.issued" content="2020-02-03">',
    '<meta name="dcterms.date" content="2020-02-03">',
    '<meta name="sailthru.date" content="February 3, 2020">',
    '<meta name="parsely-pub-date" content="2020-02-03T09:15:00+01:00">',
    '<meta name="pubdate" content="2020-02-03">',
    '<meta name="date" content="2020-02-03">',
    '<meta name="publish-date" content="03.02.2020">',
])
def test_every_meta_convention_gives_the_day(tag: str) -> None:
    found = dates_of(page(tag))
    assert found.published_date == date(2020, 2, 3) and found.evidence == "structured"
    assert not found.asked_htmldate  # the page's own date is clear: htmldate is not called


def test_a_slashed_day_in_a_foreign_meta_tag_is_month_first() -> None:
    assert dates_of(page('<meta name="date" content="11/01/2023 12:43:42">')).published_date == date(2023, 11, 1)
    assert dates_of(page('<meta name="date" content="25/01/2023">')).published_date == date(2023, 1, 25)


@pytest.mark.parametrize(("lang", "line", "day"), [
    ("de", "Veröffentlicht am 24. Januar 2020 um 14:07 Uhr", date(2020, 1, 24)),
    ("en", "Posted on January 24th, 2020 at 10:30 pm", date(2020, 1, 24)),
    ("fr", "Publié le 1er février 2020", date(2020, 2, 1)),
    ("es", "Publicado el 24 de enero de 2020", date(2020, 1, 24)),
    ("pt", "Publicado em 3 de março de 2021", date(2021, 3, 3)),
    ("it", "Pubblicato il 12 settembre 2019", date(2019, 9, 12)),
    ("ru", "Опубликовано 24 января 2020 г.", date(2020, 1, 24)),
    ("tr", "Yayınlanma: 24 Ocak 2020", date(2020, 1, 24)),
    ("ja", "2020年1月24日 公開", date(2020, 1, 24)),
    ("zh", "发布时间：2020/01/24 11:30", date(2020, 1, 24)),
    ("de", "Von: Björn Jahner | 31.10.23", date(2023, 10, 31)),
])
def test_a_byline_in_many_languages(lang: str, line: str, day: date) -> None:
    rec = record(page(body=f'<div class="byline">{line}</div>', lang=lang))
    assert rec.published_date == day


def test_published_and_updated_in_one_byline() -> None:
    hits = find_text_dates("Veröffentlicht am 3. Februar 2020, aktualisiert am 5. Februar 2020", naive_zone("de"))
    assert [h.label for h in hits] == ["published", "updated"]
    rec = record(page(body="<p>Veröffentlicht am 3. Februar 2020, aktualisiert am 5. Februar 2020 um 10:00</p>"))
    assert rec.published_date == date(2020, 2, 3)
    assert rec.updated_at == datetime(2020, 2, 5, 10, 0, tzinfo=UTC)


def test_a_copyright_year_and_a_members_sign_up_day_are_refused() -> None:
    body = "<p>Registriert: 18.09.2008, 05:56 · © 2019 Stadt</p><p>Beitrag vom 21.01.2009, 05:42</p>"
    assert record(page(body=body)).published_date == date(2009, 1, 21)
    # a copyright line alone dates nothing: no day is made up from its year
    assert dates_of(page(body="<p>© 2019 Stadt. Alle Rechte vorbehalten.</p>")).published_date != date(2019, 1, 1)


def test_the_page_clock_before_the_title_is_not_the_date() -> None:
    clock = '<div class="topbar">Montag, 10. Februar 2020 08:00</div>'
    html = page(body='<p class="meta">Veröffentlicht am 3. Februar 2020</p>')
    html = html.replace(b"<body>", b"<body>" + clock.encode())
    assert record(html).published_date == date(2020, 2, 3)


def test_a_foreign_offset_keeps_its_own_day() -> None:
    """21:00 in Moscow is 18:00 UTC and 01:00 the next day in Vietnam: the page's day is the Moscow one."""
    rec = record(page('<meta property="article:published_time" content="2020-01-24T21:00:00+03:00">', lang="ru"))
    assert rec.published_date == date(2020, 1, 24) and rec.published_offset == "+03:00"
    assert rec.published_at == datetime(2020, 1, 24, 18, 0, tzinfo=UTC)


def test_a_naive_foreign_date_keeps_what_it_wrote_without_an_offset() -> None:
    rec = record(page('<meta property="article:published_time" content="2020-01-24T23:30:00">'))
    assert rec.published_date == date(2020, 1, 24) and rec.published_offset is None


def test_a_vietnamese_page_is_dated_in_plus_seven() -> None:
    html = page('<meta property="article:published_time" content="2023-04-04T20:00:00Z">', lang="vi",
                title="Tỉnh ủy Hải Dương họp phiên thường kỳ tháng Tư")
    rec = record(html)
    assert rec.published_date == date(2023, 4, 5) and rec.published_offset == "+07:00"
    assert rec.published_at == datetime(2023, 4, 4, 20, 0, tzinfo=UTC)


def test_an_undated_page_asks_htmldate_and_a_dated_one_does_not() -> None:
    undated = page(body="<p>Zuletzt gesehen: Mittwoch, den 4. März 2020</p>".replace("4. März 2020", "4.3."))
    assert dates_of(undated).asked_htmldate
    assert not dates_of(page('<meta name="date" content="2020-02-03">')).asked_htmldate


def _real(name: str, url: str) -> ArticleRecord | None:
    rec = extract(gzip.decompress((PAGES / name).read_bytes()), url)
    return rec if isinstance(rec, ArticleRecord) else None


def test_a_utc_stamp_a_day_off_the_url_takes_the_urls_day() -> None:
    """WordPress stamps 2018-12-31T23:11:59+00:00; the blog (in Vienna) filed it under /2019/01/01/."""
    rec = _real("literaturgefluester.wordpress.com.jahr.html.gz",
                "https://literaturgefluester.wordpress.com/2019/01/01/ins-neue-jahr-4/")
    assert rec is not None and rec.published_date == date(2019, 1, 1) and rec.published_offset is None
    assert rec.published_at == datetime(2018, 12, 31, 23, 11, 59, tzinfo=UTC)  # the instant is kept


def test_a_structured_date_years_off_the_url_gives_way_to_it() -> None:
    rec = _real("limespace.de.entloeten.html.gz", "https://www.limespace.de/2019/10/22/professionell-entloeten"
                "-so-machen-sie-alte-elektrogeraete-wieder-einsatzbereit/")
    assert rec is not None and rec.published_date == date(2019, 10, 22)


def test_real_pages_month_first_meta_and_an_xhtml_declaration() -> None:
    swiss = _real("simmeltalzeitung.ch-Trinkwasser.html.gz",
                  "http://simmentalzeitung.ch/Simmental/Boltigen/Trinkwasser-in-Schwarzenmatt-belastet-43157.html")
    assert swiss is not None and swiss.published_date == date(2023, 11, 1)
    # an XHTML page opening with <?xml ... encoding="utf-8"?> parses (lxml refuses decoded text with it)
    html = gzip.decompress((PAGES / "dsv.de-synchronschwimmen.html.gz").read_bytes())
    assert html.startswith(b"<?xml")
    found = extract(html, "https://www.dsv.de/synchronschwimmen/aktuelles-synchronschwimmen/lesen/"
                    "?tx_ttnews%5Btt_news%5D=5793&cHash=36febeba61a32f5c94f98d8f59efb32e")
    assert getattr(found, "reason", None) != "empty-page"
    assert dates_of(html).published_date == date(2022, 2, 1)


def _twin_page(ld_stamp: str, tag: str) -> bytes:
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
          f'"headline": "Eine Meldung", "datePublished": "{ld_stamp}"}}</script>')
    return page(f'<meta property="article:published_time" content="{tag}">{ld}', lang="en")


def test_a_utc_stamp_takes_the_day_of_the_meta_tag_naming_the_same_moment_in_local_time() -> None:
    """JSON-LD's 06:35Z on 9 November is the tag's 22:35 on the 8th: the publisher (UTC-8) dated it the 8th."""
    west = dates_of(_twin_page("2023-11-09T06:35:29+00:00", "2023-11-08 22:35:29"))
    assert west.published_date == date(2023, 11, 8) and west.published_offset == "-08:00"
    assert west.published == datetime(2023, 11, 9, 6, 35, 29, tzinfo=UTC)  # the instant is kept
    # an RSS-style tag with its offset: 22:04Z is 00:04 on the 19th in +02:00
    east = dates_of(_twin_page("2019-10-18T22:04:00Z", "Sat, 19 Oct 2019 00:04:00 +0200"))
    assert east.published_date == date(2019, 10, 19) and east.published_offset == "+02:00"
    assert not west.asked_htmldate and not east.asked_htmldate


def test_a_meta_tag_on_another_moment_leaves_the_json_ld_stamp_alone() -> None:
    """A later tag is a re-stamp (the story's record keeps its first day), not the same moment: no twin when
    the gap is not whole quarter hours, is over 14 hours, or the tag states another moment."""
    for tag in ("2023-11-08 22:31:07", "2023-11-12 09:35:29", "2023-11-10T09:35:29+02:00"):
        assert dates_of(_twin_page("2023-11-09T06:35:29Z", tag)).published_date == date(2023, 11, 9), tag


def test_an_rfc_2822_meta_date_keeps_its_offset() -> None:
    assert parse_iso("Sat, 19 Oct 2019 00:04:00 +0200") == datetime(2019, 10, 18, 22, 4, tzinfo=UTC)
    assert parse_iso("19 Oct 2019 00:04 GMT") == datetime(2019, 10, 19, 0, 4, tzinfo=UTC)


def test_a_date_line_inside_the_headline_element_beats_a_date_the_text_quotes() -> None:
    html = ('<html lang="de"><head><title>Zuschauer kehren zurück</title></head><body><article>'
            '<h1>Zuschauer kehren zurück<br><small><span class="icon"></span> 02.02.2022 • Verband</small></h1>'
            '<p>Laut der am 28.01.2022 in Kraft getretenen Verordnung dürfen wieder mehr Zuschauer kommen. '
            + "Ein Absatz mit genug Text, damit die Seite als Artikel gilt. " * 4 + '</p></article></body></html>')
    assert record(html.encode()).published_date == date(2022, 2, 2)


def test_a_worded_date_after_a_preposition_is_a_mention_htmldate_arbitrates() -> None:
    """'am Mi. 11. Februar 2022 ab 11 Uhr' announces an event in running text; a labelled one is a date line."""
    event = page(body="<p>Die Einzelfinals sind am Mi. 11. Februar 2022 ab 11 Uhr, Zuschauer sind erlaubt.</p>")
    found = dates_of(event, "https://example.org/2022/02/03/finals")
    assert found.asked_htmldate and found.published_date == date(2022, 2, 3)
    dated = dates_of(page(body="<p>Erschienen am 11. Februar 2022 bei der Redaktion.</p>"))
    assert not dated.asked_htmldate and dated.published_date == date(2022, 2, 11) and dated.evidence == "byline"
