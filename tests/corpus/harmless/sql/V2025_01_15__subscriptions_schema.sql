-- V2025_01_15__subscriptions_schema.sql
-- Flyway migration: subscriptions domain.
--
-- Notes for reviewers:
--   * additive only: new tables, new columns, new indexes
--   * nothing is dropped or renamed here; never put DROP TABLE / DROP COLUMN
--     in the same migration as the code change that stops using a column
--   * soft deletes: rows get deleted_at instead of being removed

SET lock_timeout = '3s';

CREATE TABLE IF NOT EXISTS subscriptions.plans (
    id              serial PRIMARY KEY,
    code            text NOT NULL UNIQUE,
    name            text NOT NULL,
    interval        text NOT NULL CHECK (interval IN ('month', 'year')),
    price_cents     integer NOT NULL CHECK (price_cents >= 0),
    currency        char(3) NOT NULL DEFAULT 'EUR',
    is_public       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);

CREATE TABLE IF NOT EXISTS subscriptions.subscriptions (
    id              bigserial PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts.accounts (id),
    plan_id         integer NOT NULL REFERENCES subscriptions.plans (id),
    status          text NOT NULL DEFAULT 'trialing'
                    CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'paused')),
    seats           integer NOT NULL DEFAULT 1 CHECK (seats > 0),
    current_period_start timestamptz NOT NULL,
    current_period_end   timestamptz NOT NULL,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    canceled_at     timestamptz,
    is_deleted      boolean NOT NULL DEFAULT false,
    deleted_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS subscriptions.subscription_events (
    id              bigserial PRIMARY KEY,
    subscription_id bigint NOT NULL REFERENCES subscriptions.subscriptions (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS subscriptions_account_idx
    ON subscriptions.subscriptions (account_id) WHERE NOT is_deleted;
CREATE INDEX IF NOT EXISTS subscriptions_period_end_idx
    ON subscriptions.subscriptions (current_period_end) WHERE status IN ('active', 'trialing');
CREATE INDEX IF NOT EXISTS subscription_events_sub_idx
    ON subscriptions.subscription_events (subscription_id, created_at DESC);

ALTER TABLE accounts.accounts ADD COLUMN IF NOT EXISTS billing_email text;
ALTER TABLE accounts.accounts ADD COLUMN IF NOT EXISTS tax_exempt boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN subscriptions.subscriptions.deleted_at IS
    'Set when an admin deletes the subscription in the back office; the row is kept for invoicing history.';

CREATE OR REPLACE FUNCTION subscriptions.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscriptions_touch
    BEFORE UPDATE ON subscriptions.subscriptions
    FOR EACH ROW EXECUTE FUNCTION subscriptions.touch_updated_at();

INSERT INTO subscriptions.plans (code, name, interval, price_cents) VALUES
    ('starter_m', 'Starter', 'month', 1900),
    ('team_m', 'Team', 'month', 4900),
    ('team_y', 'Team (annual)', 'year', 49000),
    ('business_y', 'Business (annual)', 'year', 149000)
ON CONFLICT (code) DO NOTHING;

GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA subscriptions TO billing_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA subscriptions TO billing_app;
GRANT SELECT ON ALL TABLES IN SCHEMA subscriptions TO reporting;
