"""Spreadsheet templates (CSV): the shipped templates and example, the mapping, tolerated input and errors.

The example's results (templates/README.md, "What the example gives") are asserted exactly; every
error class has a fixture under tests/fixtures/tabular/errors/ with its exact message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from sovkg.check.shapes import validate
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV
from sovkg.derive.knowledge_graph import KnowledgeGraph, build
from sovkg.load.inputs import TEMPLATE_NAMES, fingerprint, user_files
from sovkg.load.rdf import load_files
from sovkg.load.sheets import COLUMNS, OPTIONAL_COLUMNS, read_tables, read_templates

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
EXAMPLE = TEMPLATES / "example"
FIXTURES = ROOT / "tests" / "fixtures" / "tabular"
ERRORS = FIXTURES / "errors"
TODAY = dt.date(2026, 11, 29)
NIMBUS_LEI = "SOVK00EXAMPLE0000153"
CLOUD_ACT = "https://w3id.org/sovkg/id/law/us-cloud-act"
FISA_702 = "https://w3id.org/sovkg/id/law/us-fisa-702"


def user(path: str) -> str:
    return str(KG[f"user/{path}"])


# ------------------------------------------------------------------------------ shipped templates


def test_templates_are_the_five_headers_the_reader_expects() -> None:
    found = sorted(p.name for p in TEMPLATES.glob("*.csv"))
    assert found == sorted(TEMPLATE_NAMES)
    for name in TEMPLATE_NAMES:
        assert (TEMPLATES / name).read_text(encoding="utf-8") == ",".join(COLUMNS[name]) + "\n"


def test_example_holds_the_five_templates_with_the_same_headers() -> None:
    found = sorted(p.name for p in EXAMPLE.glob("*.csv"))
    assert found == sorted(TEMPLATE_NAMES)
    for name in TEMPLATE_NAMES:
        header = (EXAMPLE / name).read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(COLUMNS[name])


def test_readme_and_guide_document_every_column() -> None:
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "spreadsheets.md").read_text(encoding="utf-8")
    columns = {c for cols in COLUMNS.values() for c in cols} | set(OPTIONAL_COLUMNS)
    assert len(columns) == 28
    for column in columns:
        assert f"`{column}`" in readme, column
    for name in TEMPLATE_NAMES:
        assert f"`{name}`" in readme and name in guide


def test_empty_templates_load_to_nothing() -> None:
    files = user_files([TEMPLATES / name for name in TEMPLATE_NAMES])
    assert [f.path.name for f in files] == list(TEMPLATE_NAMES)
    dataset = load_files(files)
    sizes = {str(g.identifier): len(g) for g in dataset.graphs()}
    assert {f.graph: sizes.get(f.graph, 0) for f in files} == {f.graph: 0 for f in files}
    kg = build([TEMPLATES / name for name in TEMPLATE_NAMES], include_case=False, as_of=TODAY)
    assert kg.findings == ()


def test_templates_folder_collects_the_templates_and_the_example() -> None:
    files = user_files([TEMPLATES])
    assert sorted(f.path.relative_to(TEMPLATES).as_posix() for f in files) == sorted(
        list(TEMPLATE_NAMES) + [f"example/{n}" for n in TEMPLATE_NAMES])
    assert all(f.graph == f.path.resolve().as_uri() for f in files)


# ------------------------------------------------------------------------------------ the example


@pytest.fixture(scope="module")
def example() -> KnowledgeGraph:
    return build([EXAMPLE], include_case=False, as_of=TODAY)


def finding_keys(kg: KnowledgeGraph) -> set[tuple[str, str, str, tuple[str, ...]]]:
    return {(f.system, f.law, f.level, tuple(p.iri for p in f.path)) for f in kg.findings}


EXAMPLE_PATH = (user("system/clinic-records"), user("org/nimbus-ireland"), str(KG[f"lei/{NIMBUS_LEI}"]))
EXAMPLE_FINDINGS = {
    (user("system/clinic-records"), CLOUD_ACT, "control", EXAMPLE_PATH),
    (user("system/clinic-records"), FISA_702, "control", EXAMPLE_PATH),
}


def test_example_exposures_are_the_ones_the_readme_states(example: KnowledgeGraph) -> None:
    assert finding_keys(example) == EXAMPLE_FINDINGS
    labels = {(f.system_label, f.law_label, f.level, " → ".join(p.label for p in f.path)) for f in example.findings}
    assert labels == {
        ("Clinique du Parc patient records", "US CLOUD Act (18 U.S.C. § 2713)", "control",
         "Clinique du Parc patient records → Nimbus Cloud Ireland Ltd → Nimbus Corporation"),
        ("Clinique du Parc patient records", "US FISA section 702 (50 U.S.C. § 1881a)", "control",
         "Clinique du Parc patient records → Nimbus Cloud Ireland Ltd → Nimbus Corporation"),
    }
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for _, law, level, path in sorted(labels):
        assert f"{law} — {level}" in readme and path in readme


def test_example_before_the_hosting_contract_exposes_nothing() -> None:
    kg = build([EXAMPLE], include_case=False, as_of=dt.date(2022, 12, 31))
    assert kg.findings == ()


def test_example_control_follows_the_stakes(example: KnowledgeGraph) -> None:
    controls = {(str(s), str(o)) for s, o in example.union.subject_objects(SOV.controls)}
    lei = str(KG[f"lei/{NIMBUS_LEI}"])
    assert {pair for pair in controls if "/user/" in pair[1]} == {
        (lei, user("org/nimbus-ireland")),
        (user("org/souverain-holding"), user("org/souverain-cloud")),
        (user("org/jeanne-martin"), user("org/souverain-holding")),
        (user("org/jeanne-martin"), user("org/souverain-cloud")),
    }
    stakes = {
        (str(example.union.value(s, SOV.holder)), str(example.union.value(s, SOV.held))):
            (example.union.value(s, SOV.capitalPercent).toPython(), example.union.value(s, SOV.votingPercent).toPython())
        for s in example.union.subjects(RDF.type, SOV.OwnershipStake)
    }
    assert stakes == {
        (lei, user("org/nimbus-ireland")): (Decimal(100), Decimal(100)),
        (user("org/souverain-holding"), user("org/souverain-cloud")): (Decimal(100), Decimal(100)),
        (user("org/jeanne-martin"), user("org/souverain-holding")): (Decimal(80), Decimal(80)),
        (lei, user("org/souverain-holding")): (Decimal(20), Decimal(20)),
    }


def test_example_effective_ownership_is_the_one_the_readme_states(example: KnowledgeGraph) -> None:
    graph = example.union
    lei = str(KG[f"lei/{NIMBUS_LEI}"])
    figures = {
        (str(graph.value(n, SOV.holder)), str(graph.value(n, SOV.held))):
            (graph.value(n, SOV.capitalPercent).toPython(), graph.value(n, SOV.votingPercent).toPython())
        for n in graph.subjects(RDF.type, SOV.EffectiveOwnership)
    }
    assert figures == {
        (lei, user("org/nimbus-ireland")): (Decimal(100), Decimal(100)),
        (lei, user("org/souverain-cloud")): (Decimal(20), Decimal(20)),
        (user("org/souverain-holding"), user("org/souverain-cloud")): (Decimal(100), Decimal(100)),
        (user("org/jeanne-martin"), user("org/souverain-cloud")): (Decimal(80), Decimal(80)),
    }  # derived for the providers (Nimbus Cloud Ireland, Souverain Cloud), not for Souverain Holding


def test_example_rules(example: KnowledgeGraph) -> None:
    """Violations and the SecNumCloud §19.6 results are exactly those templates/README.md states."""
    results = validate(example).results
    violations = {(r.focus_label, (r.requirement or "").rsplit("/", 1)[-1]) for r in results
                  if r.severity == "Violation"}
    assert violations == {("Clinique du Parc patient records hosted by Nimbus Cloud Ireland Ltd (Nimbus Cloud)",
                           "hds-2024-req-29-remote-access")}
    snc = {(r.severity, r.focus_label, (r.requirement or "").rsplit("/", 1)[-1]) for r in results
           if "/requirement/snc-" in (r.requirement or "")}
    assert snc == {("Warning", "Souverain Cloud SAS SecNumCloud-3.2 qualification (Souverain IaaS)",
                    "snc-3.2-19.6-a-eu-seats")}
    sren = [r for r in results if "/requirement/sren-" in (r.requirement or "")]
    assert sren == []


def test_example_offer_is_shared_by_hosting_and_qualification(example: KnowledgeGraph) -> None:
    offer = KG["user/offer/souverain-cloud-souverain-iaas"]
    graph = example.union
    hosting = [a for a in graph.subjects(SOV.offer, offer)]
    assert [str(graph.value(a, SOV.hostedSystem)) for a in hosting] == [user("system/regional-platform")]
    qualifications = [c for c in graph.subjects(SOV.coversOffer, offer) if (c, RDF.type, SOV.Qualification) in graph]
    assert len(qualifications) == 1
    assert graph.value(qualifications[0], SOV.issuer) == KG["org/anssi"]
    assert graph.value(offer, SOV.offeredBy) == KG["user/org/souverain-cloud"]
    assert list(graph.objects(offer, SOV.confidence)) == [SOV.MediumConfidence]


def test_example_self_hosting_is_recorded_only_where_provider_is_controller(example: KnowledgeGraph) -> None:
    graph = example.union
    self_hosted = {str(graph.value(a, SOV.hostedSystem)) for a in graph.subjects(SOV.selfHosted, Literal(True))}
    assert self_hosted == {user("system/ars-archive")}
    assert len(set(graph.subjects(RDF.type, SOV.HostingArrangement))) == 3


def test_example_seats_and_person(example: KnowledgeGraph) -> None:
    graph = example.union
    assert graph.value(KG["user/org/jeanne-martin"], SOV.residentIn) == KG["country/FR"]
    assert (KG["user/org/jeanne-martin"], RDF.type, SOV.Person) in graph
    assert graph.value(KG[f"lei/{NIMBUS_LEI}"], SOV.lei) == Literal(NIMBUS_LEI)
    assert (KG["user/org/nimbus-corp"], None, None) not in graph
    assert graph.value(KG["user/org/ars-example"], SOV.centralAdministration) == KG["country/FR"]
    assert (KG["user/org/ars-example"], RDF.type, SOV.PublicBody) in graph


FACT_CLASSES = (SOV.Organisation, SOV.Person, SOV.OwnershipStake, SOV.InformationSystem, SOV.HostingArrangement,
                SOV.Certificate, SOV.ServiceOffering)


def test_every_spreadsheet_fact_has_a_label_sources_and_one_confidence(example: KnowledgeGraph) -> None:
    asserted = Graph()
    for graph in example.dataset.graphs():
        if str(graph.identifier).startswith("file:"):
            for triple in graph:
                asserted.add(triple)
    typed = example.union  # types closed by the derivation (sov:Company is a sov:Organisation)
    facts = {s for cls in FACT_CLASSES for s in typed.subjects(RDF.type, cls) if (s, None, None) in asserted}
    # 7 parties + 1 issuer, 4 stakes, 3 systems, 3 arrangements, 3 certificates, 2 offers
    assert len(facts) == 8 + 4 + 3 + 3 + 3 + 2
    for node in facts:
        assert asserted.value(node, RDFS.label) is not None, node
        assert len(list(asserted.objects(node, SOV.confidence))) == 1, node
        sources = list(asserted.objects(node, SOV.source))
        assert sources and all((s, RDF.type, SOV.Source) in asserted for s in sources), node


def test_each_file_is_its_own_named_graph(example: KnowledgeGraph) -> None:
    graphs = {str(g.identifier): len(g) for g in example.dataset.graphs() if str(g.identifier).startswith("file:")}
    assert set(graphs) == {(EXAMPLE / name).resolve().as_uri() for name in TEMPLATE_NAMES}
    assert all(size > 0 for size in graphs.values())
    assert all(not str(g.identifier).startswith("file:") for g in [example.dataset.graph(INFERRED_GRAPH)])


# -------------------------------------------------------------------------------- tolerated input


def canonical(folder: Path) -> Graph:
    """The folder's triples with row-specific IRIs (stakes, arrangements, certificates) as blank nodes."""
    files = [f.path for f in user_files([folder])]
    assert sorted(p.name for p in files) == sorted(TEMPLATE_NAMES)
    graph = Graph()
    row_specific = tuple(str(KG[f"user/{kind}/"]) for kind in ("stake", "hosting", "cert"))
    for triples in read_tables(files).graphs.values():
        for triple in triples:
            graph.add(tuple(BNode(str(t)) if isinstance(t, URIRef) and str(t).startswith(row_specific) else t
                            for t in triple))  # type: ignore[arg-type]
    return graph


def test_messy_spreadsheets_give_the_same_graph_as_clean_ones() -> None:
    """BOM, CRLF, UTF-16, ';' and tab delimiters, columns in another order, header case, trailing spaces,
    blank and ';;;' rows, quoted and multi-line values, '51,5', '60 %', TRUE/FAUX, lower-case codes and
    LEIs, scheme and category spelling, ', ' in lists, repeated activities, a trailing blank column."""
    clean, messy = canonical(FIXTURES / "tolerated" / "clean"), canonical(FIXTURES / "tolerated" / "messy")
    assert len(clean) == 116
    assert isomorphic(clean, messy)
    stake = next(clean.subjects(RDF.type, SOV.OwnershipStake))
    assert clean.value(stake, SOV.capitalPercent) == Literal("51.5", datatype=XSD.decimal)
    assert clean.value(stake, SOV.votingPercent).toPython() == Decimal(60)
    assert clean.value(stake, SOV.vetoRight) == Literal(True)
    assert clean.value(stake, SOV.appointsBoardMajority) == Literal(False)


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


ORGS = ("id,name,kind,country,hq_country,lei,source\n"
        "acme,Acme,company,IE,,,\n"
        "parent,Parent,company,,US,,Annual report 2024\n")
STAKES = "holder,held,capital_pct,voting_pct,veto,board_majority,valid_from,valid_until,source\n"


def test_only_the_seats_given_are_written_and_an_empty_source_is_the_row(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {"organisations.csv": ORGS})
    triples = set(read_tables([folder / "organisations.csv"]).graphs[folder / "organisations.csv"])
    acme, parent = KG["user/org/acme"], KG["user/org/parent"]
    assert {(p, o) for s, p, o in triples if s == acme and p in (SOV.registeredOffice, SOV.centralAdministration)} == {
        (SOV.registeredOffice, KG["country/IE"])}
    assert {(p, o) for s, p, o in triples if s == parent and p in (SOV.registeredOffice, SOV.centralAdministration)} == {
        (SOV.centralAdministration, KG["country/US"])}
    graph = Graph()
    for t in triples:
        graph.add(t)
    row_source = graph.value(acme, SOV.source)
    assert str(graph.value(row_source, SOV.url)) == (folder / "organisations.csv").resolve().as_uri() + "#row=2"
    assert str(graph.value(row_source, URIRef("http://purl.org/dc/terms/title"))) == (
        "organisations.csv, row 2 (spreadsheet; no source given)")
    text_source = graph.value(parent, SOV.source)
    assert graph.value(text_source, SOV.url) is None
    assert str(graph.value(text_source, URIRef("http://purl.org/dc/terms/title"))) == "Annual report 2024"
    assert graph.value(acme, SOV.confidence) == SOV.MediumConfidence


def test_partial_dates_and_open_periods(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {"organisations.csv": ORGS,
                                           "stakes.csv": STAKES + "parent,acme,60,,,,2019,2021-06,\n"
                                                                  "parent,acme,,,,true,,,\n"})
    graph = Graph()
    for t in read_tables([folder / "stakes.csv"]).graphs[folder / "stakes.csv"]:
        graph.add(t)
    stakes = sorted(graph.subjects(RDF.type, SOV.OwnershipStake), key=lambda s: graph.value(s, SOV.capitalPercent) is None)
    dated, open_ended = stakes
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert graph.value(dated, SOV.validFrom) == Literal("2019", datatype=URIRef(xsd + "gYear"))
    assert graph.value(dated, SOV.validUntil) == Literal("2021-06", datatype=URIRef(xsd + "gYearMonth"))
    assert graph.value(dated, SOV.votingPercent) is None  # empty means unknown: nothing is written
    assert graph.value(open_ended, SOV.validFrom) is None and graph.value(open_ended, SOV.capitalPercent) is None
    assert graph.value(open_ended, SOV.appointsBoardMajority) == Literal(True)
    assert graph.value(open_ended, SOV.vetoRight) is None
    assert {graph.value(s, SOV.directness) for s in stakes} == {SOV.Direct}
    assert len(set(stakes)) == 2


def test_the_cache_key_of_a_template_covers_its_siblings(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {"organisations.csv": ORGS, "stakes.csv": STAKES})
    before = fingerprint([folder / "stakes.csv"])
    (folder / "organisations.csv").write_text(ORGS.replace("Acme", "Acme Ltd"), encoding="utf-8")
    assert fingerprint([folder / "stakes.csv"]) != before


def test_inputs_stays_import_light() -> None:
    code = "import sys, sovkg.load.inputs; print('rdflib' in sys.modules, 'sovkg.load.sheets' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------------------------------- joining


@pytest.mark.parametrize("registry", ["registry-csv", "registry-ttl"])
def test_a_stake_keyed_by_lei_joins_the_organisation_another_import_gives(registry: str) -> None:
    lei = KG["lei/SOVK00EXAMPLE0000250"]
    alone = build([FIXTURES / "lei-join" / "spreadsheets"], include_case=False, as_of=TODAY)
    assert alone.findings == ()
    assert set(alone.asserted.predicate_objects(lei)) == {(SOV.lei, Literal("SOVK00EXAMPLE0000250"))}
    joined = build([FIXTURES / "lei-join" / "spreadsheets", FIXTURES / "lei-join" / registry],
                   include_case=False, as_of=TODAY)
    path = (user("system/records"), user("org/host"), str(lei))
    assert finding_keys(joined) == {(user("system/records"), CLOUD_ACT, "control", path),
                                    (user("system/records"), FISA_702, "control", path)}
    assert [p.label for p in joined.findings[0].path] == ["Clinic records", "Host Ireland Ltd", "US Parent Inc"]


def test_a_kg_reference_must_name_loaded_data() -> None:
    with pytest.raises(SovkgInputError) as raised:
        build([FIXTURES / "kg-missing"], include_case=False, as_of=TODAY)
    where = FIXTURES / "kg-missing" / "hosting.csv"
    assert str(raised.value) == (
        f"{where}: row 2, column 'provider': 'kg:org/nope' is not in the loaded data (a kg: reference must name an "
        "entity of the reference data, the case or another --data file)")


# ----------------------------------------------------------------------------------------- errors

EXPECTED_ERRORS: dict[str, list[str]] = {
    "activity": [
        "hosting.csv: row 2, column 'activities': '7' is not an HDS activity number from 1 to 6",
        "hosting.csv: row 2, column 'activities': 'hds-1' is not an HDS activity number from 1 to 6",
    ],
    "boolean": [
        "stakes.csv: row 2, column 'veto': 'yes' is not true or false (leave the cell empty when unknown)",
        "stakes.csv: row 2, column 'board_majority': '1' is not true or false (leave the cell empty when unknown)",
    ],
    "confidence": [
        "organisations.csv: row 2, column 'confidence': 'certain' is not a confidence level: use high, medium or low",
    ],
    "country": [
        "organisations.csv: row 2, column 'country': 'UK' is not an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)",
        "organisations.csv: row 2, column 'hq_country': 'XX' is not an ISO 3166-1 alpha-2 country code",
        "organisations.csv: row 3, column 'country': 'FR;DE': give one country code",
    ],
    "data-category": [
        "systems.csv: row 2, column 'data_category': 'health' is not a data category: use personal-health, "
        "pseudonymised-health or other",
    ],
    "date": [
        "stakes.csv: row 2, column 'valid_from': '15/03/2024' is not a date of the form YYYY-MM-DD (or YYYY-MM, or YYYY)",
        "stakes.csv: row 3, column 'valid_from': '2024-02-30' is not a date of the form YYYY-MM-DD (or YYYY-MM, or YYYY)",
        "stakes.csv: row 4, column 'valid_until': '2024-12-31' is before valid_from '2025-01-01'",
    ],
    "empty-file": [
        "stakes.csv: the file is empty; expected a header row: holder,held,capital_pct,voting_pct,veto,"
        "board_majority,valid_from,valid_until,source (required: holder, held; the others may be left out; "
        "confidence may be added)",
    ],
    "encoding": [
        "organisations.csv: line 3: the file is not UTF-8 text (in a spreadsheet program, save as \"CSV UTF-8\")",
    ],
    "header": [
        "organisations.csv: row 1: the header does not match the template (unknown column 'lei code'); expected: "
        "id,name,kind,country,hq_country,principal_country,lei,source (required: id or lei; the others may be left "
        "out; confidence may be added)",
    ],
    "header-repeated": [
        "stakes.csv: row 1: the header does not match the template (repeated column 'source'); expected: holder,held,"
        "capital_pct,voting_pct,veto,board_majority,valid_from,valid_until,source (required: holder, held; the others "
        "may be left out; confidence may be added)",
    ],
    "id": [
        "organisations.csv: row 2, column 'id': 'acme corp' is not a valid id: use letters, digits, '-', '_' or '.', "
        "without spaces",
        "organisations.csv: row 4, column 'id': the id 'acme' is already defined in row 3",
        "organisations.csv: row 5, column 'id': the row needs an id or an lei",
    ],
    "kind": [
        "organisations.csv: row 2, column 'kind': 'corporation' is not a kind: use company, public-body or person",
    ],
    "lei": [
        "organisations.csv: row 2, column 'lei': '12345' is not an LEI (20 letters or digits, the last two check digits)",
        "organisations.csv: row 3, column 'lei': 'SOVK00EXAMPLE0000154' is not a valid LEI: its check digits are "
        "wrong (ISO 17442)",
        "organisations.csv: row 4, column 'id': 'SOVK00EXAMPLE0000199' looks like an LEI but its check digits are "
        "wrong (ISO 17442)",
        "organisations.csv: row 6, column 'lei': the LEI 'SOVK00EXAMPLE0000250' is already given in row 5",
        "stakes.csv: row 2, column 'holder': 'SOVK00EXAMPLE0000198' is not a valid LEI: its check digits are wrong "
        "(ISO 17442)",
    ],
    "malformed-quote": [
        "organisations.csv: row 2: malformed CSV from this row on (unexpected end of data): a value that holds a "
        "quote, the delimiter or a line break must be quoted, quotes inside it doubled",
    ],
    "many": [
        *[f"stakes.csv: row {n}, column 'capital_pct': '{99 + n}' is not a percentage between 0 and 100"
          for n in range(2, 22)],
        "… and 5 more problems; nothing was loaded",
    ],
    "no-header-value": [
        "organisations.csv: row 2: value 'stray' is in column 8, which has no header",
    ],
    "percent": [
        "stakes.csv: row 2, column 'capital_pct': '120' is not a percentage between 0 and 100",
        "stakes.csv: row 2, column 'voting_pct': 'about 50' is not a percentage between 0 and 100",
        "stakes.csv: row 3, column 'capital_pct': '-5' is not a percentage between 0 and 100",
    ],
    "person": [
        "organisations.csv: row 2, column 'hq_country': a person has no central administration: give the country of "
        "residence in 'country' and leave 'hq_country' empty",
        "organisations.csv: row 2, column 'lei': a person has no LEI: use a local id",
    ],
    "person-held": [
        "stakes.csv: row 2, column 'held': 'jeanne' is a person; this column names an organisation",
    ],
    "reference": [
        "certificates.csv: row 2, column 'holder': 'ghost' is neither an id defined in {dir}/organisations.csv nor an LEI",
        "hosting.csv: row 2, column 'system': 'nosys' is not an id defined in {dir}/systems.csv",
        "hosting.csv: row 3, column 'system': 'Records' is not an id defined in {dir}/systems.csv (ids are "
        "case-sensitive: did you mean 'records'?)",
        "hosting.csv: row 3, column 'provider': 'ghost' is neither an id defined in {dir}/organisations.csv nor an LEI",
        "stakes.csv: row 2, column 'holder': 'ghost' is neither an id defined in {dir}/organisations.csv nor an LEI",
        "stakes.csv: row 2, column 'held': 'Acme' is neither an id defined in {dir}/organisations.csv nor an LEI "
        "(ids are case-sensitive: did you mean 'acme'?)",
        "systems.csv: row 2, column 'controller': 'nobody' is neither an id defined in {dir}/organisations.csv nor "
        "an LEI",
    ],
    "reference-no-organisations": [
        "stakes.csv: row 2, column 'holder': 'parent' is neither an id defined in {dir}/organisations.csv nor an LEI",
        "stakes.csv: row 2, column 'held': 'acme' is neither an id defined in {dir}/organisations.csv nor an LEI",
    ],
    "required": [
        "certificates.csv: row 2, column 'scheme': a value is required: HDS-2018, HDS-2024, SecNumCloud-3.2 or ISO-27001",
        "certificates.csv: row 3, column 'holder': a value is required (a local id, an LEI or a kg: reference)",
        "hosting.csv: row 2, column 'provider': a value is required (a local id, an LEI or a kg: reference)",
        "hosting.csv: row 3, column 'system': a value is required (a system id from systems.csv or a kg: reference)",
        "stakes.csv: row 2, column 'holder': a value is required (a local id, an LEI or a kg: reference)",
        "systems.csv: row 2, column 'id': a value is required (the system's id)",
    ],
    "row-numbers": [
        "organisations.csv: row 6, column 'kind': 'corporation' is not a kind: use company, public-body or person",
    ],
    "scheme": [
        "certificates.csv: row 2, column 'scheme': 'SecNumCloud-3.1' is not a scheme: use HDS-2018, HDS-2024, "
        "SecNumCloud-3.2 or ISO-27001 (or HDS when the referential version is not stated)",
    ],
    "self-stake": [
        "stakes.csv: row 2, column 'held': the holder and the held organisation are the same ('acme')",
    ],
    "too-many-values": [
        "stakes.csv: row 2: the row has 10 values but the header has 9 columns (a value that holds the delimiter "
        "must be quoted)",
    ],
}


def test_every_error_fixture_has_its_expected_message() -> None:
    collected = sorted(p.name for p in ERRORS.iterdir() if p.is_dir())
    assert collected == sorted(EXPECTED_ERRORS)
    assert len(collected) == 26


@pytest.mark.parametrize("case", sorted(EXPECTED_ERRORS))
def test_bad_spreadsheets_fail_with_file_row_and_column(case: str) -> None:
    folder = ERRORS / case
    with pytest.raises(SovkgInputError) as raised:
        build([folder], include_case=False, as_of=TODAY)
    expected = [line if line.startswith("…") else f"{folder}/{line}".replace("{dir}", str(folder))
                for line in EXPECTED_ERRORS[case]]
    assert str(raised.value).split("\n") == expected


@pytest.mark.parametrize("path, message", [
    ("misnamed", "misnamed/organizations.csv: 'organizations.csv' is not a spreadsheet template name (a spreadsheet "
                 "must be named organisations.csv, stakes.csv, systems.csv, hosting.csv or certificates.csv)"),
    ("not-a-template/orgs.csv", "not-a-template/orgs.csv: 'orgs.csv' is not a spreadsheet template name (a "
                                "spreadsheet must be named organisations.csv, stakes.csv, systems.csv, hosting.csv "
                                "or certificates.csv)"),
])
def test_a_csv_file_that_is_not_a_template_is_refused(path: str, message: str) -> None:
    with pytest.raises(SovkgInputError) as raised:
        user_files([FIXTURES / path])
    assert str(raised.value) == f"{FIXTURES}/{message}"


def test_a_single_template_is_read_with_its_siblings() -> None:
    stakes = EXAMPLE / "stakes.csv"
    kg = build([stakes], include_case=False, as_of=TODAY)
    graphs = [g for g in kg.dataset.graphs() if str(g.identifier).startswith("file:")]
    assert [str(g.identifier) for g in graphs] == [stakes.resolve().as_uri()]
    assert (KG[f"lei/{NIMBUS_LEI}"], SOV.directlyControls, KG["user/org/nimbus-ireland"]) in kg.inferred
    assert (KG["user/org/nimbus-ireland"], RDFS.label, None) not in kg.union  # organisations.csv is not loaded


def test_read_templates_gives_one_list_and_checks_kg_references() -> None:
    """The entry point for callers that put all spreadsheet triples in one graph (a scenario folder)."""
    folder = FIXTURES / "kg-missing"
    paths = [folder / name for name in ("organisations.csv", "systems.csv", "hosting.csv")]
    triples = read_templates(paths)
    assert (KG["user/system/records"], RDF.type, SOV.InformationSystem) in triples
    assert read_templates(paths, is_described=lambda iri: True) == triples
    with pytest.raises(SovkgInputError) as raised:
        read_templates(paths, is_described=lambda iri: iri == KG["org/anssi"])
    assert str(raised.value).startswith(f"{folder}/hosting.csv: row 2, column 'provider': 'kg:org/nope' is not in")


def test_read_tables_refuses_a_file_not_named_like_a_template() -> None:
    with pytest.raises(SovkgInputError) as raised:
        read_tables([FIXTURES / "misnamed" / "organizations.csv"])
    assert str(raised.value) == (
        f"{FIXTURES}/misnamed/organizations.csv: 'organizations.csv' is not a spreadsheet template name (a "
        "spreadsheet must be named organisations.csv, stakes.csv, systems.csv, hosting.csv or certificates.csv)")


def test_kind_may_be_empty_and_an_id_may_be_an_lei(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {
        "organisations.csv": "id,name,kind,country,hq_country,lei,source\n"
                             "SOVK00EXAMPLE0000347,Parent,,US,US,,x\n"
                             "acme,Acme,Public Body,FR,FR,,x\n",
        "stakes.csv": STAKES + "SOVK00EXAMPLE0000347,acme,100,,,,,,x\n",
    })
    graph = Graph()
    for triples in read_tables([folder / "organisations.csv", folder / "stakes.csv"]).graphs.values():
        for t in triples:
            graph.add(t)
    parent = KG["lei/SOVK00EXAMPLE0000347"]
    assert set(graph.objects(parent, RDF.type)) == {SOV.Organisation}
    assert graph.value(parent, SOV.lei) == Literal("SOVK00EXAMPLE0000347")
    assert set(graph.objects(KG["user/org/acme"], RDF.type)) == {SOV.PublicBody}
    stake = next(graph.subjects(RDF.type, SOV.OwnershipStake))
    assert (graph.value(stake, SOV.holder), graph.value(stake, SOV.held)) == (parent, KG["user/org/acme"])
    assert graph.value(stake, SOV.capitalPercent) == Literal("100.0", datatype=XSD.decimal)


# -------------------------------------------------------------------------------------------- CLI


def sovkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ), timeout=600, check=False)


def test_cli_exposure_on_the_example() -> None:
    run = sovkg("exposure", "--no-case", "--data", "templates/example", "--format", "json", "--at", "2026-11-29")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert {(r["system"], r["law"], r["level"], tuple(p["iri"] for p in r["path"])) for r in rows} == EXAMPLE_FINDINGS


def test_cli_bad_spreadsheet_exits_2_with_the_file_row_and_column() -> None:
    run = sovkg("exposure", "--no-case", "--data", "tests/fixtures/tabular/errors/percent", "--format", "json")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "sovkg: error: tests/fixtures/tabular/errors/percent/stakes.csv: row 2, column 'capital_pct': '120' is not a "
        "percentage between 0 and 100",
        "tests/fixtures/tabular/errors/percent/stakes.csv: row 2, column 'voting_pct': 'about 50' is not a percentage "
        "between 0 and 100",
        "tests/fixtures/tabular/errors/percent/stakes.csv: row 3, column 'capital_pct': '-5' is not a percentage "
        "between 0 and 100",
    ]


# ------------------------------------------------------------------- optional columns, workbooks


def test_optional_columns_may_be_left_out_of_the_header(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "short", {
        "organisations.csv": "id,country,principal_country\nacme,IE,FR\nfund,US,\n",
        "stakes.csv": "held,holder,capital_pct\nacme,fund,30\n",
    })
    data = read_tables([folder / "organisations.csv", folder / "stakes.csv"])
    orgs = set(data.graphs[folder / "organisations.csv"])
    acme = KG["user/org/acme"]
    assert {(acme, SOV.registeredOffice, KG["country/IE"]), (acme, SOV.principalEstablishment, KG["country/FR"]),
            (acme, RDF.type, SOV.Organisation), (acme, RDFS.label, Literal("acme"))} <= orgs
    assert not any(p == SOV.centralAdministration for s, p, _ in orgs if s == acme)
    stake = next(s for s, p, o in data.graphs[folder / "stakes.csv"] if o == SOV.OwnershipStake)
    assert (stake, SOV.capitalPercent, Literal("30.0", datatype=XSD.decimal)) in data.graphs[folder / "stakes.csv"]


def test_a_required_column_cannot_be_left_out(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "short", {"stakes.csv": "holder,capital_pct\nacme,30\n",
                                               "organisations.csv": "name\nAcme\n"})
    with pytest.raises(SovkgInputError) as caught:
        read_tables([folder / "stakes.csv", folder / "organisations.csv"])
    assert str(caught.value).splitlines() == [
        f"{folder / 'organisations.csv'}: row 1: the header does not match the template (missing column 'id' or "
        "'lei'); expected: id,name,kind,country,hq_country,principal_country,lei,source (required: id or lei; the "
        "others may be left out; confidence may be added)",
        f"{folder / 'stakes.csv'}: row 1: the header does not match the template (missing column 'held'); expected: "
        "holder,held,capital_pct,voting_pct,veto,board_majority,valid_from,valid_until,source (required: holder, "
        "held; the others may be left out; confidence may be added)",
    ]


def test_principal_country_is_refused_for_a_person(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "p", {"organisations.csv": "id,kind,country,principal_country\nann,person,FR,FR\n"})
    with pytest.raises(SovkgInputError, match="row 2, column 'principal_country': a person has no principal "
                                              "establishment"):
        read_tables([folder / "organisations.csv"])


def _workbook(path: Path, sheets: dict[str, list[list[object]]], percent_cells: tuple[str, ...] = ()) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for ref in percent_cells if title == "stakes" else ():
            sheet[ref].number_format = "0.00%"
    book.save(path)
    return path


def test_an_xlsx_workbook_is_read_like_a_folder_of_templates(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "book.xlsx", {
        "_Instructions": [["Fill one sheet per template"]],
        "organisations": [["id", "name", "country", "hq_country"], ["acme", "Acme Cloud", "IE", "IE"],
                          ["fund", "US Fund", "US", None]],
        "stakes": [["holder", "held", "capital_pct", "voting_pct", "valid_from"],
                   ["fund", "acme", 0.3, 30, dt.datetime(2024, 3, 1)]],
    }, percent_cells=("C2",))
    data = read_tables([book])
    triples = set(data.graphs[book])
    stake = next(s for s, p, o in triples if o == SOV.OwnershipStake)
    assert {(stake, SOV.holder, KG["user/org/fund"]), (stake, SOV.held, KG["user/org/acme"]),
            (stake, SOV.capitalPercent, Literal("30.0", datatype=XSD.decimal)),
            (stake, SOV.votingPercent, Literal("30.0", datatype=XSD.decimal)),
            (stake, SOV.validFrom, Literal("2024-03-01", datatype=XSD.date))} <= triples
    assert (KG["user/org/acme"], SOV.registeredOffice, KG["country/IE"]) in triples
    row_source = next(o for s, p, o in triples if s == stake and p == SOV.source)
    assert str(next(o for s, p, o in triples if s == row_source and p == SOV.url)) == \
        book.resolve().as_uri() + "#sheet=stakes&row=2"
    kg = build([book], include_case=False, as_of=TODAY)
    assert (KG["user/org/fund"], SOV.directlyControls, KG["user/org/acme"]) not in kg.inferred  # 30 %: no control


def test_workbook_errors_name_the_sheet_row_and_column(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "book.xlsx", {
        "organisations": [["id", "country"], ["acme", "UK"]],
        "stakes": [["holder", "held", "capital_pct"], ["acme", "nobody", 120]],
        "Stakess": [["x"]],
    })
    with pytest.raises(SovkgInputError) as caught:
        read_tables([book])
    assert str(caught.value).splitlines() == [
        f"{book}: sheet 'Stakess' is not a template (name the sheets organisations, stakes, systems, hosting, "
        "certificates; a sheet whose name starts with '_' is ignored)",
        f"{book}, sheet 'organisations': row 2, column 'country': 'UK' is not an ISO 3166-1 alpha-2 country code "
        "(the United Kingdom is GB)",
        f"{book}, sheet 'stakes': row 2, column 'held': 'nobody' is neither an id defined in {book}, sheet "
        "'organisations' nor an LEI",
        f"{book}, sheet 'stakes': row 2, column 'capital_pct': '120' is not a percentage between 0 and 100",
    ]


def test_excel_option_writes_csv_for_a_french_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sovkg.cli import main

    args = ["exposure", "--no-case", "--data", str(EXAMPLE), "--at", "2026-11-29", "--format", "csv"]
    assert main(args) == 0
    plain = capsys.readouterr().out
    assert main([*args, "--excel"]) == 0
    excel = capsys.readouterr().out
    assert not plain.startswith("\ufeff") and excel.startswith("\ufeff")
    header = plain.splitlines()[0]
    assert excel.splitlines()[0] == "\ufeff" + header.replace(",", ";")
    import csv as csv_module
    import io

    assert list(csv_module.reader(io.StringIO(excel[1:]), delimiter=";")) == list(csv_module.reader(io.StringIO(plain)))
    out = tmp_path / "report"
    assert main(["report", "--no-case", "--data", str(EXAMPLE), "--at", "2026-11-29", "--output", str(out),
                 "--excel"]) == 0
    capsys.readouterr()
    assert (out / "exposure.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (out / "validation.csv").read_text(encoding="utf-8-sig").splitlines()[0].count(";") >= 3
