-- postgres: server-side export of the customer list
-- expect: exfiltration
COPY (SELECT id, name, email, phone FROM crm.customers) TO '/var/backups/exports/customers.csv' WITH (FORMAT csv, HEADER);
