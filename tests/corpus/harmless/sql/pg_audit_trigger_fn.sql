-- Generic updated_at trigger and soft-delete helper
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION soft_delete_customer(p_id bigint) RETURNS void
LANGUAGE sql AS $$
    UPDATE customers SET deleted_at = now() WHERE id = p_id AND deleted_at IS NULL;
$$;

DROP TRIGGER IF EXISTS customers_set_updated_at ON customers;
CREATE TRIGGER customers_set_updated_at
    BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
