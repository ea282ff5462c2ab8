-- mysql: swap in the rebuilt orders table
CREATE TABLE orders_new LIKE orders;
INSERT INTO orders_new SELECT * FROM orders WHERE created_at >= '2020-01-01';
-- expect: destructive
ALTER TABLE orders RENAME TO orders_old;
-- expect: destructive
ALTER TABLE orders_new RENAME TO orders;
