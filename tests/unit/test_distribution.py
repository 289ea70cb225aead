"""The installed distribution: its name, version and licence as a user sees them."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import tgclient

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


def test_version_is_the_installed_distributions() -> None:
    name = str(_project()["name"])
    assert tgclient.__version__ == importlib.metadata.version(name)
    assert "__version__" in tgclient.__all__


def test_distribution_name_is_not_the_unrelated_tgclient() -> None:
    # ``tgclient`` on the package index is an unrelated Telegram client.
    assert _project()["name"] != "tgclient"


def test_declared_licence_ships_its_text() -> None:
    metadata = importlib.metadata.metadata(str(_project()["name"]))
    assert metadata["License-Expression"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "LICENSE" in (metadata.get_all("License-File") or [])
