"""The starter ``wfm.toml`` that ``wfm init`` writes into a new workspace."""

from __future__ import annotations

from importlib.resources import files

__all__ = ["STARTER_CONFIG"]

STARTER_CONFIG = files("wfm.store").joinpath("starter.toml").read_text(encoding="utf-8")
