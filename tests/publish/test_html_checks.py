"""The check the HTML tests rely on: it finds every kind of remote resource a page could load."""

from __future__ import annotations

from publish_helpers import remote_resources


def test_remote_resources_finds_scripts_styles_images_and_css_urls() -> None:
    page = """<html><head>
    <link rel="stylesheet" href="https://cdn.example.org/a.css">
    <script src="//cdn.example.org/a.js"></script>
    <style>body { background: url("https://example.org/b.png"); } @import 'https://example.org/c.css';</style>
    </head><body><img src="http://example.org/d.png">
    <a href="https://example.org/a-link-is-fine">x</a><img src="data:image/png;base64,AAAA"></body></html>"""
    assert len(remote_resources(page)) == 5


def test_remote_resources_allows_links_and_local_resources() -> None:
    page = '<a href="https://example.org/source">source</a><link rel="alternate" href="x.ttl"><img src="a.png">'
    assert remote_resources(page) == []
