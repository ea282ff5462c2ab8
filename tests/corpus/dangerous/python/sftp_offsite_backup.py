"""Copy the nightly Postgres dump to the offsite box over SFTP."""
import os
from pathlib import Path

import paramiko

BACKUP_DIR = Path("/var/backups/postgres")
REMOTE_HOST = "backup.hetzner-box.de"


def main():
    dump = max(BACKUP_DIR.glob("*.dump"), key=lambda p: p.stat().st_mtime)
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(REMOTE_HOST, username="u123456", key_filename=os.path.expanduser("~/.ssh/id_ed25519"))
    sftp = ssh.open_sftp()
    # expect: exfiltration
    sftp.put(str(dump), f"/home/backups/{dump.name}")
    sftp.close()
    ssh.close()
    print(f"shipped {dump.name} ({dump.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
