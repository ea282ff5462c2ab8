"""A tiny model registry on Google Cloud Storage.

Layout: gs://<bucket>/models/<name>/<version>/{model.joblib,metrics.json,meta.json}
and gs://<bucket>/models/<name>/STAGE_<stage> pointer files.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import joblib
from google.cloud import storage

log = logging.getLogger(__name__)

BUCKET = os.environ.get("MODEL_BUCKET", "acme-ml-models")
STAGES = ("staging", "production", "archived")


@dataclass
class ModelVersion:
    name: str
    version: str
    created_at: str
    metrics: dict[str, float]
    stage: str | None = None


class Registry:
    def __init__(self, bucket: str = BUCKET) -> None:
        self.client = storage.Client()
        self.bucket = self.client.bucket(bucket)

    def _prefix(self, name: str, version: str | None = None) -> str:
        return f"models/{name}/" + (f"{version}/" if version else "")

    def register(self, name: str, model: Any, metrics: dict[str, float]) -> ModelVersion:
        version = dt.datetime.utcnow().strftime("%Y%m%d%H%M%S")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.joblib"
            joblib.dump(model, path)
            self.bucket.blob(self._prefix(name, version) + "model.joblib").upload_from_filename(str(path))
        mv = ModelVersion(name, version, dt.datetime.utcnow().isoformat(), metrics)
        self.bucket.blob(self._prefix(name, version) + "meta.json").upload_from_string(json.dumps(asdict(mv)))
        log.info("registered %s version %s", name, version)
        return mv

    def versions(self, name: str) -> list[str]:
        seen = set()
        for blob in self.client.list_blobs(self.bucket, prefix=self._prefix(name)):
            parts = blob.name.split("/")
            if len(parts) >= 4 and parts[2].isdigit():
                seen.add(parts[2])
        return sorted(seen)

    def load(self, name: str, version: str | None = None) -> Any:
        version = version or self.stage_version(name, "production") or self.versions(name)[-1]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.joblib"
            self.bucket.blob(self._prefix(name, version) + "model.joblib").download_to_filename(str(path))
            return joblib.load(path)

    def stage_version(self, name: str, stage: str) -> str | None:
        blob = self.bucket.blob(self._prefix(name) + f"STAGE_{stage}")
        return blob.download_as_text().strip() if blob.exists() else None

    def promote(self, name: str, version: str, stage: str) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage}")
        self.bucket.blob(self._prefix(name) + f"STAGE_{stage}").upload_from_string(version)
        log.info("%s %s -> %s", name, version, stage)

    def delete_model(self, name: str) -> int:
        """Remove a model and all its versions (the model was retired)."""
        removed = 0
        for blob in self.client.list_blobs(self.bucket, prefix=self._prefix(name)):
            # expect: destructive
            blob.delete()
            removed += 1
        log.warning("deleted %d blobs of model %s", removed, name)
        return removed

    def describe(self, name: str) -> list[ModelVersion]:
        out = []
        for version in self.versions(name):
            meta = json.loads(self.bucket.blob(self._prefix(name, version) + "meta.json").download_as_text())
            out.append(ModelVersion(**meta))
        return out


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["list", "promote", "retire"])
    parser.add_argument("name")
    parser.add_argument("--version")
    parser.add_argument("--stage", default="production")
    a = parser.parse_args()
    reg = Registry()
    if a.action == "list":
        for v in reg.describe(a.name):
            print(v.version, v.metrics)
    elif a.action == "promote":
        reg.promote(a.name, a.version, a.stage)
    else:
        reg.delete_model(a.name)
