-- Flyway: add the customer tier and supporting indexes (no locks on big tables)
ALTER TABLE customers ADD COLUMN IF NOT EXISTS tier varchar(16);
ALTER TABLE customers ADD COLUMN IF NOT EXISTS tier_changed_at timestamptz;
ALTER TABLE customers ALTER COLUMN tier SET DEFAULT 'standard';

CREATE TABLE IF NOT EXISTS customer_tier_history (
    id            bigserial PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id),
    old_tier      varchar(16),
    new_tier      varchar(16) NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_tier_idx ON customers (tier);
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_tier_history_customer_idx
    ON customer_tier_history (customer_id, changed_at DESC);
COMMENT ON COLUMN customers.tier IS 'pricing tier; drop-in replacement for the old plan_level flag';
