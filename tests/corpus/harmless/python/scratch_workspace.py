import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager


@contextmanager
def scratch_dir(prefix="build-"):
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def render_pdf(markdown_path: str, out_pdf: str) -> None:
    with scratch_dir() as tmp:
        html = os.path.join(tmp, "report.html")
        subprocess.run(["pandoc", markdown_path, "-o", html], check=True)
        subprocess.run(["wkhtmltopdf", html, out_pdf], check=True)


def checksum_archive(url_list):
    with tempfile.TemporaryDirectory() as tmp:
        for i, _ in enumerate(url_list):
            open(os.path.join(tmp, f"{i}.part"), "wb").close()
        return len(os.listdir(tmp))


def write_lockfile():
    fd, lock_path = tempfile.mkstemp(suffix=".lock")
    os.close(fd)
    try:
        return os.path.exists(lock_path)
    finally:
        os.remove(lock_path)


if __name__ == "__main__":
    render_pdf("docs/report.md", "out/report.pdf")
