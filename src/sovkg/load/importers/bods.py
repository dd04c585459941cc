"""Import Beneficial Ownership Data Standard 0.4 statements (a JSON array, or JSON Lines).

Takes BODS 0.4 files — a JSON array of statements (read incrementally with ``ijson``: a file of
any size is never held in memory) or JSON Lines (``.jsonl``/``.ndjson``, or any file whose first
character is not ``[``) — and gives the same nodes the spreadsheets give, in one named graph
per file:

==================  ==========================================================================
statement           triples
==================  ==========================================================================
entity              ``kg:bods/<recordId>`` — or, when it has an ``XI-LEI`` identifier, the IRI of
                    :func:`sovkg.load.lei.lei_iri`, which joins GLEIF and the case — typed
                    ``sov:Company`` (registered or legal entity), ``sov:PublicBody`` (state,
                    state body) or ``sov:Organisation``; ``rdfs:label`` name; ``sov:lei``;
                    other identifiers as ``dcterms:identifier "SCHEME:id"``; a jurisdiction
                    code → ``sov:registeredOffice`` its country (and ``sov:legalJurisdiction``
                    when it is a subdivision such as ``GB-SCT``)
person              ``sov:Person``, ``rdfs:label`` its first full name, ``sov:residentIn`` the
                    country of a ``residence`` address
relationship        one ``sov:OwnershipStake`` per group of interests with the same directness
                    and dates (``kg:bods/stake/<statementId>-<n>``): ``sov:holder`` the
                    interested party, ``sov:held`` the subject, ``sov:directness``
                    (``sov:Direct``, ``sov:Indirect``, ``sov:DirectnessUnknown``), the
                    interests' ``startDate``/``endDate`` as ``sov:validFrom``/``sov:validUntil``
                    (a ``closed`` record without an end date ends on its statement date), and:
                    shareholding ``share.exact`` → ``sov:capitalPercent``, its bounds →
                    ``sov:minimumPercent``/``sov:maximumPercent``; voting rights ``exact`` →
                    ``sov:votingPercent``, a lower bound above 50 → ``sov:majorityOfVotes``;
                    ``appointmentOfBoard`` → ``sov:appointsBoardMajority``;
                    ``controlViaCompanyRulesOrArticles``, ``controlByLegalFramework`` →
                    ``sov:controlRight``; other interests give the link without figures. Each
                    interest type is kept as ``dcterms:type``.
an unspecified      ``sov:parentNotDisclosed`` on the subject, with the reason
interested party
==================  ==========================================================================

Two passes over each file: the first collects the entities' LEIs and the publication details
(publisher, date), the second writes. Problems are reported by file, line (JSON Lines) or
statement number (JSON array) and JSON path. A JSON syntax error inside an array stops that file
(an incremental parser cannot resume after it); in JSON Lines only the bad line is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sovkg.core.terms import decimal_lexical
from sovkg.load.importers.writer import (
    RDF_TYPE,
    RDFS_LABEL,
    TRUE,
    XSD_DATE,
    XSD_DECIMAL,
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
)
from sovkg.load.lei import case_leis, lei_is_valid
from sovkg.load.sheets import ISO_COUNTRIES

__all__ = ["BodsOptions", "import_bods"]

ENTITY_TYPES = {
    "registeredEntity": "Company", "legalEntity": "Company", "arrangement": "Organisation",
    "anonymousEntity": "Organisation", "unknownEntity": "Organisation", "state": "PublicBody",
    "stateBody": "PublicBody",
}
INTEREST_TYPES = frozenset({
    "shareholding", "votingRights", "appointmentOfBoard", "otherInfluenceOrControl", "seniorManagingOfficial",
    "settlor", "trustee", "protector", "beneficiaryOfLegalArrangement", "rightsToSurplusAssetsOnDissolution",
    "rightsToProfitOrIncome", "rightsGrantedByContract", "conditionalRightsGrantedByContract",
    "controlViaCompanyRulesOrArticles", "controlByLegalFramework", "boardMember", "boardChair", "unknownInterest",
    "unpublishedInterest", "enjoymentAndUseOfAssets", "rightToProfitOrIncomeFromAssets", "nominee", "nominator",
})
_BY_KEY = {t.lower(): t for t in INTEREST_TYPES}
CONTROL_TYPES = frozenset({"controlViaCompanyRulesOrArticles", "controlByLegalFramework"})
DIRECTNESS = {"direct": "Direct", "indirect": "Indirect", "unknown": "DirectnessUnknown"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class BodsOptions:
    """How to describe the source (the publication details of the file are used when not given)."""

    retrieved: dt.date | None = None
    published: dt.date | None = None
    publisher: str | None = None
    show_progress: bool | None = None



def import_bods(paths: list[Path], sink: QuadSink, problems: Problems, options: BodsOptions) -> Counts:
    """Import BODS 0.4 files into ``sink``, one named graph per file."""
    counts = Counts()
    for path in paths:
        if not path.is_file():
            problems.add(path, None, None, "no such file")
            continue
        leis, publication = _first_pass(path)
        out = Output(sink, path.resolve().as_uri())
        publisher = options.publisher or _text(publication.get("publisher"), "name") or None
        url = _text(publication.get("publisher"), "url") or None
        published = options.published.isoformat() if options.published else _date_text(
            publication.get("publicationDate"))
        source = Source(path, "bods", f"Beneficial ownership statements (BODS 0.4), file {path.name}", publisher,
                        url, "site" if url else "document", published, options.retrieved)
        source.write(out)
        mapper = _Mapper(path, out, source, problems, leis)
        for row, statement in _statements(path, problems, options.show_progress):
            counts.rows += 1
            if mapper.statement(row, statement):
                counts.imported += 1
            else:
                counts.skipped += 1
        out.flush()
    return counts


# ------------------------------------------------------------------------------------------ reading


def _is_lines(path: Path) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head.startswith(b"[")


def _statements(path: Path, problems: Problems | None, show: bool | None) -> Iterator[tuple[int, Any]]:
    """``(row, statement)``: the line number (JSON Lines) or the statement's position (array)."""
    size = path.stat().st_size
    with path.open("rb") as raw, open_progress(raw, size, f"BODS {path.name}", show=show) as stream:
        if _is_lines(path):
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as error:
                    if problems is not None:
                        problems.add(path, number, None, f"not a JSON object ({error})")
            return
        import ijson

        number = 0
        try:
            for number, statement in enumerate(ijson.items(stream, "item"), start=1):
                yield number, statement
        except (ijson.JSONError, UnicodeDecodeError) as error:
            if problems is not None:
                problems.add(path, number + 1, None, f"invalid JSON ({error}); the rest of the file was not read",
                                  unit="statement")


def _first_pass(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """The LEI of every entity record that has one, and the first statement's publication details."""
    leis: dict[str, str] = {}
    publication: dict[str, Any] = {}
    for _, statement in _statements(path, None, False):
        if not isinstance(statement, dict):
            continue
        if not publication and isinstance(statement.get("publicationDetails"), dict):
            publication = statement["publicationDetails"]
        if statement.get("recordType") != "entity":
            continue
        details = statement.get("recordDetails")
        record = statement.get("recordId")
        if isinstance(details, dict) and isinstance(record, str):
            for ident in details.get("identifiers") or []:
                if isinstance(ident, dict) and ident.get("scheme") == "XI-LEI":
                    value = str(ident.get("id", "")).strip().upper()
                    if lei_is_valid(value):
                        leis[record] = value
    return leis, publication


def _text(value: Any, key: str) -> str:
    if isinstance(value, dict) and isinstance(value.get(key), str):
        return str(value[key]).strip()
    return ""


def _date_text(value: Any) -> str | None:
    if isinstance(value, str) and _DATE.fullmatch(value[:10]):
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------------------------------ mapping


class _Mapper:
    def __init__(self, path: Path, out: Output, source: Source, problems: Problems, leis: dict[str, str]) -> None:
        self.path, self.out, self.source, self.problems, self.leis = path, out, source, problems, leis
        self.failed = False
        self.row = 0
        self.array = not _is_lines(path)

    def error(self, column: str | None, message: str) -> None:
        self.failed = True
        self.problems.add(self.path, self.row, column, message, unit="statement" if self.array else "row")

    def party(self, record: str) -> str:
        lei = self.leis.get(record)
        return lei_term(lei) if lei else kg(f"bods/{quote(record, safe='')}")

    def statement(self, row: int, statement: Any) -> bool:
        self.row, self.failed = row, False
        if not isinstance(statement, dict):
            self.error(None, "a statement must be a JSON object")
            return False
        for key in ("statementId", "recordId"):
            if not isinstance(statement.get(key), str) or not statement[key].strip():
                self.error(key, "a non-empty string is required")
        kind = statement.get("recordType")
        if kind not in ("entity", "person", "relationship"):
            self.error("recordType", f"{kind!r} is not entity, person or relationship")
        details = statement.get("recordDetails")
        if not isinstance(details, dict):
            self.error("recordDetails", "an object is required")
        if self.failed:
            return False
        assert isinstance(details, dict)
        if kind == "entity":
            return self.entity(statement, details)
        if kind == "person":
            return self.person(statement, details)
        return self.relationship(statement, details)

    # ----------------------------------------------------------------------------------- records

    def entity(self, statement: dict[str, Any], details: dict[str, Any]) -> bool:
        record = statement["recordId"]
        entity_type = _text(details.get("entityType"), "type")
        if entity_type not in ENTITY_TYPES:
            self.error("recordDetails.entityType.type", f"{entity_type!r} is not an entity type "
                                                        f"({', '.join(ENTITY_TYPES)})")
        identifiers: list[tuple[str, str]] = []
        lei: str | None = None
        for n, ident in enumerate(details.get("identifiers") or []):
            if not isinstance(ident, dict):
                continue
            scheme, value = str(ident.get("scheme", "")).strip(), str(ident.get("id", "")).strip()
            if scheme == "XI-LEI":
                if not lei_is_valid(value.upper()):
                    self.error(f"recordDetails.identifiers[{n}].id", f"{value!r} is not a valid LEI (ISO 17442)")
                else:
                    lei = value.upper()
            elif scheme and value:
                identifiers.append((scheme, value))
        code = _text(details.get("jurisdiction"), "code").upper()
        country = code[:2] if code else ""
        if code and (country not in ISO_COUNTRIES or (len(code) > 2 and code[2] != "-")):
            self.error("recordDetails.jurisdiction.code", f"{code!r} is not an ISO 3166-1 or 3166-2 code")
        if self.failed:
            return False
        node = self.party(record)
        out = self.out
        case = lei is not None and lei in case_leis()
        out.add(node, RDF_TYPE, sov(ENTITY_TYPES[entity_type]))
        name = details.get("name")
        if isinstance(name, str) and name.strip() and not case:
            out.add(node, RDFS_LABEL, literal(name.strip()))
        if lei:
            out.add(node, sov("lei"), literal(lei))
        for scheme, value in identifiers:
            out.add(node, iri("http://purl.org/dc/terms/identifier"), literal(f"{scheme}:{value}"))
        if country:
            out.add(node, sov("registeredOffice"), kg(f"country/{country}"))
            if len(code) > 2:
                out.add(node, sov("legalJurisdiction"), literal(code))
        out.add(node, sov("source"), self.source.node)
        if not case:
            out.add(node, sov("confidence"), sov("MediumConfidence"))
        return True

    def person(self, statement: dict[str, Any], details: dict[str, Any]) -> bool:
        node = self.party(statement["recordId"])
        names = [n.get("fullName") for n in details.get("names") or [] if isinstance(n, dict)]
        residence = ""
        for address in details.get("addresses") or []:
            if isinstance(address, dict) and address.get("type") == "residence":
                residence = _text(address.get("country"), "code").upper()
        if residence and residence not in ISO_COUNTRIES:
            self.error("recordDetails.addresses", f"{residence!r} is not an ISO 3166-1 alpha-2 country code")
            return False
        out = self.out
        out.add(node, RDF_TYPE, sov("Person"))
        label = next((n.strip() for n in names if isinstance(n, str) and n.strip()), None)
        out.add(node, RDFS_LABEL, literal(label or f"Person {statement['recordId']}"))
        if residence:
            out.add(node, sov("residentIn"), kg(f"country/{residence}"))
        self.source.cite(out, node)
        return True

    def relationship(self, statement: dict[str, Any], details: dict[str, Any]) -> bool:
        subject = details.get("subject")
        party = details.get("interestedParty")
        if not isinstance(subject, str) or not subject:
            self.error("recordDetails.subject", "the subject's recordId is required (an unspecified subject "
                                                "cannot be imported)")
        if not (isinstance(party, str) and party) and not isinstance(party, dict):
            self.error("recordDetails.interestedParty", "a recordId or an unspecified-record object is required")
        if isinstance(party, str) and party == subject:
            self.error("recordDetails.interestedParty", "the interested party is the subject itself")
        interests = details.get("interests")
        if interests is None:
            interests = []
        if not isinstance(interests, list):
            self.error("recordDetails.interests", "a list is required")
            interests = []
        groups: dict[tuple[str, str | None, str | None], list[dict[str, Any]]] = {}
        for n, interest in enumerate(interests):
            checked = self.interest(n, interest)
            if checked is not None:
                key = (checked["directness"], checked["start"], checked["end"])
                groups.setdefault(key, []).append(checked)
        if self.failed:
            return False
        assert isinstance(subject, str)
        held = self.party(subject)
        statement_id = quote(statement["statementId"], safe="")
        out = self.out
        if isinstance(party, dict):
            reason = party.get("reason") if isinstance(party.get("reason"), str) else "unspecified"
            node = kg(f"bods/undisclosed/{statement_id}")
            out.add(held, sov("parentNotDisclosed"), node)
            out.add(node, RDF_TYPE, sov("ParentNotDisclosed"))
            out.add(node, RDFS_LABEL, literal(f"BODS: an interested party of {subject} is not disclosed ({reason})",
                                              lang="en"))
            out.add(node, sov("parentLevel"), literal("owner"))
            out.add(node, sov("exceptionReason"), literal(str(reason)))
            self.source.cite(out, node)
            return True
        assert isinstance(party, str)
        holder = self.party(party)
        closed = statement.get("recordStatus") == "closed"
        closing = _date_text(statement.get("statementDate"))
        if not groups:
            groups[("unknown", None, None)] = []
        for n, ((directness, start, end), items) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
            stake = kg(f"bods/stake/{statement_id}-{n + 1}")
            out.add(stake, RDF_TYPE, sov("OwnershipStake"))
            out.add(stake, RDFS_LABEL, literal(f"BODS: interest of {party} in {subject}", lang="en"))
            out.add(stake, sov("holder"), holder)
            out.add(stake, sov("held"), held)
            out.add(stake, sov("directness"), sov(DIRECTNESS[directness]))
            for item in items:
                self.figures(stake, item)
            if start:
                out.add(stake, sov("validFrom"), literal(start, XSD_DATE))
            if end or (closed and closing):
                out.add(stake, sov("validUntil"), literal(end or closing or "", XSD_DATE))
            self.source.cite(out, stake)
        return True

    # --------------------------------------------------------------------------------- interests

    def interest(self, n: int, interest: Any) -> dict[str, Any] | None:
        where = f"recordDetails.interests[{n}]"
        if not isinstance(interest, dict):
            self.error(where, "an interest must be an object")
            return None
        kind_text = interest.get("type")
        kind = _BY_KEY.get(str(kind_text).replace("-", "").lower()) if kind_text is not None else None
        if kind_text is not None and kind is None:
            self.error(f"{where}.type", f"{kind_text!r} is not an interest type of BODS 0.4")
        directness = interest.get("directOrIndirect", "unknown")
        if directness not in DIRECTNESS:
            self.error(f"{where}.directOrIndirect", f"{directness!r} is not direct, indirect or unknown")
        share = interest.get("share")
        bounds: dict[str, Decimal] = {}
        if share is not None:
            if not isinstance(share, dict):
                self.error(f"{where}.share", "an object is required")
            else:
                for key in ("exact", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                    if key not in share or share[key] is None:
                        continue
                    value = _percent(share[key])
                    if value is None:
                        self.error(f"{where}.share.{key}", f"{share[key]!r} is not a percentage between 0 and 100")
                    else:
                        bounds[key] = value
                low = bounds.get("minimum", bounds.get("exclusiveMinimum"))
                high = bounds.get("maximum", bounds.get("exclusiveMaximum"))
                if low is not None and high is not None and low > high:
                    self.error(f"{where}.share", f"the minimum {low} is above the maximum {high}")
        dates: dict[str, str | None] = {}
        for key in ("startDate", "endDate"):
            value = interest.get(key)
            dates[key] = _date_text(value) if value is not None else None
            if value is not None and dates[key] is None:
                self.error(f"{where}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
        if dates["startDate"] and dates["endDate"] and dates["endDate"] < dates["startDate"]:
            self.error(f"{where}.endDate", f"{dates['endDate']} is before the start date {dates['startDate']}")
        return {"type": kind, "directness": directness if directness in DIRECTNESS else "unknown",
                "start": dates["startDate"], "end": dates["endDate"], "bounds": bounds}

    def figures(self, stake: str, item: dict[str, Any]) -> None:
        out, kind, bounds = self.out, item["type"], item["bounds"]
        if kind is not None:
            out.add(stake, iri("http://purl.org/dc/terms/type"), literal(kind))
        exact = bounds.get("exact")
        low = bounds.get("minimum", bounds.get("exclusiveMinimum"))
        high = bounds.get("maximum", bounds.get("exclusiveMaximum"))
        if exact is None and low is not None and low == high:
            exact = low
        if kind == "shareholding":
            if exact is not None:
                out.add(stake, sov("capitalPercent"), _decimal(exact))
            else:
                if low is not None:
                    out.add(stake, sov("minimumPercent"), _decimal(low))
                if high is not None:
                    out.add(stake, sov("maximumPercent"), _decimal(high))
        elif kind == "votingRights":
            if exact is not None:
                out.add(stake, sov("votingPercent"), _decimal(exact))
            elif (bounds.get("minimum") is not None and bounds["minimum"] > 50) or (
                    bounds.get("exclusiveMinimum") is not None and bounds["exclusiveMinimum"] >= 50):
                out.add(stake, sov("majorityOfVotes"), TRUE)
        elif kind == "appointmentOfBoard":
            out.add(stake, sov("appointsBoardMajority"), TRUE)
        elif kind in CONTROL_TYPES:
            out.add(stake, sov("controlRight"), TRUE)


def _percent(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if 0 <= number <= 100 else None


def _decimal(value: Decimal) -> str:
    return literal(decimal_lexical(value), XSD_DECIMAL)
