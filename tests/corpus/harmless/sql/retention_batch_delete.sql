-- Remove sessions older than 30 days (runs nightly)
DELETE FROM web_sessions
WHERE last_seen_at < now() - interval '30 days';

-- Expire unconfirmed signups
UPDATE signups
SET status = 'expired'
WHERE status = 'pending'
  AND created_at < now() - interval '7 days';

DELETE FROM password_resets WHERE used = true OR expires_at < now();
