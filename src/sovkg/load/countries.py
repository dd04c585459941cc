"""ISO 3166-1 countries from ``pycountry``: which alpha-2 codes exist, and their English and French names.

Takes a two-letter code; gives whether it is assigned, its names (English from the ISO 3166 table,
French from pycountry's ``iso3166-1`` gettext catalogue) and, for a spreadsheet that names a
country the reference data does not describe, the triples that label it.

>>> len(ISO_COUNTRIES), "FR" in ISO_COUNTRIES, "UK" in ISO_COUNTRIES
(249, True, False)
>>> country_name("BR"), country_name("BR", "fr"), country_name("KR"), country_name("US", "fr")
('Brazil', 'Brésil', 'South Korea', 'États-Unis')
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from sovkg.core.namespaces import KG, SOV

__all__ = ["ISO_COUNTRIES", "country_iri", "country_name", "country_triples"]

ISO_COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
"""The officially assigned ISO 3166-1 alpha-2 codes (249 in 2026)."""


def country_iri(code: str) -> URIRef:
    """The sovkg IRI of a country (``kg:country/FR``)."""
    return KG[f"country/{code.upper()}"]


def country_name(code: str, language: str = "en") -> str:
    """The country's common name in English (``language="en"``) or its ISO name translated (``"fr"``)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise KeyError(code)
    if language == "en":
        return str(getattr(country, "common_name", None) or country.name)
    return _translation(language).gettext(str(country.name))


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_triples(code: str) -> list[tuple[Node, Node, Node]]:
    """A ``sov:Country`` with its ISO code and its English and French labels.

    >>> sorted(str(o) for _, _, o in country_triples("br"))
    ['BR', 'Brazil', 'Brésil', 'https://w3id.org/sovkg/ns#Country']
    """
    node = country_iri(code)
    return [
        (node, RDF.type, SOV.Country),
        (node, SOV.isoCode, Literal(code.upper())),
        (node, RDFS.label, Literal(country_name(code), lang="en")),
        (node, RDFS.label, Literal(country_name(code, "fr"), lang="fr")),
    ]
