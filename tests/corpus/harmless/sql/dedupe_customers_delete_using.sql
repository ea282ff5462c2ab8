-- Deduplicate customers (PostgreSQL): keep the oldest row per normalised email.
-- Orders are repointed first so nothing is orphaned.

BEGIN;

CREATE TEMP TABLE customer_dupes AS
SELECT id, keep_id
FROM (
    SELECT id,
           first_value(id) OVER (PARTITION BY lower(trim(email)) ORDER BY created_at, id) AS keep_id
    FROM customers
) ranked
WHERE id <> keep_id;

SELECT count(*) AS duplicates FROM customer_dupes;

UPDATE orders o
SET customer_id = d.keep_id
FROM customer_dupes d
WHERE o.customer_id = d.id;

DELETE FROM customers c
USING customer_dupes d
WHERE c.id = d.id;

COMMIT;
