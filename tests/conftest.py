"""Shared fixtures: the loaded dataset and the repository paths."""

from __future__ import annotations

from pathlib import Path

import pytest

import rustcase

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds() -> rustcase.Dataset:
    return rustcase.load()
