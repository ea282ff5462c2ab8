"""Render a PDF via an external tool; every intermediate lives in temp space."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "pdfrender-cache"


def render(html: str, out_pdf: str) -> None:
    src = tempfile.NamedTemporaryFile("w", suffix=".html", delete=False)
    try:
        src.write(html)
        src.close()
        work = tempfile.mkdtemp(prefix="render-")
        subprocess.run(["wkhtmltopdf", src.name, os.path.join(work, "out.pdf")], check=True)
        shutil.copy(os.path.join(work, "out.pdf"), out_pdf)
        subprocess.run(["rm", "-rf", work], check=True)
    finally:
        os.remove(src.name)


def reset_cache() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        scratch = Path(d) / "pages"
        scratch.mkdir()
        (scratch / "a.txt").write_text("x")
        shutil.rmtree(scratch)
    render("<h1>hello</h1>", "hello.pdf")
