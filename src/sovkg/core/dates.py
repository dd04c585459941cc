"""Validity periods: read ``sov:validFrom`` / ``sov:validUntil`` and decide what holds on a date.

Dates may be ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``. sovkg only says that a fact holds on
a day when its sources make that certain: a fact that started "in 2019" is known to hold from the
last day of 2019 (``sovkg --at 2019-06-01`` does not claim it), and a fact that ended "in 2021" is
known to hold until the first day of 2021. Unknown is never read as "yes".

>>> from rdflib import Literal, XSD
>>> as_date(Literal("2019", datatype=XSD.gYear), start=True)
datetime.date(2019, 12, 31)
>>> as_date(Literal("2021", datatype=XSD.gYear), start=False)
datetime.date(2021, 1, 1)
>>> as_date(Literal("2020-02", datatype=XSD.gYearMonth), start=True)
datetime.date(2020, 2, 29)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from rdflib import XSD, Literal
from rdflib.term import Node

from sovkg.core.errors import SovkgInputError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_iso_date(text: str, *, option: str | None = None) -> dt.date:
    """Parse ``YYYY-MM-DD`` (as given to ``--at``), or raise :class:`SovkgInputError` (naming ``option``).

    >>> parse_iso_date("2026-02-28")
    datetime.date(2026, 2, 28)
    >>> parse_iso_date("", option="--at")
    Traceback (most recent call last):
    ...
    sovkg.core.errors.SovkgInputError: --at '' is not a date of the form YYYY-MM-DD
    >>> parse_iso_date("2025-02-30")
    Traceback (most recent call last):
    ...
    sovkg.core.errors.SovkgInputError: '2025-02-30' is not a date of the form YYYY-MM-DD (day is out of range for month)
    """
    where = f"{option} {text!r}" if option else repr(text)
    if not _ISO_DATE.fullmatch(text):  # fromisoformat also takes 20260228, 2026-W09-6...
        raise SovkgInputError(f"{where} is not a date of the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise SovkgInputError(f"{where} is not a date of the form YYYY-MM-DD ({error})") from None


def as_date(value: Node | None, *, start: bool, subject: Node | None = None) -> dt.date | None:
    """Turn a start (``start=True``) or end date literal into the day from/until which it is certain.

    ``None`` stays ``None`` (an open bound).
    """
    if value is None:
        return None
    if not isinstance(value, Literal):
        raise SovkgInputError(f"{subject}: a date was expected, found the resource {value}")
    text = str(value).strip()
    try:
        if value.datatype == XSD.gYear:
            year = int(text[:4])
            return dt.date(year, 12, 31) if start else dt.date(year, 1, 1)
        if value.datatype == XSD.gYearMonth:
            year, month = int(text[:4]), int(text[5:7])
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, last if start else 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        where = f"{subject}: " if subject is not None else ""
        raise SovkgInputError(f"{where}{text!r} is not a valid date") from None


def holds_on(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """True when ``day`` lies in the period; a missing bound is open.

    >>> holds_on(dt.date(2020, 1, 31), dt.date(1973, 1, 1), dt.date(2020, 1, 31))
    True
    >>> holds_on(dt.date(2020, 2, 1), None, dt.date(2020, 1, 31))
    False
    """
    return (start is None or start <= day) and (end is None or day <= end)
