"""A non-editable install (a built wheel) runs from any directory, with its
ontology, queries and data inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("linzi_kg-*.whl")
    return found


def test_wheel_ships_package_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/ontology/linzi.ttl" in names
    assert "kg/ontology/shapes.ttl" in names
    assert "kg/queries/chains-456.rq" in names
    assert "kg/templates/entity.html" in names and "kg/static/style.css" in names
    assert "visualize/templates/explorer.js" in names
    assert any(n.startswith("kg/data/") and n.endswith(".yaml") for n in names)
    assert not any(n.endswith(".txt") and "seeds" in n for n in names)  # the article is not shipped


def test_installed_wheel_runs_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        # The texts by directory, as a user outside the checkout would give them.
        "LINZI_KG_SOURCES": os.pathsep.join(str(ROOT.parent / "shared" / d) for d in ("seeds", "corpus")),
    }
    where = subprocess.run(
        [sys.executable, "-c", "import kg; print(kg.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "SHACL conforms" in result.stdout
    # Named queries and page templates come from the installed package too.
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", "chains-456", "-f", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "chemical-chains" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "kg", "viz", "-o", "g.html"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "g.html").stat().st_size > 100_000
