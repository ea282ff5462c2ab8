import os
import sys
import logging
from datetime import datetime

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
logger = logging.getLogger(__name__)

LOG_ROOT = os.environ.get("APP_LOG_ROOT", "/var/log/myapp")
SERVICES = ["api", "worker", "scheduler"]


def disk_usage(path):
    st = os.statvfs(path)
    return 1 - st.f_bavail / st.f_blocks


def purge_service_logs(service):
    log_dir = os.path.join(LOG_ROOT, service)
    if not os.path.isdir(log_dir):
        logger.warning("no log dir for %s", service)
        return
    logger.info("purging %s", log_dir)
    # expect: destructive
    os.system(f"rm -rf {log_dir}")


def main():
    usage = disk_usage(LOG_ROOT)
    logger.info("disk usage at %.1f%%", usage * 100)
    if usage < 0.85 and "--force" not in sys.argv:
        logger.info("nothing to do")
        return
    for svc in SERVICES:
        purge_service_logs(svc)
    logger.info("done at %s", datetime.utcnow().isoformat())


if __name__ == "__main__":
    main()
