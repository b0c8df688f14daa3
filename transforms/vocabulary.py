"""The names pages give their parts (class/id/itemprop/role fragments, URL segments), grouped by concept.

One home for the words (as trafilatura's xpaths.py is): each token is written once, in the group of what
it names, with the patterns that use it. Every name pattern of the extractor is built from this table, so
the composition of each pattern is explicit and a word added to a concept reaches the patterns it is
listed for.

The patterns (the `use` tags):
- ARTICLE_NAMES: article-like names that score a node up (generic._weight)
- MAYBE_ARTICLE: names that save a furniture-named container from the unlikely sweep (readability's
  "maybe candidates")
- NEGATIVE_NAMES: furniture names that score a node down
- UNLIKELY_NAMES: containers dropped before scoring (readability's "unlikely candidates")
- BOX: boxes inside the article area that are furniture whatever their text (drop_link_boxes)
- BOILER: widgets the BeautifulSoup cleaner decomposes (clean.py)
- CAPTION: photo captions, taken out of the text flow
- LEAD: boxes named as the lead/sapo
- BYLINE: boxes after the body that hold the byline
- MARK: elements marked up as the byline (a stricter, word-bounded set)
- SIGNUP_PATH / AUTHOR_PATH: URL path segments of login pages and of a writer's own page
- CRUMB / TAG_BOX: class substrings of the breadcrumb and of the tag box (substrings, literal)
- ROLE: ARIA roles that never hold the story (exact values)

Tokens are regular-expression fragments, except for CRUMB, TAG_BOX and ROLE (literal strings). The
patterns are case-sensitive on lowercased names unless built with a flag (LEAD, BYLINE).
"""

from __future__ import annotations

import re

POSITIVE, MAYBE, NEGATIVE, UNLIKELY, BOX, BOILER, CAPTION, LEAD, BYLINE, MARK = (
    "positive", "maybe", "negative", "unlikely", "box", "boiler", "caption", "lead", "byline", "mark")
SIGNUP_PATH, AUTHOR_PATH, CRUMB, TAG_BOX, ROLE = "signup_path", "author_path", "crumb", "tag_box", "role"

Entry = tuple[str, ...]  # (token, use, use, ...)

# -- what holds the story -------------------------------------------------------------------------------
ARTICLE: tuple[Entry, ...] = (
    ("article", POSITIVE, MAYBE), ("content", POSITIVE, MAYBE), ("body", POSITIVE, MAYBE),
    ("story", POSITIVE, MAYBE), ("entry", POSITIVE, MAYBE), ("main", POSITIVE, MAYBE),
    ("fck", POSITIVE, MAYBE),  # FCKeditor's output wrapper
    ("journal", POSITIVE, MAYBE),  # Liferay's journal-content-article
    ("chi-?tiet", POSITIVE, MAYBE), ("noi-?dung", POSITIVE, MAYBE), ("artikel", POSITIVE, MAYBE),
    ("detail", POSITIVE), ("post", POSITIVE), ("text", POSITIVE), ("cms", POSITIVE), ("inhalt", POSITIVE),
    ("hentry", POSITIVE), ("blog", POSITIVE),
    ("shadow", MAYBE), ("post-?text", MAYBE),
)

# -- comments -------------------------------------------------------------------------------------------
COMMENTS: tuple[Entry, ...] = (
    ("comment", NEGATIVE, UNLIKELY, BOILER, BOX), ("binh-?luan", NEGATIVE, UNLIKELY, BOILER),
    ("community", UNLIKELY), ("disqus", UNLIKELY), ("remark", UNLIKELY), ("replies", UNLIKELY),
    ("shoutbox", UNLIKELY), ("kommentar", UNLIKELY),  # also "leserkommentar"
)

# -- related, other, most read and recommended news -------------------------------------------------------
RELATED: tuple[Entry, ...] = (
    ("related", NEGATIVE, UNLIKELY, BOILER, BOX), ("lien-?quan", NEGATIVE, UNLIKELY, BOILER, BOX),
    ("tin-?khac", NEGATIVE, UNLIKELY, BOILER, BOX),
    ("recommend", NEGATIVE, UNLIKELY, BOX), ("teaser", NEGATIVE, BOX, LEAD),
    ("doc-?nhieu", NEGATIVE, UNLIKELY, BOILER), ("xem-?nhieu", UNLIKELY, BOILER),
    ("latest", NEGATIVE, BOILER), ("other", NEGATIVE), ("most", NEGATIVE), ("hot-?news", NEGATIVE),
    ("list-news", NEGATIVE), ("listing", NEGATIVE), ("box-cat", NEGATIVE),
    ("other-?news", BOILER), ("most-?read", BOILER), ("most-?view", BOILER),
    ("most-?(?:read|popular|viewed)", UNLIKELY), ("trending", UNLIKELY), ("newsticker", UNLIKELY),
    ("weiterlesen", UNLIKELY), ("empfehlung", UNLIKELY), ("mehr-?zum", UNLIKELY),
    ("more-?stories", BOX), ("read-?more", BOX), ("also-?read", BOX),
    ("outbrain", NEGATIVE, UNLIKELY, BOX), ("taboola", NEGATIVE, UNLIKELY, BOX),
)

# -- share and social buttons ---------------------------------------------------------------------------
SHARE: tuple[Entry, ...] = (
    ("share", NEGATIVE, UNLIKELY, BOILER, BOX), ("social", NEGATIVE, UNLIKELY, BOILER, BOX),
)

# -- ads, sponsors, banners -----------------------------------------------------------------------------
ADS: tuple[Entry, ...] = (
    (r"\bads?\b", UNLIKELY, BOILER, BOX), ("-ad-", UNLIKELY), ("advert", NEGATIVE, UNLIKELY, BOILER, BOX),
    ("banner", NEGATIVE, UNLIKELY, BOILER), ("sponsor", NEGATIVE, UNLIKELY, BOX),
    ("promo", NEGATIVE, UNLIKELY, BOX), ("quang-?cao", BOILER), ("skyscraper", UNLIKELY),
    ("combx", UNLIKELY), ("supplemental", UNLIKELY),
)

# -- navigation, menus, breadcrumbs, paging --------------------------------------------------------------
NAVIGATION: tuple[Entry, ...] = (
    ("menu", NEGATIVE, UNLIKELY, BOILER, ROLE), (r"\bnav", NEGATIVE), ("nav-", UNLIKELY),
    (r"-nav\b", UNLIKELY), ("navbar", UNLIKELY), ("navigation", UNLIKELY, BOILER, ROLE),
    ("menubar", ROLE),
    ("breadcrumb", NEGATIVE, UNLIKELY, BOILER, CRUMB), ("Breadcrumb", CRUMB),
    ("pager", NEGATIVE, BOILER), (r"pager\b", UNLIKELY), ("paging", NEGATIVE, BOILER),
    ("pagination", UNLIKELY, BOILER),
    ("sidebar", NEGATIVE, UNLIKELY, BOILER), ("col-right", NEGATIVE, UNLIKELY, BOILER),
    ("complementary", ROLE),
    ("header", NEGATIVE), ("masthead", NEGATIVE), ("clock", NEGATIVE, BOILER), ("hotline", BOILER),
    ("back-?top", BOILER), ("sticky", BOILER),
    ("widget", NEGATIVE, BOILER, BOX),  # a CMS block: the cleaner spares a heading named so (clean._boiler)
)

# -- footer ---------------------------------------------------------------------------------------------
FOOTER: tuple[Entry, ...] = (
    ("footer", NEGATIVE, UNLIKELY), ("legends", UNLIKELY), ("rss", UNLIKELY),
)

# -- print, font size, rating and other tools -----------------------------------------------------------
TOOLS: tuple[Entry, ...] = (
    ("print", BOILER),  # also "print-link"
    ("btn-", BOILER), ("tool-bottom", BOILER), ("toolbar", BOILER), ("rating", BOILER),
    ("font-?size", BOILER),
)

# -- newsletters, sign-up, login, cookie banners and pop-ups ------------------------------------------------
PROMPTS: tuple[Entry, ...] = (
    ("newsletter", NEGATIVE, UNLIKELY, BOILER, BOX), ("subscri", UNLIKELY), ("subscribe", BOILER, SIGNUP_PATH),
    ("signup", UNLIKELY), ("sign-up", UNLIKELY), ("login", UNLIKELY, BOILER),
    ("cookie", UNLIKELY, BOILER), ("consent", UNLIKELY), ("gdpr", UNLIKELY),
    ("popup", UNLIKELY, BOILER), ("modal", UNLIKELY, BOILER), ("overlay", UNLIKELY),
    ("alert", ROLE), ("alertdialog", ROLE), ("dialog", ROLE),
    ("log-?in", SIGNUP_PATH), ("sign-?(?:in|up)", SIGNUP_PATH), ("register", SIGNUP_PATH),
    ("registration", SIGNUP_PATH), ("subscription", SIGNUP_PATH), ("account", SIGNUP_PATH),
    ("dang-?nhap", SIGNUP_PATH), ("dang-?ky", SIGNUP_PATH),
)

# -- fact boxes -----------------------------------------------------------------------------------------
FACT_BOXES: tuple[Entry, ...] = (
    ("fact-?box", BOX), ("info-?box", BOX),
)

# -- captions -------------------------------------------------------------------------------------------
CAPTIONS: tuple[Entry, ...] = (
    ("caption", CAPTION),  # also "imagecaption", "img_caption"
    ("image_desc", CAPTION), ("img-desc", CAPTION), ("desc-image", CAPTION), ("photo-?desc", CAPTION),
    ("chu-?thich", CAPTION), ("expnote", CAPTION), ("pic-?desc", CAPTION), ("media-?info", CAPTION),
)

# -- lead (sapo, standfirst) ------------------------------------------------------------------------------
LEADS: tuple[Entry, ...] = (
    ("sapo", LEAD), (r"\blead", LEAD), ("summary", LEAD), ("chapeau", LEAD), ("description", LEAD),
    ("intro", LEAD), ("tom-?tat", LEAD), ("abstract", LEAD), ("subtitle", LEAD), ("standfirst", LEAD),
    ("excerpt", LEAD), ("preface", LEAD),
)

# -- byline, author -------------------------------------------------------------------------------------
BYLINES: tuple[Entry, ...] = (
    ("byline", NEGATIVE, BYLINE), ("meta", NEGATIVE), ("author", BYLINE), ("author-box", BOILER),
    ("tac-?gia", BYLINE), ("writer", BYLINE), ("reporter", BYLINE), ("nguon", BYLINE), ("source", BYLINE),
    ("photo", BYLINE), ("credit", BYLINE), ("signature", BYLINE),
    (r"\bbyline\b", MARK), (r"\bauthor(?:-?name)?\b", MARK), (r"\bbyline__", MARK), (r"\bauthor__name", MARK),
    (r"\btac-?gia\b", MARK),
    ("authors?", AUTHOR_PATH), ("autor(?:en)?", AUTHOR_PATH), ("auteurs?", AUTHOR_PATH),
    ("writers?", AUTHOR_PATH), ("tac-gia", AUTHOR_PATH),
)

# -- tags, keywords -------------------------------------------------------------------------------------
TAGS: tuple[Entry, ...] = (
    (r"\btags?\b", NEGATIVE), (r"tags?\b", BOILER), ("keyword", BOILER, TAG_BOX), ("tu-?khoa", BOILER),
    ("tags", TAG_BOX), ("tu-khoa", TAG_BOX),
)

GROUPS: tuple[tuple[Entry, ...], ...] = (ARTICLE, COMMENTS, RELATED, SHARE, ADS, NAVIGATION, FOOTER, TOOLS,
                                         PROMPTS, FACT_BOXES, CAPTIONS, LEADS, BYLINES, TAGS)


def tokens(use: str) -> tuple[str, ...]:
    """The tokens of one pattern, in table order."""
    return tuple(entry[0] for group in GROUPS for entry in group if use in entry[1:])


def pattern(use: str, flags: int = 0) -> re.Pattern[str]:
    """One pattern's tokens as an alternation."""
    return re.compile("|".join(tokens(use)), flags)


# -- a portal's chrome: whole class/id names, not fragments ------------------------------------------------
# Menus, title bars of portlets and web parts, breadcrumbs, category headings, logos, related and most-read
# boxes (Liferay, SharePoint, ASP.NET portals; docs/SOURCES.md). Matched as whole names on an element and
# its nearest ancestors (furniture.is_chrome): a page-wide wrapper's utility classes ("cs-sidebar-enabled",
# "c-breadcrumb__title" on a news site's own headline) say nothing.
CHROME_NAMES = frozenset({
    "portlet-title", "portlet-title-text", "portlet-topper", "portlet-navigation", "portlet-most-viewed",
    "asset-links", "header-title", "asset-publisher-header", "dockbar", "dockbar-title", "logo", "sidebar",
    "footer", "pagetitle", "ms-core-pagetitle", "ms-webpart-chrome-title", "ms-webpart-titletext",
    "ms-quicklaunch-group", "ms-quicklaunch-title", "ms-core-navigation", "sidenavbox", "cate-title",
    "cat-title", "cat-name", "title-cat", "title-bar", "box-title", "title-box", "category-title",
    "tinlienquan", "tin-lien-quan", "tincungchuyenmuc", "tin-cung-chuyen-muc", "related", "most-viewed",
    "doc-nhieu", "box-doc-nhieu", "menu-title", "nav-heading",
})
# a linked item under a menu's or breadcrumb's own name ("navbar-nav", "breadcrumb_item")
CHROME_PREFIX = re.compile(r"^(?:nav|navbar|navigation|menu|breadcrumbs?)(?:[-_][a-z-]*)?$")
CHROME_TAGS = frozenset({"nav", "footer", "menu"})
# a heading named as a title (Liferay's div.asset-full-content-title); not "headline": mw-headline heads a
# section
TITLE_CLASS = re.compile(r"title|tieu-?de", re.IGNORECASE)

ARTICLE_NAMES = pattern(POSITIVE)
MAYBE_ARTICLE = pattern(MAYBE)
NEGATIVE_NAMES = pattern(NEGATIVE)
UNLIKELY_NAMES = pattern(UNLIKELY)
BOX_NAMES = pattern(BOX)
BOILER_CLASS = pattern(BOILER)
CAPTION_CLASS = pattern(CAPTION)
LEAD_CLASS = pattern(LEAD, re.IGNORECASE)
BYLINE_CLASS = pattern(BYLINE, re.IGNORECASE)
BYLINE_MARK = pattern(MARK)
# a whole path segment, so that "/dang-ky-tam-tru" (a public service) or "/designing-x" is no sign-up link
SIGNUP_SEGMENT = re.compile(f"(?:{'|'.join(tokens(SIGNUP_PATH))})(?:\\.\\w+)?")
# a link to the writer's own page ("/author/jane-doe/", "/tac-gia/dao-quyen"): its text is the name
AUTHOR_PAGE = re.compile(f"/(?:{'|'.join(tokens(AUTHOR_PATH))})/(?:[\\w-]+/)?[^/?#]+/?$", re.IGNORECASE)
UNLIKELY_ROLES = tokens(ROLE)
