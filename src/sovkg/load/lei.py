"""The one place that turns an LEI into an organisation IRI, so that every input joins on it.

Takes an LEI (ISO 17442) and gives the IRI that names its legal entity in every input: the
bundled case's IRI when a case organisation carries that LEI (``sov:lei``), else
``kg:lei/<LEI>``. The spreadsheet reader (:mod:`sovkg.load.sheets`) and the importers
(:mod:`sovkg.load.importers`) both call :func:`lei_iri`, so a GLEIF record, a BODS entity with an
``XI-LEI`` identifier, a spreadsheet row and the case's own organisation are one node: no
``owl:sameAs`` to reason over, no join to run at query time.

The case's LEIs are read once from the bundled case files (``data/case/*.ttl``, the lines that
state ``sov:lei``); the mapping is fixed when an input is read, so an import made before the case
gained an LEI keeps ``kg:lei/<LEI>`` until it is re-imported.

>>> str(lei_iri("5493006MHB84DD0ZWV18"))  # Alphabet Inc., an organisation of the bundled case
'https://w3id.org/sovkg/id/org/alphabet'
>>> str(lei_iri("SOVK00EXAMPLE0000153"))
'https://w3id.org/sovkg/id/lei/SOVK00EXAMPLE0000153'
>>> lei_is_valid("5493006MHB84DD0ZWV18"), lei_is_valid("5493006MHB84DD0ZWV19"), lei_is_valid("abc")
(True, False, False)
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import Graph, URIRef
from stdnum.iso7064 import mod_97_10

from sovkg.core.namespaces import KG, SOV
from sovkg.core.resources import resource_path

__all__ = ["case_leis", "is_case_iri", "lei_iri", "lei_is_valid"]

_LEI = re.compile(r"[A-Z0-9]{18}[0-9]{2}")


def lei_is_valid(lei: str) -> bool:
    """True for a 20-character LEI whose ISO 7064 mod 97-10 check digits are right (``python-stdnum``).

    The shape is checked first, then the check digits with ``stdnum``'s ISO 7064 mod 97-10, which
    is what ``stdnum.lei.validate`` does after cleaning its input (skipped here: importers call
    this once per LEI of multi-million-row files, on values they have already trimmed).
    """
    return bool(_LEI.fullmatch(lei)) and mod_97_10.checksum(lei) == 1


@cache
def case_leis() -> dict[str, URIRef]:
    """The LEIs the bundled case records (``sov:lei``), each with its organisation's IRI."""
    found: dict[str, URIRef] = {}
    folder = resource_path("data/case")
    for path in sorted(folder.glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        if "sov:lei" not in text:
            continue
        graph = Graph().parse(data=text, format="turtle")
        for subject, value in graph.subject_objects(SOV.lei):
            if isinstance(subject, URIRef):
                found[str(value)] = subject
    return found


def lei_iri(lei: str) -> URIRef:
    """The IRI of the legal entity with this LEI (upper case, already checked)."""
    return case_leis().get(lei) or URIRef(f"{KG}lei/{lei}")


def is_case_iri(iri: URIRef) -> bool:
    """True when ``iri`` is a case organisation reached through its LEI (its label is the case's)."""
    return not str(iri).startswith(str(KG["lei/"]))
