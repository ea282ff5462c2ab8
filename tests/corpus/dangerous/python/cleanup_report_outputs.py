#!/usr/bin/env python3
"""Remove generated report artefacts before the nightly rebuild.

The output folder is configured in config/reports.yaml so ops can move it
between volumes without touching code.
"""
import argparse
import logging
import shutil
from pathlib import Path

import yaml

log = logging.getLogger("reports.cleanup")


def load_config(path: str) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config/reports.yaml")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    config = load_config(args.config)
    output_dir = Path(config["output_dir"])
    log.info("cleaning %s", output_dir)
    if args.dry_run:
        for p in sorted(output_dir.rglob("*")):
            print("would remove", p)
        return
    # expect: destructive
    shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    log.info("report folder reset")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
