"""``--store`` and ``--endpoint``: a store sovkg filled and derived, served by a real SPARQL server.

``sovkg derive --store DIR`` loads the bundled case into an on-disk Oxigraph store and writes the
derived graph into it; the ``oxigraph`` package's own server (``oxigraph serve``, a separate program)
then serves that folder, and ``sovkg report --endpoint URL`` must give exactly the report computed
locally, from the store and from the files.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sovkg.cli import main

DAY = "2026-11-29"
SERVER = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
"""The ``oxigraph`` package's server, installed next to this Python (the test extra) or on the PATH."""


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def derived_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store") / "db"
    code, _ = run("derive", "--store", str(folder), "--at", DAY)
    assert code == 0
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(derived_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if SERVER is None:
        pytest.fail("the oxigraph server is not installed (pip install 'oxigraph>=0.5,<0.6', in the test extra)")
    copy = tmp_path_factory.mktemp("served") / "db"
    shutil.copytree(derived_store, copy)
    port = _free_port()
    process = subprocess.Popen([SERVER, "serve-read-only", "--location", str(copy), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"oxigraph serve stopped: {process.stderr.read().decode() if process.stderr else ''}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_derive_writes_the_inferred_graph(derived_store: Path) -> None:
    from sovkg.store.engine import open_existing_store

    store = open_existing_store(derived_store)
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/sovkg/graph/inferred> { ?s ?p ?o } }")
    assert int(rows[0]["n"].value) > 3000


def test_report_from_the_store_and_from_the_endpoint_equal_the_local_report(derived_store: Path, endpoint: str) -> None:
    _, local = run("report", "--format", "json", "--at", DAY, "--no-cache")
    code, stored = run("report", "--format", "json", "--store", str(derived_store))
    assert code == 0 and json.loads(stored) == json.loads(local)
    code, served = run("report", "--format", "json", "--endpoint", endpoint)
    assert code == 0
    assert served == local


def test_questions_and_exposure_on_the_endpoint(endpoint: str) -> None:
    _, local = run("query", "CQ01", "--format", "json", "--at", DAY)
    code, served = run("query", "CQ01", "--format", "json", "--endpoint", endpoint)
    assert code == 0 and json.loads(served) == json.loads(local)
    _, local = run("exposure", "--format", "json", "--at", DAY)
    _, served = run("exposure", "--format", "json", "--endpoint", endpoint)
    assert json.loads(served) == json.loads(local) != []


def test_endpoint_errors_are_input_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--endpoint", "ftp://example.org/sparql"]) == 2
    assert "http:// or https://" in capsys.readouterr().err
    assert main(["report", "--endpoint", f"http://127.0.0.1:{_free_port()}/query"]) == 2
    assert "cannot reach the endpoint" in capsys.readouterr().err
    assert main(["query", "CQ01", "--store", "/nonexistent/store"]) == 2


@pytest.mark.slow
def test_report_json_is_byte_identical_between_engines() -> None:
    """``sovkg report --format json`` on the bundled case: the store engine and ``--engine rdflib`` print the same bytes."""
    _, store = run("report", "--format", "json", "--at", DAY, "--no-cache")
    _, reference = run("report", "--format", "json", "--at", DAY, "--no-cache", "--engine", "rdflib")
    assert store == reference and json.loads(store)["findings"]


def test_questions_and_exposure_from_the_store(derived_store: Path) -> None:
    """``query`` and ``exposure`` with ``--store`` read the store itself (no rdflib copy): the local answers."""
    _, local = run("query", "CQ01", "--format", "json", "--at", DAY)
    code, stored = run("query", "CQ01", "--format", "json", "--store", str(derived_store))
    assert code == 0 and json.loads(stored) == json.loads(local)
    _, local = run("exposure", "--format", "json", "--at", DAY)
    code, stored = run("exposure", "--format", "json", "--store", str(derived_store))
    assert code == 0 and json.loads(stored) == json.loads(local) != []
