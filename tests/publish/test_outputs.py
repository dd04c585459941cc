"""Outputs that the bad-input table cannot express: devices, full and read-only file systems, the
umask, signals, FIFOs as inputs, CSV cells that would start a formula, control characters on the
terminal. Real subprocesses where the behaviour is the process's (signals, exit codes).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sovkg.core.errors import SovkgInputError
from sovkg.core.files import write_file, write_files
from sovkg.core.text import csv_text

ROOT = Path(__file__).resolve().parents[2]
CHAIN = str(ROOT / "tests/fixtures/derive/chain.ttl")
FIXTURE = ["--no-case", "--data", CHAIN, "--at", "2026-11-29"]
REPORT_SET = ["exposure.csv", "graph.trig", "report.json", "validation.csv"]


def sovkg(*args: str, tmp: Path, umask: int | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp / "cache")}
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([sys.executable, "-m", "sovkg", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout, check=False, stdin=subprocess.DEVNULL, preexec_fn=preexec)


def assert_refused(run: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert fragment in run.stderr, run.stderr[-2000:]
    assert run.stdout == ""


# ------------------------------------------------------------------------------ where files may go


def test_export_never_replaces_a_device_node(tmp_path: Path) -> None:
    """As root, ``export -o /dev/full`` replaced the device node with a regular file.

    The test makes its own /dev/full (character device 1,7) so that a regression harms nothing.
    """
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot create a device node here ({error})")
    run = sovkg("export", "--format", "nt", "-o", str(node), *FIXTURE, tmp=tmp_path)
    assert_refused(run, f"{node}: is a device; sovkg writes only to regular files or new paths")
    assert stat.S_ISCHR(node.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["full"]


def test_export_refuses_a_fifo_as_output(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.nt"
    os.mkfifo(fifo)
    run = sovkg("export", "--format", "nt", "-o", str(fifo), *FIXTURE, tmp=tmp_path, timeout=120)
    assert_refused(run, f"{fifo}: is a named pipe (FIFO)")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_graph_shares_the_export_output_rules(tmp_path: Path) -> None:
    """``sovkg graph -o`` refuses a FIFO before drawing and takes ``-`` for standard output, as export does."""
    fifo = tmp_path / "pipe.dot"
    os.mkfifo(fifo)
    run = sovkg("graph", "kg:org/sub", "--format", "dot", "-o", str(fifo), *FIXTURE, tmp=tmp_path, timeout=120)
    assert_refused(run, f"{fifo}: is a named pipe (FIFO)")
    run = sovkg("graph", "kg:org/sub", "--format", "dot", "-o", "-", *FIXTURE, tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("digraph sovkg {") and "Sub Ltd" in run.stdout
    assert not (ROOT / "-").exists()


def test_export_dash_means_standard_output(tmp_path: Path) -> None:
    run = sovkg("export", "--format", "nt", "-o", "-", *FIXTURE, tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "<https://w3id.org/sovkg/id/org/parent>" in run.stdout
    assert not (ROOT / "-").exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_exported_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    """Exported files were written with mode 0600 (from mkstemp) whatever the umask."""
    target = tmp_path / "out" / "graph.nt"
    run = sovkg("export", "--format", "nt", "-o", str(target), *FIXTURE, tmp=tmp_path, umask=umask)
    assert run.returncode == 0, run.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.nt"]


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    target.write_text("old\n")
    target.chmod(0o664)
    write_file(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_writing_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.nt"
    real.write_text("old\n")
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    write_file(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


# ------------------------------------------------------------------- read-only and full file systems


@contextlib.contextmanager
def mounted_tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A small tmpfs at ``where`` (root only; skips the test where mounting is not allowed)."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write into: a read-only mount as root (who ignores modes), else mode 0555."""
    if os.geteuid() == 0:
        with mounted_tmpfs(tmp_path / "ro", "ro,size=64k") as folder:
            yield folder
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_export_into_a_read_only_folder(tmp_path: Path, read_only_folder: Path) -> None:
    target = read_only_folder / "graph.nt"
    run = sovkg("export", "--format", "nt", "-o", str(target), *FIXTURE, tmp=tmp_path)
    assert_refused(run, f"{target}: cannot write (")
    assert list(read_only_folder.iterdir()) == []


def test_report_into_a_read_only_folder(tmp_path: Path, read_only_folder: Path) -> None:
    out = read_only_folder / "report"
    run = sovkg("report", "--output", str(out), *FIXTURE, tmp=tmp_path)
    assert_refused(run, f"{out}")
    assert list(read_only_folder.iterdir()) == []


def test_export_on_a_full_file_system(tmp_path: Path) -> None:
    """A full disk ended in a traceback and exit 1."""
    with mounted_tmpfs(tmp_path / "full", "size=16k") as folder:
        target = folder / "graph.nt"
        run = sovkg("export", "--format", "nt", "-o", str(target), *FIXTURE, tmp=tmp_path)
        assert_refused(run, f"{target}: cannot write (No space left on device)")
        assert list(folder.iterdir()) == []


def test_report_set_on_a_full_file_system_leaves_the_old_set(tmp_path: Path) -> None:
    """``report --output`` on a full disk left a partial set of files next to stale ones."""
    with mounted_tmpfs(tmp_path / "full", "size=32k") as folder:
        for name in REPORT_SET:
            (folder / name).write_text(f"old {name}\n")
        run = sovkg("report", "--output", str(folder), *FIXTURE, tmp=tmp_path)
        assert_refused(run, "cannot write (No space left on device)")
        assert sorted(p.name for p in folder.iterdir()) == REPORT_SET
        assert all((folder / name).read_text() == f"old {name}\n" for name in REPORT_SET)


def test_a_failing_file_leaves_the_whole_set_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on any machine: the third file of four hits a full disk."""
    for name in REPORT_SET:
        (tmp_path / name).write_text(f"old {name}\n")
    real_fsync = os.fsync
    calls = []

    def fsync(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SovkgInputError, match=r"report\.json: cannot write \(No space left on device\)"):
        write_files(tmp_path, {"exposure.csv": "new", "graph.trig": "new", "report.json": "new",
                               "validation.csv": "new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == REPORT_SET
    assert all((tmp_path / name).read_text() == f"old {name}\n" for name in REPORT_SET)


def test_a_failed_set_removes_the_folders_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SovkgInputError, match="No space left on device"):
        write_files(tmp_path / "a" / "b", {"x.csv": "new"})
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------- inputs


@pytest.mark.parametrize("option", ["--data", "--scenario"])
def test_a_fifo_as_input_is_refused_not_read(tmp_path: Path, option: str) -> None:
    """A FIFO as ``--scenario`` blocked for ever (nobody writes to it)."""
    fifo = tmp_path / "input.trig"
    os.mkfifo(fifo)
    run = sovkg("report", "--no-case", option, str(fifo), tmp=tmp_path, timeout=120)
    assert_refused(run, f"{fifo}: is a named pipe (FIFO); an input must be a regular file or a folder")


# -------------------------------------------------------------------------------------- signals

SLOW_WRITER = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # a shell may start background jobs ignoring it
def fsync(descriptor):
    open(sys.argv[1], "w").close()
    time.sleep(120)
os.fsync = fsync
from sovkg.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("signum, code, word", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "terminated")])
def test_a_signal_during_export_leaves_no_file_and_no_traceback(tmp_path: Path, signum: int, code: int,
                                                                word: str) -> None:
    """SIGINT during ``export`` printed a traceback; SIGTERM left a hidden temporary file behind.

    The child's ``os.fsync`` waits, so the signal arrives while the temporary file exists.
    """
    out = tmp_path / "out"
    out.mkdir()
    marker = tmp_path / "writing"
    env = {**os.environ, "SOVKG_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(marker), "export", "--format", "nt",
                              "-o", str(out / "graph.nt"), *FIXTURE], cwd=ROOT, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), child.communicate(timeout=10)
        assert next(p.name for p in out.iterdir()).startswith(".graph.nt.")  # the temporary file
        child.send_signal(signum)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [f"sovkg: {word}"]
    assert stdout == ""
    assert list(out.iterdir()) == []


# -------------------------------------------------------------------------------- CSV and terminal


def test_csv_cells_cannot_start_a_formula() -> None:
    text = csv_text(["a", "b", "c", "d", "e", "f", "g"],
                    [["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain - text"]])
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert row == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\nx", "plain - text"]


def test_every_csv_writer_goes_through_the_shared_helper() -> None:
    """One helper escapes every CSV output: no other module writes CSV itself.

    The one exception is the SPARQL endpoint's W3C SPARQL 1.1 Query Results CSV, a format for
    programs whose values must reach them unchanged (a quote added to ``-5`` would change the data).
    """
    writers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src/sovkg").rglob("*.py")
                     if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8")))
    assert writers == ["src/sovkg/core/text.py", "src/sovkg/publish/sparql_protocol.py"]


@pytest.fixture
def formula_labels(tmp_path: Path) -> Path:
    """The chain fixture with labels that a spreadsheet would run as formulas."""
    text = Path(CHAIN).read_text(encoding="utf-8")
    text = text.replace('"Parent Inc."@en', '"=HYPERLINK(\\"http://evil.example\\",\\"x\\")"@en')
    text = text.replace('"X Act"@en', '"@SUM(1+1)"@en')
    path = tmp_path / "formula.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_exposure_csv_escapes_formulas(tmp_path: Path, formula_labels: Path) -> None:
    run = sovkg("exposure", "--format", "csv", "--no-case", "--data", str(formula_labels), "--at", "2026-11-29",
                tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert rows and {r["law_label"] for r in rows if r["status"] == "exposed"} == {"'@SUM(1+1)"}
    # French Host's owners are not recorded: the reference laws that reach through control are unknown for Record
    assert {r["law_label"] for r in rows if r["status"] == "unknown"} == {
        "US CLOUD Act (18 U.S.C. § 2713)", "US FISA section 702 (50 U.S.C. § 1881a)"}
    assert all(not r[c].startswith(("=", "@", "+", "-")) for r in rows for c in r)


def test_report_output_csvs_escape_formulas(tmp_path: Path, formula_labels: Path) -> None:
    out = tmp_path / "report"
    run = sovkg("report", "--output", str(out), "--no-case", "--data", str(formula_labels), "--at", "2026-11-29",
                tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == REPORT_SET
    for name in ("exposure.csv", "validation.csv"):
        rows = list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"))))
        assert all(not cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row), name
    assert "'@SUM(1+1)" in (out / "exposure.csv").read_text(encoding="utf-8")


def test_text_for_people_has_control_characters_escaped(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Control characters that reach a table or text output are shown escaped, never sent raw."""
    from sovkg import cli

    def explain(args: object) -> int:
        print("label \x1b[2J with \u202e override")
        return 0

    monkeypatch.setattr(cli, "_explain", explain)
    assert cli.main(["explain", "x"]) == 0
    assert capsys.readouterr().out == "label \\x1b[2J with \\u202e override\n"


@pytest.mark.parametrize("args", [["export", "--format", "nt"], ["validate", "--format", "csv"]])
def test_standard_output_on_a_full_disk(tmp_path: Path, args: list[str]) -> None:
    """``sovkg export > /dev/full`` ended in a traceback and exit 1."""
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "w") as full:
        if full.name == os.devnull:
            pytest.skip("no /dev/full here")
        run = subprocess.run([sys.executable, "-m", "sovkg", *args, *FIXTURE], stdout=full, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "SOVKG_CACHE_DIR": str(tmp_path)},
                             timeout=600, check=False)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[-1] == "sovkg: error: standard output: cannot write (No space left on device)"
    # before it, at most validate's note on the reference data's hidden notes; never a traceback
    assert [line for line in lines[:-1] if "reference data not shown" not in line] == []


def test_error_messages_have_control_characters_escaped(tmp_path: Path) -> None:
    run = sovkg("report", "--no-case", "--data", str(tmp_path / "no\x1b[31mfile.ttl"), tmp=tmp_path)
    assert_refused(run, "no\\x1b[31mfile.ttl: no such file or directory")
    assert "\x1b" not in run.stderr
