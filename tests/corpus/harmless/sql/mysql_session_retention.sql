-- MySQL: retention job, run every 10 minutes by the event scheduler
DELETE FROM sessions
WHERE expires_at < NOW() - INTERVAL 1 DAY
ORDER BY expires_at
LIMIT 5000;

DELETE FROM password_resets WHERE used = 1 OR created_at < NOW() - INTERVAL 2 HOUR;

UPDATE users SET failed_logins = 0 WHERE last_failed_login < NOW() - INTERVAL 1 HOUR AND failed_logins > 0;
