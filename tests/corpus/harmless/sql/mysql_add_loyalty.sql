-- MySQL 8: loyalty tier
ALTER TABLE customers ADD COLUMN loyalty_tier VARCHAR(16) NULL;
CREATE INDEX idx_customers_loyalty ON customers (loyalty_tier);

UPDATE customers
SET loyalty_tier = 'gold'
WHERE lifetime_value >= 5000;
