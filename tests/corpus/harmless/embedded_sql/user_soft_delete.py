import sqlite3

DB = "app.db"


def soft_delete_user(user_id: int) -> None:
    con = sqlite3.connect(DB)
    with con:
        con.execute("UPDATE users SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", (user_id,))
        con.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
        con.execute("INSERT INTO audit (action, user_id) VALUES ('soft_delete', ?)", (user_id,))
    con.close()


def schema():
    con = sqlite3.connect(DB)
    con.executescript("""
        CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, deleted_at TEXT);
        CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, user_id INTEGER);
        CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
    """)
    con.close()
