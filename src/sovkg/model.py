"""The dataclasses sovkg's Python API returns.

>>> step = PathNode(iri="https://w3id.org/sovkg/id/org/x", label="X")
>>> step.to_json()
{'iri': 'https://w3id.org/sovkg/id/org/x', 'label': 'X'}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

LEVELS: tuple[str, ...] = ("direct", "control", "subcontractor", "technology", "influence", "group-presence", "flow")
"""Exposure levels, strongest first."""
STATUSES: tuple[str, ...] = ("exposed", "unknown")
"""A finding's status: ``exposed`` rests on recorded facts; ``unknown`` names a missing fact (``gap``)."""


def strength(status: str, level: str) -> tuple[int, int]:
    """Order of a system's findings for one law, strongest first: every finding that rests on recorded
    facts before any that names a missing fact, then by level (:data:`LEVELS`).

    >>> sorted([("unknown", "technology"), ("exposed", "flow"), ("exposed", "control")], key=lambda f: strength(*f))
    [('exposed', 'control'), ('exposed', 'flow'), ('unknown', 'technology')]
    """
    return (STATUSES.index(status) if status in STATUSES else len(STATUSES),
            LEVELS.index(level) if level in LEVELS else len(LEVELS))


def level_text(level: str | None, status: str | None = "exposed") -> str:
    """A finding's level as sovkg writes it: ``flow``; ``unknown (technology if confirmed)`` when a fact
    is missing; ``not exposed`` for no finding.

    >>> level_text("flow"), level_text("technology", "unknown"), level_text(None, None)
    ('flow', 'unknown (technology if confirmed)', 'not exposed')
    """
    if level is None:
        return "not exposed"
    return f"unknown ({level} if confirmed)" if status == "unknown" else level


@dataclass(frozen=True)
class SourceRef:
    """A source that states a fact: its IRI, title, publisher, date and address."""

    iri: str
    title: str
    publisher: str | None
    date: str | None
    url: str | None

    def to_json(self) -> dict[str, Any]:
        """Return the source as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class PathNode:
    """One entity on an exposure path."""

    iri: str
    label: str

    def to_json(self) -> dict[str, Any]:
        """Return ``{"iri", "label"}``."""
        return asdict(self)


@dataclass(frozen=True)
class EvidenceStep:
    """One step of an evidence path: the node reached, how, through which fact, with its sources."""

    position: int
    iri: str
    label: str
    relation: str | None
    via: str | None
    confidence: str | None
    sources: tuple[SourceRef, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the step as a JSON-ready dict."""
        data = asdict(self)
        data["sources"] = [s.to_json() for s in self.sources]
        return data


@dataclass(frozen=True)
class Applicability:
    """An access law binds an entity, on a reach criterion (and through a controller)."""

    entity: str
    entity_label: str
    law: str
    law_label: str
    basis: str
    via: str | None
    via_label: str | None

    def to_json(self) -> dict[str, Any]:
        """Return the applicability as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class ExposureFinding:
    """A system exposed to an access law at a level, with the path from the system to the bound entity."""

    iri: str
    system: str
    system_label: str
    law: str
    law_label: str
    level: str
    bound_entity: str
    bound_entity_label: str
    path: tuple[PathNode, ...]
    evidence: tuple[EvidenceStep, ...]
    status: str = "exposed"
    """``exposed`` (the finding rests on recorded facts) or ``unknown`` (a link is not recorded: ``gap``)."""
    gap: str | None = None
    """For an ``unknown`` finding, the missing fact in words."""

    def to_json(self) -> dict[str, Any]:
        """Return the finding in the shape of ``sovkg exposure --format json`` (DESIGN.md §5)."""
        return {
            "system": self.system,
            "system_label": self.system_label,
            "law": self.law,
            "law_label": self.law_label,
            "level": self.level,
            "status": self.status,
            "gap": self.gap,
            "bound_entity": self.bound_entity,
            "bound_entity_label": self.bound_entity_label,
            "path": [p.to_json() for p in self.path],
            "evidence": [e.to_json() for e in self.evidence],
            "finding": self.iri,
        }
