"""The Jinja2 environment of sovkg's HTML pages (templates in ``sovkg/publish/templates/``).

Takes a language; gives an environment whose templates autoescape and can call ``t(key, **values)``
(the message catalogue, :mod:`sovkg.core.i18n`) and ``level(name)``.

>>> render("macros.html", lang="fr")
''
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sovkg.core.i18n import check_lang, level, message
from sovkg.core.version import __version__


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("sovkg.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def render(template: str, *, lang: str, **context: Any) -> str:
    """Render ``template`` in ``lang`` with ``context`` (plus ``lang``, ``version``, ``t`` and ``level``)."""
    check_lang(lang)

    def t(key: str, **values: Any) -> str:
        return message(key, lang, **values)

    return _environment().get_template(template).render(
        lang=lang, version=__version__, t=t, level=lambda name: level(name, lang), **context
    ).strip()
