"""Dates hold: as of any date, no output shows a fact, event, plan or source dated after it.

The bundled case is walked over a sequence of dates from 2019 to mid-2027 (every six months, and
the key dates of the case one day either side). For each date the graph is built once and the
outputs are produced from it: ``exposure`` JSON and every competency question with its example
bindings on every date (``expiring`` is CQ26); ``report`` JSON, ``validate`` JSON, ``alternatives``
for the Health Data Hub and EMC2, and ``explain`` of the main systems, organisations and laws on the
six-monthly and key dates themselves. The
test collects every node of the asserted graph whose own date (``sov:date``, ``sov:validFrom``,
a source's ``dcterms:date``, a procurement's award or cancellation) is after the date asked, and
fails if any output names one of them (by IRI or by label), listing the leaks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import lru_cache

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from sovkg.ask.alternatives import alternatives, render_alternatives
from sovkg.ask.explain import explain
from sovkg.ask.queries import example_bindings, list_queries, result_rows, run_query_oxigraph
from sovkg.check.shapes import validate
from sovkg.core.dates import as_date
from sovkg.core.errors import UnknownEntityError
from sovkg.core.namespaces import KG, SOV
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.publish.report import build_report
from sovkg.store.oxigraph import to_oxigraph

pytestmark = pytest.mark.slow


def _every_six_months() -> Iterator[dt.date]:
    for year in range(2019, 2028):
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if day <= dt.date(2027, 6, 1):
                yield day


KEY_DATES = (
    dt.date(2019, 11, 29),  # the GIP PDS is created
    dt.date(2020, 11, 30),  # Mon espace santé contract awarded
    dt.date(2022, 2, 3),  # Mon espace santé opens
    dt.date(2022, 3, 8),  # SecNumCloud 3.2 published
    dt.date(2023, 12, 21),  # CNIL délibération 2023-146 (EMC2)
    dt.date(2024, 5, 16),  # HDS 2024 referential published
    dt.date(2024, 5, 23),  # loi SREN in force
    dt.date(2025, 6, 10),  # Senate inquiry hearing of Microsoft France
    dt.date(2025, 8, 1),  # the audit's date
    dt.date(2026, 2, 5),  # interim tender cancelled
    dt.date(2026, 4, 23),  # Scaleway chosen
    dt.date(2026, 4, 30),  # décret 2026-272 phase certain
    dt.date(2026, 12, 21),  # EMC2 authorisation's term
)
FULL_DATES = sorted({dt.date(year, 1, 1) for year in range(2019, 2028)} | {dt.date(2027, 6, 1)} | set(KEY_DATES))
"""Dates on which every output is checked: the first of each year, the last date and the key dates."""
DATES = sorted(
    set(FULL_DATES)
    | set(_every_six_months())
    | {d + dt.timedelta(days=delta) for d in KEY_DATES for delta in (-1, 1)}
)
"""Every date walked. On those not in :data:`FULL_DATES` (mid-years, the day before and after each key
date) the exposure and every competency question are checked; validation, the slowest output (about
20 s a date on a shared machine), and the outputs built on it run on :data:`FULL_DATES`."""

MIN_LABEL = 25
"""Labels shorter than this are not searched for (a short name such as "Mon espace santé" also
occurs in undated sources' titles); IRIs always are."""

SUBJECTS = (
    "kg:system/health-data-hub",
    "kg:system/emc2",
    "kg:system/mon-espace-sante",
    "kg:system/snds",
    "kg:org/gip-pds",
    "kg:org/microsoft-corporation",
    "kg:org/microsoft-ireland-operations",
    "kg:org/ovhcloud",
    "kg:org/scaleway",
    "kg:law/us-cloud-act",
    "kg:law/fr-loi-sren-art-31",
)


def dated_after(graph: Graph, day: dt.date) -> dict[Node, list[str]]:
    """Every node dated after ``day`` (by its earliest possible day) → the names an output could show."""
    dates = (SOV.date, SOV.validFrom, DCTERMS.date, SOV.awardedOn, SOV.cancelledOn)
    found: dict[Node, list[str]] = {}
    for prop in dates:
        for node, value in graph.subject_objects(prop):
            if not isinstance(value, Literal):
                continue
            when = as_date(value, start=False, subject=node)
            if when is None or when <= day:
                continue
            if prop in (SOV.awardedOn, SOV.cancelledOn):
                # the procurement itself may be known; its award or cancellation is not
                found[value] = [f"{prop.split('#')[-1]} {value}"]
                continue
            names = [str(node)] + [str(x) for x in graph.objects(node, RDFS.label)]
            names += [str(x) for x in graph.objects(node, DCTERMS.title)]
            found[node] = names
    for arrangement in graph.subjects(SOV.planned, Literal(True)):
        for event in graph.subjects(SOV.resultsIn, arrangement):
            when = as_date(graph.value(event, SOV.awardedOn) or graph.value(event, SOV.date), start=False)
            if when is not None and when > day:
                found[arrangement] = [str(arrangement)] + [str(x) for x in graph.objects(arrangement, RDFS.label)]
    return found


@lru_cache(maxsize=1)
def asserted() -> Graph:
    """The asserted facts of the bundled case (the same on every date)."""
    return build(as_of=dt.date(2026, 11, 29)).asserted


def outputs(day: dt.date) -> dict[str, str]:
    """Every output for ``day``, by name, as text."""
    kg: KnowledgeGraph = build(as_of=day)
    out: dict[str, str] = {}
    out["exposure"] = json.dumps([f.to_json() for f in kg.findings], ensure_ascii=False)
    if day in FULL_DATES:
        out["report"] = build_report(kg, case_included=True, user_inputs=[]).to_json()
        out["validate"] = json.dumps(validate(kg).to_json(), ensure_ascii=False)
        for system in ("kg:system/health-data-hub", "kg:system/emc2"):
            found = alternatives(kg, system)
            out[f"alternatives {system}"] = render_alternatives(found) + json.dumps(found.to_json(), ensure_ascii=False)
        for subject in SUBJECTS:
            try:
                explanation = explain(kg, subject)
            except UnknownEntityError:
                continue  # explain refuses a subject dated after the day (tested below)
            out[f"explain {subject}"] = explanation.text + json.dumps(explanation.data, ensure_ascii=False)
    store = to_oxigraph(kg.dataset)  # the same answers as rdflib (tests/ask/test_queries.py), much faster
    for spec in list_queries("cq"):
        rows = result_rows(run_query_oxigraph(store, spec, example_bindings(spec)))
        out[spec.code] = json.dumps(rows, ensure_ascii=False)
    return out


def _dated_literal_mentions(text: str, value: Literal) -> bool:
    return f'"{value}"' in text or f": {value}" in text or f" {value} " in text


def test_the_walk_covers_the_key_dates() -> None:
    """The date list holds every key date and its neighbours, from 2019 to mid-2027."""
    assert DATES[0] == dt.date(2019, 1, 1) and DATES[-1] == dt.date(2027, 6, 1)
    assert {dt.date(2025, 7, 31), dt.date(2025, 8, 1), dt.date(2025, 8, 2)} <= set(DATES)
    assert dt.date(2025, 8, 1) in FULL_DATES and dt.date(2026, 4, 22) in DATES
    assert len(DATES) > 40


@pytest.mark.parametrize("day", DATES, ids=str)
def test_no_output_shows_what_is_dated_after_the_date(day: dt.date) -> None:
    """No output for ``day`` names a node (or award, cancellation) dated after ``day``."""
    future = dated_after(asserted(), day)
    leaks: list[str] = []
    for name, text in outputs(day).items():
        for node, names in future.items():
            if isinstance(node, Literal):
                if _dated_literal_mentions(text, node):
                    leaks.append(f"{name}: {names[0]}")
                continue
            hit = next((n for n in names if n in text and (n == names[0] or len(n) >= MIN_LABEL)), None)
            if hit is not None:
                leaks.append(f"{name}: {node} ({hit[:80]})")
    assert not leaks, f"{len(leaks)} outputs for {day} show what is dated after it:\n" + "\n".join(sorted(leaks)[:60])


def test_the_scan_sees_a_leak() -> None:
    """The scan is not blind: the planned Scaleway hosting (2026) is dated after 2025-08-01."""
    graph = asserted()
    future = dated_after(graph, dt.date(2025, 8, 1))
    assert KG["hosting/health-data-hub-scaleway"] in future
    assert KG["procurement/hdh-ugap-nuage-public-2026"] in future
    assert (KG["event/mon-espace-sante-launch"], RDF.type, SOV.Event) in graph
    assert KG["event/mon-espace-sante-launch"] not in future


def test_explain_refuses_what_did_not_exist_yet() -> None:
    """Explaining Mon espace santé as of 2019 says it is not known then, rather than describing it."""
    with pytest.raises(UnknownEntityError, match="not known on 2019-01-01"):
        explain(build(as_of=dt.date(2019, 1, 1)), "kg:system/mon-espace-sante")
