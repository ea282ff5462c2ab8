import logging
import os
import subprocess

logging.basicConfig(level=logging.INFO)
log = logging.getLogger(__name__)

DATA_DIR = os.environ.get("PG_DATA_DIR", "/var/lib/postgresql/16/main")


def stop_service():
    subprocess.run(["systemctl", "stop", "postgresql"], check=True)


def reset_data_dir():
    log.warning("resetting %s", DATA_DIR)
    # expect: destructive
    subprocess.run(["sudo", "rm", "-rf", DATA_DIR], check=True)
    subprocess.run(["sudo", "-u", "postgres", "initdb", "-D", DATA_DIR], check=True)


if __name__ == "__main__":
    stop_service()
    reset_data_dir()
