"""The long fuzzing budget: the CI properties of tests/test_fuzz.py (and friends), run for minutes.

CI runs each property on a few dozen derandomised examples; this runs them
with many random examples, and adds the input-size cases too slow for CI
(a 1,000,000-statement SQL file).

    python bench/fuzz.py --minutes 10            # every property, ~10 minutes in all
    python bench/fuzz.py --examples 2000 -k sql  # a fixed count, only tests matching "sql"
    python bench/fuzz.py --big-only              # only the large-input cases
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROPERTY_FILES = ["tests/test_fuzz.py", "tests/test_encodings.py"]
# Rough cost of one example across all properties, measured on a 2-core machine, to turn minutes into examples.
SECONDS_PER_EXAMPLE_ROUND = 0.6


def run_properties(examples: int, select: str | None) -> int:
    env = dict(os.environ, EXECGATE_FUZZ_EXAMPLES=str(examples))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PROPERTY_FILES]
    if select:
        command += ["-k", select]
    print("$", " ".join(command), f"(EXECGATE_FUZZ_EXAMPLES={examples})", flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


def run_big(statements: int) -> int:
    """A ``statements``-statement SQL file next to a destructive one: must finish and block (exit 1)."""
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "many.sql"
        big.write_text("SELECT 1;\n" * statements, encoding="utf-8")
        (Path(folder) / "danger.sh").write_text("rm -rf /srv/data\n", encoding="utf-8")
        start = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "analyzer.commands.main", "check", "--no-cache", folder],
                               stdout=subprocess.DEVNULL, cwd=ROOT)
        took = time.monotonic() - start
    print(f"{statements:,} SQL statements ({big.name} next to danger.sh): exit {code} in {took:.1f} s")
    return 0 if code == 1 else 1    # danger.sh blocks whatever becomes of the big file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=None, help="rough total time budget")
    parser.add_argument("--examples", type=int, default=None, help="examples per property")
    parser.add_argument("-k", dest="select", help="only properties matching this pytest -k expression")
    parser.add_argument("--big-only", action="store_true", help="only the large-input cases")
    parser.add_argument("--statements", type=int, default=1_000_000, help="statements in the big SQL file")
    args = parser.parse_args(argv)
    failed = 0
    if not args.big_only:
        examples = args.examples or max(200, int((args.minutes or 10) * 60 / SECONDS_PER_EXAMPLE_ROUND / 10))
        failed |= run_properties(examples, args.select)
    failed |= run_big(args.statements)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
