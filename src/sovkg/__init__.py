"""sovkg — which law can reach sensitive data, through whom, and which rule that breaks.

The Python API mirrors the CLI; every function takes the same options (``data``, ``include_case``,
``as_of``) and returns frozen dataclasses::

    from sovkg import build, exposure, validate, explain, report, query, export

Importing ``sovkg`` is cheap: the RDF stack loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sovkg.core.version import __version__

if TYPE_CHECKING:
    from sovkg.api import KnowledgeGraph, build, explain, export, exposure, query, report, validate

__all__ = ["KnowledgeGraph", "__version__", "build", "explain", "export", "exposure", "query", "report", "validate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sovkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'sovkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
