"""Celery tasks: resize uploaded images; work files live in per-task temp dirs."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import boto3
from celery import Celery
from PIL import Image

app = Celery("media", broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"))
s3 = boto3.client("s3")
BUCKET = "acme-media-prod"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/srv/media"))
SIZES = {"thumb": 200, "medium": 800}


@app.task(bind=True, max_retries=5, default_retry_delay=10)
def make_variants(self, key: str) -> list[str]:
    written = []
    with tempfile.TemporaryDirectory(prefix="media-") as work:
        src = Path(work) / "original"
        s3.download_file(BUCKET, key, str(src))
        with Image.open(src) as img:
            for name, width in SIZES.items():
                copy = img.copy()
                copy.thumbnail((width, width))
                out = MEDIA_ROOT / "variants" / name / f"{key}.webp"
                out.parent.mkdir(parents=True, exist_ok=True)
                copy.save(out, "WEBP", quality=82)
                written.append(str(out))
    return written


@app.task
def probe(key: str) -> dict:
    handle = tempfile.NamedTemporaryFile(suffix=".img", delete=False)
    try:
        s3.download_fileobj(BUCKET, key, handle)
        handle.close()
        with Image.open(handle.name) as img:
            return {"key": key, "size": img.size, "mode": img.mode}
    finally:
        os.remove(handle.name)
