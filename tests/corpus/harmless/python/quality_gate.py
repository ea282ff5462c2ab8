"""Run the local quality gate: lint, type-check, tests, docker build."""
import subprocess
import sys

STEPS = [
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["mypy", "src"],
    ["pytest", "-q", "--maxfail=1"],
    ["docker", "build", "-t", "acme/api:dev", "."],
]


def main() -> int:
    for step in STEPS:
        print("$", " ".join(step), flush=True)
        result = subprocess.run(step)
        if result.returncode != 0:
            print(f"step failed: {step[0]}", file=sys.stderr)
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
