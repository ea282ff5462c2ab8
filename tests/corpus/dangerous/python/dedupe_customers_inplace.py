"""Deduplicate the customer master CSV in place (keeps the latest row per email)."""
import csv

import yaml

with open("pipeline.yaml") as fh:
    config = yaml.safe_load(fh)

src = config["output_csv"]

with open(src, newline="") as fh:
    rows = list(csv.DictReader(fh))

latest = {}
for row in sorted(rows, key=lambda r: r["updated_at"]):
    latest[row["email"].strip().lower()] = row

fieldnames = list(rows[0].keys()) if rows else []
# expect: destructive
with open(src, "w", newline="") as fh:
    writer = csv.DictWriter(fh, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows(latest.values())

print(f"{len(rows)} -> {len(latest)} rows")
