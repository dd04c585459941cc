"""Hygiene checks (queries/checks/*.rq): none fails on the bundled graph, each can fail.

Every check is a SELECT that returns one row per problem, with ``?subject`` and a ``?message``
starting with ``ERROR:`` or ``WARN:``. The checks are collected by glob; the set collected must be
non-empty and equal to the set of failing fixtures in ``tests/fixtures/queries/checks/`` and to
the set of expected subjects below, so that no check goes untested and no fixture is orphaned.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from sovkg.ask.queries import find_query, list_queries, query_dir, result_rows, run_query, run_query_oxigraph
from sovkg.core.namespaces import PREFIXES
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.store.oxigraph import to_oxigraph

AS_OF = dt.date(2026, 11, 29)
REPO = Path(__file__).resolve().parents[2]
FAILING = REPO / "tests" / "fixtures" / "queries" / "checks"

KG = "https://w3id.org/sovkg/id/"
SOV = "https://w3id.org/sovkg/ns#"

EXPECTED_SUBJECT: dict[str, str] = {
    "conflicting-source-titles": KG + "source/fx-two-titles",
    "dangling-references": KG + "org/fx-missing",
    "duplicate-labels": SOV + "FxStake",
    "facts-without-confidence": KG + "stake/fx-unsure",
    "facts-without-source": KG + "system/fx-unsourced",
    "missing-definitions": SOV + "FxUndefined",
    "multiple-confidences": KG + "org/fx-doubtful",
    "multiple-english-labels": KG + "org/fx-twice",
    "stray-blanks": KG + "org/fx-blank",
    "subclass-cycles": SOV + "FxAlpha",
    "undeclared-terms": SOV + "legalNme",
    "undescribed-sources": KG + "source/fx-untitled",
    "untyped-subjects": KG + "org/fx-untyped",
}
"""The subject each check must report on its failing fixture."""

CHECK_FILES = sorted(p.stem for p in query_dir("checks").glob("*.rq"))
CHECKS = {spec.name: spec for spec in list_queries("checks")}




@cache
def failing_kg(name: str) -> KnowledgeGraph:
    """The ontology and one failing fixture (no reference data, no case)."""
    return build([FAILING / f"{name}.ttl"], include_case=False, include_reference=False, as_of=AS_OF)


def test_the_checks_collected_are_the_ones_tested() -> None:
    assert CHECK_FILES, "no hygiene check found"
    assert set(CHECK_FILES) == set(CHECKS) == set(EXPECTED_SUBJECT)
    assert {p.stem for p in FAILING.glob("*.ttl")} == set(CHECK_FILES)


@pytest.mark.parametrize("name", CHECK_FILES)
def test_check_header_and_shape(name: str) -> None:
    """A title and question, no parameters, its failing fixture named, ?subject and ?message."""
    spec = CHECKS[name]
    assert spec.text.startswith("# title: ")
    assert spec.title and spec.question
    assert spec.parameters == ()
    assert spec.fixture == f"tests/fixtures/queries/checks/{name}.ttl"
    columns = [str(v) for v in prepareQuery(spec.text, initNs=PREFIXES).algebra["PV"]]
    assert columns[0] == "subject" and "message" in columns
    assert re.search(r"^ORDER BY ", spec.text, re.MULTILINE)
    assert find_query(name) == spec
    assert spec.requirement == "kg:requirement/data-integrity"


@pytest.mark.parametrize("name", CHECK_FILES)
def test_check_finds_no_error_on_the_bundled_graph(name: str, case: KnowledgeGraph) -> None:
    """Ontology + reference data + case: no ERROR row (WARN rows are allowed)."""
    rows = result_rows(run_query(case.union, CHECKS[name]))
    for row in rows:
        assert (row["message"] or "").startswith(("ERROR:", "WARN:")), row
    errors = [row["message"] for row in rows if (row["message"] or "").startswith("ERROR:")]
    assert not errors, f"{len(errors)} error(s):\n" + "\n".join(sorted(e or "" for e in errors))


@pytest.mark.parametrize("name", CHECK_FILES)
def test_check_gives_the_same_rows_on_oxigraph(name: str, case: KnowledgeGraph, case_store: ox.Store) -> None:
    spec = CHECKS[name]
    assert result_rows(run_query(case.union, spec)) == result_rows(
        run_query_oxigraph(case_store, spec))


@pytest.mark.parametrize("name", CHECK_FILES)
def test_check_fails_on_its_failing_fixture(name: str) -> None:
    """The failing fixture makes the check report an ERROR on the planted subject, on both engines."""
    spec = CHECKS[name]
    kg = failing_kg(name)
    for rows in (
        result_rows(run_query(kg.union, spec)),
        result_rows(run_query_oxigraph(to_oxigraph(kg.dataset), spec)),
    ):
        planted = [row for row in rows if row["subject"] == EXPECTED_SUBJECT[name]]
        assert planted, f"{name} did not report {EXPECTED_SUBJECT[name]}; rows: {rows}"
        assert all((row["message"] or "").startswith("ERROR:") for row in planted), planted
