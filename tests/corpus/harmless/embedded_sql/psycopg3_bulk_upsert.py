import psycopg


def upsert_prices(rows):
    with psycopg.connect("postgresql://etl@db.internal/shop") as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE tmp_prices (sku text, price numeric) ON COMMIT DROP")
        with cur.copy("COPY tmp_prices (sku, price) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            "INSERT INTO prices (sku, price) SELECT sku, price FROM tmp_prices "
            "ON CONFLICT (sku) DO UPDATE SET price = EXCLUDED.price"
        )
        cur.execute("DROP TABLE IF EXISTS tmp_prices")
