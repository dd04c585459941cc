"""What changes between two reports: exposure that appears, disappears or changes level; rules broken or mended.

:func:`diff_reports` compares two reports in the JSON form of :func:`sovkg.publish.report.build_report` (so
cached reports are compared without loading any RDF): the reports of two dates, or of the baseline and
a hypothetical scenario (``sovkg diff``). Exposure is compared per system and law at the strongest
level, as the report's matrix shows it; each change carries its why, the path from the system to the
entity the law binds. Validation results are compared whole; each carries its message.

>>> before = {"as_of": "2026-11-29", "findings": [
...     {"system": "s", "system_label": "S", "law": "l", "law_label": "L", "level": "control",
...      "path": [{"iri": "s", "label": "S"}, {"iri": "p", "label": "P"}]}],
...     "validation": {"conforms": True, "results": []}}
>>> after = {"as_of": "2026-11-29", "findings": [], "validation": {"conforms": True, "results": []},
...     "scenario": {"label": "P leaves (hypothetical)", "file": "p.trig"}}
>>> d = diff_reports(before, after)
>>> [(f.system_label, f.law_label, f.before, f.after, f.kind) for f in d.findings_removed]
[('S', 'L', 'control', None, 'disappears')]
>>> print(render_diff(d))  # doctest: +NORMALIZE_WHITESPACE
sovkg diff — before: as of 2026-11-29 · after: as of 2026-11-29,
    hypothetical scenario "P leaves (hypothetical)" [p.trig]
<BLANKLINE>
Exposure (strongest level per system and law): 1 disappears.
  - S — L — control → not exposed
      was: S → P
<BLANKLINE>
Violations: none appears or disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sovkg.model import PathNode, level_text, strength


@dataclass(frozen=True)
class FindingChange:
    """A system's exposure to one law, before and after (``None``: not exposed); a level whose status is
    ``unknown`` is the level the exposure would have if the missing fact were confirmed."""

    system: str
    system_label: str
    law: str
    law_label: str
    before: str | None
    after: str | None
    path_before: tuple[PathNode, ...] = ()
    path_after: tuple[PathNode, ...] = ()
    status_before: str | None = None
    """``exposed`` or ``unknown`` (None: not exposed)."""
    status_after: str | None = None

    @property
    def kind(self) -> str:
        """``appears``, ``disappears`` or ``changes`` (level, status or path)."""
        if self.before is None:
            return "appears"
        if self.after is None:
            return "disappears"
        return "changes"

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON-ready dict (paths as ``[{"iri", "label"}]``)."""
        data = asdict(self)
        data["kind"] = self.kind
        data["path_before"] = [asdict(p) for p in self.path_before]
        data["path_after"] = [asdict(p) for p in self.path_after]
        return data


@dataclass(frozen=True)
class ResultChange:
    """A validation result that appears or disappears, with its message (the why)."""

    focus: str
    focus_label: str
    severity: str
    requirement: str | None
    requirement_label: str | None
    message: str
    source_shape: str | None = None
    path: str | None = None
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Side:
    """What one report describes: a date, and the scenario applied if any."""

    as_of: str
    scenario: Mapping[str, Any] | None = None

    def describe(self) -> str:
        """``as of 2026-11-29`` plus the scenario's label."""
        text = f"as of {self.as_of}"
        if self.scenario:
            from sovkg.load.scenario import short_label

            label = short_label(str(self.scenario.get("label")))
            text += f", hypothetical scenario \"{label}\" [{self.scenario.get('file')}]"
        return text

    def to_json(self) -> dict[str, Any]:
        """The side as a JSON-ready dict."""
        return {"as_of": self.as_of, "scenario": dict(self.scenario) if self.scenario else None}


@dataclass(frozen=True)
class Diff:
    """The changes from one report (``before``) to another (``after``)."""

    before: Side
    after: Side
    findings_added: tuple[FindingChange, ...] = ()
    findings_removed: tuple[FindingChange, ...] = ()
    findings_changed: tuple[FindingChange, ...] = ()
    violations_added: tuple[ResultChange, ...] = ()
    violations_removed: tuple[ResultChange, ...] = ()
    warnings_added: tuple[ResultChange, ...] = ()
    warnings_removed: tuple[ResultChange, ...] = ()

    @property
    def unchanged(self) -> bool:
        """True when no finding, violation or warning changes."""
        return not any((self.findings_added, self.findings_removed, self.findings_changed,
                        self.violations_added, self.violations_removed, self.warnings_added,
                        self.warnings_removed))

    def to_json(self) -> dict[str, Any]:
        """The diff as a JSON-ready dict (``sovkg diff --format json``)."""
        return {
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "findings": {
                "appear": [f.to_json() for f in self.findings_added],
                "disappear": [f.to_json() for f in self.findings_removed],
                "change": [f.to_json() for f in self.findings_changed],
            },
            "violations": {
                "appear": [r.to_json() for r in self.violations_added],
                "disappear": [r.to_json() for r in self.violations_removed],
            },
            "warnings": {
                "appear": [r.to_json() for r in self.warnings_added],
                "disappear": [r.to_json() for r in self.warnings_removed],
            },
        }


# ------------------------------------------------------------------------------------------ compute


def diff_reports(before: Mapping[str, Any], after: Mapping[str, Any]) -> Diff:
    """Compare two reports (the JSON of :func:`sovkg.publish.report.build_report`)."""
    old, new = _strongest(before["findings"]), _strongest(after["findings"])
    added, removed, changed = [], [], []
    for key in sorted(old.keys() | new.keys(), key=lambda k: _finding_order(old.get(k) or new[k])):
        a, b = old.get(key), new.get(key)
        ref = a or b
        assert ref is not None
        change = FindingChange(
            system=ref["system"], system_label=ref["system_label"], law=ref["law"], law_label=ref["law_label"],
            before=a["level"] if a else None, after=b["level"] if b else None,
            path_before=_path(a), path_after=_path(b),
            status_before=_status(a), status_after=_status(b),
        )
        if a is None:
            added.append(change)
        elif b is None:
            removed.append(change)
        elif (change.before, change.status_before, change.path_before) != (
                change.after, change.status_after, change.path_after):
            changed.append(change)
    results_before = _results(before)
    results_after = _results(after)
    return Diff(
        before=Side(str(before["as_of"]), before.get("scenario")),
        after=Side(str(after["as_of"]), after.get("scenario")),
        findings_added=tuple(added),
        findings_removed=tuple(removed),
        findings_changed=tuple(changed),
        violations_added=_only(results_after, results_before, "Violation"),
        violations_removed=_only(results_before, results_after, "Violation"),
        warnings_added=_only(results_after, results_before, "Warning"),
        warnings_removed=_only(results_before, results_after, "Warning"),
    )


def _strongest(findings: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    best: dict[tuple[str, str], Mapping[str, Any]] = {}
    for f in findings:
        key = (f["system"], f["law"])
        current = best.get(key)
        if current is None or _rank(f) < _rank(current):
            best[key] = f
    return best


def _rank(finding: Mapping[str, Any]) -> tuple[int, int]:
    return strength(_status(finding) or "exposed", str(finding["level"]))


def _status(finding: Mapping[str, Any] | None) -> str | None:
    """A finding's status (reports written before statuses existed hold exposed findings only)."""
    return None if finding is None else str(finding.get("status") or "exposed")


def _finding_order(f: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (f["system_label"], f["law_label"], f["system"], f["law"])


def _path(finding: Mapping[str, Any] | None) -> tuple[PathNode, ...]:
    if finding is None:
        return ()
    return tuple(PathNode(str(p["iri"]), str(p["label"])) for p in finding.get("path", ()))


def _results(report: Mapping[str, Any]) -> dict[tuple[Any, ...], ResultChange]:
    out: dict[tuple[Any, ...], ResultChange] = {}
    for r in report["validation"]["results"]:
        result = ResultChange(
            focus=r["focus"], focus_label=r.get("focus_label") or r["focus"], severity=r["severity"],
            requirement=r.get("requirement"), requirement_label=r.get("requirement_label"), message=r["message"],
            source_shape=r.get("source_shape"), path=r.get("path"), value=r.get("value"),
        )
        key = (result.focus, result.severity, result.requirement, result.message, result.source_shape,
               result.path, result.value)
        out[key] = result
    return out


def _only(these: Mapping[tuple[Any, ...], ResultChange], others: Mapping[tuple[Any, ...], ResultChange],
          severity: str) -> tuple[ResultChange, ...]:
    picked = [r for key, r in these.items() if key not in others and r.severity == severity]
    return tuple(sorted(picked, key=lambda r: (r.focus_label, r.requirement_label or "", r.message, r.focus)))


# ------------------------------------------------------------------------------------------- render


def render_diff(diff: Diff) -> str:
    """The terminal form of a diff (``sovkg diff``)."""
    lines = [f"sovkg diff — before: {diff.before.describe()} · after: {diff.after.describe()}", ""]
    counts = _counts(("disappears", "disappear", len(diff.findings_removed)),
                     ("appears", "appear", len(diff.findings_added)),
                     ("changes level or path", "change level or path", len(diff.findings_changed)))
    lines.append(f"Exposure (strongest level per system and law): {counts or 'no change'}.")
    for f in diff.findings_removed + diff.findings_added + diff.findings_changed:
        mark = {"appears": "+", "disappears": "-", "changes": "~"}[f.kind]
        levels = f"{level_text(f.before, f.status_before)} → {level_text(f.after, f.status_after)}"
        lines.append(f"  {mark} {f.system_label} — {f.law_label} — {levels}")
        if f.path_before:
            lines.append("      was: " + " → ".join(p.label for p in f.path_before))
        if f.path_after:
            lines.append("      now: " + " → ".join(p.label for p in f.path_after))
    lines.append("")
    counts = _counts(("disappears", "disappear", len(diff.violations_removed)),
                     ("appears", "appear", len(diff.violations_added)))
    lines.append(f"Violations: {counts or 'none appears or disappears'}.")
    for mark, results in (("-", diff.violations_removed), ("+", diff.violations_added)):
        for r in results:
            lines.append(f"  {mark} {r.focus_label} — {r.requirement_label or r.requirement or '-'}:")
            lines.append(f"      {r.message}")
    if diff.warnings_added or diff.warnings_removed:
        counts = _counts(("disappears", "disappear", len(diff.warnings_removed)),
                         ("appears", "appear", len(diff.warnings_added)))
        lines += ["", f"Warnings: {counts} (by requirement; each one with `--format json`):"]
        tally: dict[tuple[str, str], int] = {}
        for mark, results in (("-", diff.warnings_removed), ("+", diff.warnings_added)):
            for r in results:
                key = (r.requirement_label or r.requirement or "(no requirement)", mark)
                tally[key] = tally.get(key, 0) + 1
        for (requirement, mark), count in sorted(tally.items()):
            lines.append(f"  {mark} {count} × {requirement}")
    return "\n".join(lines)


def _counts(*items: tuple[str, str, int]) -> str:
    return ", ".join(f"{n} {one if n == 1 else many}" for one, many, n in items if n)
