"""The cleaner's soup is laid out by clean._Layout, not by BeautifulSoup's handle_* calls: both give the same
objects, attributes and links on a subtree with the cases the soup treats apart."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, PageElement, Tag
from lxml import etree
from lxml import html as lxml_html

from transforms.clean import _SubtreeBuilder, clean_fragment

PAGE = """<html><head><meta charset="utf-8"></head><body><div id="story" class="a  b">
  <h1>Tiêu đề</h1>
  <p>Đoạn <b>một</b>, <i> </i>  <a href="/x">liên kết</a>.</p><!-- a comment --><!---->
  <pre>  giữ
     nguyên  <span> </span> </pre>   <p>sau <?pi x?> pre</p>
  <p>日本<ruby>漢<rt>かん</rt><rp>(</rp></ruby>字</p>
  <meta name="x" content="text/html; charset=utf-8">
  <figure><img src="a.jpg"><figcaption>Ảnh: <em>TTXVN</em></figcaption></figure>
</div>tail text</body></html>"""


class _BySoupCalls(_SubtreeBuilder):
    """The subtree fed through BeautifulSoup's own handle_starttag/handle_data/endData/handle_endtag."""

    def feed(self, markup: Any) -> None:
        soup = self.soup
        assert soup is not None
        namespaces = self.active_namespace_prefixes[-1]
        for name in ("html", "body"):
            soup.handle_starttag(name, None, None, self.attribute_dict_class(), namespaces=namespaces)
        self._walk(soup, markup, namespaces)
        for name in ("body", "html"):
            soup.endData()
            soup.handle_endtag(name)

    def _walk(self, soup: BeautifulSoup, el: Any, namespaces: Any) -> None:
        if isinstance(el.tag, str):
            attrs = self.attribute_dict_class()
            for key, value in el.attrib.items():
                attrs[key] = value
            soup.handle_starttag(el.tag, None, None, attrs, namespaces=namespaces)
            if el.text:
                soup.handle_data(el.text)
            for child in el:
                self._walk(soup, child, namespaces)
            soup.endData()
            soup.handle_endtag(el.tag)
        elif el.tag is etree.Comment:
            self.comment(el.text or "")
        if el.tail:
            soup.handle_data(el.tail)


def _in_order(soup: BeautifulSoup) -> list[PageElement]:
    nodes: list[PageElement] = [soup]
    node: PageElement | None = soup.contents[0]  # the soup links no next_element to its <html>
    while node is not None:
        nodes.append(node)
        node = node.next_element
    return nodes


def _fields(node: PageElement, index: dict[int, int]) -> dict[str, object]:
    """The node's attributes, a linked node by its place in document order."""
    out: dict[str, object] = {"type": type(node), "text": None if isinstance(node, Tag) else str(node)}
    for key, value in vars(node).items():
        if isinstance(value, PageElement):
            out[key] = ("node", index.get(id(value)))
        elif isinstance(value, list) and value and isinstance(value[0], PageElement):
            out[key] = [("node", index.get(id(v))) for v in value]
        elif key == "attrs":
            out[key] = (type(value), dict(value))
        else:
            out[key] = value
    return out


def _layout(builder: _SubtreeBuilder, area: lxml_html.HtmlElement) -> list[dict[str, object]]:
    nodes = _in_order(BeautifulSoup(area, builder=builder))
    index = {id(n): i for i, n in enumerate(nodes)}
    return [_fields(n, index) for n in nodes[1:]]


def test_the_soup_is_laid_out_as_bs4_lays_it_out() -> None:
    area = lxml_html.document_fromstring(PAGE).find(".//div")
    ours = _layout(_SubtreeBuilder(multi_valued_attributes=None), area)
    theirs = _layout(_BySoupCalls(multi_valued_attributes=None), area)
    assert len(ours) == len(theirs) > 30
    assert ours == theirs


def test_the_cleaned_area_reads_as_before() -> None:
    area = lxml_html.document_fromstring(PAGE).find(".//div")
    cleaned = clean_fragment(area, "https://baomoi.example/a.html")
    assert cleaned.images == [("https://baomoi.example/a.jpg", "Ảnh: TTXVN")]
    assert "Đoạn một, liên kết." in cleaned.blocks
    assert cleaned.blocks[-1] == "tail text"
