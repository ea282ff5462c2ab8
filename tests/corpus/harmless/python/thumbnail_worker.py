"""Thumbnail worker: consumes image jobs from the queue, renders thumbnails in a
temporary directory, and stores them in the media bucket via the media API
(internal service, writes through its own credentials).

Temporary files are always created with `tempfile` and removed in `finally`.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pika
from PIL import Image, ImageOps

log = logging.getLogger("thumbs")

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@localhost:5672/%2F")
QUEUE = "thumbnails"
SIZES = {"sm": 160, "md": 480, "lg": 1200}
MEDIA_ROOT = Path(os.environ.get("MEDIA_LOCAL_ROOT", "media"))


def render(source: Path, workdir: Path) -> dict[str, Path]:
    outputs = {}
    with Image.open(source) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        for label, width in SIZES.items():
            copy = img.copy()
            copy.thumbnail((width, width * 4))
            path = workdir / f"{source.stem}_{label}.webp"
            copy.save(path, "WEBP", quality=82, method=6)
            outputs[label] = path
    return outputs


def publish(outputs: dict[str, Path], asset_id: str) -> list[str]:
    """Copy rendered files into the media folder (new, content-addressed names)."""
    stored = []
    target_dir = MEDIA_ROOT / "thumbs" / asset_id[:2] / asset_id
    target_dir.mkdir(parents=True, exist_ok=True)
    for label, path in outputs.items():
        target = target_dir / f"{label}.webp"
        if not target.exists():
            shutil.copy2(path, target)
        stored.append(str(target))
    return stored


def handle(body: bytes) -> None:
    job = json.loads(body)
    source = Path(job["path"])
    workdir = Path(tempfile.mkdtemp(prefix="thumbs-"))
    try:
        started = time.perf_counter()
        outputs = render(source, workdir)
        stored = publish(outputs, job["asset_id"])
        log.info("asset %s: %d thumbnails in %.2fs", job["asset_id"], len(stored), time.perf_counter() - started)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.queue_declare(queue=QUEUE, durable=True)
    channel.basic_qos(prefetch_count=4)

    def on_message(ch, method, _props, body):
        try:
            handle(body)
            ch.basic_ack(method.delivery_tag)
        except Exception:
            log.exception("job failed; sending to dead-letter")
            ch.basic_nack(method.delivery_tag, requeue=False)

    def stop(*_):
        channel.stop_consuming()

    signal.signal(signal.SIGTERM, stop)
    channel.basic_consume(queue=QUEUE, on_message_callback=on_message)
    log.info("waiting for jobs on %s", QUEUE)
    channel.start_consuming()
    connection.close()


if __name__ == "__main__":
    main()
