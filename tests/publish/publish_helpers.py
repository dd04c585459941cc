"""Helpers of the publish tests: paths, and the check that an HTML page loads nothing remote."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "tests" / "fixtures" / "derive" / "chain.ttl"


class _Resources(HTMLParser):
    """Collects the URLs a page loads (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "object", "image", "use"):
            for key in ("src", "href", "data", "xlink:href"):
                if values.get(key):
                    self.loaded.append(f"<{tag} {key}={values[key]}>")
        if tag == "link" and values.get("href"):
            rel = (values.get("rel") or "").lower()
            if rel in ("stylesheet", "icon", "preload", "import", "manifest", "modulepreload"):
                self.loaded.append(f"<link rel={rel} href={values['href']}>")


def remote_resources(html: str) -> list[str]:
    """Every remote (http, https or protocol-relative) resource an HTML page would load."""
    parser = _Resources()
    parser.feed(html)
    remote = [r for r in parser.loaded if re.search(r"=(https?:)?//", r)]
    remote += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", html)
    remote += re.findall(r"@import\s+['\"]?(?:https?:)?//\S+", html)
    return remote


class _Tables(HTMLParser):
    """Collects the text of the cells of the tables whose class is ``wanted``."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            classes = (dict(attrs).get("class") or "").split()
            if self.depth or self.wanted in classes:
                self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []
        elif self.cell and tag == "li":
            self.cell.append("; ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, css_class: str) -> list[list[str]]:
    """The rows (lists of cell texts; list items joined by ``;``) of the tables of class ``css_class``."""
    parser = _Tables(css_class)
    parser.feed(html)
    return parser.rows


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "xlink:href"):
            if tag in ("a", "link") and values.get(key):
                self.hrefs.append(str(values[key]))


def links(html: str) -> list[str]:
    """Every ``href`` of the page's ``<a>`` and ``<link>`` elements (SVG links included)."""
    parser = _Links()
    parser.feed(html)
    return parser.hrefs
