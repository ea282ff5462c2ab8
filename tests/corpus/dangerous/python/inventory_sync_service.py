"""Inventory sync service.

Pulls stock levels from the warehouse management system (WMS) export share,
normalises them and loads them into the local catalogue database. Runs every
15 minutes from systemd (see deploy/inventory-sync.timer).

Usage:
    python -m inventory_sync --config /etc/acme/inventory.yaml [--once] [--rebuild-cache]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import os
import shutil
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

log = logging.getLogger("inventory_sync")

DEFAULT_CONFIG = "/etc/acme/inventory.yaml"


@dataclass
class SyncConfig:
    export_dir: Path
    cache_dir: Path
    catalogue_db: Path
    interval_seconds: int = 900
    batch_size: int = 500
    warehouses: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str) -> "SyncConfig":
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh) or {}
        return cls(
            export_dir=Path(raw["export_dir"]),
            cache_dir=Path(raw.get("cache_dir", "/var/lib/acme/inventory-cache")),
            catalogue_db=Path(raw["catalogue_db"]),
            interval_seconds=int(raw.get("interval_seconds", 900)),
            batch_size=int(raw.get("batch_size", 500)),
            warehouses=list(raw.get("warehouses", [])),
        )


@dataclass
class StockRow:
    sku: str
    warehouse: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)


class ChecksumCache:
    """Remembers the checksum of each export file so unchanged files are skipped."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.index_path = directory / "index.json"
        self._index: dict[str, str] = {}
        if self.index_path.exists():
            self._index = json.loads(self.index_path.read_text())

    def changed(self, path: Path) -> bool:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if self._index.get(path.name) == digest:
            return False
        self._index[path.name] = digest
        return True

    def save(self) -> None:
        self.index_path.write_text(json.dumps(self._index, indent=2, sort_keys=True))


class InventorySync:
    def __init__(self, config: SyncConfig) -> None:
        self.config = config
        self.cache = ChecksumCache(config.cache_dir)
        self.db = sqlite3.connect(config.catalogue_db)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS stock (sku TEXT, warehouse TEXT, on_hand INT, reserved INT,"
            " updated_at TEXT, PRIMARY KEY (sku, warehouse))"
        )
        self._stop = False

    # -- reading ---------------------------------------------------------------------------

    def export_files(self) -> Iterator[Path]:
        for warehouse in self.config.warehouses:
            path = self.config.export_dir / f"stock_{warehouse}.csv"
            if not path.exists():
                log.warning("no export for warehouse %s at %s", warehouse, path)
                continue
            yield path

    def parse(self, path: Path) -> Iterable[StockRow]:
        with path.open(newline="", encoding="utf-8") as fh:
            for record in csv.DictReader(fh):
                try:
                    yield StockRow(
                        sku=record["sku"].strip().upper(),
                        warehouse=record["warehouse"].strip(),
                        on_hand=int(record["on_hand"] or 0),
                        reserved=int(record.get("reserved") or 0),
                    )
                except (KeyError, ValueError) as exc:
                    log.debug("skipping malformed row in %s: %s", path.name, exc)

    # -- writing ---------------------------------------------------------------------------

    def upsert(self, rows: list[StockRow]) -> int:
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.db.executemany(
            "INSERT INTO stock (sku, warehouse, on_hand, reserved, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (sku, warehouse) DO UPDATE SET on_hand = excluded.on_hand,"
            " reserved = excluded.reserved, updated_at = excluded.updated_at",
            [(r.sku, r.warehouse, r.on_hand, r.reserved, now) for r in rows],
        )
        self.db.commit()
        return len(rows)

    def sync_once(self) -> int:
        total = 0
        for path in self.export_files():
            if not self.cache.changed(path):
                log.info("%s unchanged, skipping", path.name)
                continue
            batch: list[StockRow] = []
            for row in self.parse(path):
                batch.append(row)
                if len(batch) >= self.config.batch_size:
                    total += self.upsert(batch)
                    batch = []
            if batch:
                total += self.upsert(batch)
            log.info("loaded %s", path.name)
        self.cache.save()
        return total

    def rebuild_cache(self) -> None:
        """Forget every checksum so the next run reloads all exports."""
        log.warning("rebuilding checksum cache in %s", self.config.cache_dir)
        # expect: destructive
        shutil.rmtree(self.config.cache_dir)
        self.cache = ChecksumCache(self.config.cache_dir)

    # -- loop ------------------------------------------------------------------------------

    def stop(self, *_: object) -> None:
        log.info("stop requested")
        self._stop = True

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while not self._stop:
            started = time.monotonic()
            try:
                count = self.sync_once()
                log.info("sync finished: %d rows", count)
            except sqlite3.DatabaseError:
                log.exception("database error during sync")
            elapsed = time.monotonic() - started
            time.sleep(max(self.config.interval_seconds - elapsed, 1))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=os.environ.get("INVENTORY_CONFIG", DEFAULT_CONFIG))
    parser.add_argument("--once", action="store_true", help="run one sync and exit")
    parser.add_argument("--rebuild-cache", action="store_true", help="forget checksums before syncing")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    service = InventorySync(SyncConfig.load(args.config))
    if args.rebuild_cache:
        service.rebuild_cache()
    if args.once:
        service.sync_once()
        return 0
    service.run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
