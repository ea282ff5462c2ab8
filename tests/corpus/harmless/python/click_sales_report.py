"""sales-report: print a summary of sales per region from the warehouse."""
import os

import click
import pandas as pd
from sqlalchemy import create_engine, text


@click.command()
@click.option("--since", default="2024-01-01")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="write a CSV here")
def report(since: str, out: str | None) -> None:
    engine = create_engine(os.environ["DWH_URL"])
    q = text("SELECT region, SUM(amount) AS revenue FROM marts.sales WHERE sale_date >= :since GROUP BY region")
    with engine.connect() as conn:
        df = pd.read_sql(q, conn, params={"since": since})
    df = df.drop(columns=[c for c in df.columns if c.startswith("_")])
    click.echo(df.to_string(index=False))
    if out:
        df.to_csv(out, index=False)


if __name__ == "__main__":
    report()
