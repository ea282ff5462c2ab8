"""Build a release zip in a temporary directory and copy it to dist/."""
import shutil
import subprocess
import tempfile
from pathlib import Path

DIST = Path("dist")


def build(version: str) -> Path:
    DIST.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        stage = Path(tmp) / f"acme-cli-{version}"
        shutil.copytree("src/acme_cli", stage / "acme_cli")
        shutil.copy("README.md", stage)
        subprocess.run(["python", "-m", "compileall", "-q", str(stage)], check=True)
        for pyc_dir in stage.rglob("__pycache__"):
            shutil.rmtree(pyc_dir)
        archive = shutil.make_archive(str(Path(tmp) / stage.name), "zip", root_dir=tmp, base_dir=stage.name)
        return Path(shutil.copy(archive, DIST))


if __name__ == "__main__":
    print(build("1.4.0"))
