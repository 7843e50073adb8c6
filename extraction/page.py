"""HTML page → text: the ad's own words apart from the site's furniture.

Why the split matters: a site's support e-mail or phone sits in the header or footer of every
page, and if it were read as an ad's identifier it would link every ad of that site into one
"network". So every piece of text and every link lands in exactly one of two buckets.

Rules, strongest first (they are general, not tuned to one site):
- `<nav>`, roles navigation/search, and class/id words such as cookie, consent, breadcrumb,
  menu, pagination, related/similar (other ads' snippets) are furniture wherever they sit;
- `<header>`/`<footer>` (and roles banner/contentinfo, and class/id words header/footer) are
  furniture at page level, but inside `<main>`/`<article>` they belong to the ad (an article's
  footer often holds the advertiser's contact);
- `<aside>` and sidebars are furniture unless their class/id says they hold the advertiser's
  contact or profile (directories often put the ad's phone in a side box);
- when the page marks its main content (`<main>` or role=main), unlabelled text outside it is
  furniture.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extraction.charset import decode_html
from extraction.language import guess_language, language_of_tag


@dataclass(frozen=True, slots=True)
class PageText:
    """The readable parts of one fetched page."""

    title: str
    body: str
    furniture: str
    links: tuple[str, ...]
    furniture_links: tuple[str, ...]
    language: str | None
    meta_description: str
    # What the page says it is: og:type and schema.org @type values, lower case ("article
    # newsarticle", "profile", "jobposting"); empty when it says nothing.
    declared_type: str = ""


# Content that is never read as text: code, styling, and embedded documents.
_DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "head"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol",
        "option", "p", "pre", "section", "select", "summary", "table", "tbody", "tfoot", "thead",
        "tr", "ul",
    }
)  # fmt: skip
# Inline elements that read as separate items: menu links written back to back
# (`<a>Jobs</a><a>Companies</a>`) must not merge into one word.
_SPACED_TAGS = frozenset({"td", "th", "a", "button", "label", "input"})

# Furniture wherever it sits, even inside the main content.
_ALWAYS_FURNITURE_TOKENS = frozenset(
    {
        "cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
        "nav", "navbar", "navigation", "menu", "megamenu", "submenu", "pagination", "pager",
        "skip", "newsletter", "related", "similar", "recommended", "suggested", "masthead",
        "topbar", "toolbar", "copyright", "legal", "disclaimer",
    }
)  # fmt: skip
# Furniture only at page level (outside <main>/<article>).
_PAGE_LEVEL_TOKENS = frozenset({"header", "footer", "sidebar", "aside", "banner", "colophon"})
# Side boxes with these words hold the advertiser's details, not the site's.
_CONTENT_HINT_TOKENS = frozenset(
    {"contact", "contacts", "seller", "advertiser", "author", "profile", "vcard", "phone", "owner", "poster"}
)
_ALWAYS_FURNITURE_ROLES = frozenset({"navigation", "search"})
_PAGE_LEVEL_ROLES = frozenset({"banner", "contentinfo", "complementary"})

# Schemes a contact can hide behind; javascript:, data:, file: and the like are dropped.
_LINK_SCHEMES = frozenset(
    {"http", "https", "tel", "mailto", "sms", "callto", "whatsapp", "tg", "viber", "skype", "sgnl", "signal"}
)
_BARE_HOST_HREF = re.compile(r"^(?:www\.|wa\.me/|t\.me/|telegram\.me/|signal\.me/)", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_SPACES = re.compile(r"[^\S\n]+")


def parse_page(html: bytes | str, url: str, content_type: str | None = None) -> PageText:
    """Split a fetched page into title, ad text, site furniture, links and language."""
    text = html if isinstance(html, str) else decode_html(html, content_type)
    if content_type and content_type.split(";")[0].strip().lower() == "text/plain":
        body = _tidy_lines(text)
        return PageText("", body, "", (), (), guess_language(body), "")
    tree = LexborHTMLParser(_shallow(text))
    base = _base_url(tree, url)
    root = _content_root(tree)
    walk = _Walk(base, root)
    if tree.body is not None:
        walk.run(tree.body)
    body = _tidy_lines("".join(walk.body))
    html_tag = tree.css_first("html")
    attrs = html_tag.attributes if html_tag is not None else {}
    declared = language_of_tag(attrs.get("lang") or attrs.get("xml:lang"))
    return PageText(
        title=_title(tree),
        body=body,
        furniture=_tidy_lines("".join(walk.furniture)),
        links=tuple(dict.fromkeys(walk.links)),
        furniture_links=tuple(dict.fromkeys(walk.furniture_links)),
        language=declared or guess_language(body),
        meta_description=_meta_content(tree, ("description", "og:description")),
        declared_type=_declared_type(tree),
    )


# Elements nested deeper than this are read as text of the element at this depth. Browsers stop
# laying out far earlier; the HTML tree builder checks the stack of open elements for each tag,
# so 40,000 nested elements took it minutes (quadratic in the depth).
MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# Tags that never open an element, or that the tree builder closes by itself when the next
# one starts (`<p>` … `<p>`): they do not deepen the tree as written.
_FLAT_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody", "tfoot",
    }
)  # fmt: skip


def _shallow(text: str) -> str:
    """The markup with every tag deeper than MAX_DEPTH dropped (its text kept), in one pass."""
    if text.count("<") < MAX_DEPTH:
        return text
    depth = 0
    pieces: list[str] = []
    kept_until = 0
    for tag in _TAG.finditer(text):
        name = tag.group(2).lower()
        if name in _FLAT_TAGS or tag.group(3):
            continue
        closing = bool(tag.group(1))
        deep = depth > MAX_DEPTH if closing else depth >= MAX_DEPTH
        depth = max(0, depth - 1) if closing else depth + 1
        if deep:
            pieces.append(text[kept_until : tag.start()])
            pieces.append(" ")
            kept_until = tag.end()
    if not pieces:
        return text
    pieces.append(text[kept_until:])
    return "".join(pieces)


def site_furniture_lines(pages: Sequence[str], min_share: float = 0.8, min_pages: int = 5) -> set[str]:
    """Lines that recur in most pages of one site: furniture the markup did not reveal.

    The share is high on purpose: ads of one network on one site repeat their own signature
    line, and that line is evidence, not furniture. Even so, a site whose few pages all come
    from one network will have that network's lines returned, so callers should use this only
    to discount contact identifiers on such lines, never to drop text.
    """
    if len(pages) < min_pages:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({line.strip() for line in page.splitlines() if line.strip()})
    # Shares compared as fractions of whole pages: 0.8 * 5 is 4.000…1 in floating point.
    needed = max(2, math.ceil(round(min_share * len(pages), 9)))
    return {line for line, count in seen.items() if count >= needed}


class _Walk:
    """One pass over the DOM that routes text and links to the ad or the furniture bucket.

    Iterative (not recursive) so that pathologically deep markup cannot exhaust the stack.
    """

    def __init__(self, base: str, root: LexborNode | None) -> None:
        self.base = base
        self.root = root
        self.root_path = _ancestor_ids(root) if root is not None else set()
        self.root_declared = root is not None and (
            root.tag == "main" or (root.attributes.get("role") or "").strip().lower() == "main"
        )
        self.body: list[str] = []
        self.furniture: list[str] = []
        self.links: list[str] = []
        self.furniture_links: list[str] = []

    def run(self, start: LexborNode) -> None:
        # Stack items: (node or closing separator, is_furniture, inside_content).
        stack: list[tuple[LexborNode | str, bool, bool]] = [(start, False, False)]
        while stack:
            node, furniture, inside = stack.pop()
            if isinstance(node, str):
                self._emit(node, furniture)
                continue
            if node.is_text_node:
                self._emit(_SPACES.sub(" ", (node.text_content or "").replace("\n", " ")), furniture)
                continue
            tag = node.tag or ""
            if not node.is_element_node or tag in _DROPPED_TAGS:
                continue
            if tag in {"main", "article"} or (self.root is not None and node.mem_id == self.root.mem_id):
                inside = True
            furniture = furniture or self._is_furniture(node, tag, inside)
            self._leaf(node, tag, furniture)
            separator = "\n" if tag in _BLOCK_TAGS else " " if tag in _SPACED_TAGS else ""
            if separator:
                self._emit(separator, furniture)
                stack.append((separator, furniture, inside))
            stack.extend((child, furniture, inside) for child in reversed(list(_children(node))))

    def _is_furniture(self, node: LexborNode, tag: str, inside: bool) -> bool:
        if tag in {"body", "html", "article"} or (self.root is not None and self._on_root_path(node)):
            # The page's own wrappers (`<body class="site-navigation-…">`) hold everything; the
            # marked main content and its ancestors are never furniture as a whole, and an
            # article's class words name its topic (`category-legal tag-cookies`), not its role.
            return False
        attrs = node.attributes
        role = (attrs.get("role") or "").strip().lower()
        tokens = _tokens(attrs.get("class"), attrs.get("id"))
        if tag == "nav" or role in _ALWAYS_FURNITURE_ROLES or tokens & _ALWAYS_FURNITURE_TOKENS:
            return True
        page_level = not inside and not self._on_root_path(node)
        if tag in {"header", "footer"} or role in {"banner", "contentinfo"} or tokens & {"header", "footer"}:
            return page_level
        if tag == "aside" or role in _PAGE_LEVEL_ROLES or tokens & _PAGE_LEVEL_TOKENS:
            return not tokens & _CONTENT_HINT_TOKENS and (page_level or tag == "aside")
        # Outside a declared <main>, unlabelled blocks are the site's, not the ad's.
        return page_level and self.root_declared and tag in _BLOCK_TAGS

    def _on_root_path(self, node: LexborNode) -> bool:
        return node.mem_id in self.root_path

    def _leaf(self, node: LexborNode, tag: str, furniture: bool) -> None:
        if tag == "br":
            self._emit("\n", furniture)
        elif tag == "img":
            alt = (node.attributes.get("alt") or "").strip()
            if alt:
                self._emit(f" {alt} ", furniture)
        elif tag in {"a", "area"}:
            link = _absolute_link(node.attributes.get("href"), self.base)
            if link is not None:
                (self.furniture_links if furniture else self.links).append(link)

    def _emit(self, piece: str, furniture: bool) -> None:
        (self.furniture if furniture else self.body).append(piece)


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _ancestor_ids(node: LexborNode) -> set[int]:
    ids: set[int] = set()
    current: LexborNode | None = node
    while current is not None:
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _tokens(*values: str | None) -> set[str]:
    """Words of class/id values: `site-header`, `cookieBanner`, `nav_main` → their parts."""
    words: set[str] = set()
    for value in values:
        if value:
            words.update(part.lower() for part in _TOKEN_SPLIT.split(value) if part)
    return words


def _content_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The element the page itself marks as its main content, if it marks one."""
    main = tree.css_first("main") or tree.css_first("[role=main]")
    if main is not None:
        return main
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    for selector in ("#content", "#main", "#main-content", "#maincontent"):
        found = tree.css_first(selector)
        if found is not None:
            return found
    return None


def _absolute_link(href: str | None, base: str) -> str | None:
    if not href:
        return None
    # Browsers ignore tabs and newlines anywhere in a URL; pages use them to dodge scrapers.
    href = re.sub(r"[\t\n\r]", "", href).strip()
    if not href or href.startswith("#"):
        return None
    if _BARE_HOST_HREF.match(href):
        href = "https://" + href
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return None
    scheme = _SCHEME.match(absolute)
    if scheme is None or scheme.group(1).lower() not in _LINK_SCHEMES:
        return None
    return absolute


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    if not href:
        return url
    try:
        return urljoin(url, href.strip())
    except ValueError:
        return url


def _title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("title")
    title = " ".join(node.text().split()) if node is not None else ""
    return title or _meta_content(tree, ("og:title",))


_SCHEMA_TYPE = re.compile(r'"@type"\s*:\s*(?:\[\s*)?"([A-Za-z]{2,40})"')
_MAX_TYPES = 12


def _declared_type(tree: LexborHTMLParser) -> str:
    """og:type and schema.org @type values (JSON-LD and microdata), lower case, once each."""
    found = [_meta_content(tree, ("og:type",)).lower()]
    for script in tree.css('script[type="application/ld+json"]'):
        found.extend(m.group(1).lower() for m in _SCHEMA_TYPE.finditer(script.text()[:20000]))
    for node in tree.css("[itemtype]"):
        found.append((node.attributes.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower())
    return " ".join(list(dict.fromkeys(t for t in found if t))[:_MAX_TYPES])


def _meta_content(tree: LexborHTMLParser, names: tuple[str, ...]) -> str:
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        if key in names and attrs.get("content"):
            return " ".join((attrs.get("content") or "").split())
    return ""


def _tidy_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
