-- sqlite: change orders.total from TEXT to REAL (sqlite cannot ALTER COLUMN)
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE orders_new (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total REAL NOT NULL,
    created_at TEXT NOT NULL
);

INSERT INTO orders_new (id, customer_id, total, created_at)
SELECT id, customer_id, CAST(total AS REAL), created_at FROM orders;

-- expect: destructive
DROP TABLE orders;

ALTER TABLE orders_new RENAME TO orders;

COMMIT;
PRAGMA foreign_keys = ON;
