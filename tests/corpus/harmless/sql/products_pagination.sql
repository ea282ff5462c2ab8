-- Pagination queries for the products API (MySQL).

-- page N with offset (admin screens, small tables)
SELECT id, sku, name, price_cents
FROM products
WHERE is_active = 1
ORDER BY name, id
LIMIT 50 OFFSET 100;

-- keyset pagination for the public catalogue
SELECT id, sku, name, price_cents
FROM products
WHERE is_active = 1
  AND (name, id) > ('Enamel mug', 1042)
ORDER BY name, id
LIMIT 50;

-- total for the pager
SELECT COUNT(*) AS total FROM products WHERE is_active = 1;
