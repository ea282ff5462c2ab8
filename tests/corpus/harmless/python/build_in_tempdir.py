"""Build the docs site in a scratch directory, then copy the result to site/."""
import shutil
import subprocess
import tempfile
from pathlib import Path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="docs-build-"))
    try:
        shutil.copytree("docs", work / "docs")
        shutil.copy("mkdocs.yml", work / "mkdocs.yml")
        subprocess.run(["mkdocs", "build", "--strict", "--site-dir", str(work / "site")], cwd=work, check=True)
        shutil.copytree(work / "site", "site", dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("docs built into site/")


if __name__ == "__main__":
    main()
