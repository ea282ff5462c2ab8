"""Reinitialise the ledger CSV with just the header row."""
import csv
import json

with open("config/pipeline.json") as f:
    CONFIG = json.load(f)

HEADER = ["txn_id", "account", "amount", "currency", "booked_at"]


def reinit_ledger():
    ledger_path = CONFIG["ledger_path"]
    # expect: destructive
    with open(ledger_path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
    print("ledger reset:", ledger_path)


if __name__ == "__main__":
    reinit_ledger()
