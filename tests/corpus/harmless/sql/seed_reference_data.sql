-- seed_reference_data.sql
-- Reference data for every environment (countries, currencies, order statuses).
-- Idempotent: ON CONFLICT DO UPDATE / DO NOTHING; it never deletes rows, so it
-- is safe to run against production after each deploy.

BEGIN;

INSERT INTO ref.currencies (code, name, minor_units, symbol) VALUES
    ('EUR', 'Euro', 2, '€'),
    ('USD', 'US Dollar', 2, '$'),
    ('GBP', 'Pound Sterling', 2, '£'),
    ('CHF', 'Swiss Franc', 2, 'CHF'),
    ('SEK', 'Swedish Krona', 2, 'kr'),
    ('JPY', 'Yen', 0, '¥')
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, minor_units = EXCLUDED.minor_units, symbol = EXCLUDED.symbol;

INSERT INTO ref.countries (code, name, currency, vat_rate, region) VALUES
    ('DE', 'Germany', 'EUR', 19.0, 'EU'),
    ('AT', 'Austria', 'EUR', 20.0, 'EU'),
    ('FR', 'France', 'EUR', 20.0, 'EU'),
    ('NL', 'Netherlands', 'EUR', 21.0, 'EU'),
    ('BE', 'Belgium', 'EUR', 21.0, 'EU'),
    ('IT', 'Italy', 'EUR', 22.0, 'EU'),
    ('ES', 'Spain', 'EUR', 21.0, 'EU'),
    ('SE', 'Sweden', 'SEK', 25.0, 'EU'),
    ('CH', 'Switzerland', 'CHF', 8.1, 'EFTA'),
    ('GB', 'United Kingdom', 'GBP', 20.0, 'UK'),
    ('US', 'United States', 'USD', 0.0, 'NA'),
    ('JP', 'Japan', 'JPY', 10.0, 'APAC')
ON CONFLICT (code) DO UPDATE SET vat_rate = EXCLUDED.vat_rate, currency = EXCLUDED.currency;

INSERT INTO ref.order_statuses (code, label, is_final, sort_order) VALUES
    ('new', 'New', false, 10),
    ('paid', 'Paid', false, 20),
    ('packed', 'Packed', false, 30),
    ('shipped', 'Shipped', false, 40),
    ('delivered', 'Delivered', true, 50),
    ('cancelled', 'Cancelled', true, 60),
    ('refunded', 'Refunded', true, 70),
    ('deleted', 'Deleted (soft)', true, 99)
ON CONFLICT (code) DO NOTHING;

INSERT INTO ref.feature_flags (name, enabled, description) VALUES
    ('new_checkout', false, 'One-page checkout'),
    ('delete_account_self_service', true, 'Users can request account deletion from settings'),
    ('drop_shipping', false, 'Supplier ships directly to customer')
ON CONFLICT (name) DO NOTHING;

-- a status that was renamed in 2023: update the label only
UPDATE ref.order_statuses SET label = 'Cancelled by customer' WHERE code = 'cancelled' AND label = 'Canceled';

COMMIT;
