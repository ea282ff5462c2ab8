-- MySQL: remove phone/fax now that contact info lives in contact_methods
-- expect: destructive
ALTER TABLE customers
    DROP COLUMN phone,
    DROP COLUMN fax;

-- expect: destructive
ALTER TABLE orders DROP FOREIGN KEY fk_orders_salesrep;
