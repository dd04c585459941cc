"""Alternatives: which providers could host a system as of a date without breaking a rule it is subject to.

**Candidates** are every organisation that holds an in-effect certificate or qualification (any
scheme) or one whose renewal is unknown (``sov:renewalUnknown``), offers a ``sov:ServiceOffering``, or
hosts the system now (an in-effect arrangement). Each is checked against the rules the graph says the
system is subject to:

- *CSP art. L.1111-8 (HDS)*, when the system holds ``sov:PersonalHealthData`` or
  ``sov:PseudonymisedHealthData``: the provider has an in-effect HDS certificate (scheme
  ``kg:scheme/HDS``, ``HDS-2018`` or ``HDS-2024``, or any scheme that defines HDS activities). A
  certificate counts for the provider when the provider holds it, or when it names no holder and covers
  one of the provider's offers. When the system's current in-effect arrangements state the activities
  they perform, the certificates must cover them; a certificate that states no activity keeps the
  provider in the list with an "activities not stated" reason.
- *Loi SREN art. 31*, when the system has ``sov:particularlySensitive true`` and its controller is a
  ``sov:PublicBody``: an in-effect ``sov:Qualification`` of ``kg:scheme/SecNumCloud-3.2`` covers one of
  the provider's offers (that offer is the one proposed).
- *No exposure*, always: no access law enacted outside the EU binds the provider (``sov:subjectTo``, on
  any basis: establishment, service or control); the offer proposed does not run on the technology of
  a supplier such a law binds that has technical access to the data; and, for a provider no such law
  binds, holders established outside the EU do not hold more than the SecNumCloud 3.2 §19.6.b limits
  (``kg:threshold/snc-3.2-19.6-b-*``, read from the data: one holder's ``sov:EffectiveOwnership``
  against the individual limit, else the ``sov:JurisdictionOwnership`` of scope ``kg:scope/non-eu``
  against the collective one; a lower bound above the limit excludes). For the current host, the
  exposure findings of its current arrangement (subcontractor, technology, influence) count as well,
  one sentence per level and party that no other reason already names.

A provider that breaks a rule on recorded facts is **excluded**, with one sentence per rule that names
the fact (the certificate and its end, the law and the controller through which it binds…). The
current host is excluded too ("already hosts the system"), with whatever else it breaks. What is
unknown never excludes: it becomes a **score reason** of the candidate (HDS renewal not recorded: its
recorded certificates ended by their own end date or their referential's, ``sov:renewalUnknown``;
activities not stated, HDS referential not stated, certificate holder or end of validity not
recorded, seats not recorded (not asked when its registered office is recorded in the EU), owners not
recorded, technical access of a bound technology supplier not recorded, non-EU holdings above a limit
only at their upper bound). Certificates count as in effect as the derivation decided
(``sov:inEffect``); the candidate's offer is, among its usable offers, the one with fewest score
reasons, then one covered by an in-effect HDS certificate, then by label.

**Ranking** (deterministic): fewest score reasons first (a candidate with nothing unknown ranks
first; a certificate with stated activities before one without, known seats before unknown ones), then
the provider's label (case-insensitive), then its IRI. Ranks start at 1. The excluded providers are
sorted by label, then IRI.

>>> import datetime as dt
>>> from sovkg.derive.knowledge_graph import build
>>> kg = build(["tests/fixtures/alternatives/tiny.ttl"], include_case=False, as_of=dt.date(2026, 11, 29))
>>> result = alternatives(kg, "kg:system/fx-tiny-records")
>>> [(c.rank, c.provider_label, c.offer_label, c.score_reasons) for c in result.candidates]
[(1, 'Tiny Souverain SAS', 'Tiny Souverain IaaS', ())]
>>> for e in result.excluded:
...     print(e.provider_label)
...     for reason in e.reasons:
...         print("  -", reason)
Tiny Legacy Hosting SAS
  - already hosts the system ("Tiny Legacy hosts the records")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from sovkg.core.dates import as_date
from sovkg.core.errors import UnknownEntityError
from sovkg.core.namespaces import KG, SOV
from sovkg.core.tables import plural
from sovkg.derive.common import in_effect, label
from sovkg.derive.known import after
from sovkg.derive.run import acceptance_end
from sovkg.model import LEVELS, ExposureFinding

if TYPE_CHECKING:
    from rdflib import Graph

    from sovkg.derive.knowledge_graph import KnowledgeGraph

__all__ = ["Alternatives", "Candidate", "Excluded", "alternatives"]

HDS_SCHEMES = (KG["scheme/HDS"], KG["scheme/HDS-2018"], KG["scheme/HDS-2024"])
"""The HDS schemes: referential not stated, 2018 and 2024."""
SECNUMCLOUD = KG["scheme/SecNumCloud-3.2"]
HEALTH_DATA = (SOV.PersonalHealthData, SOV.PseudonymisedHealthData)
EU = KG["union/EU"]
NON_EU_SCOPE = KG["scope/non-eu"]
INDIVIDUAL_LIMIT = KG["threshold/snc-3.2-19.6-b-individual"]
COLLECTIVE_LIMIT = KG["threshold/snc-3.2-19.6-b-collective"]
SEATS = (
    (SOV.registeredOffice, "registered office"),
    (SOV.centralAdministration, "central administration"),
    (SOV.principalEstablishment, "principal establishment"),
)
AGGREGATES = (SOV.EffectiveOwnership, SOV.JurisdictionOwnership)
"""Derived ownership figures: they use sov:held too, but are not stakes."""
CURRENT_HOST_LEVELS = ("subcontractor", "technology", "influence")
"""Exposure levels of the current arrangement that exclude the current host (direct and control are
the provider's own bindings, reported from ``sov:subjectTo``)."""


# ------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Candidate:
    """A provider that could host the system without breaking a rule, with what is unknown about it."""

    provider: str
    provider_label: str
    offer: str | None
    offer_label: str | None
    rank: int
    score_reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"rank", "provider", "provider_label", "offer", "offer_label", "score_reasons"}``."""
        return {
            "rank": self.rank,
            "provider": self.provider,
            "provider_label": self.provider_label,
            "offer": self.offer,
            "offer_label": self.offer_label,
            "score_reasons": list(self.score_reasons),
        }


@dataclass(frozen=True)
class Excluded:
    """A provider that cannot host the system, with one reason per rule it breaks."""

    provider: str
    provider_label: str
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"provider", "provider_label", "reasons"}``."""
        return {"provider": self.provider, "provider_label": self.provider_label, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Alternatives:
    """The rules a system is subject to, the ranked candidates and the excluded providers, as of a date."""

    system: str
    system_label: str
    as_of: dt.date
    rules: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (``as_of`` as ``YYYY-MM-DD``)."""
        return {
            "system": self.system,
            "system_label": self.system_label,
            "as_of": self.as_of.isoformat(),
            "rules": list(self.rules),
            "candidates": [c.to_json() for c in self.candidates],
            "excluded": [e.to_json() for e in self.excluded],
        }


def render_alternatives(result: Alternatives) -> str:
    """The terminal form of :func:`alternatives` (``sovkg alternatives SYSTEM``)."""
    lines = [f"Alternatives for {result.system_label} <{result.system}> — as of {result.as_of.isoformat()}", "Rules:"]
    lines += [f"  • {rule}" for rule in result.rules]
    if not result.candidates:
        lines.append("Candidates: none — no provider in the graph meets every rule.")
    else:
        lines.append("Candidates (fewest unknowns first):")
        for c in result.candidates:
            offer = f" — {c.offer_label}" if c.offer_label else ""
            lines.append(f"  {c.rank}. {c.provider_label}{offer} ({plural(len(c.score_reasons), 'unknown')})")
            lines += [f"       - {reason}" for reason in c.score_reasons]
    lines.append(f"Excluded ({len(result.excluded)}):")
    for e in result.excluded:
        lines.append(f"  • {e.provider_label}")
        lines += [f"       - {reason}" for reason in e.reasons]
    return "\n".join(lines)


def alternatives_csv(result: Alternatives) -> str:
    """One row per reason: ``status,rank,provider,provider_label,offer,offer_label,reason`` (cells escaped)."""
    from sovkg.core.text import csv_text

    rows: list[list[object]] = []
    for c in result.candidates:
        for reason in c.score_reasons or ("",):
            rows.append(["candidate", c.rank, c.provider, c.provider_label, c.offer or "", c.offer_label or "", reason])
    for e in result.excluded:
        for reason in e.reasons:
            rows.append(["excluded", "", e.provider, e.provider_label, "", "", reason])
    return csv_text(["status", "rank", "provider", "provider_label", "offer", "offer_label", "reason"], rows)


# ------------------------------------------------------------------------------------------ the job


def alternatives(kg: KnowledgeGraph, system: str | URIRef) -> Alternatives:
    """The providers that could host ``system`` as of ``kg.as_of``, ranked, and those excluded, with reasons.

    ``system`` is an IRI, a CURIE (``kg:system/health-data-hub``) or a label; anything that is not an
    information system of the graph raises :class:`sovkg.core.errors.UnknownEntityError`.
    """
    graph = kg.union
    node = _system_node(graph, system)
    day = kg.as_of
    needs = _Needs.of(graph, node)
    hosts = _current_hosts(graph, node)
    findings = [f for f in kg.findings if f.system == str(node) and f.level in CURRENT_HOST_LEVELS]

    ranked: list[tuple[tuple[Any, ...], Candidate]] = []
    excluded: list[Excluded] = []
    for provider in sorted(_providers(graph, hosts), key=str):
        check = _Check(kg, graph, provider, day)
        reasons: list[str] = []
        warnings: list[str] = []
        if provider in hosts:
            names = ", ".join(f'"{label(graph, a)}"' for a in hosts[provider])
            reasons.append(f"already hosts the system ({names})")
        if needs.hds:
            check.hds(needs.activities, reasons, warnings)
        offer = check.offer(needs.secnumcloud, reasons, warnings)
        check.exposure(reasons, warnings)
        if provider in hosts:
            reasons.extend(check.current_exposure(findings))
        name = label(graph, provider)
        if reasons:
            excluded.append(Excluded(str(provider), name, tuple(_unique(reasons))))
            continue
        score = tuple(_unique(warnings))
        candidate = Candidate(
            provider=str(provider),
            provider_label=name,
            offer=str(offer) if offer is not None else None,
            offer_label=label(graph, offer) if offer is not None else None,
            rank=0,
            score_reasons=score,
        )
        ranked.append(((len(score), name.casefold(), str(provider)), candidate))

    ranked.sort(key=lambda pair: pair[0])
    candidates = tuple(
        Candidate(c.provider, c.provider_label, c.offer, c.offer_label, rank, c.score_reasons)
        for rank, (_, c) in enumerate(ranked, start=1)
    )
    excluded.sort(key=lambda e: (e.provider_label.casefold(), e.provider))
    return Alternatives(
        system=str(node),
        system_label=label(graph, node),
        as_of=day,
        rules=needs.rules(graph, day),
        candidates=candidates,
        excluded=tuple(excluded),
    )


# ------------------------------------------------------------------------------------- the system


def _system_node(graph: Graph, system: str | URIRef) -> URIRef:
    from sovkg.ask.explain import resolve_entity

    node = system if isinstance(system, URIRef) else resolve_entity(graph, system)
    if (node, RDF.type, SOV.InformationSystem) not in graph:
        raise UnknownEntityError(f"{str(system)!r} is not an information system of the graph")
    return node


@dataclass(frozen=True)
class _Needs:
    """What the graph says the system is subject to."""

    system: Node
    data: tuple[Node, ...]
    hds: bool
    secnumcloud: bool
    controller: Node | None
    activities: frozenset[Node]

    @classmethod
    def of(cls, graph: Graph, system: Node) -> _Needs:
        data = tuple(sorted((d for d in graph.objects(system, SOV.holdsData) if d in HEALTH_DATA), key=str))
        public = sorted(
            (c for c in graph.objects(system, SOV.controller) if (c, RDF.type, SOV.PublicBody) in graph), key=str
        )
        # the SecNumCloud need rests on loi SREN art. 31 once its criteria decree applies (phase 2); a graph
        # without the reference requirements keeps the need whatever the date
        sren = KG["requirement/sren-art-31-protected-cloud"]
        sren_applies = in_effect(graph, sren) or (sren, RDF.type, SOV.LegalRequirement) not in graph
        sensitive = graph.value(system, SOV.particularlySensitive) == Literal(True) and sren_applies
        activities = frozenset(
            activity
            for arrangement in graph.subjects(SOV.hostedSystem, system)
            if in_effect(graph, arrangement)
            for activity in graph.objects(arrangement, SOV.performsActivity)
        )
        return cls(
            system=system,
            data=data,
            hds=bool(data),
            secnumcloud=sensitive and bool(public),
            controller=public[0] if public else None,
            activities=activities,
        )

    def rules(self, graph: Graph, day: dt.date) -> tuple[str, ...]:
        out = []
        if self.hds:
            held = " and ".join(label(graph, d) for d in self.data)
            if self.activities:
                scope = (
                    f"covering {_activity_list(graph, self.activities, 'and')}, which its current arrangements perform"
                )
            else:
                scope = "of any scope (its current arrangements state no HDS activity)"
            out.append(
                f"CSP art. L.1111-8 (the system holds {held}): an HDS certificate in effect on {day.isoformat()}, "
                f"{scope}"
            )
        if self.secnumcloud:
            out.append(
                f"Loi SREN art. 31 (particularly sensitive data; the controller, {label(graph, self.controller)}, "
                f"is a public body): a SecNumCloud 3.2 qualification in effect on {day.isoformat()} on the offer used"
            )
        out.append(
            "No exposure: no access law enacted outside the EU binds the provider (by establishment, service or "
            "control), the offer used does not run on a bound supplier's technology with access to the data, "
            "and holders established outside the EU stay within the SecNumCloud 3.2 §19.6.b limits"
        )
        return tuple(out)


def _current_hosts(graph: Graph, system: Node) -> dict[Node, list[Node]]:
    hosts: dict[Node, list[Node]] = {}
    for arrangement in sorted(graph.subjects(SOV.hostedSystem, system), key=str):
        provider = graph.value(arrangement, SOV.provider)
        if provider is not None and in_effect(graph, arrangement):
            hosts.setdefault(provider, []).append(arrangement)
    return hosts


def _providers(graph: Graph, hosts: Iterable[Node]) -> set[Node]:
    found = set(hosts) | set(graph.objects(None, SOV.offeredBy))
    for certificate in graph.subjects(RDF.type, SOV.Certificate):
        holder = graph.value(certificate, SOV.certificateHolder)
        if holder is not None and (in_effect(graph, certificate)
                                   or graph.value(certificate, SOV.renewalUnknown) == Literal(True)):
            found.add(holder)
    return {p for p in found if isinstance(p, URIRef)}


# ----------------------------------------------------------------------------------- one provider


class _Check:
    """The rules applied to one provider; each method appends exclusion reasons and score reasons."""

    def __init__(self, kg: KnowledgeGraph, graph: Graph, provider: Node, day: dt.date) -> None:
        self.kg = kg
        self.graph = graph
        self.provider = provider
        self.day = day
        self.offers = sorted(graph.subjects(SOV.offeredBy, provider), key=str)
        self.named: set[str] = set()
        """Parties an exclusion reason already names (so that a finding through them is not repeated)."""

    # -- HDS

    def _hds_certificates(self) -> list[tuple[Node, bool]]:
        """(certificate, holder recorded) for the provider's HDS certificates."""
        g = self.graph
        out: dict[Node, bool] = {}
        for certificate in g.subjects(SOV.certificateHolder, self.provider):
            if _is_hds(g, certificate) and not after(g, certificate):
                out[certificate] = True
        for offer in self.offers:
            for certificate in g.subjects(SOV.coversOffer, offer):
                if after(g, certificate):
                    continue  # not known on the date asked
                if g.value(certificate, SOV.certificateHolder) is None and _is_hds(g, certificate):
                    out.setdefault(certificate, False)
        return sorted(out.items(), key=lambda pair: str(pair[0]))

    def hds(self, needed: frozenset[Node], reasons: list[str], warnings: list[str]) -> None:
        g = self.graph
        certificates = self._hds_certificates()
        valid = [(c, held) for c, held in certificates if in_effect(g, c)]
        if not certificates:
            # unknown is not absent: the graph does not carry the whole list of certified hosts
            warnings.append(
                "HDS certificate not recorded: the graph records no HDS certificate of it; whether it holds one is "
                "unknown (check the official list of HDS-certified hosts)"
            )
            return
        if not valid:
            lapses = "; ".join(f'the recorded "{label(g, c)}" {_lapse(g, c, self.day)}' for c, _ in certificates)
            if any(g.value(c, SOV.renewalUnknown) == Literal(True) for c, _ in certificates):
                warnings.append(
                    f"HDS renewal not recorded: no HDS certificate of it is recorded as in effect ({lapses}); "
                    "a renewal may exist but is not recorded"
                )
            else:
                reasons.append(f"no in-effect HDS certificate recorded ({lapses})")
            return
        stating = [c for c, _ in valid if (c, SOV.coversActivity, None) in g]
        silent = [c for c, _ in valid if c not in stating]
        covered = {a for c in stating for a in g.objects(c, SOV.coversActivity)}
        missing = needed - covered
        if needed and missing:
            if silent:
                warnings.append(
                    f"activities not stated: its HDS certificate {_names(g, silent)} lists no activity, so "
                    f"coverage of {_activity_list(g, missing, 'and')} cannot be checked"
                )
            else:
                noun = "certificate does" if len(stating) == 1 else "certificates do"
                reasons.append(
                    f"its in-effect HDS {noun} not cover {_activity_list(g, missing, 'or')}, which the "
                    f"system's current arrangements perform ({_names(g, stating)})"
                )
                return
        elif not needed and not stating:
            warnings.append(f"activities not stated: its HDS certificate {_names(g, silent)} lists no activity")
        if all(g.value(c, SOV.scheme) not in (KG["scheme/HDS-2018"], KG["scheme/HDS-2024"]) for c, _ in valid):
            accepted = g.value(KG["scheme/HDS-2018"], SOV.acceptedUntil)
            until = f" (accepted until {accepted})" if accepted is not None else ""
            warnings.append(
                f"referential not stated: its HDS certificate {_names(g, [c for c, _ in valid])} does not say "
                f"whether it follows HDS 2018{until} or HDS 2024"
            )
        if not any(held for _, held in valid):
            offers = sorted({o for c, _ in valid for o in g.objects(c, SOV.coversOffer) if o in self.offers}, key=str)
            warnings.append(
                f"holder not recorded: its HDS certificate {_names(g, [c for c, _ in valid])} names no holder; it "
                f"counts because it covers its offer{'s' if len(offers) > 1 else ''} {_names(g, offers)}"
            )
        if not any((c, SOV.validUntil, None) in g for c, _ in valid):
            names = _dated_names(g, [c for c, _ in valid])
            warnings.append(f"end of validity not recorded for its HDS certificate {names}")

    # -- offers (SecNumCloud, technology)

    def offer(self, secnumcloud: bool, reasons: list[str], warnings: list[str]) -> Node | None:
        """The offer to propose (None when the provider has none and none is needed)."""
        g = self.graph
        qualifications: dict[Node, list[Node]] = {}
        if secnumcloud:
            for offer in self.offers:
                found = sorted(
                    (q for q in g.subjects(SOV.coversOffer, offer) if _is_secnumcloud(g, q) and in_effect(g, q)),
                    key=str,
                )
                if found:
                    qualifications[offer] = found
            if not qualifications:
                reasons.append("no SecNumCloud 3.2 qualification on any offer " + self._qualification_detail())
                return None
            eligible = sorted(qualifications, key=str)
        else:
            eligible = list(self.offers)
        if not eligible:
            return None
        blocked: dict[Node, list[str]] = {}
        unknown: dict[Node, list[str]] = {}
        for offer in eligible:
            blocked[offer], unknown[offer] = self._technology(offer)
        usable = [o for o in eligible if not blocked[o]]
        if not usable:
            for offer in eligible:
                reasons.extend(blocked[offer])
            return None
        hds_covered = {o for o in usable for c in g.subjects(SOV.coversOffer, o) if _is_hds(g, c) and in_effect(g, c)}
        chosen = min(
            usable,
            key=lambda o: (
                len(unknown[o]) + (0 if any((q, SOV.validUntil, None) in g for q in qualifications.get(o, ())) else 1),
                o not in hds_covered,
                label(g, o).casefold(),
                str(o),
            ),
        )
        if secnumcloud and not any((q, SOV.validUntil, None) in g for q in qualifications[chosen]):
            warnings.append(
                f"end of validity not recorded for the SecNumCloud 3.2 qualification "
                f'{_dated_names(g, qualifications[chosen])} of its offer "{label(g, chosen)}"'
            )
        warnings.extend(unknown[chosen])
        return chosen

    def _qualification_detail(self) -> str:
        g = self.graph
        notes = []
        for offer in self.offers:
            for q in sorted(g.subjects(SOV.coversOffer, offer), key=str):
                if _is_secnumcloud(g, q) and not in_effect(g, q) and not after(g, q):
                    notes.append(
                        f'the qualification "{label(g, q)}" of its offer "{label(g, offer)}" {_lapse(g, q, self.day)}'
                    )
        for q in sorted(g.subjects(SOV.certificateHolder, self.provider), key=str):
            if after(g, q):
                continue  # not known on the date asked
            if _is_secnumcloud(g, q) and not any(o in self.offers for o in g.objects(q, SOV.coversOffer)):
                state = "names no offer" if in_effect(g, q) else _lapse(g, q, self.day)
                notes.append(f'its qualification "{label(g, q)}" {state}')
        if not notes:
            notes.append(f"none on {_names(g, self.offers)}" if self.offers else "no offer of it is recorded")
        return f"({'; '.join(notes)})"

    def _technology(self, offer: Node) -> tuple[list[str], list[str]]:
        """(exclusions, score reasons) from the offer's technology dependencies on bound suppliers."""
        g = self.graph
        blocked, unknown = [], []
        for dependency in sorted(g.objects(offer, SOV.technologyDependency), key=str):
            supplier = g.value(dependency, SOV.technologySupplier)
            dated = (dependency, SOV.validFrom, None) in g or (dependency, SOV.validUntil, None) in g
            if supplier is None or (dated and not in_effect(g, dependency)):
                continue
            laws = self._non_eu_laws(supplier)
            if not laws:
                continue
            access = g.value(dependency, SOV.technicalAccessToData)
            names = " and ".join(laws)
            if access == Literal(True):
                self.named.add(str(supplier))
                blocked.append(
                    f'its offer "{label(g, offer)}" runs on the technology of {label(g, supplier)}, which has '
                    f"technical access to the data and is bound by {names}"
                )
            elif access is None:
                unknown.append(
                    f'technical access not recorded: its offer "{label(g, offer)}" runs on the technology of '
                    f"{label(g, supplier)}, bound by {names}, and whether it can reach the data is not recorded"
                )
        return blocked, unknown

    # -- exposure

    def _non_eu_laws(self, entity: Node) -> list[str]:
        g = self.graph
        laws = {law for law in g.objects(entity, SOV.subjectTo) if _enacted_outside_eu(g, law)}
        return sorted(label(g, law) for law in laws)

    def exposure(self, reasons: list[str], warnings: list[str]) -> None:
        g = self.graph
        by_law: dict[str, dict[str, list[str]]] = {}
        for applicability in self.kg.applicabilities(self.provider):
            law = URIRef(applicability.law)
            if not _enacted_outside_eu(g, law):
                continue
            places = " or ".join(sorted(label(g, j) for j in g.objects(law, SOV.enactedBy)))
            bases = by_law.setdefault(applicability.law_label, {})
            if applicability.basis == "establishment":
                bases.setdefault("establishment", []).append(f"through its seat in {places}")
            elif applicability.basis == "service":
                bases.setdefault("service", []).append(f"because it serves persons in {places}")
            elif applicability.basis == "group-presence":
                who = f"of {applicability.via_label}" if applicability.via_label else "of its own"
                bases.setdefault("group", []).append(f"through the establishment {who} in {places}")
            else:
                bases.setdefault("control", []).append(applicability.via_label or applicability.via or "")
                self.named.add(applicability.via or "")
        for law_label in sorted(by_law):
            bases = by_law[law_label]
            parts = _unique(bases.get("establishment", []) + bases.get("service", []) + bases.get("group", []))
            if "control" in bases:
                parts.append("through control by " + _join(sorted(_unique(bases["control"])), "and"))
            reasons.append(f"bound by {law_label} " + " and ".join(parts))
        if not by_law:
            self._influence(reasons, warnings)
        missing = [name for prop, name in SEATS if (self.provider, prop, None) not in g]
        registered_in_eu = any((o, SOV.memberOf, EU) in g for o in g.objects(self.provider, SOV.registeredOffice))
        if missing and not registered_in_eu and (self.provider, RDF.type, SOV.Organisation) in g:
            warnings.append(
                f"seats not recorded: its {_join(missing, 'and')} {'is' if len(missing) == 1 else 'are'} unknown, so "
                "binding by establishment outside the EU cannot be ruled out"
            )
        owned = any(
            in_effect(g, stake)
            for stake in g.subjects(SOV.held, self.provider)
            if (stake, RDF.type, SOV.OwnershipStake) in g
            and not any((stake, RDF.type, aggregate) in g for aggregate in AGGREGATES)
        )
        if not owned and (self.provider, RDF.type, SOV.PublicBody) not in g:
            warnings.append(
                "owners not recorded: no in-effect stake in it is recorded, so control by an entity that a law "
                "enacted outside the EU binds cannot be ruled out"
            )

    def current_exposure(self, findings: Iterable[ExposureFinding]) -> list[str]:
        """The exposure findings of the system through this provider's current arrangement (subcontractor,
        technology, influence), one sentence per level and party not already named by another reason."""
        laws: dict[tuple[str, str, str], list[str]] = {}
        for finding in findings:
            if len(finding.path) < 3 or finding.path[1].iri != str(self.provider):
                continue
            party = finding.path[2]
            if party.iri in self.named:
                continue
            laws.setdefault((finding.level, party.label, party.iri), []).append(finding.law_label)
        return [
            f"its current arrangement exposes the system to {_join(sorted(_unique(names)), 'and')} "
            f"(level {level}, through {party})"
            for (level, party, _), names in sorted(laws.items(), key=lambda kv: (LEVELS.index(kv[0][0]), kv[0][1:]))
        ]

    def _influence(self, reasons: list[str], warnings: list[str]) -> None:
        """Holdings outside the EU above the SecNumCloud 3.2 §19.6.b limits (read only when no law binds it:
        a provider bound through control is already excluded by that control)."""
        g = self.graph
        individual = _percent(g.value(INDIVIDUAL_LIMIT, SOV.thresholdPercent))
        collective = _percent(g.value(COLLECTIVE_LIMIT, SOV.thresholdPercent))
        nodes = sorted(g.subjects(SOV.held, self.provider), key=str)
        found = False
        if individual is not None:
            for node in nodes:
                holder = g.value(node, SOV.holder)
                if (node, RDF.type, SOV.EffectiveOwnership) in g and holder is not None and _outside_eu(g, holder):
                    who = (f"{label(g, holder)}, established outside the EU,", "holds")
                    if self._share(node, who, individual, "individual", reasons, warnings):
                        found = True
                        self.named.add(str(holder))
        if collective is not None and not found:
            for node in nodes:
                if (node, RDF.type, SOV.JurisdictionOwnership) in g and (node, SOV.holderScope, NON_EU_SCOPE) in g:
                    self._share(
                        node,
                        ("holders established outside the EU together", "hold"),
                        collective,
                        "collective",
                        reasons,
                        warnings,
                    )

    def _share(
        self, node: Node, who: tuple[str, str], limit: Decimal, kind: str, reasons: list[str], warnings: list[str]
    ) -> bool:
        """One reason (lower bound above the limit) or score reason (only the upper bound); True for a reason."""
        g = self.graph
        above, maybe = [], []
        for low_p, high_p, what in (
            (SOV.capitalPercent, SOV.capitalPercentMax, "capital"),
            (SOV.votingPercent, SOV.votingPercentMax, "voting rights"),
        ):
            low, high = _percent(g.value(node, low_p)), _percent(g.value(node, high_p))
            if low is not None and low > limit:
                above.append(f"{_fmt(low)} % of its {what}")
            elif high is not None and high > limit:
                maybe.append(f"up to {_fmt(high)} % of its {what}")
        rule = f"the {_fmt(limit)} % {kind} limit of SecNumCloud 3.2 §19.6.b"
        if above:
            reasons.append(f"{who[0]} {who[1]} {_join(above, 'and')}, above {rule}")
            return True
        if maybe:
            warnings.append(
                f"non-EU holdings not fully known: {who[0]} may hold {_join(maybe, 'and')} (some shares "
                f"are not recorded), above {rule}"
            )
        return False


# ---------------------------------------------------------------------------------------- helpers


def _is_hds(graph: Graph, certificate: Node) -> bool:
    scheme = graph.value(certificate, SOV.scheme)
    if scheme is None:
        return False
    return scheme in HDS_SCHEMES or any(
        (a, RDF.type, SOV.HDSActivity) in graph for a in graph.objects(scheme, SOV.definesActivity)
    )


def _is_secnumcloud(graph: Graph, certificate: Node) -> bool:
    return (certificate, RDF.type, SOV.Qualification) in graph and graph.value(certificate, SOV.scheme) == SECNUMCLOUD


def _enacted_outside_eu(graph: Graph, law: Node) -> bool:
    """True when the law is enacted by a jurisdiction that is neither the EU nor an EU member on the date."""
    return any(j != EU and (j, SOV.memberOf, EU) not in graph for j in graph.objects(law, SOV.enactedBy))


def _outside_eu(graph: Graph, party: Node) -> bool:
    """True when the party has a known seat (or residence) and none of them is in an EU member state."""
    places = set(graph.objects(party, SOV.establishedIn))
    return bool(places) and not any(p == EU or (p, SOV.memberOf, EU) in graph for p in places)


def _scheme_name(graph: Graph, scheme: Node | None) -> str:
    text = str(scheme)
    prefix = str(KG["scheme/"])
    if text == str(KG["scheme/HDS"]):
        return "HDS (referential not stated)"
    if text.startswith(prefix):
        return text[len(prefix) :].replace("-", " ")
    return label(graph, scheme)


def _lapse(graph: Graph, certificate: Node, day: dt.date) -> str:
    """Why a certificate is not in effect on ``day``, in words."""
    end_value = graph.value(certificate, SOV.validUntil)
    end = as_date(end_value, start=False, subject=certificate)
    if end is not None and day > end:
        return f"expired on {end_value}" if len(str(end_value)) == 10 else f"ended in {end_value}"
    start_value = graph.value(certificate, SOV.validFrom)
    start = as_date(start_value, start=True, subject=certificate)
    if start is not None and day < start:
        return f"is valid only from {start_value}"
    scheme = graph.value(certificate, SOV.scheme)
    accepted = graph.value(scheme, SOV.acceptedUntil) if scheme is not None else None
    accepted_day = as_date(accepted, start=False, subject=scheme)
    if accepted_day is not None and day > accepted_day:
        return f"is under {_scheme_name(graph, scheme)}, no longer accepted after {accepted}"
    version_end = acceptance_end(graph, scheme) if scheme is not None else None
    if version_end is not None and day > version_end:
        return (f"is under {_scheme_name(graph, scheme)}, so it is certain only until {version_end.isoformat()}, "
                "when the oldest referential it may follow stopped being accepted")
    return "is not in effect"


def _names(graph: Graph, nodes: Iterable[Node]) -> str:
    return ", ".join(f'"{label(graph, n)}"' for n in sorted(nodes, key=str))


def _dated_names(graph: Graph, nodes: Iterable[Node]) -> str:
    out = []
    for node in sorted(nodes, key=str):
        attested = graph.value(node, SOV.attestedOn)
        out.append(f'"{label(graph, node)}"' + (f" (attested on {attested})" if attested is not None else ""))
    return ", ".join(out)


def _activity_list(graph: Graph, activities: Iterable[Node], conjunction: str) -> str:
    names = [label(graph, a).split(":", 1)[0] for a in sorted(activities, key=str)]
    return _join(names, conjunction)


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _percent(value: Node | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _fmt(number: Decimal) -> str:
    """``Decimal("24.0")`` → ``"24"``, ``Decimal("24.50")`` → ``"24.5"``."""
    return format(number.normalize(), "f")


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
