"""Shared fixtures: the bundled case built once per session, and a helper to build small graphs."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sovkg.derive.knowledge_graph import KnowledgeGraph, build

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 29)
"""The date the bundled-case tests answer for (fixed, so that answers do not drift with the clock)."""

PREAMBLE = """
@base <https://w3id.org/sovkg/id/> .
@prefix sov: <https://w3id.org/sovkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["SOVKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def case() -> KnowledgeGraph:
    """The bundled French case with the reference data, as of :data:`TODAY`."""
    return build(as_of=TODAY)


@pytest.fixture(scope="session")
def case_store(case: KnowledgeGraph) -> Any:
    """The bundled case (named graphs kept) in an Oxigraph store, to compare engines."""
    from sovkg.store.oxigraph import to_oxigraph

    return to_oxigraph(case.dataset)


@pytest.fixture
def make_graph(tmp_path: Path) -> Callable[..., KnowledgeGraph]:
    """Build a graph from inline Turtle (prefixes and @base are added), with or without reference data."""

    def _make(turtle: str, *, as_of: dt.date = TODAY, reference: bool = False) -> KnowledgeGraph:
        path = tmp_path / "inline.ttl"
        path.write_text(PREAMBLE + textwrap.dedent(turtle), encoding="utf-8")
        return build([path], include_case=False, include_reference=reference, as_of=as_of)

    return _make
