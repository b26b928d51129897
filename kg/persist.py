"""The on-disk store: the graph built once into a pyoxigraph (RocksDB) store
and opened read-only afterwards, rebuilt when its inputs change.

``--store DIR`` holds one subdirectory per build, ``graph-<key>/``, where the
key is a digest of everything the graph is made from: the authored YAML, the
ontology, linzi-kg's own modules, the pyoxigraph version, and each ``--data``
file (by path, size and modification time, so that a gigabyte of N-Triples
is not re-read at every start). A build is written under a temporary name
and renamed into place when complete, so a reader never sees half a store
and two processes building at once do not clash; older builds are removed.

>>> import tempfile
>>> directory = tempfile.mkdtemp()
>>> first = prepare_store(directory)
>>> first.built, prepare_store(directory).built
(True, False)
>>> kg = open_graph(directory)
>>> len(kg.oxigraph()) == first.manifest["quads"]
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
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.errors import StoreError
from kg.load import RDFFileError, file_format
from kg.store import KnowledgeGraph, attach_source, load_graph

MANIFEST = "manifest.json"
_STORE = "oxigraph"
_PREFIX = "graph-"
_PACKAGE = Path(__file__).resolve().parent


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


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _inputs(data_dir: Path | None, extra: Sequence[Path]) -> dict[str, Any]:
    from kg.resources import data_dir as shipped_data
    from kg.resources import ontology_dir

    data = Path(data_dir) if data_dir is not None else shipped_data()
    if not data.is_dir():
        raise StoreError(f"{data}: not a directory of authored data")
    files: dict[str, Any] = {
        "format": 1,
        "linzi-kg": __version__,
        "pyoxigraph": ox.__version__,
        "code": hashlib.sha256(b"".join(_digest(p).encode() for p in sorted(_PACKAGE.glob("*.py")))).hexdigest(),
        "ontology": _digest(ontology_dir() / "linzi.ttl"),
        "data": {p.name: _digest(p) for p in sorted(data.glob("*.yaml"))},
        "extra": [],
    }
    for path in extra:
        file = Path(path)
        file_format(file, StoreError)
        try:
            info = file.stat()
        except OSError as exc:
            raise StoreError(f"{file}: {exc.strerror or exc}") from None
        files["extra"].append({"path": str(file.resolve()), "bytes": info.st_size, "mtime_ns": info.st_mtime_ns})
    return files


def _key(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


def _read_manifest(build: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def prepare_store(
    directory: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    extra: Sequence[str | os.PathLike[str]] = (),
) -> PreparedStore:
    """Make sure ``directory`` holds a build of the current inputs; build it if not.

    Raises :class:`StoreError` for a path that is not a usable directory and
    :class:`kg.load.RDFFileError` for a ``--data`` file that does not parse
    (nothing is left behind in either case).
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise StoreError(f"--store {root}: exists and is not a directory")
    inputs = _inputs(Path(data_dir) if data_dir is not None else None, [Path(p) for p in extra])
    target = root / f"{_PREFIX}{_key(inputs)}"
    manifest = _read_manifest(target)
    if manifest is not None:
        return PreparedStore(target, manifest, built=False)
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    except OSError as exc:
        raise StoreError(f"--store {root}: cannot create a build there: {exc.strerror or exc}") from None
    try:
        manifest = _build(work / _STORE, inputs, data_dir, [Path(p) for p in extra])
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
    _prune(root, keep=target)
    return PreparedStore(target, manifest, built=True)


def _prune(root: Path, *, keep: Path) -> None:
    # Only our own complete builds are removed; anything else is left alone.
    for old in root.glob(f"{_PREFIX}*"):
        if old != keep and old.is_dir() and (old / MANIFEST).is_file():
            shutil.rmtree(old, ignore_errors=True)


def _build(location: Path, inputs: dict[str, Any], data_dir: Any, extra: list[Path]) -> dict[str, Any]:
    from kg.inference import Rules
    from kg.pipeline import build
    from kg.schema import load_ontology
    from kg.store import fill

    result = build(data_dir=Path(data_dir) if data_dir else None, check_source=False, validate=False)
    ontology = load_ontology()
    store = ox.Store(str(location))
    try:
        fill(store, result.graph)
        for path in extra:
            _load_extra(store, path)
        # Entailments inside the store, before the ontology is added: a
        # large file never passes through Python.
        for update in Rules.from_ontology(ontology).updates():
            store.update(update)
        fill(store, ontology)
        store.optimize()
        count = len(store)
    finally:
        # Close the database (its last reference) before the directory is
        # renamed or removed, also when a --data file fails to parse.
        del store
    assert result.dataset.source is not None
    return {"inputs": inputs, "quads": count, "source_sha256": result.dataset.source.sha256}


def _load_extra(store: ox.Store, path: Path) -> None:
    _, fmt = file_format(path)
    try:
        store.bulk_load(path=str(path), format=fmt)
    except OSError as exc:
        raise RDFFileError(f"{path}: {exc.strerror or exc}") from None
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise RDFFileError(f"{path}: not valid {fmt.name}: {message}") from None


def open_graph(
    directory: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    extra: Sequence[str | os.PathLike[str]] = (),
) -> KnowledgeGraph:
    """The graph from the store in ``directory``, built first if missing or stale."""
    prepared = prepare_store(directory, data_dir=data_dir, extra=extra)
    try:
        store = ox.Store.read_only(str(prepared.location))
    except (OSError, RuntimeError) as exc:
        raise StoreError(
            f"cannot open the store at {prepared.location}: {exc}; delete {prepared.path} to rebuild it"
        ) from None
    text = attach_source(source, prepared.manifest["source_sha256"])

    def views() -> KnowledgeGraph:
        return load_graph(data_dir=data_dir, source=source, extra=extra)

    return KnowledgeGraph(store=store, location=prepared.location, source=text, views=views)
