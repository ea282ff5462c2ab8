"""Every test runs in a clean world: no context, audit log or cache from the machine leaks in."""
from __future__ import annotations

import pytest

from analyzer.prepare import ENVIRONMENT_VARIABLES


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in (*ENVIRONMENT_VARIABLES, "EXECGATE_POLICY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "execgate-cache"))
    # A warm `execgate serve` of the developer's must not answer for the code under test
    # (tests/test_serve.py starts its own servers and drops this on purpose).
    monkeypatch.setenv("EXECGATE_NO_SERVER", "1")
