"""Shared fixtures: the loaded dataset and the repository paths."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import rustcase

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds() -> rustcase.Dataset:
    return rustcase.load()


def clear_caches() -> None:
    """Forget every cached lock, manifest and table, after the data directory changed under rustcase."""
    from rustcase import store, versions

    for cached in (versions.lock, versions.manifest, store._read_table, store._records):
        cached.cache_clear()


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of the shipped data directory, which rustcase reads instead of the real one."""
    from rustcase import versions

    root = tmp_path / "data"
    shutil.copytree(versions.data_root(), root)
    monkeypatch.setattr(versions, "data_root", lambda: root)
    clear_caches()
    yield root
    clear_caches()
