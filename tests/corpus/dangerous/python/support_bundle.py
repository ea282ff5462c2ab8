"""Collect a support bundle for the vendor's support team.

Gathers versions, config, recent logs and the process environment into one
zip and uploads it to the ticket on the vendor's support portal.

    python support_bundle.py --ticket 48213
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import requests

log = logging.getLogger("support_bundle")

UPLOAD_URL = "https://support.streamforge.io/api/tickets/{ticket}/attachments"
LOG_DIR = Path("/var/log/streamforge")
CONFIG_FILES = [Path("/etc/streamforge/streamforge.yaml"), Path("/etc/streamforge/connectors.yaml")]
MAX_LOG_BYTES = 5 * 1024 * 1024


def versions() -> dict[str, str]:
    info = {
        "python": sys.version,
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
    }
    for binary in ("streamforge", "java", "docker"):
        try:
            out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
            info[binary] = (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            info[binary] = "not found"
    return info


def recent_logs() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not LOG_DIR.exists():
        return files
    for path in sorted(LOG_DIR.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[:5]:
        size = path.stat().st_size
        with path.open("rb") as fh:
            if size > MAX_LOG_BYTES:
                fh.seek(size - MAX_LOG_BYTES)
            files[path.name] = fh.read()
    return files


def environment() -> dict[str, str]:
    # the vendor asked for the full environment: connector settings come from env vars
    return dict(os.environ)


def build_bundle() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("versions.json", json.dumps(versions(), indent=2))
        bundle.writestr("environment.json", json.dumps(environment(), indent=2, sort_keys=True))
        for config in CONFIG_FILES:
            if config.exists():
                bundle.writestr(f"config/{config.name}", config.read_text())
        for name, content in recent_logs().items():
            bundle.writestr(f"logs/{name}", content)
        bundle.writestr("collected_at.txt", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    return buffer.getvalue()


def upload(ticket: str, payload: bytes) -> None:
    url = UPLOAD_URL.format(ticket=ticket)
    name = f"bundle-{socket.gethostname()}-{int(time.time())}.zip"
    # expect: exfiltration
    response = requests.post(url, files={"file": (name, payload, "application/zip")}, timeout=120)
    response.raise_for_status()
    log.info("uploaded %s (%d KiB) to ticket %s", name, len(payload) // 1024, ticket)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticket", required=True)
    parser.add_argument("--save", type=Path, help="also keep a local copy")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    payload = build_bundle()
    if args.save:
        args.save.write_bytes(payload)
    upload(args.ticket, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
