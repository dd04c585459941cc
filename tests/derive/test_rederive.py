"""Deriving a store again (``sovkg derive --store PATH --at DAY`` on a store derived before).

A store whose derived graph is large next to its asserted graphs is derived again in a copy of its
asserted graphs, which then replaces it (``sovkg.derive.store_engine._asserted_copy``): the result must
equal a first derivation on that day, the asserted graphs must be untouched, no working folder may be
left behind, and a run that fails half-way must leave the store as it was (a store it created: no store at
all; a store derived in place: its asserted graphs, and no date on what was derived, which readers refuse).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from sovkg.derive import store_engine
from sovkg.derive.store_engine import derive_into_store
from sovkg.store.engine import LocalStore, open_existing_store

ROOT = Path(__file__).resolve().parents[2]
INFERRED = ox.NamedNode("https://w3id.org/sovkg/graph/inferred")
FIRST, SECOND = dt.date(2019, 6, 1), dt.date(2026, 11, 29)


def _quads(folder: Path, *, derived: bool) -> set[tuple[str, str, str, str]]:
    """The store's quads, derived or asserted, blank nodes compared by kind."""
    store = open_existing_store(folder, read_only=True)
    out = set()
    for q in store.store.quads_for_pattern(None, None, None, None):
        if (q.graph_name == INFERRED) != derived:
            continue
        out.add(tuple("_:b" if isinstance(t, ox.BlankNode) else str(t)
                      for t in (q.subject, q.predicate, q.object, q.graph_name)))
    return out  # type: ignore[return-value]


@pytest.fixture(scope="module")
def fresh_second(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled case derived once, on the second day."""
    folder = tmp_path_factory.mktemp("fresh") / "db"
    derive_into_store(folder, as_of=SECOND)
    return folder


def test_derived_again_equals_a_first_derivation(tmp_path: Path, fresh_second: Path) -> None:
    folder = tmp_path / "db"
    derive_into_store(folder, as_of=FIRST)
    asserted = _quads(folder, derived=False)
    first = _quads(folder, derived=True)
    store = open_existing_store(folder, read_only=True)
    assert store_engine._worth_a_copy(store)  # the bundled case: 3.6 k derived for 5.5 k asserted
    del store
    count, loaded = derive_into_store(folder, as_of=SECOND)
    assert loaded == 0
    again = _quads(folder, derived=True)
    assert again == _quads(fresh_second, derived=True) != first
    assert count == len(again)
    assert _quads(folder, derived=False) == asserted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_a_failed_derivation_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "db"
    derive_into_store(folder, as_of=FIRST)
    before = _quads(folder, derived=True) | _quads(folder, derived=False)

    def fail(store: LocalStore, *, as_of: dt.date) -> int:  # half-way: the derived graph emptied, then a crash
        store.clear_graph(INFERRED.value)
        raise RuntimeError("interrupted")

    monkeypatch.setattr(store_engine, "derive_store", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        derive_into_store(folder, as_of=SECOND)
    monkeypatch.undo()
    assert _quads(folder, derived=True) | _quads(folder, derived=False) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]  # the copy it derived in is gone
    derive_into_store(folder, as_of=SECOND)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]
    assert ("<https://w3id.org/sovkg/graph/inferred>", "<https://w3id.org/sovkg/ns#asOf>",
            '"2026-11-29"^^<http://www.w3.org/2001/XMLSchema#date>', str(INFERRED)) in _quads(folder, derived=True)


def test_an_imported_store_gets_the_bundled_files(tmp_path: Path) -> None:
    """``sovkg import`` then ``sovkg derive --store``: without the ontology and the laws nothing would be found
    exposed (unknown read as absent), so a store holding none of the bundled files gets them first."""
    from sovkg.cli import main
    from sovkg.derive.store_engine import store_findings

    sheets, folder = ROOT / "tests/fixtures/tabular/us-parent", tmp_path / "db"  # a US parent of a French host
    assert main(["import", "sheets", str(sheets), "--store", str(folder)]) == 0
    count, loaded = derive_into_store(folder, include_case=False, as_of=SECOND)
    assert loaded == 18 and count > 0  # the ontology modules and the reference data, not the French case
    findings = store_findings(open_existing_store(folder, read_only=True))
    assert sorted((f.system_label, f.law_label, f.level) for f in findings if "CLOUD" in f.law_label) == [
        ("Patient records", "US CLOUD Act (18 U.S.C. § 2713)", "control")]
    assert derive_into_store(folder, include_case=False, as_of=SECOND)[1] == 0  # they are there now


def _half_way(store: LocalStore, *, as_of: dt.date) -> int:
    """A derivation that writes part of the derived graph, its date included, then crashes."""
    store.add([(INFERRED, ox.NamedNode("https://w3id.org/sovkg/ns#asOf"),
                ox.Literal(as_of.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
               (ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.NamedNode("urn:y"))], INFERRED.value)
    raise RuntimeError("interrupted")


def test_a_failed_derivation_removes_the_store_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_engine, "derive_store", _half_way)
    with pytest.raises(RuntimeError, match="interrupted"):
        derive_into_store(tmp_path / "db", as_of=SECOND)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_derivation_in_place_leaves_no_derived_graph_readers_accept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store an importer filled is derived in place; a crash half-way leaves its asserted graphs and takes the
    derived graph's date away, so that ``--store`` readers say it holds no derived graph."""
    from sovkg.core.errors import SovkgInputError
    from sovkg.derive.knowledge_graph import derived_on
    from sovkg.load.importers import run_import

    folder = tmp_path / "db"
    run_import("sheets", [ROOT / "templates" / "example"], store=folder)
    asserted = _quads(folder, derived=False)
    monkeypatch.setattr(store_engine, "derive_store", _half_way)
    with pytest.raises(RuntimeError, match="interrupted"):
        derive_into_store(folder, as_of=SECOND)
    monkeypatch.undo()
    assert asserted < _quads(folder, derived=False)  # the bundled files were added before the derivation
    assert _quads(folder, derived=True) == {("<urn:x>", "<urn:p>", "<urn:y>", str(INFERRED))}
    with pytest.raises(SovkgInputError, match="holds no derived graph"):
        derived_on(open_existing_store(folder, read_only=True))
    count, _ = derive_into_store(folder, as_of=SECOND)
    assert derived_on(open_existing_store(folder, read_only=True)) == SECOND and count > 0
