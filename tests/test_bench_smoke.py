"""The benchmark harness still runs, and the prefilter loses no finding on generated agent files.

No timing is asserted here (timings live in bench/results); only that the findings
with and without ``--no-prefilter`` are the same set. Needs no network and no corpus.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_prefilter_loses_no_finding_on_generated_agent_files(tmp_path: Path) -> None:
    corpus = tmp_path / "agent"
    subprocess.run([sys.executable, str(BENCH / "generate_agent_corpus.py"), str(corpus), "--files", "8",
                    "--dangerous", "0.5"], check=True, capture_output=True)
    assert len([p for p in corpus.rglob("*") if p.is_file()]) == 8
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--suite", "prefilter",
                           "--agent-dir", str(corpus), "--results", str(tmp_path / "results")],
                          capture_output=True, text=True, timeout=120)
    result = json.loads((tmp_path / "results" / "prefilter.json").read_text())
    assert [row["corpus"] for row in result["rows"]] == ["agent"]
    assert result["rows"][0]["findings"] > 0, done.stdout + done.stderr
    assert result["identical"], result["rows"]
    assert done.returncode == 0, done.stdout + done.stderr
