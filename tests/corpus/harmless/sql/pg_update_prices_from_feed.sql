-- Apply the supplier price feed loaded into staging.price_feed
BEGIN;

UPDATE products p
SET price       = f.new_price,
    updated_at  = now()
FROM staging.price_feed f
WHERE f.sku = p.sku
  AND f.new_price IS NOT NULL
  AND f.new_price <> p.price;

UPDATE products
SET is_discontinued = true
WHERE sku IN (SELECT sku FROM staging.discontinued_skus)
  AND is_discontinued = false;

INSERT INTO price_changes (sku, old_price, new_price, changed_at)
SELECT p.sku, p.price, f.new_price, now()
FROM products p JOIN staging.price_feed f ON f.sku = p.sku;

COMMIT;
