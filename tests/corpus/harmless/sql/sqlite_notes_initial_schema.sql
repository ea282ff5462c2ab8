-- sqlite: initial schema (do not DROP TABLE here; migrations are additive)
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_notes_title ON notes(title);
INSERT INTO notes (title, body) VALUES ('welcome', 'TRUNCATE is not used in this app');
UPDATE notes SET deleted_at = datetime('now') WHERE id = 42;
