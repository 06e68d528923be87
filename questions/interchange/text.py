"""Text from question files as clean plain text (pure).

Moodle marks each text with a format: ``html``, ``markdown``, ``plain`` (``plain_text`` in XML) or
``moodle`` (``moodle_auto_format``: plain text with line breaks kept). Questions here are plain
text with paragraphs separated by a blank line and "- " list items, as the bank files write them
(see frontend/src/lib/text.ts), so every format becomes that: HTML through BeautifulSoup, Markdown
through markdown-it (rendered to HTML first), plain and Moodle text as they are.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt

FORMATS = ("html", "markdown", "plain", "moodle")
XML_FORMATS = {"html": "html", "markdown": "markdown", "plain_text": "plain", "moodle_auto_format": "moodle"}

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table", "tr"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_markdown = MarkdownIt("commonmark")


def _normalise(text: str) -> str:
    """Trim each line, collapse runs of spaces, and keep at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _walk(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction"):
                if child.__class__.__name__ == "CData":
                    parts.append(str(child))
                continue
            parts.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if name in ("script", "style", "head", "title"):
                continue
            if name == "br":
                parts.append("\n")
                continue
            if name == "img":
                alt = child.get("alt")
                if alt:
                    parts.append(f"[image: {alt}]")
                continue
            if name == "li":
                parts.append("\n- ")
                _walk(child, parts)
                parts.append("\n")
                continue
            block = name in _BLOCKS
            if block:
                parts.append("\n\n")
            _walk(child, parts)
            if block:
                parts.append("\n\n")


def html_to_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    parts: list[str] = []
    _walk(soup, parts)
    text = "".join(parts)
    # List items are lines of their own, without blank lines between them.
    text = re.sub(r"\n\s*\n(?=- )", "\n", text)
    return _normalise(text)


def clean_text(text: str, fmt: str = "moodle") -> str:
    """``text`` in one of ``FORMATS`` as clean plain text."""
    if fmt == "html":
        return html_to_text(text)
    if fmt == "markdown":
        return html_to_text(_markdown.render(text))
    return _normalise(text)
