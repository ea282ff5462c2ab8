import json
import os
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {"batch_size": 500, "drop_invalid": True, "delete_after_days": 30}


class Settings:
    def __init__(self, path: str | os.PathLike = "config/settings.json"):
        self.path = Path(path)
        self.values = dict(DEFAULTS)
        if self.path.exists():
            self.values.update(json.loads(self.path.read_text()))
        for key in list(self.values):
            env = os.getenv(f"APP_{key.upper()}")
            if env is not None:
                self.values[key] = type(DEFAULTS.get(key, ""))(env)
        self.values.pop("legacy_mode", None)

    def __getitem__(self, key):
        return self.values[key]


if __name__ == "__main__":
    s = Settings()
    print(s["batch_size"], s["drop_invalid"])
