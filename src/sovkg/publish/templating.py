"""The Jinja2 environment of sovkg's HTML pages (templates in ``sovkg/publish/templates/``).

Takes a language; gives an environment whose templates autoescape and can call ``t(key, **values)``
(the message catalogue, :mod:`sovkg.core.i18n`) and ``level(name)``. Every ``href`` goes through the
``safe_href`` filter: the graph may come from anyone's files, and an IRI or a source address such as
``javascript:…`` must not become a live link.

>>> render("macros.html", lang="fr")
''
>>> safe_href("https://www.legifrance.gouv.fr/x"), safe_href("../org/a.html"), safe_href("javascript:alert(1)")
('https://www.legifrance.gouv.fr/x', '../org/a.html', '#')
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sovkg.core.i18n import check_lang, level, message
from sovkg.core.version import __version__

SAFE_SCHEMES = ("http", "https", "mailto", "ftp", "urn", "doi")
"""The URL schemes a page may link to; anything else (``javascript:``, ``data:``, ``file:``…) becomes ``#``."""


def safe_href(url: object) -> str:
    """``url`` if it is relative or uses one of :data:`SAFE_SCHEMES`, else ``"#"``."""
    text = str(url).strip()
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if match is None:
        return "#" if re.search(r"[\x00-\x1f]", text) else text
    return text if match.group(1).lower() in SAFE_SCHEMES else "#"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("sovkg.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    environment.filters["safe_href"] = safe_href
    return environment


def render(template: str, *, lang: str, **context: Any) -> str:
    """Render ``template`` in ``lang`` with ``context`` (plus ``lang``, ``version``, ``t`` and ``level``)."""
    check_lang(lang)

    def t(key: str, **values: Any) -> str:
        return message(key, lang, **values)

    return _environment().get_template(template).render(
        lang=lang, version=__version__, t=t, level=lambda name: level(name, lang), **context
    ).strip()
