"""Clean a month of clickstream CSVs with Dask and write partitioned parquet locally."""
import argparse

import dask.dataframe as dd
from dask.distributed import Client, LocalCluster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("month", help="YYYY-MM")
    parser.add_argument("--out", default="data/clickstream_clean")
    args = parser.parse_args()

    with LocalCluster(n_workers=4, threads_per_worker=2) as cluster, Client(cluster):
        df = dd.read_csv(f"data/clickstream/{args.month}-*.csv", blocksize="64MB", dtype={"referrer": "object"})
        df = df.drop(columns=["ip_address", "user_agent_raw"])
        df = df.dropna(subset=["session_id", "ts"])
        df = df[df.url.str.startswith("https://shop.acme.io")]
        df["ts"] = dd.to_datetime(df.ts, utc=True)
        df["day"] = df.ts.dt.strftime("%Y-%m-%d")
        df = df.drop_duplicates(subset=["session_id", "ts", "url"])
        df.to_parquet(f"{args.out}/{args.month}", partition_on=["day"], write_index=False, overwrite=False)
        print(df.groupby("day").size().compute().sort_index())


if __name__ == "__main__":
    main()
