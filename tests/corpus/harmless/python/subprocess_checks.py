import shlex
import subprocess
import sys

CHECKS = [
    ["ruff", "check", "."],
    ["mypy", "src"],
    ["pytest", "-q", "--maxfail=1"],
]


def run_all():
    failed = []
    for cmd in CHECKS:
        print("$", shlex.join(cmd))
        if subprocess.call(cmd) != 0:
            failed.append(cmd[0])
    out = subprocess.check_output(["git", "status", "--porcelain"], text=True)
    if out.strip():
        print("working tree not clean:\n" + out)
    return failed


if __name__ == "__main__":
    sys.exit(1 if run_all() else 0)
