"""Writing output files without surprises: atomically, and with respect for
what already sits at the path.

- A regular file (or none) is written through a temporary file in the same
  directory and renamed into place, so a failure leaves the old file or none,
  never half of a new one. A new file gets the mode the umask gives
  (``0666 & ~umask``, as ``>`` in a shell would); an existing file keeps its mode.
- A symbolic link is written through: the file it points to is replaced
  atomically, the link stays.
- A character device (``/dev/null``, ``/dev/stdout``) or a FIFO with a reader
  is written to directly, like standard output; a FIFO without a reader is an
  error (never a hang).
- A directory, block device or socket is refused with a clear error.

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> write_atomic(os.path.join(d, "a.txt"), b"one")
>>> os.symlink("a.txt", os.path.join(d, "link"))
>>> write_atomic(os.path.join(d, "link"), b"two")
>>> os.path.islink(os.path.join(d, "link")), open(os.path.join(d, "a.txt")).read()
(True, 'two')
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.errors import OutputError


def umask() -> int:
    """The process's umask, read without changing it where /proc allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


def _fail(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {target}: {exc.strerror or exc}")


@contextlib.contextmanager
def _direct(target: Path, info: os.stat_result) -> Iterator[BinaryIO]:
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
    if stat.S_ISFIFO(info.st_mode):
        flags |= os.O_NONBLOCK  # no reader: ENXIO at once instead of waiting forever
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"cannot write {target}: it is a FIFO and nothing is reading from it") from None
        raise _fail(target, exc) from None
    os.set_blocking(fd, True)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
    except OSError as exc:
        raise _fail(target, exc) from None


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through (see the module's rules);
    raises :class:`OutputError` with a one-line reason."""
    target = Path(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _fail(target, exc) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(target))
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None  # a dangling link: create the file it names
        except OSError as exc:
            raise _fail(target, exc) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            with _direct(target, info) as fh:
                yield fh
            return
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        if stat.S_ISBLK(info.st_mode):
            kind = "a block device"
        elif stat.S_ISSOCK(info.st_mode):
            kind = "a socket"
        raise OutputError(f"cannot write {target}: it is {kind}; refusing to replace it")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"cannot write {target}: directory {directory} does not exist")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _fail(target, exc) from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _fail(target, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` by the module's rules."""
    with atomic_output(path) as fh:
        fh.write(data)
