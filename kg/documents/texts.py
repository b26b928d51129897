"""Source texts: found by their SHA-256 on a search path, never copied into the project.

A document names its text by digest (and a file name as a hint). The text is
looked for, in order, in the files and directories given with ``--source`` /
``--sources``, in ``$LINZI_KG_SOURCES`` (directories or files, separated by
``os.pathsep``; ``$LINZI_KG_SOURCE``, one file, is read too), and in
``shared/seeds`` and ``shared/corpus`` beside or above the working directory
and the checkout. In each directory the hinted name is tried first; then
every ``*.txt`` file is hashed (so a renamed copy is found as well).

>>> from kg.documents.texts import find_text
>>> find_text("df83b6a170740abdbaab93728fa4498e9f658298a739766132ff84ec75d28bad").name
'000_4d8ee72d9e714460.txt'
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import SourceTextError

#: The package directory (kg/); its parent is the checkout in a development install.
_PACKAGE = Path(__file__).resolve().parents[1]
#: Environment variable: directories or files searched for source texts.
SOURCES_ENV = "LINZI_KG_SOURCES"
#: Older variable naming one text file; still searched.
SOURCE_ENV = "LINZI_KG_SOURCE"
#: The seed article: 大众日报 on Linzi's 2023 report (the text read when no document is named).
SEED_SHA256 = "df83b6a170740abdbaab93728fa4498e9f658298a739766132ff84ec75d28bad"
SEED_FILE_NAME = "000_4d8ee72d9e714460.txt"
#: A text larger than this is not a report (and is not hashed while searching).
MAX_TEXT_BYTES = 20 * 1024 * 1024

PathLike = str | os.PathLike[str]
#: ``--source``/``--sources``: a text file or directory, several of them, or none.
Sources = PathLike | Sequence[PathLike] | None


def sources_list(source: Sources) -> list[PathLike]:
    """``--source``/``--sources`` as a list (one path, several, or none)."""
    if source is None:
        return []
    if isinstance(source, (str, os.PathLike)):
        return [source]
    return list(source)


@dataclass(frozen=True)
class SourceText:
    """A document's text, checked against the SHA-256 its data declares."""

    path: Path
    text: str
    sha256: str

    def span(self, start: int, end: int) -> str:
        """The text of a span; raises IndexError outside the text."""
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"span [{start}, {end}] is outside the source text (0..{len(self.text)})")
        return self.text[start:end]

    def sentence(self, start: int, end: int) -> str:
        """The sentence (or line) around a span, for showing where a fact is stated."""
        stops = "。!?！？;；\n"
        left = max((self.text.rfind(c, 0, start) for c in stops), default=-1) + 1
        rights = [i for i in (self.text.find(c, end) for c in stops) if i != -1]
        right = min(rights) + 1 if rights else len(self.text)
        return self.text[left:right].strip()


def search_path(sources: Iterable[PathLike] = ()) -> list[Path]:
    """Files and directories searched for texts, in order (given ones first)."""
    found = [Path(s) for s in sources]
    for name in (SOURCES_ENV, SOURCE_ENV):
        for part in os.environ.get(name, "").split(os.pathsep):
            if part:
                found.append(Path(part))
    for base in (Path.cwd(), _PACKAGE.parent):
        for shared in (base.parent / "shared", base / "shared"):
            found += [shared / "seeds", shared / "corpus"]
    return list(dict.fromkeys(found))


def _regular(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    # A FIFO or device would block or never end; a text is a regular file.
    return stat.S_ISREG(st.st_mode) and st.st_size <= MAX_TEXT_BYTES


_DIGESTS: dict[tuple[str, int, int], str] = {}


def digest(path: Path) -> str:
    """SHA-256 of a file, remembered by path, size and modification time."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _DIGESTS[key]


def _candidates(places: Sequence[Path], name: str | None) -> Iterable[Path]:
    for place in places:
        if place.is_dir():
            if name:
                yield place / name
        elif _regular(place):
            yield place
    for place in places:
        if place.is_dir():
            try:
                yield from sorted(p for p in place.glob("*.txt"))
            except OSError:
                continue


def find_text(sha256: str, *, name: str | None = None, sources: Iterable[PathLike] = ()) -> Path:
    """The path of the text whose SHA-256 is ``sha256``, or :class:`SourceTextError`."""
    places = search_path(sources)
    for path in _candidates(places, name):
        if _regular(path):
            try:
                if digest(path) == sha256:
                    return path
            except OSError:
                continue
    looked = ", ".join(str(p) for p in places if p.exists()) or "nowhere (none of the places exists)"
    what = f"{name} " if name else ""
    raise SourceTextError(
        f"source text {what}(SHA-256 {sha256[:12]}…) not found; looked in {looked}. "
        f"Pass --sources DIR or set {SOURCES_ENV}."
    )


def read_text(path: PathLike, *, expected_sha256: str | None = None) -> SourceText:
    """Read a text file as UTF-8 and check its digest."""
    found = Path(path)
    if not _regular(found):
        if not found.exists():
            raise SourceTextError(f"source text not found: {found}")
        raise SourceTextError(f"{found}: not a regular file of at most {MAX_TEXT_BYTES} bytes")
    try:
        raw = found.read_bytes()
    except OSError as exc:
        raise SourceTextError(f"{found}: cannot read ({exc.strerror or exc})") from None
    sha = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is not None and sha != expected_sha256:
        raise SourceTextError(
            f"{found}: SHA-256 is {sha}, but the spans were written against {expected_sha256}; "
            "this is not the text the graph was built from"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceTextError(f"{found}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return SourceText(found, text, sha)


def load_text(sha256: str, *, name: str | None = None, sources: Iterable[PathLike] = ()) -> SourceText:
    """Find the text with this digest on the search path and read it.

    >>> load_text("df83b6a170740abdbaab93728fa4498e9f658298a739766132ff84ec75d28bad").span(87, 90)
    '蔡华刚'
    """
    return read_text(find_text(sha256, name=name, sources=sources), expected_sha256=sha256)


def find_source(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The path of the seed article text (an explicit path must exist), or :class:`SourceTextError`."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SourceTextError(f"source text not found: {path} (given with --source)")
        return path
    return find_text(SEED_SHA256, name=SEED_FILE_NAME)
