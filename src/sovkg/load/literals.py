"""Check the literals of an RDF file as it is loaded, and say on which line a bad one is.

Takes a literal's lexical form and datatype (as Oxigraph's parser gives them) and gives the problem
with it, or None: a number, boolean or date whose lexical form its XSD datatype does not allow
(``"abc"^^xsd:decimal``, ``"2025-02-30"^^xsd:date``), a control or bidi-override character
(:mod:`sovkg.core.text`), or — given the ``rdfs:range`` the ontology declares — a value of the
wrong type (a share typed ``xsd:string`` where the property requires ``xsd:decimal``).
Oxigraph's parsers report no position for a well-formed triple, so :func:`find_line` re-reads the
file to say where the value is.

>>> lexical_problem("abc", XSD + "decimal")
"'abc' is not a valid xsd:decimal"
>>> lexical_problem("2025-02-30", XSD + "date")
"'2025-02-30' is not a valid xsd:date (day is out of range for month)"
>>> lexical_problem("12.50", XSD + "decimal") is None and lexical_problem("-0", XSD + "integer") is None
True
>>> range_problem(XSD + "string", XSD + "decimal")
'an xsd:decimal value is required, found xsd:string'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from sovkg.core.text import control_character, describe

XSD = "http://www.w3.org/2001/XMLSchema#"

_TIMEZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_INTEGER = r"[+-]?\d+"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "decimal": re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"),
    "integer": re.compile(_INTEGER),
    "double": re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"),
    "boolean": re.compile(r"true|false|1|0"),
    "date": re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)" + _TIMEZONE),
    "dateTime": re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?" + _TIMEZONE),
    "gYear": re.compile(r"-?\d{4,}" + _TIMEZONE),
    "gYearMonth": re.compile(r"(-?\d{4,})-(\d\d)" + _TIMEZONE),
}
_PATTERNS["float"] = _PATTERNS["double"]

_INTEGER_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}

COMPATIBLE: dict[str, frozenset[str]] = {
    "decimal": frozenset({"decimal", *_INTEGER_BOUNDS}),
    "integer": frozenset(_INTEGER_BOUNDS),
    "nonNegativeInteger": frozenset({"nonNegativeInteger", "positiveInteger", "unsignedLong", "unsignedInt",
                                     "unsignedShort", "unsignedByte"}),
    "double": frozenset({"double"}),
    "float": frozenset({"float"}),
    "boolean": frozenset({"boolean"}),
    "date": frozenset({"date"}),
    "dateTime": frozenset({"dateTime", "dateTimeStamp"}),
    "gYear": frozenset({"gYear"}),
    "gYearMonth": frozenset({"gYearMonth"}),
}
"""For each range the loader checks, the XSD datatypes a value of that range may carry."""


def _local(datatype: str) -> str | None:
    return datatype[len(XSD):] if datatype.startswith(XSD) else None


def lexical_problem(value: str, datatype: str) -> str | None:
    """What is wrong with a literal's text (a control character, a form its datatype forbids), or None."""
    char = control_character(value)
    if char is not None:
        return f"the value holds the control or bidi character {describe(char)}"
    local = _local(datatype)
    if local is None:
        return None
    text = value.strip()  # XSD numbers, booleans and dates collapse white space
    pattern = _PATTERNS.get("integer" if local in _INTEGER_BOUNDS else local)
    if pattern is None:
        return None
    match = pattern.fullmatch(text)
    wrong = f"{value!r} is not a valid xsd:{local}"
    if match is None:
        return wrong
    if local in _INTEGER_BOUNDS:
        low, high = _INTEGER_BOUNDS[local]
        number = int(text)
        if (low is not None and number < low) or (high is not None and number > high):
            return f"{wrong} (out of range)"
    elif local in ("date", "dateTime", "gYearMonth"):
        year, month, *rest = (int(g) for g in match.groups())
        try:
            if not 1 <= month <= 12:
                raise ValueError("month must be in 1..12")
            if local != "gYearMonth" and 1 <= year <= 9999:
                dt.date(year, month, rest[0])
            if local == "dateTime":
                hour, minute, second = rest[1:]
                if (hour, minute, second) != (24, 0, 0) and (hour > 23 or minute > 59 or second > 59):
                    raise ValueError("hour, minute or second is out of range")
        except ValueError as error:
            return f"{wrong} ({error})"
    return None


def range_problem(datatype: str, required: str) -> str | None:
    """What is wrong with a value of ``datatype`` where the property's range is ``required``, or None.

    Only the ranges of :data:`COMPATIBLE` (numbers, booleans, dates) are checked.
    """
    need = _local(required)
    if need is None or need not in COMPATIBLE:
        return None
    found = _local(datatype)
    if found in COMPATIBLE[need]:
        return None
    shown = f"xsd:{found}" if found else f"<{datatype}>"
    return f"an xsd:{need} value is required, found {shown}"


def find_line(path: Path, needles: Iterable[str], *, also: str | None = None,
              loose: Iterable[str] = ()) -> int | None:
    """The line of ``path`` where one of ``needles`` first appears, or None.

    Needles are tried in order, each first on a line that also holds ``also`` (a predicate's local
    name, say), then anywhere; ``loose`` needles (a bare number, which could be anywhere) only
    count on a line that holds ``also``.

    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "x.ttl"
    >>> _ = file.write_text('ex:a ex:name "abc" .\\nex:b ex:share "abc" .\\nex:c ex:share 1.5.\\n')
    >>> find_line(file, ['"abc"'], also="share"), find_line(file, ['"abc"']), find_line(file, ["zzz"])
    (2, 1, None)
    >>> find_line(file, [], also="share", loose=["1.5"]), find_line(file, [], loose=["1.5"])
    (3, None)
    """
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    tries = [(n, True) for n in needles if n] + [(n, False) for n in loose if n]
    for needle, anywhere in tries:
        first = None
        for number, line in enumerate(lines, start=1):
            if needle in line:
                if also is not None and also in line:
                    return number
                if also is None and anywhere:
                    return number
                first = first or number
        if anywhere and first is not None:
            return first
    return None


def literal_needles(value: str) -> list[str]:
    """How a literal's text may be written in a file, most specific first (Turtle, N-Triples, XML, JSON-LD).

    >>> literal_needles("abc")
    ['"abc"', "'abc'", '>abc<']
    """
    needles = [f'"{value}"', f"'{value}'", f">{value}<"]
    char = control_character(value)
    if char is not None:  # written raw, or as an escape
        code = ord(char)
        needles = [char, f"\\u{code:04X}", f"\\u{code:04x}", f"\\U{code:08X}", f"\\U{code:08x}",
                   f"&#x{code:X};", f"&#x{code:x};", f"&#{code};", *needles]
    return needles
