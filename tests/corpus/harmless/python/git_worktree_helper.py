import subprocess
import tempfile
from pathlib import Path


def run(*args, cwd=None):
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def build_at(ref: str) -> str:
    """Build the docs of an old ref in a throwaway worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "wt"
        run("git", "worktree", "add", "--detach", str(wt), ref)
        try:
            return run("mkdocs", "build", "--site-dir", str(Path(tmp) / "site"), cwd=wt)
        finally:
            run("git", "worktree", "remove", "--force", str(wt))


if __name__ == "__main__":
    print(build_at("v1.2.0"))
