-- MySQL 8: move everybody to the new default plan after the pricing change
USE saas;

SET @new_plan := 'starter-2024';

START TRANSACTION;
-- expect: destructive
UPDATE accounts
SET plan_code = @new_plan, plan_changed_at = NOW()
WHERE 1;
COMMIT;

SELECT plan_code, COUNT(*) FROM accounts GROUP BY plan_code;
