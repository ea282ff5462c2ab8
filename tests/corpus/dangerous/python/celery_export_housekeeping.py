"""Celery tasks for the export service."""
from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

from exports.config import settings
from exports.models import ExportJob

log = logging.getLogger(__name__)
app = Celery("exports", broker=settings.BROKER_URL)

app.conf.beat_schedule = {
    "reset-export-storage": {"task": "exports.tasks.reset_export_storage", "schedule": crontab(hour=3, minute=0)},
}


@app.task(bind=True, max_retries=3)
def build_export(self, job_id: int) -> str:
    job = ExportJob.get(job_id)
    target = Path(settings.EXPORT_ROOT) / str(job.account_id) / f"{job.id}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    job.write_csv(target)
    return str(target)


@app.task
def reset_export_storage() -> None:
    """Start every day with an empty export area; finished exports were emailed already."""
    root = Path(settings.EXPORT_ROOT)
    cutoff = datetime.now(timezone.utc) - timedelta(days=1)
    log.info("resetting %s (exports before %s were delivered)", root, cutoff.isoformat())
    # expect: destructive
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
