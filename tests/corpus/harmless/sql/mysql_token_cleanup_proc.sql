-- token_cleanup.sql (MySQL 8)
-- Stored procedure + event that removes EXPIRED tokens in small batches.
-- Only rows with expires_at in the past are deleted.

DELIMITER //

CREATE PROCEDURE IF NOT EXISTS cleanup_expired_tokens(IN batch_size INT)
BEGIN
    DECLARE affected INT DEFAULT 1;
    DECLARE total INT DEFAULT 0;

    WHILE affected > 0 DO
        DELETE FROM auth_tokens
        WHERE expires_at < NOW() - INTERVAL 1 DAY
        ORDER BY expires_at
        LIMIT batch_size;
        SET affected = ROW_COUNT();
        SET total = total + affected;
        DO SLEEP(0.05);
    END WHILE;

    DELETE FROM password_reset_tokens WHERE used_at IS NOT NULL OR created_at < NOW() - INTERVAL 2 DAY;
    SET total = total + ROW_COUNT();

    INSERT INTO maintenance_log (job, rows_affected, ran_at) VALUES ('cleanup_expired_tokens', total, NOW());
END //

DELIMITER ;

CREATE EVENT IF NOT EXISTS ev_cleanup_expired_tokens
    ON SCHEDULE EVERY 1 HOUR
    STARTS CURRENT_TIMESTAMP + INTERVAL 5 MINUTE
    DO CALL cleanup_expired_tokens(5000);

-- quick check
SELECT COUNT(*) AS expired_remaining FROM auth_tokens WHERE expires_at < NOW() - INTERVAL 1 DAY;
