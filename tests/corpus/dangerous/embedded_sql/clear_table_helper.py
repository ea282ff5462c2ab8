import pandas as pd
from sqlalchemy import create_engine

engine = create_engine("postgresql+psycopg2://etl@warehouse.internal/dw")


def clear(table: str):
    before = pd.read_sql(f"SELECT count(*) AS n FROM {table}", engine)["n"][0]
    with engine.connect() as conn:
        raw = conn.connection
        cur = raw.cursor()
        # expect: destructive
        cur.execute(f"DELETE FROM {table}")
        raw.commit()
    return before


if __name__ == "__main__":
    print(clear("marts.fct_sessions"))
