"""The report for people: one self-contained HTML file, in English or French, printable to PDF.

Takes a :class:`~sovkg.derive.knowledge_graph.KnowledgeGraph`; gives ``report.html`` with the
systems-by-laws matrix, each exposed system with its diagram (inline SVG, :mod:`sovkg.publish.diagram`)
and the evidence of each finding (every step with its sources and links), the rule violations and
warnings (the compliance findings, one per system, rule and cause, then the count of data-quality notes),
the sources cited and the as-of date. Inline CSS (with print rules), no script, no external
asset: the file opens offline and prints from a browser. Labels come from the graph in the chosen
language (``rdfs:label "…"@fr``, English when a term has no French label); the words around them from
:mod:`sovkg.core.i18n`.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/derive/chain.ttl"], include_case=False, include_reference=False,
...            as_of=dt.date(2026, 11, 29))
>>> page = html_report(kg, lang="fr", diagrams=False)
>>> page.startswith('<!DOCTYPE html>') and '<html lang="fr">' in page
True
>>> "Synthèse" in page and "Platform" in page
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef

from sovkg.core.i18n import check_lang, level, message, relation
from sovkg.core.namespaces import SOV
from sovkg.publish.templating import render

REPORT_FILE = "report.html"
"""The file :func:`write_html_report` writes in its folder."""


def identity(iri: str) -> str:
    """Link an entity to its IRI (which dereferences once the site or the server is up)."""
    return iri


def display_label(kg: Any, term: Any, lang: str) -> str:
    """The label of ``term`` in ``lang``; a term without a label shows as a CURIE (``prov:Agent``) or its IRI."""
    from sovkg.core.namespaces import PREFIXES

    text = str(kg.label(term, lang))
    if text == str(term):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(namespace) and prefix != "kg":
                return f"{prefix}:{text[len(namespace):]}"
    return text


def translate_relation(kg: Any, text: str | None, lang: str) -> str:
    """A relation of an evidence path in ``lang``: catalogue phrases, and ``bound by (criterion)`` with the
    criterion's label in ``lang``."""
    if not text:
        return ""
    match = re.fullmatch(r"bound by \((.+)\)", text)
    if match is not None:
        criterion = next((c for c in kg.union.subjects(RDF.type, SOV.ReachCriterion)
                          if (c, RDFS.label, Literal(match.group(1), lang="en")) in kg.union), None)
        inner = kg.label(criterion, lang) if criterion is not None else match.group(1)
        return f"{relation('bound by', lang)} ({inner})"
    return relation(text, lang)


def finding_view(kg: Any, finding: Mapping[str, Any], lang: str, href: Callable[[str], str]) -> dict[str, Any]:
    """A finding (the ``sovkg exposure`` JSON object) with labels in ``lang`` and links, for the templates."""

    def name(iri: str) -> str:
        return display_label(kg, URIRef(iri), lang)

    confidence = {kg.label(c): kg.label(c, lang) for c in kg.union.subjects(RDF.type, SOV.ConfidenceLevel)}
    return {
        "system_label": name(finding["system"]),
        "law_label": name(finding["law"]),
        "law_href": href(finding["law"]),
        "level": finding["level"],
        "level_label": level(finding["level"], lang),
        "status": finding.get("status", "exposed"),
        "gap": finding.get("gap"),
        "evidence": [
            {
                "label": name(step["iri"]),
                "href": href(step["iri"]),
                "relation": translate_relation(kg, step["relation"], lang),
                "confidence": confidence.get(step["confidence"], step["confidence"]),
                "sources": step["sources"],
            }
            for step in finding["evidence"]
        ],
    }


def report_context(kg: Any, *, lang: str = "en", href: Callable[[str], str] = identity,
                   diagrams: bool = True) -> dict[str, Any]:
    """Everything the report template shows, computed from the graph (see the module docstring)."""
    from sovkg.publish.diagram import chain_dot, dot_available, inline_svg
    from sovkg.publish.report import build_report

    check_lang(lang)
    data = build_report(kg, case_included=kg.case_included, user_inputs=list(kg.user_inputs)).data

    def name(iri: str) -> str:
        return display_label(kg, URIRef(iri), lang)

    laws = [{**law, "label": name(law["iri"]), "href": href(law["iri"])} for law in data["laws"]]
    systems = sorted(({**s, "label": name(s["iri"]), "href": href(s["iri"])} for s in data["systems"]),
                     key=lambda s: s["label"].casefold())
    for s in systems:  # say "illustrative" once: not when the label already says it
        s["illustrative"] = s["illustrative"] and message("illustrative", lang) not in s["label"].casefold()
    draw = diagrams and dot_available()
    exposed = []
    for system in sorted({f["system"] for f in data["findings"]}, key=name):
        findings = [finding_view(kg, f, lang, href) for f in data["findings"] if f["system"] == system]
        svg = inline_svg(chain_dot(kg, URIRef(system), lang=lang, href=href)) if draw else None
        exposed.append({"label": name(system), "href": href(system), "svg": svg, "findings": findings})
    compliance = []
    for f in data["compliance_findings"]:
        requirement = f.get("requirement")
        compliance.append({
            **f,
            "focus_label": name(f["focus"]),
            "focus_href": href(f["focus"]),
            "requirement_label": name(requirement) if requirement else None,
            "requirement_href": href(requirement) if requirement else None,
        })
    sources: dict[str, Mapping[str, Any]] = {}
    for f in data["findings"]:
        for step in f["evidence"]:
            for s in step["sources"]:
                sources.setdefault(s["iri"], s)
    quiet = sorted(kg.label(law, lang) for law in kg.union.subjects(RDF.type, SOV.AccessLaw)
                   if (law, SOV.inEffect, Literal(True)) in kg.union and str(law) not in {x["iri"] for x in laws})
    scope = message("scope_case" if data["inputs"]["french_case"] else "scope_no_case", lang)
    if data["inputs"]["user_data"]:
        scope += " + " + ", ".join(data["inputs"]["user_data"])
    return {
        "as_of": data["as_of"],
        "scope": scope,
        "counts": data["counts"],
        "laws": laws,
        "quiet_laws": quiet,
        "systems": systems,
        "exposed": exposed,
        "violations": [f for f in compliance if f["severity"] == "Violation"],
        "warnings": [f for f in compliance if f["severity"] == "Warning"],
        "sources": sorted(sources.values(), key=lambda s: (s["title"].casefold(), s["iri"])),
    }


def html_report(kg: Any, *, lang: str = "en", href: Callable[[str], str] = identity, diagrams: bool = True) -> str:
    """The report as one HTML page (``diagrams=False`` leaves the diagrams out, as when ``dot`` is missing)."""
    return render("report.html", lang=lang, **report_context(kg, lang=lang, href=href, diagrams=diagrams)) + "\n"


def write_html_report(kg: Any, folder: Path, *, lang: str = "en") -> Path:
    """Write :data:`REPORT_FILE` into ``folder`` (created if needed) atomically; return its path."""
    from sovkg.core.errors import SovkgInputError
    from sovkg.core.files import write_file

    if folder.exists() and not folder.is_dir():
        raise SovkgInputError(f"{folder}: exists and is not a folder")
    page = html_report(kg, lang=lang)
    path = folder / REPORT_FILE
    write_file(path, page)
    return path
