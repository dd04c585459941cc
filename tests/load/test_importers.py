"""Importers (``sovkg import gleif|bods|sheets``): real-format fixtures give the exact graph; bad rows are reported.

Fixtures in tests/fixtures/import/ (see its README.md): GLEIF golden-copy CSV rows of real public
entities whose LEIs are recorded with a source (OVH Groupe, Alphabet, Google LLC) and of fictitious
``SOVK00…`` entities, a BODS 0.4 declaration with indirect ownership (JSON and JSON Lines), and the
spreadsheet example of templates/.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.term import Node

from sovkg.cli import main
from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import INFERRED_GRAPH, KG, SOV
from sovkg.load.importers import run_import
from sovkg.load.lei import lei_iri
from sovkg.load.sheets import read_tables

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
LEVEL1 = FIXTURES / "gleif" / "level1.csv"
RELATIONSHIPS = FIXTURES / "gleif" / "relationships.csv"
REPEX = FIXTURES / "gleif" / "repex.csv"
BODS_JSON = FIXTURES / "bods" / "indirect.json"
BODS_LINES = FIXTURES / "bods" / "indirect.jsonl"
EXAMPLE = ROOT / "templates" / "example"
RETRIEVED = dt.date(2026, 12, 1)
DCT = "http://purl.org/dc/terms/"

HOLDING = KG["lei/SOVK00EXHOLDING00078"]
HEBERGEMENT = KG["lei/SOVK00EXHEBERGE00012"]
BRANCH = KG["lei/SOVK00EXBRANCHE00059"]
ANCIEN = KG["lei/SOVK00EXANCIEN000092"]


def imported(kind: str, paths: list[Path], tmp_path: Path, name: str = "out.nq", **options: object) -> Dataset:
    target = tmp_path / name
    run_import(kind, paths, output=target, retrieved=RETRIEVED, **options)  # type: ignore[arg-type]
    dataset = Dataset(default_union=True)
    dataset.parse(target, format="trig" if name.endswith(".trig") else "nquads")
    return dataset


def about(dataset: Dataset, subject: Node) -> set[tuple[Node, Node]]:
    return {(p, o) for _, p, o, _ in dataset.quads((subject, None, None, None))}


def source_of(path: Path, dataset: Dataset) -> URIRef:
    value = dataset.value(URIRef(path.resolve().as_uri()), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert isinstance(value, URIRef)
    return value


def decimal(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


# ------------------------------------------------------------------------------------------- GLEIF


def test_gleif_level1_rows_give_organisations_and_join_the_case(tmp_path: Path) -> None:
    ds = imported("gleif", [LEVEL1], tmp_path)
    source = source_of(LEVEL1, ds)
    assert about(ds, HEBERGEMENT) == {
        (RDF.type, SOV.Company), (SOV.lei, Literal("SOVK00EXHEBERGE00012")),
        (SOV.legalName, Literal("Exemple Hébergement SAS")), (RDFS.label, Literal("Exemple Hébergement SAS")),
        (SOV.registeredOffice, KG["country/FR"]), (SOV.centralAdministration, KG["country/FR"]),
        (SOV.legalJurisdiction, Literal("FR")), (SOV.entityStatus, Literal("ACTIVE")),
        (SOV.source, source), (SOV.confidence, SOV.MediumConfidence),
    }
    assert (SOV.confidence, SOV.HighConfidence) in about(ds, HOLDING)  # FULLY_CORROBORATED
    # OVH Groupe's LEI is the bundled case's OVHcloud: the record joins it and keeps the case's label
    assert lei_iri("9695001J8OSOVX4TP939") == KG["org/ovhcloud"]
    assert about(ds, KG["org/ovhcloud"]) == {
        (RDF.type, SOV.Company), (SOV.lei, Literal("9695001J8OSOVX4TP939")), (SOV.legalName, Literal("OVH Groupe")),
        (SOV.registeredOffice, KG["country/FR"]), (SOV.centralAdministration, KG["country/FR"]),
        (SOV.legalJurisdiction, Literal("FR")), (SOV.entityStatus, Literal("ACTIVE")), (SOV.source, source),
    }
    assert (SOV.legalJurisdiction, Literal("US-DE")) in about(ds, KG["org/alphabet"])
    # a branch's legal address is where it is established, not a registered office
    branch = about(ds, BRANCH)
    assert (SOV.establishedIn, KG["country/FR"]) in branch
    assert not any(p == SOV.registeredOffice for p, _ in branch)
    assert (SOV.entityStatus, Literal("INACTIVE")) in about(ds, ANCIEN)
    assert about(ds, KG["lei/SOVK00EXANNULE000085"]) == set()  # a DUPLICATE registration is skipped
    assert about(ds, source) == {
        (RDF.type, SOV.Source),
        (RDFS.label, Literal("GLEIF Level 1 (LEI-CDF) golden copy, file level1.csv", lang="en")),
        (URIRef(DCT + "title"), Literal("GLEIF Level 1 (LEI-CDF) golden copy, file level1.csv", lang="en")),
        (URIRef(DCT + "source"), Literal("level1.csv")),
        (URIRef(DCT + "publisher"), Literal("GLEIF (Global Legal Entity Identifier Foundation)")),
        (SOV.url, Literal("https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy",
                          datatype=XSD.anyURI)),
        (SOV.urlPrecision, Literal("site")), (SOV.retrievedOn, day("2026-12-01")),
        (URIRef(DCT + "license"), URIRef("https://creativecommons.org/publicdomain/zero/1.0/")),
    }


def test_gleif_consolidation_is_control_without_a_percentage(tmp_path: Path) -> None:
    ds = imported("gleif", [RELATIONSHIPS], tmp_path)
    source = source_of(RELATIONSHIPS, ds)
    stakes = set(ds.subjects(RDF.type, SOV.OwnershipStake))
    assert stakes == {
        KG["gleif/relationship/7ZW8QJWVPR4P1J1KQY45-ultimate-5493006MHB84DD0ZWV18"],
        KG["gleif/relationship/SOVK00EXHEBERGE00012-direct-SOVK00EXHOLDING00078"],
        KG["gleif/relationship/SOVK00EXBRANCHE00059-branch-SOVK00EXHOLDING00078"],
        KG["gleif/relationship/SOVK00EXANCIEN000092-direct-SOVK00EXHEBERGE00012"],
    }  # not: fund management, an INACTIVE relationship without an end date, the malformed rows
    direct = KG["gleif/relationship/SOVK00EXHEBERGE00012-direct-SOVK00EXHOLDING00078"]
    assert about(ds, direct) == {
        (RDF.type, SOV.OwnershipStake),
        (RDFS.label, Literal("GLEIF: SOVK00EXHOLDING00078 is the direct accounting parent of SOVK00EXHEBERGE00012",
                             lang="en")),
        (SOV.holder, HOLDING), (SOV.held, HEBERGEMENT), (SOV.controlRight, Literal(True)),
        (SOV.directness, SOV.Direct), (URIRef(DCT + "type"), Literal("IS_DIRECTLY_CONSOLIDATED_BY")),
        (SOV.validFrom, day("2020-03-01")),  # the RELATIONSHIP_PERIOD, not the accounting period
        (SOV.source, source), (SOV.confidence, SOV.HighConfidence),
    }
    google = about(ds, KG["gleif/relationship/7ZW8QJWVPR4P1J1KQY45-ultimate-5493006MHB84DD0ZWV18"])
    assert {(SOV.holder, KG["org/alphabet"]), (SOV.held, KG["org/google-llc"]), (SOV.directness, SOV.Indirect)} <= google
    ended = about(ds, KG["gleif/relationship/SOVK00EXANCIEN000092-direct-SOVK00EXHEBERGE00012"])
    assert (SOV.validUntil, day("2021-06-30")) in ended
    assert (BRANCH, SOV.branchOf, HOLDING) in {(s, p, o) for s, p, o, _ in ds.quads((BRANCH, None, None, None))}


def test_gleif_at_keeps_the_relationships_in_force_that_day(tmp_path: Path) -> None:
    ds = imported("gleif", [RELATIONSHIPS], tmp_path, at=dt.date(2022, 1, 1))
    stakes = set(ds.subjects(RDF.type, SOV.OwnershipStake))
    assert KG["gleif/relationship/SOVK00EXANCIEN000092-direct-SOVK00EXHEBERGE00012"] not in stakes
    assert len(stakes) == 3
    early = imported("gleif", [RELATIONSHIPS], tmp_path, name="early.nq", at=dt.date(2019, 1, 1))
    assert KG["gleif/relationship/SOVK00EXHEBERGE00012-direct-SOVK00EXHOLDING00078"] not in set(
        early.subjects(RDF.type, SOV.OwnershipStake))


def test_gleif_reporting_exceptions_are_parents_not_disclosed(tmp_path: Path) -> None:
    ds = imported("gleif", [REPEX], tmp_path)
    source = source_of(REPEX, ds)
    direct, ultimate = KG["gleif/exception/SOVK00EXHOLDING00078-direct"], KG["gleif/exception/SOVK00EXHOLDING00078-ultimate"]
    assert set(ds.objects(HOLDING, SOV.parentNotDisclosed)) == {direct, ultimate}
    assert about(ds, ultimate) == {
        (RDF.type, SOV.ParentNotDisclosed),
        (RDFS.label, Literal("GLEIF: the ultimate accounting parent of SOVK00EXHOLDING00078 is not reported "
                             "(NON_PUBLIC, LEGAL_OBSTACLES)", lang="en")),
        (SOV.parentLevel, Literal("ultimate")), (SOV.exceptionReason, Literal("NON_PUBLIC")),
        (SOV.exceptionReason, Literal("LEGAL_OBSTACLES")), (SOV.source, source), (SOV.confidence, SOV.HighConfidence),
    }
    assert (SOV.exceptionReason, Literal("NATURAL_PERSONS")) in about(ds, direct)
    assert set(ds.subjects(RDF.type, SOV.ParentNotDisclosed)) == {direct, ultimate}  # not the fund's


def test_gleif_malformed_rows_are_reported_by_row_and_column_and_the_rest_imports(tmp_path: Path) -> None:
    result = run_import("gleif", [LEVEL1, RELATIONSHIPS, REPEX], output=tmp_path / "all.nq")
    assert [str(p) for p in result.problems] == [
        f"{LEVEL1}: row 9, column 'LEI': 'SOVK00EXHOLDING00079' is not a valid LEI (20 characters, ISO 17442 "
        "check digits)",
        f"{LEVEL1}: row 10, column 'Entity.LegalAddress.Country': 'UK' is not an ISO 3166-1 alpha-2 country code",
        f"{RELATIONSHIPS}: row 8, column 'Relationship.RelationshipType': 'IS_OWNED_BY' is not a relationship type "
        "(IS_DIRECTLY_CONSOLIDATED_BY, IS_ULTIMATELY_CONSOLIDATED_BY, IS_INTERNATIONAL_BRANCH_OF, IS_FUND-MANAGED_BY, "
        "IS_SUBFUND_OF, IS_FEEDER_TO)",
        f"{RELATIONSHIPS}: row 9, column 'Relationship.Period.1.endDate': 2021-01-01 is before the start date "
        "2022-01-01",
        f"{REPEX}: row 5, column 'Exception.Reason.1': 'SECRET' is not a reporting-exception reason "
        "(BINDING_LEGAL_COMMITMENTS, CONSENT_NOT_OBTAINED, DETRIMENT_NOT_EXCLUDED, DISCLOSURE_DETRIMENTAL, "
        "LEGAL_OBSTACLES, NATURAL_PERSONS, NON_CONSOLIDATING, NON_PUBLIC, NO_KNOWN_PERSON, NO_LEI)",
    ]
    assert (result.rows, result.imported, result.skipped, result.problem_count) == (22, 13, 9, 5)
    assert result.graphs == [p.resolve().as_uri() for p in (LEVEL1, RELATIONSHIPS, REPEX)]


def test_gleif_zipped_golden_copy_is_read_with_its_publication_date(tmp_path: Path) -> None:
    archive = tmp_path / "20241130-0800-gleif-goldencopy-lei2-golden-copy.csv.zip"
    member = "20241130-0800-gleif-goldencopy-lei2-golden-copy.csv"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(LEVEL1, member)
    ds = imported("gleif", [archive], tmp_path)
    graph = URIRef(archive.resolve().as_uri() + "#" + member)
    source = ds.value(graph, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert ds.value(source, URIRef(DCT + "date")) == day("2024-11-30")
    assert (SOV.legalName, Literal("Exemple Hébergement SAS")) in about(ds, HEBERGEMENT)


def test_strict_stops_at_the_first_problem_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.trig"
    with pytest.raises(SovkgInputError) as caught:
        run_import("gleif", [LEVEL1], output=target, strict=True)
    assert str(caught.value) == (f"{LEVEL1}: row 9, column 'LEI': 'SOVK00EXHOLDING00079' is not a valid LEI "
                                 "(20 characters, ISO 17442 check digits) (--strict: nothing was imported)")
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary one


def test_store_import_replaces_the_files_graphs_and_strict_leaves_the_store_untouched(tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    run_import("gleif", [RELATIONSHIPS], store=store, retrieved=RETRIEVED)
    opened = ox.Store(str(store))
    size = len(opened)
    del opened
    run_import("gleif", [RELATIONSHIPS], store=store, retrieved=RETRIEVED)
    with pytest.raises(SovkgInputError):
        run_import("gleif", [LEVEL1], store=store, strict=True)
    opened = ox.Store(str(store))
    assert len(opened) == size == len(imported("gleif", [RELATIONSHIPS], tmp_path, name="check.nq"))
    assert {q.graph_name.value for q in opened} == {RELATIONSHIPS.resolve().as_uri()}
    del opened
    assert sorted(p.name for p in tmp_path.iterdir()) == ["check.nq", "store"]


# -------------------------------------------------------------------------------------------- BODS


def test_bods_statements_give_the_stakes_the_spreadsheets_give(tmp_path: Path) -> None:
    ds = imported("bods", [BODS_JSON], tmp_path)
    source = source_of(BODS_JSON, ds)
    participations, jeanne = KG["bods/e-participations"], KG["bods/p-jeanne"]
    assert about(ds, KG["bods/stake/st-05-1"]) == {
        (RDF.type, SOV.OwnershipStake), (RDFS.label, Literal("BODS: interest of e-holding in e-hebergement", lang="en")),
        (SOV.holder, HOLDING), (SOV.held, HEBERGEMENT), (SOV.directness, SOV.Direct),
        (SOV.capitalPercent, decimal("60.0")), (SOV.votingPercent, decimal("60.0")),
        (URIRef(DCT + "type"), Literal("shareholding")), (URIRef(DCT + "type"), Literal("votingRights")),
        (SOV.validFrom, day("2020-03-01")), (SOV.source, source), (SOV.confidence, SOV.MediumConfidence),
    }
    board = about(ds, KG["bods/stake/st-06-1"])
    assert {(SOV.holder, participations), (SOV.held, HOLDING), (SOV.minimumPercent, decimal("25.0")),
            (SOV.maximumPercent, decimal("50.0")), (SOV.appointsBoardMajority, Literal(True))} <= board
    assert not any(p == SOV.capitalPercent for p, _ in board)
    assert (SOV.majorityOfVotes, Literal(True)) in about(ds, KG["bods/stake/st-07-1"])
    indirect = about(ds, KG["bods/stake/st-08-1"])
    assert {(SOV.holder, jeanne), (SOV.held, HEBERGEMENT), (SOV.directness, SOV.Indirect),
            (SOV.minimumPercent, decimal("15.0")), (SOV.maximumPercent, decimal("30.0"))} <= indirect
    closed = about(ds, KG["bods/stake/st-10-1"])
    assert {(SOV.capitalPercent, decimal("10.0")), (SOV.validFrom, day("2018-01-01")),
            (SOV.validUntil, day("2019-12-31"))} <= closed
    assert set(ds.subjects(RDF.type, SOV.OwnershipStake)) == {
        KG[f"bods/stake/st-{n:02d}-1"] for n in (5, 6, 7, 8, 10)}
    undisclosed = KG["bods/undisclosed/st-09"]
    assert (participations, SOV.parentNotDisclosed, undisclosed) in {
        (s, p, o) for s, p, o, _ in ds.quads((participations, SOV.parentNotDisclosed, None, None))}
    assert (SOV.exceptionReason, Literal("interestedPartyExemptFromDisclosure")) in about(ds, undisclosed)
    # entities with an XI-LEI identifier are the GLEIF nodes; the others are minted from their record id
    assert {(RDFS.label, Literal("Exemple Holding Inc.")), (SOV.registeredOffice, KG["country/US"]),
            (SOV.legalJurisdiction, Literal("US-DE"))} <= about(ds, HOLDING)
    assert (URIRef(DCT + "identifier"), Literal("FR-RCS:000000000")) in about(ds, HEBERGEMENT)
    assert {(RDF.type, SOV.Person), (RDFS.label, Literal("Jeanne Exemple")),
            (SOV.residentIn, KG["country/FR"])} <= about(ds, jeanne)
    assert {(URIRef(DCT + "publisher"), Literal("Exemple Registre")), (URIRef(DCT + "date"), day("2024-06-30")),
            (SOV.url, Literal("https://registre.example.org/", datatype=XSD.anyURI))} <= about(ds, source)


def test_bods_problems_name_the_statement_and_the_json_path(tmp_path: Path) -> None:
    result = run_import("bods", [BODS_JSON], output=tmp_path / "out.nq")
    assert [str(p) for p in result.problems] == [
        f"{BODS_JSON}: statement 11, column 'recordDetails.interests[0].share.exact': 120 is not a percentage "
        "between 0 and 100",
        f"{BODS_JSON}: statement 12, column 'recordDetails.interests[0].type': 'friendship' is not an interest "
        "type of BODS 0.4",
        f"{BODS_JSON}: statement 12, column 'recordDetails.interests[0].directOrIndirect': 'sideways' is not "
        "direct, indirect or unknown",
    ]
    assert (result.rows, result.imported, result.skipped) == (12, 10, 2)


def test_bods_json_lines_give_the_same_graph_and_skip_a_broken_line(tmp_path: Path) -> None:
    result = run_import("bods", [BODS_LINES], output=tmp_path / "lines.nq")
    assert str(result.problems[0]) == (f"{BODS_LINES}: row 5: not a JSON object (Expecting property name "
                                       "enclosed in double quotes: line 2 column 1 (char 53))")
    assert result.problem_count == 4

    def facts(ds: Dataset, path: Path) -> set[tuple[Node, Node, Node]]:
        source = source_of(path, ds)
        return {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)) if source not in (s, o)}

    array = imported("bods", [BODS_JSON], tmp_path, name="array.nq")
    lines = Dataset(default_union=True)
    lines.parse(tmp_path / "lines.nq", format="nquads")
    assert facts(array, BODS_JSON) == facts(lines, BODS_LINES)


def test_a_bods_array_with_a_syntax_error_reports_it_and_keeps_what_came_before(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    text = BODS_JSON.read_text(encoding="utf-8")
    broken.write_text(text[: text.index('"statementId": "st-05"')] + '"statementId": }]', encoding="utf-8")
    result = run_import("bods", [broken], output=tmp_path / "out.nq")
    assert result.imported == 4
    assert [p.unit for p in result.problems] == ["statement"]
    assert str(result.problems[0]).startswith(f"{broken}: statement 5: invalid JSON (")


# ------------------------------------------------------------------------------------ spreadsheets


def test_sheets_import_gives_the_triples_data_loads_plus_the_file_source(tmp_path: Path) -> None:
    ds = imported("sheets", [EXAMPLE], tmp_path)
    tables = read_tables(sorted(EXAMPLE.glob("*.csv")))
    for path, triples in tables.graphs.items():
        graph = ds.graph(URIRef(path.resolve().as_uri()))
        source = source_of(path, ds)
        written = {t for t in graph if source not in (t[0], t[2]) and t[0] != graph.identifier}
        assert written == set(triples)
        assert graph.value(source, URIRef(DCT + "source")) == Literal(path.name)


def test_a_spreadsheet_lei_joins_the_case_organisation_and_gleif(tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "stakes.csv").write_text(
        "holder,held,capital_pct,voting_pct,veto,board_majority,valid_from,valid_until,source\n"
        "SOVK00EXHOLDING00078,9695001j8osovx4tp939,5,,,,,,https://example.org/filing\n", encoding="utf-8")
    ds = imported("sheets", [folder / "stakes.csv"], tmp_path)
    stake = next(ds.subjects(RDF.type, SOV.OwnershipStake))
    assert ds.value(stake, SOV.held) == KG["org/ovhcloud"]
    assert ds.value(stake, SOV.holder) == HOLDING


def test_sheets_import_skips_bad_rows_unless_strict(tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "id,name,kind,country,hq_country,lei,source\n"
        "acme,Acme,company,IE,,,\n"
        "bad,Bad,company,UK,,,\n", encoding="utf-8")
    result = run_import("sheets", [folder], output=tmp_path / "out.nq")
    assert [str(p) for p in result.problems] == [
        f"{folder / 'organisations.csv'}: row 3, column 'country': 'UK' is not an ISO 3166-1 alpha-2 country code "
        "(the United Kingdom is GB)"]
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "out.nq", format="nquads")
    assert (KG["user/org/acme"], RDF.type, SOV.Company) in {(s, p, o) for s, p, o, _ in ds.quads()}
    assert not any(True for _ in ds.quads((KG["user/org/bad"], None, None, None)))
    with pytest.raises(SovkgInputError, match="row 3, column 'country'"):
        run_import("sheets", [folder], output=tmp_path / "strict.nq", strict=True)
    assert not (tmp_path / "strict.nq").exists()


# ---------------------------------------------------------------------------------- CLI and derive


def test_cli_import_reports_problems_on_stderr_and_exits_0_or_2_with_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.trig"
    assert main(["import", "gleif", str(LEVEL1), "--output", str(target), "--retrieved", "2026-12-01"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"sovkg: {LEVEL1}: row 9, column 'LEI': ")
    assert err[-1] == (f"sovkg: imported 7 of 10 records ({_count(target)} quads, 1 graphs) into {target}; "
                       "3 skipped, 2 problems")
    assert main(["import", "gleif", str(LEVEL1), "--output", str(tmp_path / "s.nq"), "--strict"]) == 2
    assert main(["import", "gleif", str(LEVEL1), "--output", str(tmp_path / "x.ttl")]) == 2
    assert main(["import", "bods", str(BODS_JSON), "--store", str(tmp_path / "store")]) == 0


def _count(path: Path) -> int:
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    return len(ds)


def test_imported_gleif_chain_exposes_a_system_hosted_by_the_subsidiary(tmp_path: Path) -> None:
    from sovkg.derive.knowledge_graph import build

    quads = tmp_path / "gleif.nq"
    run_import("gleif", [LEVEL1, RELATIONSHIPS], output=quads, retrieved=RETRIEVED)
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "systems.csv").write_text(
        "id,name,controller,data_category,sensitive,source\n"
        "registry,Registre patients,,personal-health,,https://example.org/registry\n", encoding="utf-8")
    (folder / "hosting.csv").write_text(
        "system,provider,offer,activities,storage_country,remote_access_countries,valid_from,valid_until,source\n"
        "registry,SOVK00EXHEBERGE00012,,1;2,FR,,,,https://example.org/registry\n", encoding="utf-8")
    bods = tmp_path / "bods.nq"
    run_import("bods", [BODS_JSON], output=bods, retrieved=RETRIEVED)
    kg = build([quads, bods, folder], include_case=False, as_of=dt.date(2026, 11, 29))
    assert (HOLDING, SOV.directlyControls, HEBERGEMENT) in kg.inferred
    # BODS: a majority of votes, then the right to appoint the board, then 60 %: the person controls the host
    jeanne, participations = KG["bods/p-jeanne"], KG["bods/e-participations"]
    assert {(jeanne, SOV.directlyControls, participations), (participations, SOV.directlyControls, HOLDING),
            (jeanne, SOV.controls, HEBERGEMENT)} <= set(kg.inferred)
    findings = [f for f in kg.findings if f.system == str(KG["user/system/registry"])]
    cloud_act = [f for f in findings if f.law == "https://w3id.org/sovkg/id/law/us-cloud-act"]
    assert [f.level for f in cloud_act] == ["control"]
    assert [p.iri for p in cloud_act[0].path][-2:] == [str(HEBERGEMENT), str(HOLDING)]
    assert INFERRED_GRAPH in {g.identifier for g in kg.dataset.graphs()}


def test_progress_wraps_the_stream_without_changing_what_is_read() -> None:
    import io

    from sovkg.load.importers.writer import open_progress

    raw = io.BytesIO(b"a,b\n1,2\n")
    with open_progress(raw, 8, "test", show=True) as stream:
        assert stream.read() == b"a,b\n1,2\n"
    with open_progress(io.BytesIO(b"x"), 1, "test", show=False) as stream:
        assert stream.read() == b"x"


def test_a_store_import_in_several_bulk_loads_gives_the_same_store(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pyoxigraph as ox

    from sovkg.load.importers import writer

    run_import("gleif", [LEVEL1, RELATIONSHIPS], store=tmp_path / "one", retrieved=RETRIEVED)
    monkeypatch.setattr(writer, "BATCH", 7)
    monkeypatch.setattr(writer, "STORE_CHUNK", 20)
    run_import("gleif", [LEVEL1, RELATIONSHIPS], store=tmp_path / "many", retrieved=RETRIEVED)
    one, many = ox.Store(str(tmp_path / "one")), ox.Store(str(tmp_path / "many"))
    assert set(one) == set(many) and len(many) > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "one"]  # no chunk left behind
