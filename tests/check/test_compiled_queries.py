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


# ------------------------------------------------------------------------ whose files are unpickled

_TEXT = "SELECT ?s WHERE { ?s a sov:Party } ORDER BY ?s"


def _stored(own_cache):
    compiled_queries.translated(_TEXT, None, dict(PREFIXES))
    compiled_queries._memory.clear()
    (entry,) = (own_cache / "sparql").glob("*.pickle")
    return entry


def _planted(entry, marker):
    """Replace a cache entry by a pickle that would create ``marker`` when loaded."""
    import os
    import pickle

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    entry.write_bytes(pickle.dumps(Payload()))


def test_the_cache_is_private_and_read_back(own_cache, monkeypatch):
    entry = _stored(own_cache)
    assert (own_cache / "sparql").stat().st_mode & 0o777 == 0o700
    assert entry.stat().st_mode & 0o777 == 0o600
    loads = []
    real_load = compiled_queries.pickle.load
    monkeypatch.setattr(compiled_queries.pickle, "load", lambda handle: loads.append(1) or real_load(handle))
    again = compiled_queries.translated(_TEXT, None, dict(PREFIXES))
    assert loads == [1] and again is not None


@pytest.mark.parametrize("loosen", ["file-group-writable", "file-world-writable", "folder-group-writable"])
def test_an_entry_others_could_have_written_is_never_unpickled(own_cache, tmp_path_factory, loosen, case):
    entry = _stored(own_cache)
    marker = tmp_path_factory.mktemp("m") / "pwned"
    _planted(entry, marker)
    if loosen == "folder-group-writable":
        entry.parent.chmod(0o770)
    else:
        entry.chmod(0o620 if loosen == "file-group-writable" else 0o606)
    query = compiled_queries.translated(_TEXT, None, dict(PREFIXES))
    assert not marker.exists()
    assert result_rows(case.union.query(query))  # rebuilt from the text: it answers
    if loosen == "folder-group-writable":  # the user's own folder is tightened and emptied
        assert entry.parent.stat().st_mode & 0o777 == 0o700
        assert not entry.exists() or entry.stat().st_mode & 0o777 == 0o600


def test_an_entry_of_another_user_is_never_unpickled(own_cache, tmp_path_factory, monkeypatch):
    import os

    entry = _stored(own_cache)
    marker = tmp_path_factory.mktemp("m") / "pwned"
    _planted(entry, marker)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(entry).st_uid + 1)  # the files now belong to someone else
    compiled_queries.translated(_TEXT, None, dict(PREFIXES))
    assert not marker.exists()
    assert entry.exists()  # another user's folder is left alone


def test_a_symbolic_link_is_never_followed(own_cache, tmp_path_factory):
    entry = _stored(own_cache)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "payload.pickle"
    marker = tmp_path_factory.mktemp("m") / "pwned"
    _planted(elsewhere, marker)
    elsewhere.chmod(0o600)
    entry.unlink()
    entry.symlink_to(elsewhere)
    compiled_queries.translated(_TEXT, None, dict(PREFIXES))
    assert not marker.exists()
