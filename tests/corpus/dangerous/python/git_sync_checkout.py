import os
import logging

log = logging.getLogger(__name__)
REPO_DIR = "/opt/services/web"


def sync_to_origin(branch="main"):
    os.chdir(REPO_DIR)
    log.info("discarding local changes in %s", REPO_DIR)
    # expect: destructive
    out = os.popen(f"git fetch origin && git reset --hard origin/{branch} && git clean -fdx").read()
    log.info(out)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sync_to_origin()
