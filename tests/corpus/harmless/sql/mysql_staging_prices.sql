-- Apply the new supplier price list through a temporary staging table (MySQL 8).

CREATE TEMPORARY TABLE tmp_supplier_prices (
    sku VARCHAR(64) PRIMARY KEY,
    price_cents INT NOT NULL
);

LOAD DATA LOCAL INFILE 'supplier_prices.csv'
INTO TABLE tmp_supplier_prices
FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
IGNORE 1 LINES (sku, price_cents);

UPDATE products p
JOIN tmp_supplier_prices t ON t.sku = p.sku
SET p.price_cents = t.price_cents, p.updated_at = NOW()
WHERE p.price_cents <> t.price_cents;

DROP TEMPORARY TABLE tmp_supplier_prices;
