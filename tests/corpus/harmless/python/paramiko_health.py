import os

import paramiko

HOSTS = ["web-1.internal", "web-2.internal"]


def check(host: str) -> None:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username="deploy", key_filename=os.path.expanduser("~/.ssh/deploy_ed25519"))
    try:
        _, out, _ = client.exec_command("uptime && df -h /")
        print(host, out.read().decode())
        sftp = client.open_sftp()
        os.makedirs("logs", exist_ok=True)
        sftp.get("/var/log/app/app.log", f"logs/{host}.log")
        sftp.close()
    finally:
        client.close()


if __name__ == "__main__":
    for h in HOSTS:
        check(h)
