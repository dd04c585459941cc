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
