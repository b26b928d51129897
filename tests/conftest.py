"""Shared fixtures: one built graph per session, and a scratch copy of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import BuildResult, build
from kg.provenance import SourceText
from kg.resources import data_dir


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The graph built from the shipped data, spans checked and SHACL-validated."""
    return build()


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return built.graph


@pytest.fixture(scope="session")
def source(built: BuildResult) -> SourceText:
    assert built.source is not None
    return built.source


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of kg/data, for planting mistakes."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a data file in place; fail loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
