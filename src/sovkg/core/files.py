"""Write output files whole or not at all, only where a file belongs, as any other program would.

Takes content (bytes or text) and a path, or a set of named contents and a folder; gives files
that readers see either as they were or complete, never half-written:

- a target must be a regular file or a new path: a device (``/dev/full``), a FIFO, a socket or a
  folder is refused, never replaced by a file;
- content goes to a hidden temporary file beside the target, created with mode ``0o666`` less the
  umask (an existing file keeps its mode), flushed to disk, then renamed over the target;
- :func:`write_files` writes every file of a set to temporary files first and renames them only
  when all are complete, so a full disk leaves the previous set untouched;
- any failure (a folder that cannot be created or written, a full file system) removes the
  temporary files and the folders it created, and becomes a :class:`SovkgInputError` naming the
  path (exit 2); an interrupt (SIGINT, or SIGTERM once :func:`terminate_as_exception` is
  installed) removes them too.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_file(folder / "out" / "a.txt", "hello\\n")
>>> (folder / "out" / "a.txt").read_text()
'hello\\n'
>>> write_file(folder / "out", "x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sovkg.core.errors.SovkgInputError: .../out: is a folder, not a file
>>> write_files(folder / "set", {"a.csv": "1\\n", "b.json": "{}\\n"})
>>> sorted(p.name for p in (folder / "set").iterdir())
['a.csv', 'b.json']
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from sovkg.core.errors import SovkgInputError


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that ``finally`` blocks and cleanups run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signum)


def terminate_as_exception() -> None:
    """Make SIGTERM raise :class:`Terminated` (as SIGINT raises ``KeyboardInterrupt``), so temporary files go."""
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, _raise_terminated)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def output_target(path: Path) -> tuple[Path, int | None]:
    """The file to write for ``path`` (a symbolic link's target) and its current mode (None when new).

    A path that exists and is not a regular file is a :class:`SovkgInputError`.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # new, or under a file (reported when writing)
        if path.is_symlink():  # a dangling link: write where it points
            return path.resolve(), None
        return path, None
    except OSError as error:
        raise SovkgInputError(f"{path}: cannot write ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise SovkgInputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise SovkgInputError(f"{path}: is {_kind(info.st_mode)}; sovkg writes only to regular files or new paths")
    return path.resolve() if path.is_symlink() else path, stat.S_IMODE(info.st_mode)


def _make_folder(folder: Path, shown: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created (deepest last)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and not current.is_symlink():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    if current.exists() and not current.is_dir():
        raise SovkgInputError(f"{shown}: cannot write: {current} is not a folder")
    created: list[Path] = []
    try:
        for item in reversed(missing):
            item.mkdir()
            created.append(item)
    except OSError as error:
        _remove_folders(created)
        raise SovkgInputError(f"{shown}: cannot create the folder {error.filename or folder} "
                              f"({error.strerror})") from None
    return created


def _remove_folders(created: list[Path]) -> None:
    for item in reversed(created):
        with contextlib.suppress(OSError):
            item.rmdir()


def _write_temporary(target: Path, data: bytes, mode: int | None) -> Path:
    """Write ``data`` to a new hidden file beside ``target``; return its path (removed again on failure)."""
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _bytes(content: bytes | str) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def write_file(path: Path, content: bytes | str) -> None:
    """Write one file atomically: readers see the old content or the new, never a part."""
    write_files(path.parent, {path.name: content}, shown={path.name: path})


def write_files(folder: Path, contents: Mapping[str, bytes | str], *,
                shown: Mapping[str, Path] | None = None) -> None:
    """Write a set of files into ``folder``: all of them, or none (the previous set stays as it was).

    ``shown`` maps a name to the path quoted in error messages (default: ``folder / name``).
    """
    named = {name: (shown or {}).get(name, folder / name) for name in contents}
    if folder.exists() and not folder.is_dir():
        where = f"{next(iter(shown.values()))}: cannot write: {folder}" if shown else f"{folder}:"
        raise SovkgInputError(f"{where} exists and is not a folder")
    targets = {name: output_target(folder / name) for name in contents}
    created = _make_folder(folder, next(iter(named.values()), folder))
    temporaries: dict[str, Path] = {}
    current = ""
    complete = False
    try:
        for name, content in contents.items():
            current = name
            target, mode = targets[name]
            temporaries[name] = _write_temporary(target, _bytes(content), mode)
        for name, temporary in temporaries.items():
            current = name
            os.replace(temporary, targets[name][0])
        complete = True
    except OSError as error:
        raise SovkgInputError(f"{named[current]}: cannot write ({error.strerror or error})") from None
    finally:
        if not complete:
            for temporary in temporaries.values():
                temporary.unlink(missing_ok=True)
            _remove_folders(created)

