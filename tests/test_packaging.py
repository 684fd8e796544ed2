"""The bundled facts are found from a built wheel, not only from a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("tradebot-*.whl")
    return built


def test_wheel_contains_facts_and_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/_facts/us-china.toml" in names
    assert "bot/_facts/documents/britishwire-2025-05-30.txt" in names
    data_files = {p.name for p in (REPO / "bot" / "data").iterdir() if p.is_file()}
    assert {f"bot/data/{name}" for name in data_files} <= set(names)  # every rules file


def test_installed_wheel_finds_and_loads_bundled_facts(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import bot, sys;"
        "from bot.store.facts_files import bundled_facts_dir;"
        "from bot.service import open_store;"
        "d = bundled_facts_dir(); s = open_store(':memory:');"
        "print(bot.__file__); print(d); print(len(s.facts()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    module, facts_dir, count = result.stdout.split()
    assert module.startswith(str(target)) and facts_dir == str(target / "bot" / "_facts")
    assert int(count) > 20
