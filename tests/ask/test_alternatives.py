"""Alternatives (sovkg.ask.alternatives): which providers could host a system, ranked, and why the others cannot.

Exact candidates, score reasons and exclusion reasons on small fixtures
(``tests/fixtures/alternatives/``: every rule and every unknown once) and on the bundled case for the
Health Data Hub as of 2026-11-29. The last section tests the cutoff of CQ26 (certificates about to
end), whose ``$until`` parameter is a literal that the generic machinery of ``tests/test_queries.py``
cannot bind yet (``parse_binding`` reads IRIs only).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from sovkg.ask.alternatives import Alternatives, Candidate, Excluded, alternatives
from sovkg.ask.queries import find_query, result_rows, run_query, run_query_oxigraph
from sovkg.core.errors import UnknownEntityError
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.store.oxigraph import to_oxigraph

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "alternatives"
AS_OF = dt.date(2026, 11, 29)
KG = "https://w3id.org/sovkg/id/"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

US_LAWS = ("US CLOUD Act (18 U.S.C. § 2713)", "US FISA section 702 (50 U.S.C. § 1881a)")
SEATS_UNKNOWN = (
    "seats not recorded: its central administration and principal establishment are unknown, so binding by "
    "establishment outside the EU cannot be ruled out"
)
OWNERS_UNKNOWN = (
    "owners not recorded: no in-effect stake in it is recorded, so control by an entity that a law enacted outside "
    "the EU binds cannot be ruled out"
)


@cache
def fixture(name: str) -> KnowledgeGraph:
    return build([FIXTURES / name], include_case=False, as_of=AS_OF)


def short(iri: str | None) -> str | None:
    return None if iri is None else iri.removeprefix(KG)


def table(result: Alternatives) -> tuple[list[tuple[int, str | None, str | None, tuple[str, ...]]], list[tuple[str | None, tuple[str, ...]]]]:
    candidates = [(c.rank, short(c.provider), short(c.offer), c.score_reasons) for c in result.candidates]
    excluded = [(short(e.provider), e.reasons) for e in result.excluded]
    return candidates, excluded


def bound(entity: str, laws: tuple[str, ...] = US_LAWS) -> tuple[str, ...]:
    return tuple(f"bound by {law} {entity}" for law in laws)


# ------------------------------------------------------------------------------ the platform fixture

PLATFORM_EXCLUDED = {
    "org/fx-alt-delta": (
        "its in-effect HDS certificate does not cover HDS activity 3 or HDS activity 5, which the system's current "
        'arrangements perform ("HDS 2024 certificate of Delta Datacentres (activities 1-2)")',
    ),
    "org/fx-alt-epsilon": (
        'no SecNumCloud 3.2 qualification on any offer (the qualification "SecNumCloud 3.2 qualification of Epsilon '
        'Cloud" of its offer "Epsilon Cloud" expired on 2026-10-31)',
    ),
    "org/fx-alt-us-host": (
        'already hosts the system ("Fixture platform hosted by Example Cloud Ireland")',
        'no SecNumCloud 3.2 qualification on any offer (none on "Example Cloud")',
        *bound("through control by Example US Cloud Inc."),
    ),
    "org/fx-alt-iota": bound("through its seat in United States"),
    "org/fx-alt-theta": (
        'no SecNumCloud 3.2 qualification on any offer (its qualification "SecNumCloud 3.2 qualification of Theta '
        'Services" names no offer)',
    ),
    "org/fx-alt-zeta": (
        'its offer "Zeta Trusted Cloud" runs on the technology of Example US Cloud Inc., which has technical access to '
        f"the data and is bound by {US_LAWS[0]} and {US_LAWS[1]}",
    ),
}
ETA_HOLDER = (
    'holder not recorded: its HDS certificate "HDS 2024 certificate of the Eta Cloud offer" names no holder; it counts '
    'because it covers its offer "Eta Cloud"'
)
ETA_TECHNOLOGY = (
    'technical access not recorded: its offer "Eta Cloud" runs on the technology of Example US Cloud Inc., bound by '
    f"{US_LAWS[0]} and {US_LAWS[1]}, and whether it can reach the data is not recorded"
)
BETA_RENEWAL = (
    'HDS renewal not recorded: no HDS certificate of it is recorded as in effect (the recorded "HDS certificate of '
    'Beta Cloud (referential not stated)" is under HDS (referential not stated), so it is certain only until '
    "2026-05-16, when the oldest referential it may follow stopped being accepted); a renewal may exist but is not "
    "recorded"
)
EPSILON_RENEWAL = (
    'HDS renewal not recorded: no HDS certificate of it is recorded as in effect (the recorded "HDS 2018 certificate of '
    'Epsilon Cloud" is under HDS 2018, no longer accepted after 2026-05-16; the recorded "HDS 2024 certificate of '
    'Epsilon Cloud" expired on 2026-09-30); a renewal may exist but is not recorded'
)
BETA_REFERENTIAL = (
    'referential not stated: its HDS certificate "HDS certificate of Beta Cloud (referential not stated)" does not say '
    "whether it follows HDS 2018 (accepted until 2026-05-16) or HDS 2024"
)
BETA_END = (
    'end of validity not recorded for its HDS certificate "HDS certificate of Beta Cloud (referential not stated)" '
    "(attested on 2025-03-01)"
)


def test_if_a_sensitive_public_system_holds_health_data_then_hds_secnumcloud_and_no_exposure_all_apply() -> None:
    """Candidates hold an in-effect HDS certificate covering activities 3 and 5 (or one that states none), a
    SecNumCloud 3.2 qualified offer and no binding by a non-EU law; fewest unknowns first."""
    result = alternatives(fixture("platform.ttl"), "kg:system/fx-alt-platform")
    candidates, excluded = table(result)
    assert candidates == [
        (1, "org/fx-alt-alpha", "offer/fx-alt-alpha-iaas", ()),
        (2, "org/fx-alt-beta", "offer/fx-alt-beta-cloud", (BETA_RENEWAL,)),
        (3, "org/fx-alt-gamma", "offer/fx-alt-gamma-cloud", (
            'end of validity not recorded for the SecNumCloud 3.2 qualification "SecNumCloud 3.2 qualification of '
            'Gamma Cloud" (attested on 2026-01-15) of its offer "Gamma Cloud"',
        )),
        (4, "org/fx-alt-eta", "offer/fx-alt-eta-cloud", (ETA_HOLDER, ETA_TECHNOLOGY)),
    ]
    assert excluded == list(PLATFORM_EXCLUDED.items())
    assert result.rules == (
        "CSP art. L.1111-8 (the system holds pseudonymised health data): an HDS certificate in effect on 2026-11-29, "
        "covering HDS activity 3 and HDS activity 5, which its current arrangements perform",
        "Loi SREN art. 31 (particularly sensitive data; the controller, Fixture health data agency, is a public body): "
        "a SecNumCloud 3.2 qualification in effect on 2026-11-29 on the offer used",
        "No exposure: no access law enacted outside the EU binds the provider (by establishment, service or control), "
        "the offer used does not run on a bound supplier's technology with access to the data, and holders "
        "established outside the EU stay within the SecNumCloud 3.2 §19.6.b limits",
    )
    assert (result.system, result.system_label, result.as_of) == (
        KG + "system/fx-alt-platform", "Fixture national health data platform", AS_OF)


def test_if_a_system_holds_health_data_but_is_not_sensitive_then_no_qualification_is_needed() -> None:
    """Theta (no offer) and Delta (activities 1-2; the records state no activity) become candidates; a certificate
    that states no activity is an unknown, not a gap; so is a certificate whose renewal is not recorded (Epsilon,
    Beta)."""
    candidates, excluded = table(alternatives(fixture("platform.ttl"), "Fixture clinic records"))
    assert candidates == [
        (1, "org/fx-alt-alpha", "offer/fx-alt-alpha-iaas", ()),
        (2, "org/fx-alt-gamma", "offer/fx-alt-gamma-cloud", ()),
        (3, "org/fx-alt-theta", None, ()),
        (4, "org/fx-alt-beta", "offer/fx-alt-beta-cloud", (BETA_RENEWAL,)),
        (5, "org/fx-alt-delta", "offer/fx-alt-delta-colocation", (OWNERS_UNKNOWN,)),
        (6, "org/fx-alt-epsilon", "offer/fx-alt-epsilon-cloud", (EPSILON_RENEWAL, OWNERS_UNKNOWN)),
        (7, "org/fx-alt-eta", "offer/fx-alt-eta-cloud", (ETA_HOLDER, ETA_TECHNOLOGY)),
    ]
    assert excluded == [
        ("org/fx-alt-us-host", bound("through control by Example US Cloud Inc.")),
        ("org/fx-alt-iota", PLATFORM_EXCLUDED["org/fx-alt-iota"]),
        ("org/fx-alt-zeta", PLATFORM_EXCLUDED["org/fx-alt-zeta"]),
    ]


def test_if_a_system_holds_no_health_data_then_only_exposure_excludes() -> None:
    result = alternatives(fixture("platform.ttl"), URIRef(KG + "system/fx-alt-brochure"))
    candidates, excluded = table(result)
    assert [(rank, provider) for rank, provider, _, _ in candidates] == [
        (1, "org/fx-alt-alpha"), (2, "org/fx-alt-beta"), (3, "org/fx-alt-gamma"), (4, "org/fx-alt-theta"),
        (5, "org/fx-alt-delta"), (6, "org/fx-alt-epsilon"), (7, "org/fx-alt-eta"),
    ]
    assert [provider for provider, _ in excluded] == ["org/fx-alt-us-host", "org/fx-alt-iota", "org/fx-alt-zeta"]
    assert len(result.rules) == 1 and result.rules[0].startswith("No exposure:")


def test_ranking_is_fewest_score_reasons_then_label() -> None:
    """Ranks run from 1 without gaps; the sort key is (number of score reasons, label case-folded, IRI)."""
    for system in ("kg:system/fx-alt-platform", "kg:system/fx-alt-records", "kg:system/fx-alt-brochure"):
        candidates = alternatives(fixture("platform.ttl"), system).candidates
        assert [c.rank for c in candidates] == list(range(1, len(candidates) + 1))
        keys = [(len(c.score_reasons), c.provider_label.casefold(), c.provider) for c in candidates]
        assert keys == sorted(keys)


def test_non_eu_holdings_above_the_secnumcloud_limits_exclude_and_their_upper_bound_only_warns() -> None:
    """The effective ownership the derivation writes (sov:EffectiveOwnership, sov:JurisdictionOwnership with
    kg:scope/non-eu) is read against kg:threshold/snc-3.2-19.6-b-*: 45 % held by one US fund breaks the individual
    limit, 20 % + 20 % the collective one, and 10 % to 30 % only warns. The current host is excluded by its
    offer's technology and by the subcontractor exposure of its arrangement (the technology finding is not repeated);
    a law binding through two controllers names both."""
    candidates, excluded = table(alternatives(fixture("exposure.ttl"), "kg:system/fx-inf-site"))
    assert candidates == [
        (1, "org/fx-inf-lambda", "offer/fx-inf-lambda-cloud", (
            "non-EU holdings not fully known: Example US Fund LP, established outside the EU, may hold up to 30 % of "
            "its capital (some shares are not recorded), above the 24 % individual limit of SecNumCloud 3.2 §19.6.b",
        )),
    ]
    assert excluded == [
        ("org/fx-inf-kappa", (
            "Example US Fund LP, established outside the EU, holds 45 % of its capital, above the 24 % individual "
            "limit of SecNumCloud 3.2 §19.6.b",
        )),
        ("org/fx-inf-mu", (
            'already hosts the system ("Fixture site hosted by Mu Hosting")',
            'its offer "Mu Cloud" runs on the technology of Example US Software Corp., which has technical access to '
            f"the data and is bound by {US_LAWS[0]} and {US_LAWS[1]}",
            f"its current arrangement exposes the system to {US_LAWS[0]} and {US_LAWS[1]} (level subcontractor, "
            "through Example US Fund LP)",
        )),
        ("org/fx-inf-nu", (
            "holders established outside the EU together hold 40 % of its capital, above the 39 % collective limit of "
            "SecNumCloud 3.2 §19.6.b",
        )),
        ("org/fx-inf-xi", bound("through control by Xi Parent Inc. and Xi Top Inc.")),
    ]


def test_to_json_is_plain_json_with_stable_keys() -> None:
    result = alternatives(fixture("tiny.ttl"), "kg:system/fx-tiny-records")
    data = json.loads(json.dumps(result.to_json()))
    assert list(data) == ["system", "system_label", "as_of", "rules", "candidates", "excluded"]
    assert data["as_of"] == "2026-11-29"
    assert data["candidates"] == [{
        "rank": 1,
        "provider": KG + "org/fx-tiny-souverain",
        "provider_label": "Tiny Souverain SAS",
        "offer": KG + "offer/fx-tiny-souverain-iaas",
        "offer_label": "Tiny Souverain IaaS",
        "score_reasons": [],
    }]
    assert data["excluded"][0]["provider_label"] == "Tiny Legacy Hosting SAS"
    assert isinstance(result.candidates[0], Candidate) and isinstance(result.excluded[0], Excluded)


@pytest.mark.parametrize("name", ["kg:org/fx-tiny-souverain", "no such system"])
def test_anything_but_an_information_system_is_an_unknown_entity(name: str) -> None:
    with pytest.raises(UnknownEntityError):
        alternatives(fixture("tiny.ttl"), name)


def test_the_result_does_not_depend_on_how_the_system_is_named() -> None:
    kg = fixture("tiny.ttl")
    by_curie = alternatives(kg, "kg:system/fx-tiny-records")
    assert alternatives(kg, "Tiny clinic records") == by_curie
    assert alternatives(kg, URIRef(KG + "system/fx-tiny-records")) == by_curie


# ------------------------------------------------------------------------------------- bundled case

HDH_EXCLUDED = [
    ("org/aws-emea", (
        'no SecNumCloud 3.2 qualification on any offer (none on "Amazon Web Services (EMEA contracts)")',
        *bound("through control by Amazon.com, Inc."),
    )),
    ("org/atos-infogerance", ("no SecNumCloud 3.2 qualification on any offer (no offer of it is recorded)",)),
    ("org/bleu", (
        'no SecNumCloud 3.2 qualification on any offer (none on "Bleu trusted cloud (Microsoft Azure and Microsoft '
        '365 services)")',
    )),
    ("org/docaposte", (
        'no SecNumCloud 3.2 qualification on any offer (its qualification "Docaposte SecNumCloud qualification" names '
        "no offer)",
    )),
    ("org/google-cloud-france", (
        'no SecNumCloud 3.2 qualification on any offer (none on "Google Cloud (contracts of French customers)", '
        '"Google Workspace (contracts of French customers)")',
    )),
    ("org/microsoft-ireland-operations", (
        'already hosts the system ("Health Data Hub hosted on Microsoft Azure by MIOL")',
        'no SecNumCloud 3.2 qualification on any offer (none on "Microsoft Azure (EEA contracts with MIOL)")',
        *bound("through control by Microsoft Corporation"),
    )),
    ("org/cnam", ("no SecNumCloud 3.2 qualification on any offer (no offer of it is recorded)",)),
    ("org/numspot", ('no SecNumCloud 3.2 qualification on any offer (none on "NumSpot cloud services platform")',)),
    ("org/oodrive", (
        'no SecNumCloud 3.2 qualification on any offer (its qualification "Oodrive SecNumCloud qualification" names '
        "no offer)",
    )),
    ("org/santeos", ('no SecNumCloud 3.2 qualification on any offer (no offer of it is recorded)',)),
    ("org/scaleway", ('no SecNumCloud 3.2 qualification on any offer (none on "Scaleway Cloud")',)),
]
"""Why the other providers of the bundled case cannot host the Health Data Hub on 2026-11-29 (checked against
data/case/certificates.ttl and hosting.ttl). An HDS certificate recorded under the 2018 referential with no renewal
recorded is not a missing certificate after 2026-05-16: its renewal is unknown, a score reason of a candidate, so
Microsoft is excluded for its offer and its controller, not for lacking HDS. No HDS certificate recorded at all is
not a missing certificate either (the graph does not carry the whole list of certified hosts): Cloud Temple and
S3NS are candidates with that unknown."""

HDH_RENEWAL = (
    'HDS renewal not recorded: no HDS certificate of it is recorded as in effect (the recorded "{}" is under HDS 2018, '
    "no longer accepted after 2026-05-16); a renewal may exist but is not recorded"
)
HDH_UNCERTIFIED = (
    "HDS certificate not recorded: the graph records no HDS certificate of it; whether it holds one is unknown "
    "(check the official list of HDS-certified hosts)"
)
HDH_CANDIDATES = [
    (1, "org/3ds-outscale", "offer/3ds-outscale-iaas", (
        HDH_RENEWAL.format("3DS Outscale HDS certification (implied)"),
        'end of validity not recorded for the SecNumCloud 3.2 qualification "3DS Outscale IaaS SecNumCloud 3.2 '
        'qualification" of its offer "3DS Outscale IaaS"',
    )),
    (2, "org/cloud-temple", "offer/cloud-temple-iaas", (
        HDH_UNCERTIFIED,
        'end of validity not recorded for the SecNumCloud 3.2 qualification "Cloud Temple IaaS SecNumCloud '
        'qualification" of its offer "Cloud Temple IaaS"',
        "owners not recorded: no in-effect stake in it is recorded, so control by an entity that a law enacted "
        "outside the EU binds cannot be ruled out",
    )),
    (3, "org/s3ns", "offer/s3ns-premi3ns", (
        HDH_UNCERTIFIED,
        'end of validity not recorded for the SecNumCloud 3.2 qualification "S3NS PREMI3NS SecNumCloud 3.2 '
        'qualification" of its offer "S3NS PREMI3NS (trusted cloud offer)"',
        'technical access not recorded: its offer "S3NS PREMI3NS (trusted cloud offer)" runs on the technology of '
        "Google LLC, bound by US CLOUD Act (18 U.S.C. § 2713) and US FISA section 702 (50 U.S.C. § 1881a), and "
        "whether it can reach the data is not recorded",
    )),
    (4, "org/ovhcloud", "offer/ovhcloud-bare-metal-pod-secnumcloud", (
        HDH_RENEWAL.format("OVHcloud HDS certificate (2018 referential, attested October 2024)"),
        'end of validity not recorded for the SecNumCloud 3.2 qualification "OVHcloud Bare Metal Pod SecNumCloud '
        'qualification" (attested on 2025-08-06) of its offer "OVHcloud Bare Metal Pod - SecNumCloud (Dedicated PoD)"',
        "non-EU holdings not fully known: KKR, established outside the EU, may hold up to 50 % of its voting rights "
        "(some shares are not recorded), above the 24 % individual limit of SecNumCloud 3.2 §19.6.b",
        "non-EU holdings not fully known: TowerBrook Capital Partners, established outside the EU, may hold up to 50 % "
        "of its voting rights (some shares are not recorded), above the 24 % individual limit of SecNumCloud 3.2 §19.6.b",
        "non-EU holdings not fully known: holders established outside the EU together may hold up to 100 % of its "
        "capital (some shares are not recorded), above the 39 % collective limit of SecNumCloud 3.2 §19.6.b",
    )),
]
"""The Health Data Hub's candidates on 2026-11-29, with their unknowns, fewest first (each has one about its HDS
certificate: a renewal or a certificate not recorded)."""


def test_the_health_data_hub_has_candidates_with_their_unknowns_on_2026_11_29(case: KnowledgeGraph) -> None:
    """Unknown is not absent: OVHcloud and 3DS Outscale, whose 2018-referential HDS certificates have no recorded
    renewal, are candidates with that unknown, not excluded for lacking HDS (the answer was "Candidates: none")."""
    assert case.as_of == AS_OF
    result = alternatives(case, "kg:system/health-data-hub")
    candidates, excluded = table(result)
    assert candidates == HDH_CANDIDATES
    assert excluded == HDH_EXCLUDED
    assert [rule.split(" (")[0] for rule in result.rules] == ["CSP art. L.1111-8", "Loi SREN art. 31", "No exposure: no access law enacted outside the EU binds the provider"]
    assert "its current arrangements state no HDS activity" in result.rules[0]


# -------------------------------------------------------------------- CQ26: certificates about to end

CQ26_FIXTURE = ROOT / "tests" / "fixtures" / "queries" / "certificates-expiring.ttl"


@cache
def cq26_graph() -> KnowledgeGraph:
    return build([CQ26_FIXTURE], include_case=False, as_of=AS_OF)


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        ("2026-11-29", [("cert/fx-exp-ends-today", "2026-11-29", "validity", "0")]),
        ("2027-01-01", [
            ("cert/fx-exp-ends-today", "2026-11-29", "validity", "0"),
            ("cert/fx-exp-year-end", "2027-01-01", "validity", "33"),
        ]),
        ("2027-02-27", [
            ("cert/fx-exp-ends-today", "2026-11-29", "validity", "0"),
            ("cert/fx-exp-year-end", "2027-01-01", "validity", "33"),
            ("cert/fx-exp-qualification-42-days", "2027-01-10", "validity", "42"),
            ("cert/fx-exp-scheme-acceptance", "2027-01-31", "scheme acceptance", "63"),
            ("cert/fx-exp-month-end", "2027-02-01", "validity", "64"),
            ("cert/fx-exp-90-days", "2027-02-27", "validity", "90"),
        ]),
    ],
)
def test_cq26_lists_exactly_the_certificates_ending_by_the_cutoff_on_both_engines(
    until: str, expected: list[tuple[str, ...]]
) -> None:
    """If $until is the derivation date plus N days then the answer is the in-effect certificates whose last
    certain day (own end or scheme acceptance) is at most N days away; rdflib and Oxigraph agree."""
    spec = find_query("CQ26")
    bindings = {"until": Literal(until, datatype=XSD_DATE)}
    kg = cq26_graph()
    rows = result_rows(run_query(kg.union, spec, bindings))
    assert rows == result_rows(run_query_oxigraph(to_oxigraph(kg.dataset), spec, bindings))
    assert [(short(r["certificate"]), r["lastDay"], r["endsBy"], r["daysLeft"]) for r in rows] == expected
    assert {r["until"] for r in rows} == {until}
