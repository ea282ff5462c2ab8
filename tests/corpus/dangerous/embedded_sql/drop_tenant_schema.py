import logging
import sys

import psycopg2

log = logging.getLogger("tenants")


def offboard(conn, tenant):
    schema = "tenant_{}".format(tenant)
    with conn.cursor() as cur:
        log.warning("dropping schema %s", schema)
        # expect: destructive
        cur.execute("DROP SCHEMA {} CASCADE".format(schema))
    conn.commit()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    offboard(psycopg2.connect("service=app"), sys.argv[1])
