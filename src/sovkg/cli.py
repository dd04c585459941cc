"""The ``sovkg`` command line.

Data goes to stdout, messages to stderr. Exit codes: 0 success; 1 when ``validate`` (or ``report
--fail-on-violation``) finds a violated rule; 2 on bad input or usage (the message names the file
and line, or the unknown name).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sovkg.core.errors import SovkgError, SovkgInputError
from sovkg.core.version import __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    from sovkg.core.files import Terminated, terminate_as_exception
    from sovkg.core.text import TerminalWriter, terminal_safe

    parser = _parser()
    args = parser.parse_args(argv)
    terminate_as_exception()
    stdout = sys.stdout
    if getattr(args, "format", "table") in ("table", "text"):  # for people: no raw control characters
        sys.stdout = TerminalWriter(stdout)  # type: ignore[assignment]
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return code
    except SovkgInputError as error:
        print(f"sovkg: error: {terminal_safe(str(error))}", file=sys.stderr)
        return 2
    except SovkgError as error:
        print(f"sovkg: internal error: {terminal_safe(str(error))}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        _discard_stdout()
        return 0
    except OSError as error:  # standard output on a full disk, say; files name themselves
        _discard_stdout()
        print(f"sovkg: error: {error.filename or 'standard output'}: cannot write ({error.strerror or error})",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sovkg: interrupted", file=sys.stderr)
        return 130
    except Terminated as signal:
        print("sovkg: terminated", file=sys.stderr)
        return 128 + signal.signum
    finally:
        sys.stdout = stdout


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush at exit does not fail again."""
    if sys.__stdout__ is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError):
        pass


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
    common.add_argument("--engine", choices=("store", "rdflib"), default="store",
                        help="store: Oxigraph store engine (default); rdflib: the reference pipeline (pySHACL)")
    common.add_argument("--store", metavar="PATH",
                        help="answer from the Oxigraph store at PATH, filled and derived by `sovkg derive --store`")
    common.add_argument("--endpoint", metavar="URL",
                        help="answer from a SPARQL 1.1 endpoint holding a graph sovkg imported and derived")

    p = sub.add_parser("report", parents=[common], help="the main job: exposure, rules, counts")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--output", metavar="DIR", help="also write report.json, exposure.csv, validation.csv, graph.trig")
    p.add_argument("--no-cache", action="store_true", help="recompute even if a cached report matches the inputs")
    p.add_argument("--fail-on-violation", action="store_true", help="exit 1 when a rule is violated")
    p.add_argument("--html", metavar="DIR", help="also write DIR/report.html, self-contained and printable")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the HTML report (default: en)")
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.set_defaults(func=_report)

    p = sub.add_parser("exposure", parents=[common], help="systems exposed to foreign access laws, with paths")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--law", help="only this law (IRI, CURIE or label)")
    p.add_argument("--system", help="only this system (IRI, CURIE or label)")
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.set_defaults(func=_exposure)

    p = sub.add_parser("validate", parents=[common], help="check the compliance and integrity rules")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.add_argument("--severity", choices=("violation", "warning", "info"), help="only results of this severity")
    p.add_argument("--kind", choices=("compliance", "data-quality"),
                   help="only compliance findings (legal rules) or data-quality notes (sovkg data integrity)")
    p.add_argument("--reference-notes", action="store_true",
                   help="with --no-case and --data, also show data-quality notes about the bundled reference data")
    p.set_defaults(func=_validate)

    p = sub.add_parser("query", parents=[common], help="run a competency question or a .rq file")
    p.add_argument("name", nargs="?", metavar="NAME|FILE", help="e.g. CQ01, or path/to/query.rq")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter to an IRI, CURIE, local id, label or date (repeatable), "
                        "e.g. law=kg:law/us-cloud-act or system=dpi")
    p.add_argument("--list", action="store_true", help="list the shipped questions")
    p.add_argument("--format", choices=("table", "json", "csv", "ttl", "nt", "jsonld"), default=None,
                   help="table, json (SPARQL JSON) or csv for SELECT and ASK (default: table); "
                        "ttl, nt or jsonld for CONSTRUCT and DESCRIBE (default: ttl)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop the query after this many seconds, exit 2 (default: 60; building the graph "
                        "is not counted)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow SERVICE calls to remote SPARQL endpoints (refused by default)")
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.set_defaults(func=_query)

    p = sub.add_parser("explain", parents=[common], help="explain a system, organisation or law, with sources")
    p.add_argument("entity", metavar="ENTITY", help="IRI, CURIE (kg:org/…), path (org/…) or label")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the text (default: en)")
    p.set_defaults(func=_explain)

    p = sub.add_parser("graph", parents=[common], help="draw the ownership and exposure chain around an entity")
    p.add_argument("entity", metavar="ENTITY", help="a system or an organisation: IRI, CURIE, path or label")
    p.add_argument("--format", choices=("svg", "png", "dot"), default="svg")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE, a regular file or a new path (default or '-': stdout)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the labels (default: en)")
    p.set_defaults(func=_graph)

    p = sub.add_parser("site", parents=[common], help="write the linked-data pages as a static site")
    p.add_argument("folder", metavar="DIR", help="a new or empty folder, or a site written before (replaced whole)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the pages (default: en)")
    p.add_argument("--site-url", metavar="URL",
                   help="where the site will be published; writes w3id/.htaccess redirecting w3id.org IRIs to it")
    p.add_argument("--no-diagrams", action="store_true", help="leave the Graphviz diagrams out")
    p.set_defaults(func=_site)

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
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.set_defaults(func=_alternatives)

    p = sub.add_parser("expiring", parents=[common], help="certificates and qualifications that end within N days")
    p.add_argument("--within", type=int, default=90, metavar="DAYS", help="window in days (default: 90)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--excel", action="store_true",
                   help="CSV for a French Excel: ';' separators and a UTF-8 byte-order mark")
    p.set_defaults(func=_expiring)

    p = sub.add_parser("derive", parents=[common],
                       help="write the derived graph into an Oxigraph store (loads the inputs into an empty store)")
    p.set_defaults(func=_derive)

    p = sub.add_parser("export", parents=[common], help="export asserted and derived facts")
    p.add_argument("--format", choices=("ttl", "nt", "jsonld", "xml", "trig", "nq"), required=True)
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE, a regular file or a new path (default or '-': stdout)")
    p.set_defaults(func=_export)

    p = sub.add_parser("serve", parents=[common],
                       help="a read-only SPARQL 1.1 endpoint and linked-data pages (loopback by default)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="time limit per query (default: 10)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N",
                   help="largest result, in rows or triples (default: 10000)")
    p.add_argument("--max-request-bytes", type=int, default=65_536, metavar="N",
                   help="largest request body or query string (default: 65536)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="queries that run at once (default: 2)")
    p.add_argument("--lang", choices=("en", "fr"), default="en",
                   help="language of the HTML pages when the request names none by ?lang= or Accept-Language "
                        "(default: en)")
    p.set_defaults(func=_serve)

    p = sub.add_parser("import", help="import GLEIF, BODS or spreadsheet files into a store or an N-Quads/TriG file")
    p.add_argument("format", choices=("gleif", "bods", "sheets"), help="the input format")
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files (GLEIF: .csv or .zip; BODS: .json, .jsonl)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--store", metavar="PATH", help="an on-disk Oxigraph store (created if absent)")
    target.add_argument("--output", metavar="FILE", help="an N-Quads (.nq) or TriG (.trig) file, written atomically")
    p.add_argument("--strict", action="store_true", help="stop at the first malformed row (exit 2, nothing written)")
    p.add_argument("--at", metavar="YYYY-MM-DD", help="GLEIF: keep only the relationships in force that day")
    p.add_argument("--retrieved", metavar="YYYY-MM-DD", help="when the files were downloaded (default: their date)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="the publication date (default: from the file)")
    p.add_argument("--publisher", metavar="NAME", help="BODS and spreadsheets: who published the files")
    p.set_defaults(func=_import)
    return parser


# ---------------------------------------------------------------------------------------- commands


def _as_of(args: argparse.Namespace) -> dt.date:
    from sovkg.core.dates import parse_iso_date

    return parse_iso_date(args.at, option="--at") if args.at is not None else dt.date.today()


def _build(args: argparse.Namespace) -> Any:
    from sovkg.core.progress import progress
    from sovkg.derive.knowledge_graph import build

    if args.store or args.endpoint:
        return _open(args)
    with progress("Loading and deriving the graph"):
        kg = build(args.data, include_case=not args.no_case, as_of=_as_of(args), scenario=args.scenario,
                   engine=args.engine)
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
    key = report_key(paths, __version__, str(REPORT_VERSION), day.isoformat(), f"engine={args.engine}", *options)
    if args.store or args.endpoint:
        from sovkg.publish.report import build_report

        kg = _open(args)
        return dict(build_report(kg, case_included=not args.no_case, user_inputs=list(args.data)).data) | {
            "scenario": None}, kg
    data = None if args.no_cache else cache.load(key)
    kg = None
    if data is None:
        from sovkg.core.progress import progress
        from sovkg.derive.knowledge_graph import build
        from sovkg.publish.report import build_report

        with progress(f"Building the report as of {day.isoformat()}"):
            kg = build(args.data, include_case=not args.no_case, as_of=day, scenario=scenario,
                       engine=args.engine)
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
        from sovkg.core.files import write_files
        from sovkg.publish.export import export_graph

        if kg is None:
            from sovkg.derive.knowledge_graph import build

            kg = build(args.data, include_case=not args.no_case, as_of=day, scenario=args.scenario,
                       engine=args.engine)
        out = Path(args.output)
        write_files(out, {  # all four files, or none
            "report.json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
            "exposure.csv": _csv(args, findings_csv(data["findings"])),
            "validation.csv": _csv(args, validation_csv(data["validation"]["results"])),
            "graph.trig": export_graph(kg, "trig"),
        })
        print(f"sovkg: wrote report.json, exposure.csv, validation.csv, graph.trig to {out}", file=sys.stderr)
    if args.html:
        from sovkg.publish.html_report import write_html_report

        if kg is None:
            from sovkg.derive.knowledge_graph import build

            kg = build(args.data, include_case=not args.no_case, as_of=day, scenario=args.scenario)
        path = write_html_report(kg, Path(args.html), lang=args.lang)
        print(f"sovkg: wrote {path}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(with_banner(render_report(data), data.get("scenario")))
    return 1 if args.fail_on_violation and not data["validation"]["conforms"] else 0


def _diff(args: argparse.Namespace) -> int:
    from sovkg.ask.diff import diff_reports, render_diff
    from sovkg.core.dates import parse_iso_date

    before_day = _as_of(args)
    if args.against_at is not None:
        after_day = parse_iso_date(args.against_at, option="--against-at")
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

    cached = _cached(args)
    if cached is not None:  # from the derived store: only the findings asked for are read
        from sovkg.derive.store_engine import store_findings, store_names

        kg: Any = cached
        asked = {"law": args.law, "system": args.system}
        names = store_names(cached.store) if any(asked.values()) else None
        findings: list[Any] = list(store_findings(cached.store, **{
            key: str(resolve_entity(names, name)) for key, name in asked.items() if name and names is not None}))
    else:
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
        sys.stdout.write(_csv(args, findings_csv(rows)))
    else:
        if not rows:
            print(f"No system is exposed to a foreign access law as of {kg.as_of.isoformat()}.")
        from sovkg.model import level_text

        for f in findings:
            print(f"{f.system_label} — {f.law_label} — {level_text(f.level, f.status)}")
            print("    " + " → ".join(p.label for p in f.path))
            if f.status == "unknown":
                print(f"    cannot be confirmed or ruled out: {f.gap}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from sovkg.publish.report import validation_csv

    kg = _build(args)
    from sovkg.check.kinds import annotate, shown
    from sovkg.check.shapes import validate
    from sovkg.core.progress import progress

    with progress("Checking the rules"):
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
        sys.stdout.write(_csv(args, validation_csv(data["results"])))
    else:
        from sovkg.core.tables import plural

        violations = sum(1 for r in data["results"] if r["severity"] == "Violation")
        others = len(data["results"]) - violations
        print(f"{'Conforms' if data['conforms'] else 'Does not conform'}: {plural(violations, 'violation')}, "
              f"{plural(others, 'warning or note', 'warnings or notes')} (as of {kg.as_of.isoformat()}).")
        for r in data["results"]:
            print(f"  {r['severity'].upper():9} {r['focus_label']} — {r['requirement_label'] or '-'}: {r['message']}")
    return 0 if data["conforms"] else 1


def _query(args: argparse.Namespace) -> int:
    from sovkg.ask.queries import find_query, list_queries

    if args.list or not args.name:
        for spec in list_queries("cq"):
            names = f" [{', '.join(spec.parameters)}]" if spec.parameters else ""
            print(f"{spec.name}{names}: {spec.question}")
        return 0
    spec = find_query(args.name)
    if args.timeout is not None:
        from sovkg.core.watchdog import checked_timeout

        checked_timeout(args.timeout)
    params: list[tuple[str, str]] = []
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SovkgInputError(f"--param {item!r}: expected NAME=VALUE")
        params.append((name.strip().lstrip("?$"), value.strip()))
    # --store PATH, or the derived store an earlier run left for the same inputs: queried as it is, with no
    # rdflib copy of the store (parameters are resolved by label on the graph, SERVICE needs rdflib's client)
    opened = _cached(args) if not params and not getattr(args, "allow_remote", False) else None
    if opened is not None:
        return _print_query(args, opened, spec, {})
    kg = _build(args)
    from sovkg.ask.entities import resolve_binding

    bindings = {name: resolve_binding(kg.union, value) for name, value in params}
    return _print_query(args, kg, spec, bindings)


def _cached(args: argparse.Namespace) -> Any:
    """The store engine's derived store from an earlier run on the same inputs, or the derived ``--store PATH``,
    as a light graph (no rdflib copy of the store), else None."""
    from types import SimpleNamespace

    if args.store and not args.endpoint and not (args.data or args.scenario or args.at):
        from sovkg.derive.knowledge_graph import derived_on
        from sovkg.store.engine import open_existing_store

        local = open_existing_store(args.store, read_only=True)
        return SimpleNamespace(engine="store", store=local, as_of=derived_on(local))
    if args.engine != "store" or args.store or args.endpoint or args.scenario:
        return None
    from sovkg.derive.knowledge_graph import cached_store

    store = cached_store(args.data, include_case=not args.no_case, as_of=_as_of(args))
    return None if store is None else SimpleNamespace(engine="store", store=store, as_of=_as_of(args))


def _open(args: argparse.Namespace) -> Any:
    """The knowledge graph of ``--store PATH`` or ``--endpoint URL`` (already derived there)."""
    from sovkg.derive.knowledge_graph import open_knowledge_graph
    from sovkg.store.engine import EndpointStore, open_existing_store

    if args.store and args.endpoint:
        raise SovkgInputError("--store and --endpoint cannot be used together")
    if args.data or args.scenario or args.at:
        raise SovkgInputError("--data, --scenario and --at do not apply to --store/--endpoint, which hold a graph "
                              "derived already (`sovkg derive --store PATH --at DATE`)")
    return open_knowledge_graph(EndpointStore(args.endpoint) if args.endpoint else open_existing_store(args.store))


def _derive(args: argparse.Namespace) -> int:
    from sovkg.derive.store_engine import derive_into_store

    if not args.store:
        raise SovkgInputError("derive needs --store PATH (the Oxigraph store to write the derived graph into)")
    count, loaded = derive_into_store(args.store, args.data, include_case=not args.no_case, as_of=_as_of(args),
                                      scenario=args.scenario)
    what = f"loaded {loaded} input files, " if loaded else ""
    print(f"sovkg: {what}derived {count} triples into <https://w3id.org/sovkg/graph/inferred> in {args.store}",
          file=sys.stderr)
    return 0


def _print_query(args: argparse.Namespace, kg: Any, query: Any, bindings: dict[str, Any]) -> int:
    """Run a query (a QuerySpec or a shipped query's name) within its time limit; print it in ``args.format``."""
    from sovkg.ask.queries import find_query, run_query, run_query_endpoint, run_query_store
    from sovkg.core.progress import progress
    from sovkg.core.watchdog import DEFAULT_TIMEOUT, time_limit
    from sovkg.publish.query_results import print_result
    from sovkg.store.engine import EndpointStore

    spec = find_query(query) if isinstance(query, str) else query
    seconds = args.timeout if getattr(args, "timeout", None) is not None else DEFAULT_TIMEOUT
    message = (f"query {spec.name} did not finish within {seconds:g} s: stopped (--timeout {seconds:g}); a query "
               "whose patterns share no variable multiplies their rows (a cartesian product): join them, "
               "or raise --timeout")
    store = kg.store if getattr(kg, "engine", "rdflib") == "store" else None
    with time_limit(seconds, message), progress(f"Running {spec.name}"):
        if isinstance(store, EndpointStore):
            result = run_query_endpoint(store, spec, bindings)
        elif store is not None and not hasattr(kg, "union"):  # a derived store opened with no rdflib copy
            result = run_query_store(store.store, spec, bindings)
        else:
            result = run_query(kg.union, spec, bindings, named_graphs=kg.dataset,
                               allow_service=getattr(args, "allow_remote", False))
    print_result(result, args.format, where=spec.name, excel=getattr(args, "excel", False))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from sovkg.ask.explain import explain

    result = explain(_build(args), args.entity, lang=args.lang)
    if args.format == "json":
        print(json.dumps(result.data, indent=2, ensure_ascii=False))
    else:
        print(result.text)
    return 0


def _write_output(output: str | None, make: Callable[[], bytes]) -> int:
    """Write what ``make`` returns to the file ``output`` (whole or not at all), or to standard output when
    ``output`` is None or ``-``; a device, FIFO or folder is refused before the work is done."""
    from sovkg.core.files import output_target, write_file

    to_file = output not in (None, "-")
    if to_file:
        output_target(Path(str(output)))
    content = make()
    if to_file:
        write_file(Path(str(output)), content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


def _graph(args: argparse.Namespace) -> int:
    from sovkg.publish.diagram import chain_dot, render

    return _write_output(args.output, lambda: render(chain_dot(_build(args), args.entity, lang=args.lang),
                                                     args.format))


def _site(args: argparse.Namespace) -> int:
    from sovkg.publish.site import write_site

    summary = write_site(_build(args), Path(args.folder), lang=args.lang, site_url=args.site_url,
                         diagrams=not args.no_diagrams)
    print(f"sovkg: wrote {summary.pages} entity pages ({summary.files} files) to {summary.folder}", file=sys.stderr)
    if args.site_url is None:
        print("sovkg: no --site-url given, so no w3id/.htaccess (the w3id.org redirect rules need the site's address)",
              file=sys.stderr)
    return 0


def _alternatives(args: argparse.Namespace) -> int:
    from sovkg.ask.alternatives import alternatives, alternatives_csv, render_alternatives

    result = alternatives(_build(args), args.system)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(_csv(args, alternatives_csv(result)))
    else:
        print(render_alternatives(result))
    return 0


def _expiring(args: argparse.Namespace) -> int:
    from rdflib import XSD, Literal

    if args.within < 0:
        raise SovkgInputError(f"--within {args.within}: the number of days cannot be negative")
    day = _as_of(args)
    try:
        end = day + dt.timedelta(days=args.within)
    except OverflowError:
        raise SovkgInputError(f"--within {args.within}: from {day.isoformat()}, the window would end after "
                              f"{dt.date.max.isoformat()}, the last date sovkg can represent") from None
    kg = _build(args)
    until = Literal(end.isoformat(), datatype=XSD.date)
    return _print_query(args, kg, "CQ26", {"until": until})


def _export(args: argparse.Namespace) -> int:
    from sovkg.publish.export import export_graph

    return _write_output(args.output, lambda: export_graph(_build(args), args.format))


def _serve(args: argparse.Namespace) -> int:
    from sovkg.publish.serve import run_cli

    args.as_of = _as_of(args)
    return run_cli(args)


def _import(args: argparse.Namespace) -> int:
    from sovkg.core.dates import parse_iso_date
    from sovkg.load.importers import run_import

    def day(text: str | None) -> dt.date | None:
        return parse_iso_date(text) if text else None

    result = run_import(args.format, [Path(p) for p in args.paths],
                        store=Path(args.store) if args.store else None,
                        output=Path(args.output) if args.output else None, strict=args.strict, at=day(args.at),
                        retrieved=day(args.retrieved), published=day(args.published), publisher=args.publisher)
    for problem in result.problems:
        print(f"sovkg: {problem}", file=sys.stderr)
    if result.problem_count > len(result.problems):
        print(f"sovkg: … and {result.problem_count - len(result.problems)} more problems", file=sys.stderr)
    target = args.store or args.output
    print(f"sovkg: imported {result.imported} of {result.rows} records ({result.quads} quads, "
          f"{len(result.graphs)} graphs) into {target}; {result.skipped} skipped, "
          f"{result.problem_count} problems", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------------------- helpers


def _csv(args: argparse.Namespace, text: str) -> str:
    """CSV as asked: comma-separated, or for a French Excel with ``--excel``."""
    if not getattr(args, "excel", False):
        return text
    from sovkg.core.text import excel_csv

    return excel_csv(text)


def _uri(iri: str) -> Any:
    from rdflib import URIRef

    return URIRef(iri)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
