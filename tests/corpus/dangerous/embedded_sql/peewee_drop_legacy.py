from peewee import PostgresqlDatabase

db = PostgresqlDatabase("inventory", host="db.internal", user="inv")


def drop_legacy_tables():
    db.connect()
    # expect: destructive
    db.execute_sql("DROP TABLE IF EXISTS stock_movements_legacy CASCADE")
    db.close()


if __name__ == "__main__":
    drop_legacy_tables()
