"""Messages and constants for the retention service (no operations here)."""
import logging

log = logging.getLogger("retention")

HELP = """
Usage: retention [--dry-run]

This job never runs `rm -rf` or DROP TABLE; it marks rows with deleted_at and
the database's own partition expiry removes them.
"""

COLUMNS = ["id", "deleted_at", "drop_rate", "truncated", "purge_after_days"]
DANGEROUS_WORDS = ("DROP", "TRUNCATE", "DELETE", "rm -rf", "shutil.rmtree")


def explain(n_rows: int) -> None:
    log.info("would DELETE %d rows (dry run, nothing removed)", n_rows)
    log.warning("TRUNCATE is not allowed on the ledger; use the archive job instead")
    print("To wipe a dev database run: dropdb dev_app  # only on your laptop")
