-- Flyway: indexes for the new order search endpoint (postgres)
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_created_idx
    ON orders (customer_id, created_at DESC);

CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_partial_idx
    ON orders (status) WHERE status IN ('pending', 'processing');

ALTER TABLE orders ADD COLUMN IF NOT EXISTS search_vector tsvector;
COMMENT ON COLUMN orders.search_vector IS 'populated by trigger; do not drop';
