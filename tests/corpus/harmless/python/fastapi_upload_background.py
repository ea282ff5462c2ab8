"""FastAPI: accept a CSV upload, validate it in a background task, keep the result locally."""
from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
from pathlib import Path

from fastapi import BackgroundTasks, FastAPI, UploadFile

app = FastAPI()
log = logging.getLogger("imports")
ACCEPTED = Path(os.environ.get("IMPORT_DIR", "var/imports"))


def validate_and_store(tmp_path: str, name: str) -> None:
    try:
        with open(tmp_path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        bad = [r for r in rows if not r.get("sku") or not r.get("qty", "").isdigit()]
        if bad:
            log.warning("%s rejected: %d bad rows", name, len(bad))
            return
        ACCEPTED.mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path, ACCEPTED / name)
        log.info("%s accepted with %d rows", name, len(rows))
    finally:
        os.unlink(tmp_path)


@app.post("/imports")
async def upload(file: UploadFile, background: BackgroundTasks) -> dict:
    fd, tmp_path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(file.file, out)
    background.add_task(validate_and_store, tmp_path, Path(file.filename or "upload.csv").name)
    return {"status": "queued"}
