import sqlite3
from pathlib import Path

DB_PATH = Path.home() / ".local/share/acme/cache.db"

SCHEMA = """
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS embeddings;
CREATE TABLE documents (id INTEGER PRIMARY KEY, path TEXT, sha TEXT);
CREATE TABLE embeddings (doc_id INTEGER, vector BLOB);
"""


def reset():
    con = sqlite3.connect(DB_PATH)
    # expect: destructive
    con.executescript(SCHEMA)
    con.commit()
    con.close()


reset()
