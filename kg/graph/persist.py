"""The on-disk store: the graph built once into a pyoxigraph (RocksDB) store
and opened read-only afterwards, rebuilt when its inputs change.

``--store DIR`` holds one subdirectory per build, ``graph-<key>/``, where the
key is a digest of everything the graph is made from: the authored YAML, the
ontology, linzi-kg's own modules, the pyoxigraph version, and each ``--data``
file (by path, size and modification time, so that a gigabyte of N-Triples
is not re-read at every start). A build is written under a temporary name
and renamed into place when complete, so a reader never sees half a store
and two processes building at once do not clash; older builds are removed
unless a process has them open (a shared ``flock`` held while it runs), and
the temporary directories of killed builds are removed at the next start.
A build whose manifest is damaged is rebuilt.

>>> import tempfile
>>> directory = tempfile.mkdtemp()
>>> first = prepare_store(directory)
>>> first.built, prepare_store(directory).built
(True, False)
>>> kg = open_graph(directory)
>>> len(kg.full_graph()) == first.manifest["quads"]
True
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import __version__
from kg.errors import StoreError
from kg.graph.store import ASSERTED_GRAPH, KnowledgeGraph, attach_texts, documents_of, load_graph
from kg.rdf.load import RDFFileError, check_input, file_format

if TYPE_CHECKING:
    from kg.documents.texts import Sources

MANIFEST = "manifest.json"
_STORE = "oxigraph"
_PREFIX = "graph-"


@dataclass(frozen=True)
class PreparedStore:
    """A complete build in the store directory."""

    path: Path
    manifest: dict[str, Any]
    built: bool

    @property
    def location(self) -> Path:
        """The pyoxigraph store directory inside the build."""
        return self.path / _STORE


#: The version of what a build makes of its inputs: raised when the code that
#: builds the graph changes what it makes, so that older stores are rebuilt.
#: (The store is keyed by its inputs, not by the package's source files, so
#: an unrelated change to the code does not throw away a large store.)
BUILD_FORMAT = 3


#: Environment variable naming the cache directory (default $XDG_CACHE_HOME/linzi-kg).
CACHE_ENV = "LINZI_KG_CACHE"


def cache_dir() -> Path:
    """Where linzi-kg keeps its prepared store: ``$LINZI_KG_CACHE``, else
    ``$XDG_CACHE_HOME/linzi-kg``, else ``~/.cache/linzi-kg``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "linzi-kg"


def default_store() -> Path | None:
    """The prepared store used when no ``--store`` is given, or None when the
    cache directory cannot be made (a read-only home): the graph is then built
    in memory."""
    path = cache_dir() / "store"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _inputs(data_dir: Path | None, extra: Sequence[Path], document: str | None = None) -> dict[str, Any]:
    from kg.resources import data_dir as shipped_data
    from kg.resources import ontology_dir, queries_dir

    data = Path(data_dir) if data_dir is not None else shipped_data()
    if not data.is_dir():
        raise StoreError(f"{data}: not a directory of authored data")
    files: dict[str, Any] = {
        "format": BUILD_FORMAT,
        "linzi-kg": __version__,
        "pyoxigraph": ox.__version__,
        "ontology": {p.name: _digest(p) for p in sorted(ontology_dir().glob("*.ttl"))},
        "queries": {p.name: _digest(p) for p in sorted(queries_dir().glob("*.rq"))},
        # Every document folder and shared/; a text is named by its digest in them.
        "data": {str(p.relative_to(data)): _digest(p) for p in sorted(data.rglob("*.yaml"))},
        "code": _checkout_code(),
        "extra": [],
        "document": document,
    }
    for path in extra:
        file = Path(path)
        check_input(file, StoreError, content=False)  # its content is checked when it is loaded
        try:
            info = file.stat()
        except OSError as exc:
            raise StoreError(f"{file}: {exc.strerror or exc}") from None
        files["extra"].append({"path": str(file.resolve()), "bytes": info.st_size, "mtime_ns": info.st_mtime_ns})
    return files


def _checkout_code() -> str | None:
    """In a git checkout (a developer's), the digest of the package's modules,
    so that a change to the code rebuilds the store; installed, None (the store
    is keyed by its inputs and :data:`BUILD_FORMAT` alone)."""
    package = Path(__file__).resolve().parents[1]
    if not (package.parent / ".git").exists():
        return None
    files = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    return hashlib.sha256(b"".join(_digest(p).encode() for p in files)).hexdigest()


def _key(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


def _read_manifest(build: Path) -> dict[str, Any] | None:
    """The build's manifest, or None when missing or not what we write."""
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(manifest, dict):
        return None
    documents = manifest.get("documents")
    if not isinstance(manifest.get("quads"), int) or not isinstance(documents, dict):
        return None
    if not all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in documents.values()):
        return None
    return manifest


# Locks, with flock on the build directories themselves: a process that has
# a build open holds a shared lock on it for as long as it runs, a build in
# progress an exclusive one. Pruning and clean-up take an exclusive lock
# without waiting and leave alone what they cannot lock, so a server's
# store is never removed under it, and a killed build's directory is.
_HELD: list[int] = []
_STALE_SECONDS = 2.0


def _lock(path: Path, mode: int) -> int | None:
    """A descriptor of ``path`` locked in ``mode`` (without waiting), or None."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove_unused(path: Path) -> bool:
    """Remove a build directory nobody holds; False if someone does."""
    import fcntl

    fd = _lock(path, fcntl.LOCK_EX)
    if fd is None:
        return False
    try:
        shutil.rmtree(path, ignore_errors=True)
    finally:
        os.close(fd)
    return True


def _clean_leftovers(root: Path) -> None:
    """Remove the temporary directories of builds that were killed."""
    import time

    for work in root.glob(".building-*"):
        try:
            old = time.time() - work.stat().st_mtime > _STALE_SECONDS
        except OSError:
            continue
        if old and work.is_dir():
            _remove_unused(work)


def hold(prepared: PreparedStore) -> bool:
    """Keep ``prepared`` from being pruned while this process runs; False if
    it was removed before the lock was taken."""
    import fcntl

    fd = _lock(prepared.path, fcntl.LOCK_SH)
    if fd is None:
        return False
    if _read_manifest(prepared.path) is None:
        os.close(fd)
        return False
    _HELD.append(fd)
    return True


def prepare_store(
    directory: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    extra: Sequence[str | os.PathLike[str]] = (),
    document: str | None = None,
) -> PreparedStore:
    """Make sure ``directory`` holds a build of the current inputs; build it if not.

    Raises :class:`StoreError` for a path that is not a usable directory and
    :class:`kg.rdf.load.RDFFileError` for a ``--data`` file that does not parse
    (nothing is left behind in either case).
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise StoreError(f"--store {root}: exists and is not a directory")
    import fcntl

    inputs = _inputs(Path(data_dir) if data_dir is not None else None, [Path(p) for p in extra], document)
    target = root / f"{_PREFIX}{_key(inputs)}"
    if root.is_dir():
        _clean_leftovers(root)
    manifest = _read_manifest(target)
    if manifest is not None:
        return PreparedStore(target, manifest, built=False)
    if target.exists() and not _remove_unused(target):
        raise StoreError(f"--store {root}: the build {target.name} is damaged and in use; stop its users and delete it")
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    except OSError as exc:
        raise StoreError(f"--store {root}: cannot create a build there: {exc.strerror or exc}") from None
    building = _lock(work, fcntl.LOCK_EX)
    try:
        manifest = _build(work / _STORE, inputs, data_dir, [Path(p) for p in extra], document)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        try:
            work.rename(target)
        except OSError:
            # Another process finished the same build first; use theirs.
            theirs = _read_manifest(target)
            if theirs is None:
                raise StoreError(f"--store {root}: cannot move the new build into place at {target}") from None
            manifest = theirs
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if building is not None:
            os.close(building)
    _prune(root, keep=target)
    return PreparedStore(target, manifest, built=True)


def _prune(root: Path, *, keep: Path) -> None:
    # Only our own complete builds that no process has open are removed;
    # anything else is left alone.
    for old in root.glob(f"{_PREFIX}*"):
        if old != keep and old.is_dir() and (old / MANIFEST).is_file():
            _remove_unused(old)


def _build(
    location: Path, inputs: dict[str, Any], data_dir: Any, extra: list[Path], document: str | None
) -> dict[str, Any]:
    from kg.graph.store import ONTOLOGY_GRAPH, fill
    from kg.rdf.inference import Rules
    from kg.rdf.ontology import load_ontology
    from kg.rdf.pipeline import build

    result = build(data_dir=Path(data_dir) if data_dir else None, document=document, check_source=False, validate=False)
    ontology = load_ontology()
    store = ox.Store(str(location))
    problem: RDFFileError | None = None
    try:
        fill(store, result.graph)
        fill(store, result.graph, to_graph=ASSERTED_GRAPH)
        try:
            for path in extra:
                _load_extra(store, path)
        except RDFFileError as exc:
            # A fresh error: the raised one's traceback holds frames that keep the database open.
            problem = RDFFileError(str(exc))
        if problem is None:
            # Entailments inside the store, before the ontology is added: a
            # large file never passes through Python.
            for update in Rules.from_ontology(ontology).updates():
                store.update(update)
            fill(store, ontology)
            fill(store, ontology, to_graph=ONTOLOGY_GRAPH)
            store.optimize()
        # What queries see (the default graph); the named graphs repeat parts of it.
        # Counted by the engine: walking 720,730 quads in Python took 3.3 of 17.5 s at 100 reports.
        count = int(next(iter(store.query(_COUNT_DEFAULT)))[0].value)  # type: ignore[arg-type, index]
    finally:
        # Close the database (its last reference) before the directory is
        # renamed or removed, also when a --data file fails to parse.
        del store
    if problem is not None:
        raise problem
    return {"inputs": inputs, "quads": count, "documents": documents_of(result.corpus)}


_COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

_BAD_OFFSET = (
    "SELECT ?v WHERE { ?s <http://www.w3.org/ns/oa#start>|<http://www.w3.org/ns/oa#end> ?v "
    'FILTER(!isLiteral(?v) || !REGEX(STR(?v), "^[0-9]{1,18}$")) } LIMIT 1'
)


def _load_extra(store: ox.Store, path: Path) -> None:
    _, fmt = file_format(path)
    check_input(path)
    try:
        store.bulk_load(path=str(path), format=fmt)
        store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(ASSERTED_GRAPH))
    except OSError as exc:
        raise RDFFileError(f"{path}: {exc.strerror or exc}") from None
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise RDFFileError(f"{path}: not valid {fmt.name}: {message[:300]}") from None
    # Taken out of the result at once: a result left in a traceback keeps the database open.
    bad = [row[0].value for row in store.query(_BAD_OFFSET)]  # type: ignore[union-attr]
    if bad:
        raise RDFFileError(f"{path}: oa:start and oa:end must be non-negative integers, got {bad[0][:80]!r}")


def open_graph(
    directory: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: Sources = None,
    extra: Sequence[str | os.PathLike[str]] = (),
    document: str | None = None,
) -> KnowledgeGraph:
    """The graph from the store in ``directory``, built first if missing or stale."""
    prepared = prepare_store(directory, data_dir=data_dir, extra=extra, document=document)
    for _ in range(3):  # pruned by another process between preparing and locking: prepare again
        if hold(prepared):
            break
        prepared = prepare_store(directory, data_dir=data_dir, extra=extra, document=document)
    else:
        raise StoreError(f"--store {directory}: another process keeps removing the build; try again")
    try:
        store = ox.Store.read_only(str(prepared.location))
    except (OSError, RuntimeError) as exc:
        raise StoreError(
            f"cannot open the store at {prepared.location}: {exc}; delete {prepared.path} to rebuild it"
        ) from None
    documents = prepared.manifest.get("documents") or {}
    texts = attach_texts(source, {k: (v[0], v[1]) for k, v in documents.items()})

    def views() -> KnowledgeGraph:
        return load_graph(data_dir=data_dir, source=source, extra=extra, document=document)

    return KnowledgeGraph(store=store, location=prepared.location, texts=texts, views=views)
