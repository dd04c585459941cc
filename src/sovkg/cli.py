"""The ``sovkg`` command line.

Data goes to stdout, messages to stderr. Exit codes: 0 success; 1 when ``validate`` (or ``report
--fail-on-violation``) finds a violated rule; 2 on bad input or usage (the message names the file
and line, or the unknown name).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sovkg.core.errors import SovkgError, SovkgInputError
from sovkg.core.version import __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SovkgInputError as error:
        print(f"sovkg: error: {error}", file=sys.stderr)
        return 2
    except SovkgError as error:
        print(f"sovkg: internal error: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0


# ------------------------------------------------------------------------------------------ parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sovkg",
        description="Which law can reach sensitive data, through whom, and which rule that breaks.",
    )
    parser.add_argument("--version", action="version", version=f"sovkg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", action="append", default=[], metavar="PATH",
                        help="add an RDF file or a folder of RDF files (repeatable)")
    common.add_argument("--no-case", action="store_true", help="leave the bundled French case out")
    common.add_argument("--at", metavar="YYYY-MM-DD", help="answer as of this date (default: today)")
    common.add_argument("--scenario", metavar="FILE",
                        help="apply a hypothetical scenario (a .trig file or a plain folder, docs/scenarios.md)")

    p = sub.add_parser("report", parents=[common], help="the main job: exposure, rules, counts")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--output", metavar="DIR", help="also write report.json, exposure.csv, validation.csv, graph.trig")
    p.add_argument("--no-cache", action="store_true", help="recompute even if a cached report matches the inputs")
    p.add_argument("--fail-on-violation", action="store_true", help="exit 1 when a rule is violated")
    p.set_defaults(func=_report)

    p = sub.add_parser("exposure", parents=[common], help="systems exposed to foreign access laws, with paths")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--law", help="only this law (IRI, CURIE or label)")
    p.add_argument("--system", help="only this system (IRI, CURIE or label)")
    p.set_defaults(func=_exposure)

    p = sub.add_parser("validate", parents=[common], help="check the compliance and integrity rules")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--severity", choices=("violation", "warning", "info"), help="only results of this severity")
    p.add_argument("--kind", choices=("compliance", "data-quality"),
                   help="only compliance findings (legal rules) or data-quality notes (sovkg data integrity)")
    p.add_argument("--reference-notes", action="store_true",
                   help="with --no-case and --data, also show data-quality notes about the bundled reference data")
    p.set_defaults(func=_validate)

    p = sub.add_parser("query", parents=[common], help="run a competency question or a .rq file")
    p.add_argument("name", nargs="?", metavar="NAME|FILE", help="e.g. CQ01, or path/to/query.rq")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter to an IRI or CURIE (repeatable), e.g. law=kg:law/us-cloud-act")
    p.add_argument("--list", action="store_true", help="list the shipped questions")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=_query)

    p = sub.add_parser("explain", parents=[common], help="explain a system, organisation or law, with sources")
    p.add_argument("entity", metavar="ENTITY", help="IRI, CURIE (kg:org/…), path (org/…) or label")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_explain)

    p = sub.add_parser("diff", parents=[common],
                       help="what changes between two dates, or between the baseline and a scenario")
    p.add_argument("--against-at", metavar="YYYY-MM-DD",
                   help="compare --at (before) with this date (after), same data and scenario")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--no-cache", action="store_true", help="recompute both reports even if cached")
    p.set_defaults(func=_diff)

    p = sub.add_parser("alternatives", parents=[common],
                       help="providers that could host a system without breaking a rule, and why others cannot")
    p.add_argument("system", metavar="SYSTEM", help="IRI, CURIE (kg:system/…) or label")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=_alternatives)

    p = sub.add_parser("expiring", parents=[common], help="certificates and qualifications that end within N days")
    p.add_argument("--within", type=int, default=90, metavar="DAYS", help="window in days (default: 90)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=_expiring)

    p = sub.add_parser("export", parents=[common], help="export asserted and derived facts")
    p.add_argument("--format", choices=("ttl", "nt", "jsonld", "xml", "trig", "nq"), required=True)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.set_defaults(func=_export)
    return parser


# ---------------------------------------------------------------------------------------- commands


def _as_of(args: argparse.Namespace) -> dt.date:
    from sovkg.core.dates import parse_iso_date

    return parse_iso_date(args.at) if args.at else dt.date.today()


def _build(args: argparse.Namespace) -> Any:
    from sovkg.derive.knowledge_graph import build

    kg = build(args.data, include_case=not args.no_case, as_of=_as_of(args), scenario=args.scenario)
    if kg.scenario is not None:
        from sovkg.load.scenario import banner

        print(f"sovkg: {banner(kg.scenario.to_json())}", file=sys.stderr)
    return kg


def _report_data(args: argparse.Namespace, day: dt.date, scenario: str | None) -> tuple[dict[str, Any], Any]:
    """The report's JSON (from the cache when the inputs match) and the graph if it had to be built."""
    from sovkg.core import cache
    from sovkg.load.inputs import bundled_files, report_key, user_files
    from sovkg.publish.report import REPORT_VERSION

    files = bundled_files(include_case=not args.no_case) + user_files(args.data)
    paths = [f.path for f in files]
    options = [f"case={not args.no_case}", *[f.graph for f in files]]
    if scenario is not None:
        from sovkg.load.scenario import scenario_files

        paths += scenario_files(scenario)
        options.append(f"scenario={scenario}")
    key = report_key(paths, __version__, str(REPORT_VERSION), day.isoformat(), *options)
    data = None if args.no_cache else cache.load(key)
    kg = None
    if data is None:
        from sovkg.derive.knowledge_graph import build
        from sovkg.publish.report import build_report

        kg = build(args.data, include_case=not args.no_case, as_of=day, scenario=scenario)
        data = dict(build_report(kg, case_included=not args.no_case, user_inputs=list(args.data)).data)
        data["scenario"] = kg.scenario.to_json() if kg.scenario else None
        cache.store(key, data)
    return data, kg


def _report(args: argparse.Namespace) -> int:
    from sovkg.load.scenario import with_banner
    from sovkg.publish.report import findings_csv, render_report, validation_csv

    day = _as_of(args)
    data, kg = _report_data(args, day, args.scenario)
    if args.output:
        from sovkg.publish.export import export_graph, write_atomically

        if kg is None:
            from sovkg.derive.knowledge_graph import build

            kg = build(args.data, include_case=not args.no_case, as_of=day, scenario=args.scenario)
        out = Path(args.output)
        if out.exists() and not out.is_dir():
            raise SovkgInputError(f"{out}: exists and is not a folder")
        write_atomically(out / "report.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        write_atomically(out / "exposure.csv", findings_csv(data["findings"]))
        write_atomically(out / "validation.csv", validation_csv(data["validation"]["results"]))
        write_atomically(out / "graph.trig", export_graph(kg, "trig"))
        print(f"sovkg: wrote report.json, exposure.csv, validation.csv, graph.trig to {out}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(with_banner(render_report(data), data.get("scenario")))
    return 1 if args.fail_on_violation and not data["validation"]["conforms"] else 0


def _diff(args: argparse.Namespace) -> int:
    from sovkg.ask.diff import diff_reports, render_diff
    from sovkg.core.dates import parse_iso_date

    before_day = _as_of(args)
    if args.against_at:
        after_day = parse_iso_date(args.against_at)
        before, _ = _report_data(args, before_day, args.scenario)
        after, _ = _report_data(args, after_day, args.scenario)
    elif args.scenario:
        after, _ = _report_data(args, before_day, args.scenario)  # first: a bad scenario fails at once
        before, _ = _report_data(args, before_day, None)
    else:
        raise SovkgInputError("diff needs --scenario FILE (baseline against the scenario) "
                              "or --against-at YYYY-MM-DD (--at against that date)")
    result = diff_reports(before, after)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_diff(result))
    return 0


def _exposure(args: argparse.Namespace) -> int:
    from sovkg.ask.explain import resolve_entity
    from sovkg.publish.report import findings_csv

    kg = _build(args)
    findings = list(kg.findings)
    if args.law:
        law = str(resolve_entity(kg.union, args.law))
        findings = [f for f in findings if f.law == law]
    if args.system:
        system = str(resolve_entity(kg.union, args.system))
        findings = [f for f in findings if f.system == system]
    rows = [f.to_json() for f in findings]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(findings_csv(rows))
    else:
        if not rows:
            print(f"No system is exposed to a foreign access law as of {kg.as_of.isoformat()}.")
        for f in findings:
            if f.status == "unknown":
                print(f"{f.system_label} — {f.law_label} — unknown ({f.level} if confirmed)")
                print("    " + " → ".join(p.label for p in f.path))
                print(f"    cannot be confirmed or ruled out: {f.gap}")
            else:
                print(f"{f.system_label} — {f.law_label} — {f.level}")
                print("    " + " → ".join(p.label for p in f.path))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from sovkg.publish.report import validation_csv

    kg = _build(args)
    from sovkg.check.kinds import annotate, shown
    from sovkg.check.shapes import validate

    report = validate(kg)
    data = report.to_json()
    everything = annotate(kg, data["results"])
    reference_notes = args.reference_notes or not (args.no_case and args.data)
    data["results"] = shown(everything, severity=args.severity, kind=args.kind, reference_notes=reference_notes)
    hidden = len(shown(everything, severity=args.severity, kind=args.kind)) - len(data["results"])
    if hidden:
        print(f"sovkg: {hidden} data-quality notes about the bundled reference data not shown "
              "(--reference-notes shows them)", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(validation_csv(data["results"]))
    else:
        violations = sum(1 for r in data["results"] if r["severity"] == "Violation")
        print(f"{'Conforms' if data['conforms'] else 'Does not conform'}: {violations} violations, "
              f"{len(data['results']) - violations} warnings or notes (as of {kg.as_of.isoformat()}).")
        for r in data["results"]:
            print(f"  {r['severity'].upper():9} {r['focus_label']} — {r['requirement_label'] or '-'}: {r['message']}")
    return 0 if data["conforms"] else 1


def _query(args: argparse.Namespace) -> int:
    from sovkg.ask.queries import find_query, list_queries, parse_binding

    if args.list or not args.name:
        for spec in list_queries("cq"):
            params = f" [{', '.join(spec.parameters)}]" if spec.parameters else ""
            print(f"{spec.name}{params}: {spec.question}")
        return 0
    spec = find_query(args.name)
    bindings = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SovkgInputError(f"--param {item!r}: expected NAME=VALUE")
        bindings[name.strip().lstrip("?$")] = parse_binding(value.strip())
    return _print_query(args, _build(args), spec, bindings)


def _print_query(args: argparse.Namespace, kg: Any, query: Any, bindings: dict[str, Any]) -> int:
    """Run a query (a QuerySpec or a shipped query's name) and print it in ``args.format``."""
    from sovkg.ask.queries import find_query, result_rows, run_query, to_sparql_json

    spec = find_query(query) if isinstance(query, str) else query
    result = run_query(kg.union, spec, bindings)
    if args.format == "json":
        print(json.dumps(to_sparql_json(result), indent=2, ensure_ascii=False))
        return 0
    rows = result_rows(result)
    columns = [str(v) for v in result.vars] if result.vars else []
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
        sys.stdout.write(buffer.getvalue())
    else:
        print(_table(columns, [[_compact(row.get(c)) for c in columns] for row in rows]))
        print(f"({len(rows)} rows)", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from sovkg.ask.explain import explain

    result = explain(_build(args), args.entity)
    if args.format == "json":
        print(json.dumps(result.data, indent=2, ensure_ascii=False))
    else:
        print(result.text)
    return 0


def _alternatives(args: argparse.Namespace) -> int:
    from sovkg.ask.alternatives import alternatives, alternatives_csv, render_alternatives

    result = alternatives(_build(args), args.system)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(alternatives_csv(result))
    else:
        print(render_alternatives(result))
    return 0


def _expiring(args: argparse.Namespace) -> int:
    from rdflib import XSD, Literal

    if args.within < 0:
        raise SovkgInputError(f"--within {args.within}: the number of days cannot be negative")
    kg = _build(args)
    until = Literal((kg.as_of + dt.timedelta(days=args.within)).isoformat(), datatype=XSD.date)
    return _print_query(args, kg, "CQ26", {"until": until})


def _export(args: argparse.Namespace) -> int:
    from sovkg.publish.export import export_graph, write_atomically

    content = export_graph(_build(args), args.format)
    if args.output:
        write_atomically(Path(args.output), content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


# ----------------------------------------------------------------------------------------- helpers


def _uri(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


def _compact(value: str | None) -> str:
    from sovkg.core.namespaces import PREFIXES

    if value is None:
        return ""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace):]}"
    return value


def _table(columns: list[str], rows: list[list[str]]) -> str:
    if not columns:
        return ""
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("─" * w for w in widths))
    for row in rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
