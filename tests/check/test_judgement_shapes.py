"""Three honest outcomes in the shapes: a recorded maximum below a limit holds, a seat is not asked where it
cannot be missing, a source given as plain text is a note, and results split into compliance and data quality.

Each graph is built with the reference data through :func:`make_graph` and validated; the tests name the shapes
that must (not) report.
"""

from __future__ import annotations

import datetime as dt

from sovkg.check.kinds import compliance_findings, result_kind
from sovkg.check.shapes import validate

SNC = "https://w3id.org/sovkg/ontology/secnumcloud/shapes#"
AS_OF = dt.date(2026, 11, 29)

QUALIFIED = """
<org/host> a sov:Company ; rdfs:label "Host"@en ; sov:registeredOffice <country/FR> .
<offer/o> a sov:ServiceOffering ; rdfs:label "O"@en ; sov:offeredBy <org/host> .
<q> a sov:Qualification ; rdfs:label "Q"@en ; sov:certificateHolder <org/host> ; sov:coversOffer <offer/o> ;
    sov:scheme <scheme/SecNumCloud-3.2> ; sov:validFrom "2025-01-01"^^xsd:date .
"""


def shapes_reporting(kg) -> set[str]:
    return {r.source_shape for r in validate(kg).results}


def test_a_recorded_maximum_below_the_limit_holds(make_graph):
    """If non-EU holders may hold "up to 12.32 %" of the capital and nothing records their votes, the 39 % and 24 %
    limits hold: no §19.6.b warning. Up to 45 % straddles the 39 % limit: a warning."""
    below = make_graph(QUALIFIED + """
        <org/us> a sov:Company ; rdfs:label "US fund"@en ; sov:registeredOffice <country/US> .
        <stake/us-host> a sov:OwnershipStake ; sov:holder <org/us> ; sov:held <org/host> ; sov:maximumPercent 12.32 .
    """, as_of=AS_OF, reference=True)
    assert not shapes_reporting(below) & {SNC + "NonEuHoldersCollectiveUnknownShare", SNC + "NonEuHolderIndividualUnknownShare"}
    straddles = make_graph(QUALIFIED + """
        <org/us> a sov:Company ; rdfs:label "US fund"@en ; sov:registeredOffice <country/US> .
        <stake/us-host> a sov:OwnershipStake ; sov:holder <org/us> ; sov:held <org/host> ; sov:maximumPercent 45 .
    """, as_of=AS_OF, reference=True)
    assert {SNC + "NonEuHoldersCollectiveUnknownShare", SNC + "NonEuHolderIndividualUnknownShare"} <= shapes_reporting(straddles)


def test_no_seat_is_asked_of_a_person_but_all_three_of_the_qualified_host(make_graph):
    """If a natural person of unknown residence holds 30 % of the qualified host, §19.6.b "holder seat unknown"
    does not warn; a holder of unknown kind does. The host is registered in France with its other two seats
    unrecorded: §19.6.a still warns for them (it asks for all three seats, because a company registered in
    the EU can be run from elsewhere)."""
    kg = make_graph(QUALIFIED + """
        <person/p> a sov:Person ; rdfs:label "P"@en .
        <stake/p-host> a sov:OwnershipStake ; sov:holder <person/p> ; sov:held <org/host> ;
            sov:capitalPercent 30 ; sov:votingPercent 30 .
    """, as_of=AS_OF, reference=True)
    assert shapes_reporting(kg) & {SNC + "SeatsKnown", SNC + "HolderSeatKnown"} == {SNC + "SeatsKnown"}
    party = make_graph(QUALIFIED + """
        <party/p> a sov:Party ; rdfs:label "P"@en .
        <stake/p-host> a sov:OwnershipStake ; sov:holder <party/p> ; sov:held <org/host> ;
            sov:capitalPercent 30 ; sov:votingPercent 30 .
    """, as_of=AS_OF, reference=True)
    assert SNC + "HolderSeatKnown" in shapes_reporting(party)


def test_a_source_without_url_is_a_data_quality_warning(make_graph):
    """If a source is given as plain text (no sov:url), integrity:SourceUrl reports a Warning, of kind data-quality."""
    kg = make_graph("""
        <source/plain> a sov:Source ; rdfs:label "Annual report 2024"@en ; dcterms:title "Annual report 2024"@en .
    """, as_of=AS_OF, reference=True)
    (result,) = [r for r in validate(kg).results if r.source_shape.endswith("#SourceUrl") and "plain" in r.focus]
    assert (result.severity, result_kind(result)) == ("Warning", "data-quality")


def test_compliance_findings_are_one_per_system_rule_and_cause() -> None:
    """Two results of one shape on one arrangement (one per law) are one finding about its system; a result of
    sovkg's data-integrity requirement is not a compliance finding."""
    rows = [
        {"focus": "urn:arrangement", "focus_label": "Arrangement", "severity": "Violation", "requirement": "urn:r",
         "requirement_label": "R", "source_shape": "urn:shape", "message": f"exposed to {law}"}
        for law in ("CLOUD Act", "FISA 702")
    ] + [{"focus": "urn:source", "focus_label": "S", "severity": "Warning",
          "requirement": "https://w3id.org/sovkg/id/requirement/data-integrity", "requirement_label": "I",
          "source_shape": "urn:integrity", "message": "undated"}]
    (finding,) = compliance_findings(rows, {"urn:arrangement": ("urn:system", "System")})
    assert (finding.focus, finding.focus_label, finding.severity, finding.messages) == (
        "urn:system", "System", "Violation", ("exposed to CLOUD Act", "exposed to FISA 702"))
