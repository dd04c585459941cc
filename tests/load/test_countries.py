"""Countries come from pycountry: every ISO 3166-1 code is accepted, and a country that a spreadsheet
names but the reference data does not describe gets its English and French names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import RDFS, Literal

from sovkg.core.errors import SovkgInputError
from sovkg.derive.knowledge_graph import build
from sovkg.load.countries import ISO_COUNTRIES, country_iri, country_name
from sovkg.load.sheets import lei_is_valid, read_tables

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "tabular" / "countries"


def test_the_249_codes_and_names_in_two_languages() -> None:
    assert len(ISO_COUNTRIES) == 249
    assert {"FR", "GB", "US", "BR", "AX", "SS", "XK"} & ISO_COUNTRIES == {"FR", "GB", "US", "BR", "AX", "SS"}
    assert [country_name(c, "fr") for c in ("DE", "GB", "US", "CI")] == [
        "Allemagne", "Royaume-Uni", "États-Unis", "Côte d'Ivoire"]
    assert [country_name(c) for c in ("DE", "GB", "TW")] == ["Germany", "United Kingdom", "Taiwan"]


def test_a_country_outside_the_reference_data_gets_english_and_french_labels() -> None:
    kg = build([FOLDER], include_case=False, as_of=dt.date(2026, 11, 29))
    brazil, japan, france = country_iri("BR"), country_iri("JP"), country_iri("FR")
    assert set(kg.union.objects(brazil, RDFS.label)) == {Literal("Brazil", lang="en"), Literal("Brésil", lang="fr")}
    # the reference data already names France and Japan: their labels are not doubled
    assert set(kg.union.objects(france, RDFS.label)) == {Literal("France", lang="en"), Literal("France", lang="fr")}
    assert len(set(kg.union.objects(japan, RDFS.label))) == 2
    assert kg.label(brazil) == "Brazil"


def test_an_unassigned_code_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text("id,name,kind,country,hq_country,lei,source\nx,X SA,company,UK,,,https://example.org/x\n")
    with pytest.raises(SovkgInputError, match=r"row 2, column 'country': 'UK' is not an ISO 3166-1 alpha-2 "
                                              r"country code \(the United Kingdom is GB\)"):
        read_tables([path])


def test_lei_check_digits() -> None:
    assert lei_is_valid("5493006MHB84DD0ZWV18")
    assert not lei_is_valid("5493006MHB84DD0ZWV19")
    assert not lei_is_valid("5493006mhb84dd0zwv18")  # the form is checked before the digits
