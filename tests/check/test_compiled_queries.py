"""Translated SPARQL queries kept on disk give the same answers as freshly parsed ones.

Queries whose algebra holds a lambda (some SPARQL built-ins) cannot be pickled: sovkg then keeps them
in memory only, which the second test checks gives the same answers too.
"""

from __future__ import annotations

import pytest
from rdflib.namespace import SH
from rdflib.plugins.sparql import processor

from sovkg.ask.queries import list_queries, result_rows
from sovkg.check import compiled_queries
from sovkg.check.shapes import load_shapes
from sovkg.core.namespaces import PREFIXES

_SHAPES = load_shapes()
_DECLARED = {str(p): str(n) for d in _SHAPES.subjects(SH.prefix, None)
             for p in _SHAPES.objects(d, SH.prefix) for n in _SHAPES.objects(d, SH.namespace)}
_HEADER = "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(_DECLARED.items()))
SHAPE_QUERIES = sorted({_HEADER + str(q).replace("$this", "?this").replace("$currentShape", "?currentShape")
                        for q in _SHAPES.objects(None, SH.select)})
CQ_QUERIES = [spec.text for spec in list_queries("cq")]
ALL = SHAPE_QUERIES + CQ_QUERIES


def test_queries_were_collected():
    assert len(SHAPE_QUERIES) >= 20 and len(CQ_QUERIES) >= 12


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOVKG_CACHE_DIR", str(tmp_path))
    compiled_queries._memory.clear()
    yield tmp_path
    compiled_queries._memory.clear()


@pytest.mark.parametrize("text", ALL, ids=range(len(ALL)))
def test_a_query_read_back_from_disk_answers_like_the_parsed_one(text, case, own_cache):
    namespaces = dict(PREFIXES)
    fresh = processor.translateQuery(processor.parseQuery(text), None, namespaces)
    compiled_queries.translated(text, None, namespaces)      # parses, and stores it when it can
    compiled_queries._memory.clear()
    again = compiled_queries.translated(text, None, namespaces)  # from disk when it was stored
    assert result_rows(case.union.query(again)) == result_rows(case.union.query(fresh))


def test_most_shape_queries_are_stored(own_cache):
    for text in SHAPE_QUERIES:
        compiled_queries.translated(text, None, dict(PREFIXES))
    stored = list((own_cache / "sparql").glob("*.pickle"))
    assert len(stored) >= len(SHAPE_QUERIES) // 2
