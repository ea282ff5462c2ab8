-- MySQL: dump the users table for the analytics contractor
-- expect: exfiltration
SELECT id, email, password_hash, created_at
INTO OUTFILE '/var/lib/mysql-files/users_export.csv'
FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
LINES TERMINATED BY '\n'
FROM users;
