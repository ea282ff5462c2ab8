import shutil
import subprocess
import tempfile
from pathlib import Path


def render_docs(src: Path) -> bytes:
    workdir = Path(tempfile.mkdtemp(prefix="docs-"))
    try:
        shutil.copytree(src, workdir / "src")
        (workdir / "out").mkdir()
        return (workdir / "src" / "index.md").read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
