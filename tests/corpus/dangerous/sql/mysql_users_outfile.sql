-- mysql: dump active users for the newsletter tool
-- expect: exfiltration
SELECT id, email, first_name, last_name
FROM users
WHERE is_active = 1
  AND newsletter = 1
INTO OUTFILE '/var/lib/mysql-files/newsletter_users.csv'
FIELDS TERMINATED BY ',' ENCLOSED BY '"'
LINES TERMINATED BY '\n';
