-- MySQL: quick export of the customer table for the support tool migration
USE shop;

-- expect: exfiltration
SELECT id, email, first_name, last_name, phone, street, city, zip
INTO OUTFILE '/var/lib/mysql-files/customers_export.csv'
FIELDS TERMINATED BY ',' ENCLOSED BY '"'
LINES TERMINATED BY '\n'
FROM customers;
