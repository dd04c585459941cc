"""Read the spreadsheet templates (CSV) into RDF, one named graph per file.

Analysts keep ownership and hosting facts in spreadsheets. Five templates (``templates/`` in the
repository, documented in ``templates/README.md`` and ``docs/spreadsheets.md``) are read here:

================  ===========================================================================
file              columns (any order; ``confidence`` may be added to any file)
================  ===========================================================================
organisations     ``id, name, kind, country, hq_country, lei, source``
stakes            ``holder, held, capital_pct, voting_pct, veto, board_majority, valid_from,
                  valid_until, source``
systems           ``id, name, controller, data_category, sensitive, source``
hosting           ``system, provider, offer, activities, storage_country,
                  remote_access_countries, valid_from, valid_until, source``
certificates      ``holder, scheme, offer, activities, valid_from, valid_until, issuer, source``
================  ===========================================================================

The templates of one folder are read together: an id is defined in that folder's
``organisations.csv`` (parties) or ``systems.csv`` (systems) and used by the other files. A party
is named by its local id, by an LEI (ISO 17442, check digits verified; an LEI may point outside the
folder, to be joined with another import), or by a ``kg:`` reference to an entity of the loaded
data (``kg:org/scaleway``), which :mod:`sovkg.load.rdf` checks once every file is loaded.

Every problem of every file is collected and reported together (file, spreadsheet row — the
header is row 1 — and column); nothing is loaded when there is one.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "organisations.csv").write_text(
...     "id,name,kind,country,hq_country,lei,source\\n"
...     "acme,Acme Cloud,company,IE,IE,,https://example.org/acme\\n", encoding="utf-8")
>>> triples = read_tables([folder / "organisations.csv"]).graphs[folder / "organisations.csv"]
>>> (KG["user/org/acme"], SOV.registeredOffice, KG["country/IE"]) in triples
True
>>> _ = (folder / "stakes.csv").write_text(
...     "holder,held,capital_pct,voting_pct,veto,board_majority,valid_from,valid_until,source\\n"
...     "acme,SOVK00EXAMPLE0000153,120,,,,,,\\n", encoding="utf-8")
>>> read_tables([folder / "stakes.csv"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: .../stakes.csv: row 2, column 'capital_pct': '120' is not a percentage ...
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlsplit

from rdflib import DCTERMS, RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node
from stdnum import lei as lei_module

from sovkg.core.errors import SovkgInputError
from sovkg.core.namespaces import KG, SOV
from sovkg.core.terms import decimal_lexical
from sovkg.core.text import control_character, describe
from sovkg.load.countries import ISO_COUNTRIES, country_iri, country_triples
from sovkg.load.inputs import TEMPLATE_NAMES, WORKBOOK_SUFFIXES, template_name, template_siblings
from sovkg.load.lei import lei_iri

Triple = tuple[Node, Node, Node]

COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations.csv": ("id", "name", "kind", "country", "hq_country", "principal_country", "lei", "source"),
    "stakes.csv": ("holder", "held", "capital_pct", "voting_pct", "veto", "board_majority", "valid_from",
                   "valid_until", "source"),
    "systems.csv": ("id", "name", "controller", "data_category", "sensitive", "source"),
    "hosting.csv": ("system", "provider", "offer", "activities", "storage_country", "remote_access_countries",
                    "valid_from", "valid_until", "source"),
    "certificates.csv": ("holder", "scheme", "offer", "activities", "valid_from", "valid_until", "issuer",
                         "source"),
}
"""The columns of each template, in the order of the shipped templates (any order is read)."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("confidence",)
"""Columns any template may add."""

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations.csv": (),  # but one of id and lei
    "stakes.csv": ("holder", "held"),
    "systems.csv": ("id",),
    "hosting.csv": ("system", "provider"),
    "certificates.csv": ("holder", "scheme"),
}
"""The columns a header must have; the others may be left out (their cells are then empty)."""


assert tuple(COLUMNS) == TEMPLATE_NAMES

MAX_ERRORS = 20
"""At most this many problems are listed in one error (the rest are counted)."""

KINDS: dict[str, URIRef] = {"company": SOV.Company, "public-body": SOV.PublicBody, "person": SOV.Person}
DATA_CATEGORIES: dict[str, URIRef] = {
    "personal-health": SOV.PersonalHealthData,
    "pseudonymised-health": SOV.PseudonymisedHealthData,
    "other": SOV.OtherData,
}
SCHEMES: tuple[str, ...] = ("HDS-2018", "HDS-2024", "SecNumCloud-3.2", "ISO-27001", "HDS")
"""Scheme names (``HDS`` is the bundled node for an HDS certificate whose referential version is not stated)."""
QUALIFICATION_SCHEMES = frozenset({"SecNumCloud-3.2"})
CONFIDENCE: dict[str, URIRef] = {"high": SOV.HighConfidence, "medium": SOV.MediumConfidence, "low": SOV.LowConfidence}
DEFAULT_CONFIDENCE = "medium"
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
BOOLEANS: dict[str, bool] = {"true": True, "false": False, "vrai": True, "faux": False}
"""Accepted booleans, any case (``VRAI``/``FAUX`` are what a French Excel writes)."""

_COUNTRY_HINTS = {
    "UK": "the United Kingdom is GB",
    "EL": "Greece is GR",
    "EU": "the EU is not a country: name member states",
    "EEA": "the EEA is not a country: name member states",
}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_LEI = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
_KG_REF = re.compile(r"(?:kg:|https://w3id\.org/sovkg/id/)([A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)+)")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LIST_SEPARATOR = re.compile(r"[;,]")
_DELIMITERS = (",", ";", "\t")


# ------------------------------------------------------------------------------------------ public


@dataclass(frozen=True)
class ExternalReference:
    """A ``kg:`` reference in a spreadsheet, to be found in the loaded data."""

    iri: URIRef
    where: str
    """``path: row n, column 'c'`` for the error message."""
    value: str


@dataclass
class TabularData:
    """What the spreadsheets give: the triples of each file, and the ``kg:`` references to check."""

    graphs: dict[Path, list[Triple]]
    external: list[ExternalReference]
    countries: dict[Path, set[str]] = field(default_factory=dict)
    """The ISO 3166-1 codes each file names."""

    def country_labels(self, is_described: Callable[[URIRef], bool]) -> dict[Path, list[Triple]]:
        """For each file, the type, code and English and French names of the countries it names that
        the loaded data does not describe (the reference data describes some 40; pycountry all 249)."""
        out: dict[Path, list[Triple]] = {}
        seen: set[str] = set()
        for path, codes in self.countries.items():
            for code in sorted(codes - seen):
                if not is_described(country_iri(code)):
                    out.setdefault(path, []).extend(country_triples(code))
                    seen.add(code)
        return out
    problems: list[tuple[Path, int | None, str | None, str]] = field(default_factory=list)
    """With ``lenient``: every problem as (file, row, column, message); the rows they concern are left out."""

    def check_external(self, is_described: Callable[[URIRef], bool]) -> None:
        """Raise :class:`SovkgInputError` for every ``kg:`` reference the loaded data does not describe."""
        problems = [
            f"{ref.where}: {ref.value!r} is not in the loaded data (a kg: reference must name an entity of "
            "the reference data, the case or another --data file)"
            for ref in self.external
            if not is_described(ref.iri)
        ]
        _raise(problems)


def read_tables(paths: Sequence[Path], *, lenient: bool = False) -> TabularData:
    """Read spreadsheet templates into triples, one list per file.

    Each file is read with the templates next to it (where its ids are defined); every problem in
    those files is reported in one :class:`SovkgInputError` and nothing is returned. With
    ``lenient`` (the importer's default), the rows with a problem are left out, the others are
    returned, and the problems are listed in :attr:`TabularData.problems`.
    """
    errors = _Errors()
    by_folder: dict[Path, list[Path]] = {}
    graphs: dict[Path, list[Triple]] = {}
    external: list[ExternalReference] = []
    countries: dict[Path, set[str]] = {}
    for path in paths:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            book = _Folder.from_workbook(path, errors)
            book.read()
            graphs[path] = [t for table in book.tables.values() for t in table.triples]
            external.extend(book.external)
            countries[path] = {code for codes in book.countries.values() for code in codes}
            continue
        if template_name(path) is None:
            errors.add(path, None, None, f"{path.name!r} is not a spreadsheet template name (a spreadsheet must be "
                                         f"named {', '.join(TEMPLATE_NAMES[:-1])} or {TEMPLATE_NAMES[-1]})")
            continue
        by_folder.setdefault(path.parent, []).append(path)
    for folder_path, wanted in by_folder.items():
        folder = _Folder(folder_path, wanted, errors)
        folder.read()
        for path in wanted:
            table = folder.table_for(path)
            graphs[path] = table.triples if table is not None else []
        external.extend(folder.external)
        for path, codes in folder.countries.items():
            if path in graphs:
                countries.setdefault(path, set()).update(codes)
    if lenient:
        return TabularData(graphs, external, countries, list(errors.records))
    errors.raise_if_any()
    return TabularData(graphs, external, countries)


def read_templates(paths: Sequence[Path], *, is_described: Callable[[URIRef], bool] | None = None) -> list[Triple]:
    """The triples of the given templates in one list, for a caller that puts them in one graph (a scenario).

    ``is_described`` tells whether the loaded data describes an IRI; when given, every ``kg:``
    reference of the spreadsheets is checked with it (see :meth:`TabularData.check_external`).
    """
    data = read_tables(paths)
    labels: dict[Path, list[Triple]] = {}
    if is_described is not None:
        data.check_external(is_described)
        labels = data.country_labels(is_described)
    return [triple for path in paths for triple in data.graphs[path] + labels.get(path, [])]


def lei_is_valid(lei: str) -> bool:
    """True when a 20-character LEI has valid ISO 7064 mod 97-10 check digits (``stdnum.lei``).

    >>> lei_is_valid("5493006MHB84DD0ZWV18"), lei_is_valid("5493006MHB84DD0ZWV19")
    (True, False)
    """
    return bool(_LEI.fullmatch(lei)) and lei_module.is_valid(lei)


def slug(text: str) -> str:
    """A lower-case ASCII slug: accents dropped, other runs of characters turned into ``-``.

    >>> slug("Nimbus Cloud — IaaS (Région FR)")
    'nimbus-cloud-iaas-region-fr'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# ------------------------------------------------------------------------------------------ errors


class _Errors:
    """Problems found so far, reported as ``path: row n, column 'c': message`` lines, by file and row."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, int, str]] = []
        self.records: list[tuple[Path, int | None, str | None, str]] = []

    def add(self, path: Path, row: int | None, column: str | None, message: str) -> None:
        self.records.append((path, row, column, message))
        where = str(path)
        if row is not None:
            where += f": row {row}"
        if column is not None:
            where += f", column {column!r}"
        self.items.append((str(path), row or 0, len(self.items), f"{where}: {message}"))

    def raise_if_any(self) -> None:
        _raise([text for *_, text in sorted(self.items)])


def _raise(problems: list[str]) -> None:
    if not problems:
        return
    lines = problems[:MAX_ERRORS]
    if len(problems) > MAX_ERRORS:
        lines.append(f"… and {len(problems) - MAX_ERRORS} more problems; nothing was loaded")
    raise SovkgInputError("\n".join(lines))


# ---------------------------------------------------------------------------------- reading a file


@dataclass
class _Row:
    number: int
    cells: dict[str, str]


@dataclass
class _Table:
    path: Path
    name: str
    rows: list[_Row] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    header_ok: bool = True
    workbook: Path | None = None
    """For a sheet of a workbook: the workbook (``path`` then reads ``book.xlsx, sheet 'stakes'``)."""
    sheet: str | None = None

    def anchor(self, row: int) -> str:
        """The address of one row: the file's URI with an RFC 7111 fragment (a sheet's name added)."""
        if self.workbook is not None:
            return f"{self.workbook.resolve().as_uri()}#sheet={quote(self.sheet or '')}&row={row}"
        return f"{self.path.resolve().as_uri()}#row={row}"


def _decode(raw: bytes, path: Path, errors: _Errors) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            errors.add(path, None, None, "the file starts like UTF-16 text but cannot be read as such")
            return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        errors.add(path, None, None, f"line {line}: the file is not UTF-8 text (in a spreadsheet program, save as "
                                     "\"CSV UTF-8\")")
        return None


def _clean(value: str) -> str:
    """Trim a cell and collapse runs of white space (new lines, no-break spaces) to one space."""
    return " ".join(value.replace("\ufeff", "").split())


def _header_name(value: str) -> str:
    return _clean(value).lower()


def _delimiter(text: str, expected: Iterable[str]) -> str:
    """The delimiter (``,``, ``;`` or tab) that splits the first non-blank line into the most known columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    known = set(expected) | set(OPTIONAL_COLUMNS)
    best, best_count = ",", -1
    for candidate in _DELIMITERS:
        names = next(csv.reader([first], delimiter=candidate), [])
        count = sum(1 for n in names if _header_name(n) in known)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _read_table(path: Path, name: str, errors: _Errors) -> _Table:
    table = _Table(path, name)
    try:
        raw = path.read_bytes()
    except OSError as error:
        errors.add(path, None, None, f"cannot be read ({error.strerror})")
        table.header_ok = False
        return table
    text = _decode(raw, path, errors)
    if text is None:
        table.header_ok = False
        return table
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, COLUMNS[name]), strict=True)
    last = [0]  # the last row read, for an error raised by the reader

    def records() -> Iterator[tuple[int, list[str]]]:
        for number, record in enumerate(reader, start=1):
            last[0] = number
            yield number, record

    try:
        _read_records(table, records(), errors)
    except csv.Error as error:
        errors.add(path, last[0] + 1, None, f"malformed CSV from this row on ({error}): a value that holds a quote, "
                                           "the delimiter or a line break must be quoted, quotes inside it doubled")
        table.header_ok = False
    return table


def _has_control(path: Path, number: int, header: list[str] | None, record: list[str], errors: _Errors) -> bool:
    """Report each cell of a row that holds a control or bidi-override character; True if one does."""
    found = False
    for index, cell in enumerate(record):
        char = control_character(cell)
        if char is not None:
            column = header[index] if header is not None and index < len(header) and header[index] else None
            errors.add(path, number, column if column else None,
                       f"{'' if column else f'value {index + 1}: '}the cell holds the control or bidi character "
                       f"{describe(char)}; remove it")
            found = True
    return found


def _expected_text(name: str) -> str:
    required = REQUIRED_COLUMNS[name]
    need = f"required: {', '.join(required)}" if required else "required: id or lei"
    return ",".join(COLUMNS[name]) + f" ({need}; the others may be left out; confidence may be added)"


def _read_records(table: _Table, records: Iterable[tuple[int, list[str]]], errors: _Errors) -> None:
    """Read the header and rows of a table from ``(row number, cells)`` records (a CSV file or a sheet)."""
    path, name = table.path, table.name
    header: list[str] | None = None
    for number, record in records:
        if _has_control(path, number, header, record, errors):
            if header is None:
                table.header_ok = False
                return
            continue
        cells = [_clean(c) for c in record]
        if not any(cells):
            continue
        if header is None:
            header = [_header_name(c) for c in record]
            table.header_ok = _check_header(path, number, header, name, errors)
            if not table.header_ok:
                return
            continue
        row = _make_row(path, number, header, cells, errors, COLUMNS[name])
        if row is not None:
            table.rows.append(row)
    if header is None:
        errors.add(path, None, None, f"the {'sheet' if table.workbook else 'file'} is empty; expected a header row: "
                                     f"{_expected_text(name)}")
        table.header_ok = False


def _cell_text(value: object, number_format: str | None) -> str:
    """A workbook cell as the text a CSV export would hold (a percent-formatted 0.51 is ``51``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if number_format and "%" in number_format:
            number *= 100
        text = format(number.normalize(), "f")
        return text
    return str(value)


def _check_header(path: Path, number: int, header: list[str], name: str, errors: _Errors) -> bool:
    expected = COLUMNS[name]
    allowed = set(expected) | set(OPTIONAL_COLUMNS)
    problems: list[str] = []

    def note(what: str, columns: list[str]) -> None:
        if columns:
            problems.append(f"{what} column{'s' if len(columns) > 1 else ''} " + ", ".join(repr(c) for c in columns))

    note("missing", [c for c in REQUIRED_COLUMNS[name] if c not in header])
    if name == "organisations.csv" and "id" not in header and "lei" not in header:
        problems.append("missing column 'id' or 'lei'")
    note("unknown", [c for c in header if c and c not in allowed])
    note("repeated", sorted({c for c in header if c and header.count(c) > 1}))
    if problems:
        errors.add(path, number, None, f"the header does not match the template ({'; '.join(problems)}); "
                                       f"expected: {_expected_text(name)}")
        return False
    return True


def _make_row(path: Path, number: int, header: list[str], cells: list[str], errors: _Errors,
              columns: tuple[str, ...]) -> _Row | None:
    if len(cells) > len(header):
        errors.add(path, number, None, f"the row has {len(cells)} values but the header has {len(header)} columns "
                                       "(a value that holds the delimiter must be quoted)")
        return None
    values: dict[str, str] = {}
    for index, column in enumerate(header):
        value = cells[index] if index < len(cells) else ""
        if not column:
            if value:
                errors.add(path, number, None, f"value {value!r} is in column {index + 1}, which has no header")
                return None
            continue
        values[column] = value
    for column in (*columns, *OPTIONAL_COLUMNS):
        values.setdefault(column, "")
    return _Row(number, values)


# ------------------------------------------------------------------------------------------ mapping


@dataclass(frozen=True)
class _Party:
    iri: URIRef
    label: str
    kind: str | None = None
    lei: str | None = None
    defined: bool = False
    """True when the folder's organisations.csv describes it."""

    @property
    def key(self) -> str:
        """The part of the IRI that names it, for derived IRIs (``acme``, the LEI, ``org-scaleway``)."""
        text = str(self.iri)
        for prefix in ("user/org/", "lei/"):
            if text.startswith(str(KG) + prefix):
                return text[len(str(KG) + prefix):]
        return text[len(str(KG)):].replace("/", "-") if text.startswith(str(KG)) else text


@dataclass(frozen=True)
class _System:
    iri: URIRef
    label: str
    controller: URIRef | None = None


@dataclass
class _Mention:
    """A node described by several rows (an offer, a free-text issuer): one label, one confidence."""

    label: str
    confidence: str
    offered_by: URIRef | None = None
    kind: URIRef = SOV.ServiceOffering
    sources: dict[Path, set[URIRef]] = field(default_factory=dict)


class _Folder:
    """The templates of one folder, read and mapped together."""

    def __init__(self, folder: Path, wanted: list[Path], errors: _Errors) -> None:
        self.folder = folder
        self.errors = errors
        self.tables: dict[str, _Table] = {}
        self.paths: dict[str, Path] = {}
        for path in (template_siblings(wanted[0]) if wanted else []) + list(wanted):
            name = template_name(path)
            if name is None:
                continue
            known = self.paths.get(name)
            if known is not None and known.name != path.name:
                errors.add(path, None, None, f"the folder holds two files named {name} ({known.name}, {path.name})")
                continue
            self.paths[name] = known or path
        self.parties: dict[str, _Party] = {}
        self.rows_of_id: dict[str, int] = {}
        self.leis: dict[str, _Party] = {}
        self.lei_rows: dict[str, int] = {}
        self.systems: dict[str, _System] = {}
        self.mentions: dict[URIRef, _Mention] = {}
        self.external: list[ExternalReference] = []
        self.lei_nodes: dict[Path, set[str]] = {}
        self.countries: dict[Path, set[str]] = {}
        self.workbook: Path | None = None
        self.sheets: dict[str, tuple[str, list[list[str]]]] = {}

    @classmethod
    def from_workbook(cls, workbook: Path, errors: _Errors) -> _Folder:
        """A workbook read as a folder: one sheet per template, named like it (``stakes`` or ``stakes.csv``)."""
        folder = cls(workbook.parent, [], errors)
        folder.workbook = workbook
        try:
            import openpyxl

            book = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
            errors.add(workbook, None, None, f"cannot be read as an .xlsx workbook ({type(error).__name__}: {error})")
            return folder
        for sheet in book.worksheets:
            title = sheet.title.strip()
            name = title.lower().removesuffix(".csv") + ".csv"
            if title.startswith("_"):
                continue
            if name not in COLUMNS:
                errors.add(workbook, None, None, f"sheet {title!r} is not a template (name the sheets "
                                                 f"{', '.join(n.removesuffix('.csv') for n in TEMPLATE_NAMES)}; "
                                                 "a sheet whose name starts with '_' is ignored)")
                continue
            if name in folder.paths:
                errors.add(workbook, None, None, f"two sheets are named {title!r}")
                continue
            folder.paths[name] = Path(f"{workbook}, sheet {title!r}")
            folder.sheets[name] = (title, [
                [_cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
                for row in sheet.iter_rows(min_row=1)
            ])
        book.close()
        return folder

    def path_of(self, name: str) -> Path:
        return self.paths.get(name, self.folder / name)

    def table_for(self, path: Path) -> _Table | None:
        name = next((n for n, p in self.paths.items() if p == path), None) if self.workbook else template_name(path)
        return self.tables.get(name) if name else None

    # --------------------------------------------------------------------------------- the steps

    def read(self) -> None:
        for name in TEMPLATE_NAMES:
            if name in self.sheets:
                title, rows = self.sheets[name]
                sheet = _Table(self.paths[name], name, workbook=self.workbook, sheet=title)
                _read_records(sheet, enumerate(rows, start=1), self.errors)
                self.tables[name] = sheet
            elif name in self.paths:
                self.tables[name] = _read_table(self.paths[name], name, self.errors)
        order: list[tuple[str, Callable[[_Table, _Row], None]]] = [
            ("organisations.csv", self.organisation),
            ("systems.csv", self.system),
            ("stakes.csv", self.stake),
            ("hosting.csv", self.hosting),
            ("certificates.csv", self.certificate),
        ]
        for name, handler in order:
            table = self.tables.get(name)
            if table is not None and table.header_ok:
                for row in table.rows:
                    handler(table, row)
        self.write_mentions()
        for table in self.tables.values():
            for lei in sorted(self.lei_nodes.get(table.path, set())):
                table.triples.append((lei_iri(lei), SOV.lei, Literal(lei)))

    def write_mentions(self) -> None:
        for node, mention in sorted(self.mentions.items()):
            for path, sources in sorted(mention.sources.items()):
                table = self.table_for(path)
                if table is None:
                    continue
                out = table.triples
                out.append((node, RDF.type, mention.kind))
                out.append((node, RDFS.label, Literal(mention.label)))
                if mention.offered_by is not None:
                    out.append((node, SOV.offeredBy, mention.offered_by))
                out.extend((node, SOV.source, source) for source in sorted(sources))
                out.append((node, SOV.confidence, CONFIDENCE[mention.confidence]))

    # ------------------------------------------------------------------------------ organisations

    def organisation(self, table: _Table, row: _Row) -> None:
        c = _Cells(self, table, row)
        ident, lei_cell = row.cells["id"], row.cells["lei"]
        lei: str | None = None
        if lei_cell:
            candidate = lei_cell.upper()
            if not _LEI.fullmatch(candidate):
                c.error("lei", f"{lei_cell!r} is not an LEI (20 letters or digits, the last two check digits)")
            elif not lei_is_valid(candidate):
                c.error("lei", f"{lei_cell!r} is not a valid LEI: its check digits are wrong (ISO 17442)")
            else:
                lei = candidate
        ident_ok = False
        if ident:
            if _LEI.fullmatch(ident):
                if not lei_is_valid(ident):
                    c.error("id", f"{ident!r} looks like an LEI but its check digits are wrong (ISO 17442)")
                elif lei is not None and lei != ident:
                    c.error("id", f"{ident!r} is an LEI that differs from the lei column {lei!r}")
                else:
                    lei, ident_ok = ident, True
            elif not _ID.fullmatch(ident):
                c.error("id", f"{ident!r} is not a valid id: use letters, digits, '-', '_' or '.', without spaces")
            else:
                ident_ok = True
        elif not lei_cell:
            c.error("id", "the row needs an id or an lei")
        kind_text = row.cells["kind"]
        kind = _normalise_word(kind_text)
        if kind_text and kind not in KINDS:
            c.error("kind", f"{kind_text!r} is not a kind: use company, public-body or person")
            kind = ""
        if kind == "person":
            for column, seat in (("hq_country", "central administration"),
                                 ("principal_country", "principal establishment")):
                if row.cells[column]:
                    c.error(column, f"a person has no {seat}: give the country of residence in 'country' and leave "
                                    f"'{column}' empty")
            if lei_cell or lei is not None:
                c.error("lei", "a person has no LEI: use a local id")
                lei = None
        country = c.country("country")
        hq = c.country("hq_country")
        principal = c.country("principal_country")
        if lei is None and not ident_ok:
            return
        iri = lei_iri(lei) if lei is not None else KG[f"user/org/{ident}"]
        party = _Party(iri, row.cells["name"] or ident or (lei or ""), kind or None, lei, defined=True)
        if ident_ok:
            if ident in self.rows_of_id:
                c.error("id", f"the id {ident!r} is already defined in row {self.rows_of_id[ident]}")
                return
            self.rows_of_id[ident] = row.number
            self.parties[ident] = party
        if lei is not None:
            if lei in self.lei_rows and self.lei_rows[lei] != row.number:
                c.error("lei", f"the LEI {lei!r} is already given in row {self.lei_rows[lei]}")
                return
            self.lei_rows[lei] = row.number
            self.leis[lei] = party
        sources, confidence = c.provenance()
        if c.failed:
            return
        out = table.triples
        out.append((iri, RDF.type, KINDS[kind] if kind else SOV.Organisation))
        out.append((iri, RDFS.label, Literal(party.label)))
        if lei is not None:
            out.append((iri, SOV.lei, Literal(lei)))
        if country is not None:
            out.append((iri, SOV.residentIn if kind == "person" else SOV.registeredOffice, country))
        if hq is not None:
            out.append((iri, SOV.centralAdministration, hq))
        if principal is not None:
            out.append((iri, SOV.principalEstablishment, principal))
        c.fact(iri, sources, confidence)

    # ------------------------------------------------------------------------------------ systems

    def system(self, table: _Table, row: _Row) -> None:
        c = _Cells(self, table, row)
        ident = row.cells["id"]
        if not ident:
            c.error("id", "a value is required (the system's id)")
        elif not _ID.fullmatch(ident):
            c.error("id", f"{ident!r} is not a valid id: use letters, digits, '-', '_' or '.', without spaces")
            ident = ""
        elif ident in self.systems:
            c.error("id", f"the id {ident!r} is already defined in row {self.rows_of_id['system:' + ident]}")
            ident = ""
        controller = c.party("controller", organisation=True)
        categories = c.words("data_category", DATA_CATEGORIES,
                             "is not a data category: use personal-health, pseudonymised-health or other")
        sensitive = c.boolean("sensitive")
        if not ident:
            return
        iri = KG[f"user/system/{ident}"]
        self.systems[ident] = _System(iri, row.cells["name"] or ident, controller.iri if controller else None)
        self.rows_of_id["system:" + ident] = row.number
        sources, confidence = c.provenance()
        if c.failed:
            return
        out = table.triples
        out.append((iri, RDF.type, SOV.InformationSystem))
        out.append((iri, RDFS.label, Literal(row.cells["name"] or ident)))
        if controller is not None:
            out.append((iri, SOV.controller, controller.iri))
        out.extend((iri, SOV.holdsData, category) for category in categories)
        if sensitive is not None:
            out.append((iri, SOV.particularlySensitive, Literal(sensitive)))
        c.fact(iri, sources, confidence)

    # ------------------------------------------------------------------------------------- stakes

    def stake(self, table: _Table, row: _Row) -> None:
        c = _Cells(self, table, row)
        holder = c.party("holder", required=True)
        held = c.party("held", required=True, organisation=True)
        if holder is not None and held is not None and holder.iri == held.iri:
            c.error("held", f"the holder and the held organisation are the same ({row.cells['held']!r})")
        capital = c.percent("capital_pct")
        voting = c.percent("voting_pct")
        veto = c.boolean("veto")
        board = c.boolean("board_majority")
        start, end = c.period()
        sources, confidence = c.provenance()
        if c.failed or holder is None or held is None:
            return
        iri = KG[f"user/stake/{_node_slug(holder.key)}-in-{_node_slug(held.key)}-{c.digest()}"]
        out = table.triples
        out.append((iri, RDF.type, SOV.OwnershipStake))
        out.append((iri, RDFS.label, Literal(f"Stake of {holder.label} in {held.label}")))
        out.append((iri, SOV.holder, holder.iri))
        out.append((iri, SOV.held, held.iri))
        out.append((iri, SOV.directness, SOV.Direct))
        if capital is not None:
            out.append((iri, SOV.capitalPercent, capital))
        if voting is not None:
            out.append((iri, SOV.votingPercent, voting))
        if veto is not None:
            out.append((iri, SOV.vetoRight, Literal(veto)))
        if board is not None:
            out.append((iri, SOV.appointsBoardMajority, Literal(board)))
        c.validity(iri, start, end)
        c.fact(iri, sources, confidence)

    # ------------------------------------------------------------------------------------ hosting

    def hosting(self, table: _Table, row: _Row) -> None:
        c = _Cells(self, table, row)
        system = c.system_ref("system")
        provider = c.party("provider", required=True, organisation=True)
        activities = c.activities("activities")
        storage = c.countries("storage_country")
        remote = c.countries("remote_access_countries")
        start, end = c.period()
        sources, confidence = c.provenance()
        if c.failed or system is None or provider is None:
            return
        offers = [self.offer(provider, text, table, sources, confidence) for text in _offer_names(row.cells["offer"])]
        label = f"{system.label} hosted by {provider.label}"
        if offers:
            label += " (" + ", ".join(_offer_names(row.cells["offer"])) + ")"
        iri = KG[f"user/hosting/{_node_slug(system.iri.split('/')[-1])}-{_node_slug(provider.key)}-{c.digest()}"]
        out = table.triples
        out.append((iri, RDF.type, SOV.HostingArrangement))
        out.append((iri, RDFS.label, Literal(label)))
        out.append((iri, SOV.hostedSystem, system.iri))
        out.append((iri, SOV.provider, provider.iri))
        out.extend((iri, SOV.offer, offer) for offer in offers)
        out.extend((iri, SOV.performsActivity, activity) for activity in activities)
        out.extend((iri, SOV.storageLocation, country) for country in storage)
        out.extend((iri, SOV.remoteAccessFrom, country) for country in remote)
        if system.controller is not None and system.controller == provider.iri:
            out.append((iri, SOV.selfHosted, Literal(True)))
        c.validity(iri, start, end)
        c.fact(iri, sources, confidence)

    # ------------------------------------------------------------------------------- certificates

    def certificate(self, table: _Table, row: _Row) -> None:
        c = _Cells(self, table, row)
        holder = c.party("holder", required=True, organisation=True)
        scheme = c.scheme("scheme")
        activities = c.activities("activities")
        start, end = c.period()
        sources, confidence = c.provenance()
        issuer = c.issuer("issuer", sources, confidence)
        if c.failed or holder is None or scheme is None:
            return
        offers = [self.offer(holder, text, table, sources, confidence) for text in _offer_names(row.cells["offer"])]
        qualification = scheme in QUALIFICATION_SCHEMES
        label = f"{holder.label} {scheme} {'qualification' if qualification else 'certificate'}"
        if offers:
            label += " (" + ", ".join(_offer_names(row.cells["offer"])) + ")"
        iri = KG[f"user/cert/{_node_slug(holder.key)}-{slug(scheme)}-{c.digest()}"]
        out = table.triples
        out.append((iri, RDF.type, SOV.Qualification if qualification else SOV.Certificate))
        out.append((iri, RDFS.label, Literal(label)))
        out.append((iri, SOV.certificateHolder, holder.iri))
        out.append((iri, SOV.scheme, KG[f"scheme/{scheme}"]))
        out.extend((iri, SOV.coversOffer, offer) for offer in offers)
        out.extend((iri, SOV.coversActivity, activity) for activity in activities)
        if issuer is not None:
            out.append((iri, SOV.issuer, issuer))
        c.validity(iri, start, end)
        c.fact(iri, sources, confidence)

    # ---------------------------------------------------------------------------- shared nodes

    def offer(self, provider: _Party, text: str, table: _Table, sources: list[URIRef], confidence: str) -> URIRef:
        """The offer IRI for a provider and an offer name (the same in hosting.csv and certificates.csv)."""
        iri = KG[f"user/offer/{_node_slug(provider.key + ' ' + text)}"]
        self.mention(iri, text, table, sources, confidence, offered_by=provider.iri)
        return iri

    def mention(self, iri: URIRef, label: str, table: _Table, sources: list[URIRef], confidence: str, *,
                offered_by: URIRef | None = None, kind: URIRef = SOV.ServiceOffering) -> None:
        mention = self.mentions.setdefault(iri, _Mention(label, confidence, offered_by, kind))
        if _CONFIDENCE_RANK[confidence] > _CONFIDENCE_RANK[mention.confidence]:
            mention.confidence = confidence
        mention.sources.setdefault(table.path, set()).update(sources)


# ------------------------------------------------------------------------------------- cell readers


class _Cells:
    """Read the cells of one row, recording every problem (the row is skipped when one is found)."""

    def __init__(self, folder: _Folder, table: _Table, row: _Row) -> None:
        self.folder = folder
        self.table = table
        self.row = row
        self.failed = False
        self.source_triples: list[Triple] = []

    def error(self, column: str | None, message: str) -> None:
        self.failed = True
        self.folder.errors.add(self.table.path, self.row.number, column, message)

    def where(self, column: str) -> str:
        return f"{self.table.path}: row {self.row.number}, column {column!r}"

    def digest(self) -> str:
        """A short hash of the file name, row number and cells: a stable, distinct IRI per row."""
        parts = [self.table.name, str(self.row.number)] + [f"{k}={v}" for k, v in sorted(self.row.cells.items())]
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:10]

    # ------------------------------------------------------------------------------- references

    def party(self, column: str, *, required: bool = False, organisation: bool = False) -> _Party | None:
        value = self.row.cells[column]
        if not value:
            if required:
                self.error(column, "a value is required (a local id, an LEI or a kg: reference)")
            return None
        folder = self.folder
        party = folder.parties.get(value)
        if party is None:
            external = _KG_REF.fullmatch(value)
            upper = value.upper()
            if external:
                iri = KG[external.group(1)]
                folder.external.append(ExternalReference(iri, self.where(column), value))
                party = _Party(iri, external.group(1))
            elif _LEI.fullmatch(upper):
                if not lei_is_valid(upper):
                    self.error(column, f"{value!r} is not a valid LEI: its check digits are wrong (ISO 17442)")
                    return None
                party = folder.leis.get(upper)
                if party is None:
                    party = _Party(lei_iri(upper), f"LEI {upper}", lei=upper)
                    folder.lei_nodes.setdefault(self.table.path, set()).add(upper)
            else:
                organisations = folder.tables.get("organisations.csv")
                if organisations is not None and not organisations.header_ok:
                    self.failed = True  # the header error is reported; do not repeat it for each reference
                    return None
                hint = next((k for k in folder.parties if k.lower() == value.lower()), None)
                note = f" (ids are case-sensitive: did you mean {hint!r}?)" if hint else ""
                self.error(column, f"{value!r} is neither an id defined in {folder.path_of('organisations.csv')} "
                                   f"nor an LEI{note}")
                return None
        if organisation and party.kind == "person":
            self.error(column, f"{value!r} is a person; this column names an organisation")
            return None
        return party

    def system_ref(self, column: str) -> _System | None:
        value = self.row.cells[column]
        if not value:
            self.error(column, "a value is required (a system id from systems.csv or a kg: reference)")
            return None
        system = self.folder.systems.get(value)
        if system is not None:
            return system
        external = _KG_REF.fullmatch(value)
        if external:
            iri = KG[external.group(1)]
            self.folder.external.append(ExternalReference(iri, self.where(column), value))
            return _System(iri, external.group(1))
        systems = self.folder.tables.get("systems.csv")
        if systems is not None and not systems.header_ok:
            self.failed = True
            return None
        hint = next((k for k in self.folder.systems if k.lower() == value.lower()), None)
        note = f" (ids are case-sensitive: did you mean {hint!r}?)" if hint else ""
        self.error(column, f"{value!r} is not an id defined in {self.folder.path_of('systems.csv')}{note}")
        return None

    def issuer(self, column: str, sources: list[URIRef], confidence: str) -> URIRef | None:
        value = self.row.cells[column]
        if not value:
            return None
        if value in self.folder.parties or _KG_REF.fullmatch(value) or _LEI.fullmatch(value.upper()):
            party = self.party(column, organisation=True)
            return party.iri if party is not None else None
        iri = KG[f"user/issuer/{_node_slug(value)}"]
        self.folder.mention(iri, value, self.table, sources, confidence, kind=SOV.Organisation)
        return iri

    # ----------------------------------------------------------------------------------- values

    def country(self, column: str) -> URIRef | None:
        found = self.countries(column, single=True)
        return found[0] if found else None

    def countries(self, column: str, *, single: bool = False) -> list[URIRef]:
        value = self.row.cells[column]
        if not value:
            return []
        parts = [p.strip() for p in _LIST_SEPARATOR.split(value) if p.strip()]
        if single and len(parts) > 1:
            self.error(column, f"{value!r}: give one country code")
            return []
        found: list[URIRef] = []
        for part in parts:
            code = part.upper()
            if code not in ISO_COUNTRIES:
                hint = _COUNTRY_HINTS.get(code)
                note = f" ({hint})" if hint else ""
                self.error(column, f"{part!r} is not an ISO 3166-1 alpha-2 country code{note}")
            elif country_iri(code) not in found:
                found.append(country_iri(code))
                self.folder.countries.setdefault(self.table.path, set()).add(code)
        return found

    def words(self, column: str, allowed: dict[str, URIRef], message: str) -> list[URIRef]:
        value = self.row.cells[column]
        found: list[URIRef] = []
        for part in (p.strip() for p in _LIST_SEPARATOR.split(value)):
            if not part:
                continue
            node = allowed.get(_normalise_word(part))
            if node is None:
                self.error(column, f"{part!r} {message}")
            elif node not in found:
                found.append(node)
        return found

    def activities(self, column: str) -> list[URIRef]:
        value = self.row.cells[column]
        found: list[URIRef] = []
        for part in (p.strip() for p in _LIST_SEPARATOR.split(value)):
            if not part:
                continue
            if part not in {"1", "2", "3", "4", "5", "6"}:
                self.error(column, f"{part!r} is not an HDS activity number from 1 to 6")
            elif KG[f"activity/hds-{part}"] not in found:
                found.append(KG[f"activity/hds-{part}"])
        return found

    def scheme(self, column: str) -> str | None:
        value = self.row.cells[column]
        if not value:
            self.error(column, "a value is required: HDS-2018, HDS-2024, SecNumCloud-3.2 or ISO-27001")
            return None
        wanted = _normalise_word(value).replace("/iec", "").replace("iso-iec", "iso")
        for scheme in SCHEMES:
            if scheme.lower() == wanted:
                return scheme
        self.error(column, f"{value!r} is not a scheme: use HDS-2018, HDS-2024, SecNumCloud-3.2 or ISO-27001 "
                           "(or HDS when the referential version is not stated)")
        return None

    def percent(self, column: str) -> Literal | None:
        value = self.row.cells[column]
        if not value:
            return None
        text = "".join(value.split())
        text = text.removesuffix("%")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        number: Decimal | None = None
        if _NUMBER.fullmatch(text):
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
        if number is None or number > 100:
            self.error(column, f"{value!r} is not a percentage between 0 and 100")
            return None
        return Literal(decimal_lexical(number), datatype=XSD.decimal)

    def boolean(self, column: str) -> bool | None:
        value = self.row.cells[column]
        if not value:
            return None
        found = BOOLEANS.get(value.lower())
        if found is None:
            self.error(column, f"{value!r} is not true or false (leave the cell empty when unknown)")
        return found

    def date(self, column: str) -> Literal | None:
        value = self.row.cells[column]
        if not value:
            return None
        match = _DATE.fullmatch(value)
        literal: Literal | None = None
        if match:
            year, month, day = match.groups()
            try:
                if day is not None:
                    dt.date(int(year), int(month), int(day))
                    literal = Literal(value, datatype=XSD.date)
                elif month is not None:
                    dt.date(int(year), int(month), 1)
                    literal = Literal(value, datatype=XSD.gYearMonth)
                else:
                    literal = Literal(value, datatype=XSD.gYear)
            except ValueError:
                literal = None
        if literal is None:
            self.error(column, f"{value!r} is not a date of the form YYYY-MM-DD (or YYYY-MM, or YYYY)")
        return literal

    def period(self) -> tuple[Literal | None, Literal | None]:
        start, end = self.date("valid_from"), self.date("valid_until")
        if start is not None and end is not None and _first_day(str(start)) > _last_day(str(end)):
            self.error("valid_until", f"{str(end)!r} is before valid_from {str(start)!r}")
        return start, end

    def validity(self, iri: URIRef, start: Literal | None, end: Literal | None) -> None:
        if start is not None:
            self.table.triples.append((iri, SOV.validFrom, start))
        if end is not None:
            self.table.triples.append((iri, SOV.validUntil, end))

    # ------------------------------------------------------------------------------ provenance

    def provenance(self) -> tuple[list[URIRef], str]:
        """The row's sources (nodes written with the row) and its confidence level."""
        text = self.row.cells.get("confidence", "")
        confidence = text.lower() or DEFAULT_CONFIDENCE
        if confidence not in CONFIDENCE:
            self.error("confidence", f"{text!r} is not a confidence level: use high, medium or low")
            confidence = DEFAULT_CONFIDENCE
        return self.sources(self.row.cells["source"]), confidence

    def sources(self, value: str) -> list[URIRef]:
        out = self.source_triples
        if not value:
            anchor = self.table.anchor(self.row.number)
            node = KG[f"user/source/{_hash(anchor)}"]
            title = f"{self.table.path.name}, row {self.row.number} (spreadsheet; no source given)"
            out += [(node, RDF.type, SOV.Source), (node, RDFS.label, Literal(title)),
                    (node, DCTERMS.title, Literal(title)), (node, SOV.url, Literal(anchor, datatype=XSD.anyURI)),
                    (node, SOV.urlPrecision, Literal("document"))]
            return [node]
        parts = [p for p in re.split(r"[;\s]+", value) if p]
        if all(_URL.fullmatch(p) and urlsplit(p).hostname for p in parts):
            nodes = []
            for url in parts:
                node = KG[f"user/source/{_hash(url)}"]
                host = urlsplit(url).hostname or url
                out += [(node, RDF.type, SOV.Source), (node, RDFS.label, Literal(url)),
                        (node, DCTERMS.title, Literal(url)), (node, DCTERMS.publisher, Literal(host)),
                        (node, SOV.url, Literal(url, datatype=XSD.anyURI)),
                        (node, SOV.urlPrecision, Literal("document"))]
                nodes.append(node)
            return nodes
        node = KG[f"user/source/{_hash('text:' + value)}"]
        out += [(node, RDF.type, SOV.Source), (node, RDFS.label, Literal(value)),
                (node, DCTERMS.title, Literal(value))]
        return [node]

    def fact(self, iri: URIRef, sources: list[URIRef], confidence: str) -> None:
        """Give a fact node its sources (and write them) and its confidence."""
        self.table.triples.extend(self.source_triples)
        self.table.triples.extend((iri, SOV.source, source) for source in sources)
        self.table.triples.append((iri, SOV.confidence, CONFIDENCE[confidence]))


# ------------------------------------------------------------------------------------------ helpers


def _normalise_word(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _offer_names(value: str) -> list[str]:
    names: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if part and slug(part) not in {slug(n) for n in names}:
            names.append(part)
    return names


def _node_slug(text: str) -> str:
    return slug(text) or _hash(text)


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _first_day(text: str) -> str:
    return text + "-01-01" if len(text) == 4 else text + "-01" if len(text) == 7 else text


def _last_day(text: str) -> str:
    return text + "-12-31" if len(text) == 4 else text + "-31" if len(text) == 7 else text
