-- Remove the feature flag `new_checkout` (fully rolled out on 2025-01-20).

DELETE FROM feature_flag_overrides
WHERE flag_key = 'new_checkout';

DELETE FROM feature_flags
WHERE flag_key = 'new_checkout';

INSERT INTO audit_log (actor, action, detail, created_at)
VALUES ('release-bot', 'flag.removed', 'new_checkout', now());
