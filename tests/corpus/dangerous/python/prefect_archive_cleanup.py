from pathlib import Path

import yaml
from prefect import flow, get_run_logger, task


@task
def load_settings(path: str = "pipeline.yaml") -> dict:
    return yaml.safe_load(Path(path).read_text())


@task
def purge_archive(archive_dir: str) -> int:
    logger = get_run_logger()
    removed = 0
    for part in Path(archive_dir).glob("**/*.parquet"):
        logger.info("removing %s", part)
        # expect: destructive
        part.unlink()
        removed += 1
    return removed


@flow(name="archive-cleanup")
def archive_cleanup():
    settings = load_settings()
    n = purge_archive(settings["archive_dir"])
    get_run_logger().info("removed %d files", n)


if __name__ == "__main__":
    archive_cleanup()
