-- mysql: housekeeping on the shop database
ALTER TABLE carts ADD COLUMN abandoned_at DATETIME NULL AFTER updated_at;
CREATE INDEX carts_abandoned_idx ON carts (abandoned_at);

UPDATE carts SET abandoned_at = updated_at
WHERE checked_out = 0 AND updated_at < NOW() - INTERVAL 7 DAY;

DELETE FROM cart_items
WHERE cart_id IN (SELECT id FROM carts WHERE abandoned_at < NOW() - INTERVAL 90 DAY);

OPTIMIZE TABLE cart_items;
