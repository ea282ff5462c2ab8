"""Reset the app database to the seed state (used before demos)."""
import sqlite3
from pathlib import Path

DB = Path(__file__).resolve().parent.parent / "instance" / "app.db"
SEED = Path(__file__).resolve().parent / "seed.sql"

conn = sqlite3.connect(DB)
# expect: destructive
conn.executescript("""
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;
DROP TABLE IF EXISTS invoices;
""")
conn.executescript(SEED.read_text())
conn.commit()
conn.close()
print("database reset from", SEED)
