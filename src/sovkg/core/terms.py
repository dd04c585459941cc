"""Turn what a user types (an IRI, a CURIE, a date) into an RDF term.

Used wherever a user names a node: query parameters, scenario files, ``explain``.

>>> parse_binding("sov:System")
rdflib.term.URIRef('https://w3id.org/sovkg/ns#System')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import PREFIXES

_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_XSD = "http://www.w3.org/2001/XMLSchema#"


def parse_binding(text: str) -> Node:
    """Turn a user's parameter value into an IRI (``<…>``, an absolute IRI, a CURIE) or a date.

    CURIEs use the prefixes of :data:`sovkg.core.namespaces.PREFIXES`; a ``YYYY-MM-DD`` date becomes an
    ``xsd:date`` literal (cutoff parameters such as CQ26's ``$until``); anything else is a
    :class:`SovkgInputError`.

    >>> parse_binding("kg:law/us-cloud-act")
    rdflib.term.URIRef('https://w3id.org/sovkg/id/law/us-cloud-act')
    >>> parse_binding("2027-02-27")
    rdflib.term.Literal('2027-02-27', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date'))
    >>> parse_binding("<https://w3id.org/sovkg/id/org/x>")
    rdflib.term.URIRef('https://w3id.org/sovkg/id/org/x')
    >>> parse_binding("x:y")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sovkg.core.errors.SovkgInputError: 'x:y' is not an IRI or a CURIE with a known prefix (sov, kg, ...)
    """
    value = text.strip()
    known = ", ".join(PREFIXES)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise SovkgInputError(f"{text!r} is not a valid date") from None
        return Literal(value, datatype=URIRef(_XSD + "date"))
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if _is_absolute_iri(iri):
            return URIRef(iri)
        raise SovkgInputError(f"{text!r} is not an absolute IRI")
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//") and not _IRI_FORBIDDEN.search(local):
        return URIRef(PREFIXES[prefix] + local)
    if _is_absolute_iri(value) and prefix.lower() in ("http", "https", "urn", "file", "mailto", "tag"):
        return URIRef(value)
    raise SovkgInputError(f"{text!r} is not an IRI or a CURIE with a known prefix ({known})")


def decimal_lexical(value: Decimal) -> str:
    """The one written form sovkg gives an ``xsd:decimal``: no exponent, no trailing zeros, at least one digit
    after the point, zero unsigned.

    >>> [decimal_lexical(Decimal(x)) for x in ("39", "39.0", "12.320", "0.50", "-0", "1E+2")]
    ['39.0', '39.0', '12.32', '0.5', '0.0', '100.0']
    """
    text = format(value.normalize() if value else Decimal(0), "f")
    return text if "." in text else f"{text}.0"


def _is_absolute_iri(iri: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", iri)) and not _IRI_FORBIDDEN.search(iri)
