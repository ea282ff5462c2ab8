-- MySQL: one-off extract for the marketing agency
SELECT COUNT(*) FROM app.users WHERE marketing_opt_in = 1;

-- expect: exfiltration
SELECT id, email, first_name, last_name
INTO OUTFILE '/var/lib/mysql-files/users_optin.csv'
FIELDS TERMINATED BY ',' ENCLOSED BY '"'
LINES TERMINATED BY '\n'
FROM app.users
WHERE marketing_opt_in = 1;
