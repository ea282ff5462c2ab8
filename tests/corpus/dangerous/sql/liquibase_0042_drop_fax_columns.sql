--liquibase formatted sql

--changeset dana.k:0042-1 labels:crm
--comment: fax is gone; remove the columns and the old notes table
-- expect: destructive
ALTER TABLE customers DROP COLUMN fax_number;
--rollback ALTER TABLE customers ADD COLUMN fax_number VARCHAR(32);

--changeset dana.k:0042-2 labels:crm
-- expect: destructive
DROP TABLE customer_notes_legacy;
--rollback CREATE TABLE customer_notes_legacy (id BIGINT PRIMARY KEY, customer_id BIGINT, note TEXT);

--changeset dana.k:0042-3 labels:crm
CREATE INDEX idx_customers_updated_at ON customers (updated_at);
--rollback DROP INDEX idx_customers_updated_at;
