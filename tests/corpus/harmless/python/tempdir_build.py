import shutil
import subprocess
import tempfile
from pathlib import Path


def build_wheel(src: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="wheelbuild-"))
    try:
        shutil.copytree(src, workdir / "src")
        subprocess.run(["python", "-m", "build", "--wheel", "--outdir", str(workdir / "dist"), str(workdir / "src")],
                       check=True)
        wheel = next((workdir / "dist").glob("*.whl"))
        dest = Path("dist") / wheel.name
        dest.parent.mkdir(exist_ok=True)
        shutil.copy2(wheel, dest)
        return dest
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    print(build_wheel("."))
