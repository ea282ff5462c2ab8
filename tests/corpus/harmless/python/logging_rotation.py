"""Set up log pruning for the worker: rotate daily, keep 14 files, no compression."""
import logging
import logging.handlers
import os

LOG_DIR = os.environ.get("WORKER_LOG_DIR", "logs")


def configure() -> logging.Logger:
    os.makedirs(LOG_DIR, exist_ok=True)
    handler = logging.handlers.TimedRotatingFileHandler(
        os.path.join(LOG_DIR, "worker.log"), when="midnight", backupCount=14, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    return root


if __name__ == "__main__":
    configure().info("logging configured, rotated files beyond 14 are pruned by the handler")
