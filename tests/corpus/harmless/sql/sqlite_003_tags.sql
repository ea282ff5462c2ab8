-- migrations/003_tags.sql (SQLite) - tags for posts.
PRAGMA foreign_keys = ON;

BEGIN;

CREATE TABLE IF NOT EXISTS tags (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE IF NOT EXISTS post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);

CREATE INDEX IF NOT EXISTS idx_post_tags_tag ON post_tags(tag_id);

ALTER TABLE posts ADD COLUMN tag_count INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER IF NOT EXISTS trg_post_tags_insert AFTER INSERT ON post_tags
BEGIN
    UPDATE posts SET tag_count = tag_count + 1 WHERE id = NEW.post_id;
END;

CREATE TRIGGER IF NOT EXISTS trg_post_tags_delete AFTER DELETE ON post_tags
BEGIN
    UPDATE posts SET tag_count = tag_count - 1 WHERE id = OLD.post_id;
END;

CREATE TRIGGER IF NOT EXISTS trg_tags_cleanup AFTER DELETE ON post_tags
WHEN NOT EXISTS (SELECT 1 FROM post_tags WHERE tag_id = OLD.tag_id)
BEGIN
    DELETE FROM tags WHERE id = OLD.tag_id;
END;

PRAGMA user_version = 3;

COMMIT;
