"""Rebuild the feature cache used by the ranking service."""
import subprocess
from pathlib import Path
import json

SETTINGS_FILE = Path(__file__).parent / "settings.json"


def settings():
    return json.loads(SETTINGS_FILE.read_text())


class CacheBuilder:
    def __init__(self, cache_root: str, model_name: str):
        self.cache_root = cache_root
        self.model_name = model_name

    def wipe(self):
        print(f"Wiping cache at {self.cache_root}")
        # expect: destructive
        subprocess.run(["rm", "-rf", self.cache_root], check=True)

    def build(self):
        Path(self.cache_root).mkdir(parents=True, exist_ok=True)
        subprocess.run(["python", "-m", "ranking.features", "--out", self.cache_root,
                        "--model", self.model_name], check=True)


if __name__ == "__main__":
    cfg = settings()
    builder = CacheBuilder(cfg["feature_cache_dir"], cfg["model"])
    builder.wipe()
    builder.build()
