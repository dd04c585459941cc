"""Import GLEIF golden-copy CSV files: Level 1 (LEI-CDF), Level 2 relationships (RR-CDF), reporting exceptions.

Takes the CSV files GLEIF publishes (plain, or zipped as downloaded; a ``.zip`` may hold several
CSV files) and gives, row by row, the triples below, in one named graph per file. Which of the
three files it is comes from its header (``Entity.LegalName``; ``Relationship.StartNode.NodeID``;
``Exception.Category``). Columns are found by name, in any order; the ~300 other columns of
the published files are ignored. Organisation IRIs come from :func:`sovkg.load.lei.lei_iri`.

================================  ===========================================================
row                               triples
================================  ===========================================================
Level 1 record                    the organisation (``sov:Company``; ``sov:PublicBody`` for
                                  ``RESIDENT_GOVERNMENT_ENTITY`` and
                                  ``INTERNATIONAL_ORGANIZATION``; ``sov:Organisation`` for
                                  funds, sole proprietors and branches): ``sov:lei``,
                                  ``sov:legalName``, ``rdfs:label`` (not for an organisation
                                  of the bundled case, whose label stays), legal address
                                  country → ``sov:registeredOffice`` (a branch:
                                  ``sov:establishedIn``, its registered office is its head
                                  office's), headquarters country →
                                  ``sov:centralAdministration``, ``sov:legalJurisdiction``,
                                  ``sov:entityStatus``
``IS_DIRECTLY_CONSOLIDATED_BY``   a ``sov:OwnershipStake`` held by the parent in the child
                                  with ``sov:controlRight true`` and no percentage
                                  (consolidation is control, not a share),
                                  ``sov:directness sov:Direct``, its relationship period as
                                  ``sov:validFrom``/``sov:validUntil``
``IS_ULTIMATELY_CONSOLIDATED_BY`` the same, ``sov:directness sov:Indirect``
``IS_INTERNATIONAL_BRANCH_OF``    ``sov:branchOf`` the head office, and a control stake (a
                                  branch is the same legal person as its head office)
other relationship types          not imported (fund management, sub-funds, feeders: not
                                  ownership); counted
reporting exception (direct or    ``sov:parentNotDisclosed`` a ``sov:ParentNotDisclosed``
ultimate accounting parent)       node with ``sov:parentLevel`` and ``sov:exceptionReason``
================================  ===========================================================

A relationship is imported when it is ``ACTIVE``, or ``INACTIVE`` with a relationship period
that ends (it then holds until that end); ``--at`` keeps only the relationships whose period
covers that date. Records whose registration is ``ANNULLED`` or ``DUPLICATE`` are skipped. Every
fact cites the file's ``sov:Source`` (publisher GLEIF, CC0, the publication date read from the
golden-copy file name ``YYYYMMDD-hhmm-gleif-goldencopy-…``). Confidence is high when the record's
validation sources are ``FULLY_CORROBORATED``, else medium.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from sovkg.load.importers.writer import (
    RDF_TYPE,
    RDFS_LABEL,
    TRUE,
    XSD_DATE,
    Counts,
    Output,
    Problems,
    QuadSink,
    Source,
    iri,
    kg,
    lei_term,
    literal,
    open_progress,
    sov,
    text_stream,
)
from sovkg.load.lei import case_leis, lei_is_valid
from sovkg.load.sheets import ISO_COUNTRIES

__all__ = ["GleifOptions", "import_gleif"]

PUBLISHER = "GLEIF (Global Legal Entity Identifier Foundation)"
GOLDEN_COPY_URL = "https://www.gleif.org/en/lei-data/gleif-golden-copy/download-the-golden-copy"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

CATEGORIES = {
    "": "Company", "GENERAL": "Company", "RESIDENT_GOVERNMENT_ENTITY": "PublicBody",
    "INTERNATIONAL_ORGANIZATION": "PublicBody", "FUND": "Organisation", "SOLE_PROPRIETOR": "Organisation",
    "BRANCH": "Organisation",
}
ENTITY_STATUSES = frozenset({"ACTIVE", "INACTIVE", "NULL"})
RELATIONSHIP_TYPES = {
    "IS_DIRECTLY_CONSOLIDATED_BY": "direct", "IS_ULTIMATELY_CONSOLIDATED_BY": "ultimate",
    "IS_INTERNATIONAL_BRANCH_OF": "branch", "IS_FUND-MANAGED_BY": None, "IS_SUBFUND_OF": None,
    "IS_FEEDER_TO": None,
}
EXCEPTION_CATEGORIES = {
    "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": "direct", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": "ultimate",
}
EXCEPTION_REASONS = frozenset({
    "NO_LEI", "NATURAL_PERSONS", "NON_CONSOLIDATING", "NO_KNOWN_PERSON", "NON_PUBLIC",
    "BINDING_LEGAL_COMMITMENTS", "LEGAL_OBSTACLES", "DISCLOSURE_DETRIMENTAL", "DETRIMENT_NOT_EXCLUDED",
    "CONSENT_NOT_OBTAINED",
})
SKIPPED_REGISTRATIONS = frozenset({"ANNULLED", "DUPLICATE"})
_JURISDICTION = re.compile(r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?")
_FILE_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})-\d{4}-gleif-goldencopy")
_PERIODS = [(f"Relationship.Period.{n}.periodType", f"Relationship.Period.{n}.startDate",
             f"Relationship.Period.{n}.endDate") for n in range(1, 6)]


@dataclass(frozen=True)
class GleifOptions:
    """How to import: ``at`` keeps the relationships in force that day; the rest describes the source."""

    at: dt.date | None = None
    retrieved: dt.date | None = None
    published: dt.date | None = None
    show_progress: bool | None = None


def import_gleif(paths: list[Path], sink: QuadSink, problems: Problems, options: GleifOptions) -> Counts:
    """Import GLEIF CSV files (plain or zipped) into ``sink``, one named graph per CSV file."""
    counts = Counts()
    for path in paths:
        for name, opener, size in _members(path, problems):
            with ExitStack() as stack:
                raw = stack.enter_context(opener())
                raw = stack.enter_context(open_progress(raw, size, f"GLEIF {name}", show=options.show_progress))
                where = f"{path}:{name}" if name != path.name else str(path)
                graph = (path.resolve().as_uri() + (f"#{name}" if name != path.name else ""))
                out = Output(sink, graph)
                _import_csv(text_stream(raw), where, name, path, out, problems, options, counts)
                out.flush()
    return counts


def _members(path: Path, problems: Problems) -> Iterator[tuple[str, Callable[[], IO[bytes]], int | None]]:
    if not path.is_file():
        problems.add(path, None, None, "no such file")
        return
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                problems.add(path, None, None, "the zip file holds no .csv file")
            for member in members:
                yield member.filename, partial(archive.open, member), member.file_size
        return

    def opener() -> IO[bytes]:
        return path.open("rb")

    yield path.name, opener, path.stat().st_size


def _import_csv(stream: IO[str], where: str, name: str, path: Path, out: Output, problems: Problems,
                options: GleifOptions, counts: Counts) -> None:
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        problems.add(where, None, None, "the file is empty")
        return
    except (csv.Error, UnicodeDecodeError) as error:
        problems.add(where, 1, None, f"the header cannot be read ({error})")
        return
    columns = {c.strip(): i for i, c in enumerate(header)}
    if "Entity.LegalName" in columns and "LEI" in columns:
        handler, title = _level1, "GLEIF Level 1 (LEI-CDF) golden copy"
    elif "Relationship.StartNode.NodeID" in columns:
        handler, title = _relationship, "GLEIF Level 2 relationship records (RR-CDF)"
    elif "Exception.Category" in columns and "LEI" in columns:
        handler, title = _exception, "GLEIF Level 2 reporting exceptions"
    else:
        problems.add(where, 1, None, "not a GLEIF golden-copy CSV: the header has none of the columns "
                                     "'Entity.LegalName', 'Relationship.StartNode.NodeID', 'Exception.Category'")
        return
    published = options.published.isoformat() if options.published else _published(name)
    source = Source(path, "gleif", f"{title}, file {name}", PUBLISHER, GOLDEN_COPY_URL, "site", published,
                    options.retrieved, CC0, member=name if name != path.name else "")
    source.write(out)
    number = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.add(where, number + 1, None, f"malformed CSV ({error}); the rest of the file was not read")
            break
        except UnicodeDecodeError as error:
            problems.add(where, number + 1, None, f"the file is not UTF-8 text ({error.reason}); "
                                                  "the rest of the file was not read")
            break
        number += 1
        if not any(record):
            continue
        counts.rows += 1
        row = _Row(where, number, record, columns, problems)
        if len(record) != len(header):
            row.error(None, f"the row has {len(record)} values but the header has {len(header)} columns")
        elif handler(row, out, source, options):
            counts.imported += 1
            continue
        counts.skipped += 1


def _published(name: str) -> str | None:
    match = _FILE_DATE.search(name)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


class _Row:
    """One CSV row: cells by column name, problems recorded with the row number and column."""

    def __init__(self, where: str, number: int, record: list[str], columns: dict[str, int],
                 problems: Problems) -> None:
        self.where, self.number, self.record, self.columns, self.problems = where, number, record, columns, problems
        self.failed = False

    def get(self, column: str) -> str:
        index = self.columns.get(column)
        return self.record[index].strip() if index is not None and index < len(self.record) else ""

    def error(self, column: str | None, message: str) -> None:
        self.failed = True
        self.problems.add(self.where, self.number, column, message)

    def lei(self, column: str, *, required: bool = True) -> str | None:
        value = self.get(column)
        if not value:
            if required:
                self.error(column, "an LEI is required")
            return None
        if not lei_is_valid(value):
            self.error(column, f"{value!r} is not a valid LEI (20 characters, ISO 17442 check digits)")
            return None
        return value

    def country(self, column: str) -> str | None:
        value = self.get(column)
        if not value:
            return None
        if value not in ISO_COUNTRIES:
            self.error(column, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
            return None
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.get(column)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            self.error(column, f"{value!r} is not a date (YYYY-MM-DD or an ISO 8601 date-time)")
            return None

    def confidence(self) -> str:
        return "high" if self.get("Registration.ValidationSources") == "FULLY_CORROBORATED" else "medium"


def _level1(row: _Row, out: Output, source: Source, options: GleifOptions) -> bool:
    lei = row.lei("LEI")
    name = row.get("Entity.LegalName")
    if not name:
        row.error("Entity.LegalName", "a legal name is required")
    legal = row.country("Entity.LegalAddress.Country")
    head = row.country("Entity.HeadquartersAddress.Country")
    jurisdiction = row.get("Entity.LegalJurisdiction")
    if jurisdiction and not _JURISDICTION.fullmatch(jurisdiction):
        row.error("Entity.LegalJurisdiction", f"{jurisdiction!r} is not an ISO 3166-1 or 3166-2 code")
    category = row.get("Entity.EntityCategory")
    if category not in CATEGORIES:
        row.error("Entity.EntityCategory", f"{category!r} is not an entity category ({', '.join(CATEGORIES)})")
    status = row.get("Entity.EntityStatus")
    if status and status not in ENTITY_STATUSES:
        row.error("Entity.EntityStatus", f"{status!r} is not ACTIVE or INACTIVE")
    if row.failed or lei is None:
        return False
    if row.get("Registration.RegistrationStatus") in SKIPPED_REGISTRATIONS:
        return False
    org = lei_term(lei)
    out.add(org, RDF_TYPE, sov(CATEGORIES[category]))
    out.add(org, sov("lei"), literal(lei))
    out.add(org, sov("legalName"), literal(name))
    case = lei in case_leis()
    if not case:
        out.add(org, RDFS_LABEL, literal(name))
    if legal:
        out.add(org, sov("establishedIn" if category == "BRANCH" else "registeredOffice"), kg(f"country/{legal}"))
    if head:
        out.add(org, sov("centralAdministration"), kg(f"country/{head}"))
    if jurisdiction:
        out.add(org, sov("legalJurisdiction"), literal(jurisdiction))
    if status and status != "NULL":
        out.add(org, sov("entityStatus"), literal(status))
    out.add(org, sov("source"), source.node)
    if not case:
        out.add(org, sov("confidence"), sov(f"{row.confidence().capitalize()}Confidence"))
    return True


def _relationship(row: _Row, out: Output, source: Source, options: GleifOptions) -> bool:
    child = row.lei("Relationship.StartNode.NodeID")
    parent = row.lei("Relationship.EndNode.NodeID")
    for column in ("Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeIDType"):
        value = row.get(column)
        if value and value != "LEI":
            row.error(column, f"{value!r}: only LEI nodes are imported")
    kind_text = row.get("Relationship.RelationshipType")
    if kind_text not in RELATIONSHIP_TYPES:
        row.error("Relationship.RelationshipType", f"{kind_text!r} is not a relationship type "
                                                   f"({', '.join(RELATIONSHIP_TYPES)})")
    status = row.get("Relationship.RelationshipStatus")
    if status not in ("ACTIVE", "INACTIVE"):
        row.error("Relationship.RelationshipStatus", f"{status!r} is not ACTIVE or INACTIVE")
    start = end = None
    for kind_column, start_column, end_column in _PERIODS:
        if kind_column in row.columns and row.get(kind_column) == "RELATIONSHIP_PERIOD":
            start, end = row.date(start_column), row.date(end_column)
            if start and end and end < start:
                row.error(end_column, f"{end.isoformat()} is before the start date {start.isoformat()}")
            break
    if child is not None and child == parent:
        row.error("Relationship.EndNode.NodeID", "an entity cannot be its own parent")
    if row.failed or child is None or parent is None:
        return False
    level = RELATIONSHIP_TYPES[kind_text]
    if level is None or row.get("Registration.RegistrationStatus") in SKIPPED_REGISTRATIONS:
        return False
    if status == "INACTIVE" and end is None:
        return False  # ended at a date the record does not give
    if options.at is not None and ((start and start > options.at) or (end and end < options.at)):
        return False
    held, holder = lei_term(child), lei_term(parent)
    stake = kg(f"gleif/relationship/{child}-{level}-{parent}")
    out.add(held, sov("lei"), literal(child))
    out.add(holder, sov("lei"), literal(parent))
    out.add(stake, RDF_TYPE, sov("OwnershipStake"))
    what = {"direct": "direct accounting parent", "ultimate": "ultimate accounting parent",
            "branch": "head office of the international branch"}[level]
    out.add(stake, RDFS_LABEL, literal(f"GLEIF: {parent} is the {what} of {child}", lang="en"))
    out.add(stake, sov("holder"), holder)
    out.add(stake, sov("held"), held)
    out.add(stake, sov("controlRight"), TRUE)
    out.add(stake, sov("directness"), sov("Indirect" if level == "ultimate" else "Direct"))
    out.add(stake, iri("http://purl.org/dc/terms/type"), literal(kind_text))
    if level == "branch":
        out.add(held, sov("branchOf"), holder)
    if start:
        out.add(stake, sov("validFrom"), literal(start.isoformat(), XSD_DATE))
    if end:
        out.add(stake, sov("validUntil"), literal(end.isoformat(), XSD_DATE))
    source.cite(out, stake, confidence=row.confidence())
    return True


def _exception(row: _Row, out: Output, source: Source, options: GleifOptions) -> bool:
    lei = row.lei("LEI")
    category = row.get("Exception.Category")
    reasons = []
    for column in ("Exception.Reason", *(f"Exception.Reason.{n}" for n in range(1, 6))):
        value = row.get(column)
        if not value:
            continue
        if value not in EXCEPTION_REASONS:
            row.error(column, f"{value!r} is not a reporting-exception reason ({', '.join(sorted(EXCEPTION_REASONS))})")
        else:
            reasons.append(value)
    if not reasons and not row.failed:
        row.error("Exception.Reason.1", "a reason is required")
    if not category:
        row.error("Exception.Category", "a category is required")
    if row.failed or lei is None:
        return False
    level = EXCEPTION_CATEGORIES.get(category)
    if level is None or row.get("Registration.RegistrationStatus") in SKIPPED_REGISTRATIONS:
        return False  # fund and branch parents: not ownership
    org = lei_term(lei)
    node = kg(f"gleif/exception/{lei}-{level}")
    out.add(org, sov("lei"), literal(lei))
    out.add(org, sov("parentNotDisclosed"), node)
    out.add(node, RDF_TYPE, sov("ParentNotDisclosed"))
    out.add(node, RDFS_LABEL, literal(f"GLEIF: the {level} accounting parent of {lei} is not reported "
                                      f"({', '.join(reasons)})", lang="en"))
    out.add(node, sov("parentLevel"), literal(level))
    for reason in reasons:
        out.add(node, sov("exceptionReason"), literal(reason))
    source.cite(out, node, confidence=row.confidence())
    return True
