-- Deduplicate customers (MySQL 8): rebuild the table with one row per email and swap it in.

CREATE TABLE customers_clean LIKE customers;

INSERT INTO customers_clean
SELECT c.*
FROM customers c
JOIN (
    SELECT MIN(id) AS id
    FROM customers
    GROUP BY LOWER(TRIM(email))
) keep ON keep.id = c.id;

SELECT (SELECT COUNT(*) FROM customers) AS before_rows, (SELECT COUNT(*) FROM customers_clean) AS after_rows;

-- expect: destructive
DROP TABLE customers;
RENAME TABLE customers_clean TO customers;
