-- sqlite schema for the desktop app, applied at every start
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE INDEX IF NOT EXISTS notes_updated ON notes(updated_at);

CREATE TRIGGER IF NOT EXISTS notes_touch AFTER UPDATE ON notes
BEGIN
    UPDATE notes SET updated_at = datetime('now') WHERE id = NEW.id;
END;

INSERT OR IGNORE INTO notes (id, title, body) VALUES (1, 'Welcome', 'Drop your first note here.');
