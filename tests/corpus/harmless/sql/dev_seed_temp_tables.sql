-- Seed demo data for local dev without touching existing rows (idempotent).
-- Loads into a temporary table first, then inserts only what is missing.

BEGIN;

CREATE TEMPORARY TABLE seed_customers (
    email text PRIMARY KEY,
    full_name text NOT NULL,
    country char(2) NOT NULL
) ON COMMIT DROP;

INSERT INTO seed_customers (email, full_name, country) VALUES
    ('ada@example.com', 'Ada Lovelace', 'GB'),
    ('grace@example.com', 'Grace Hopper', 'US'),
    ('edsger@example.com', 'Edsger Dijkstra', 'NL');

INSERT INTO customers (email, full_name, country)
SELECT s.email, s.full_name, s.country
FROM seed_customers s
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.email = s.email);

COMMIT;
