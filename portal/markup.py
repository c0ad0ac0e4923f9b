"""Editor-written Markdown to safe HTML, and to plain text for the search index."""

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}
_TAG_RE = re.compile(r"<[^>]+>")


def markdown_to_html(text: str) -> str:
    """Markdown rendered, then sanitised: raw HTML and scripts never reach the page.

    Headings start at h2 because the page title is the h1.
    """
    rendered = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def markdown_to_text(text: str) -> str:
    """What a reader sees, without markup: indexed and used in snippets."""
    plain = _TAG_RE.sub(" ", markdown_to_html(text))
    return re.sub(r"\s+", " ", html.unescape(plain)).strip()


_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKERS_RE = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")
_MD_EMPHASIS_RE = re.compile(r"[*_`~]+")


def markdown_to_snippet_text(text: str) -> str:
    """A cheap plain-text reading of Markdown for search snippets (no rendering).

    Snippets are cut and escaped afterwards; exactness matters less than speed,
    as a results page makes one per hit.
    """
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_MARKERS_RE.sub("", text)
    text = _MD_EMPHASIS_RE.sub("", _TAG_RE.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip()
