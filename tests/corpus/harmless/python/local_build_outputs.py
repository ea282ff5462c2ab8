import json
from datetime import date
from pathlib import Path

import pandas as pd

REPORTS = Path("reports")


def write_summary(df: pd.DataFrame) -> Path:
    REPORTS.mkdir(exist_ok=True)
    out = REPORTS / f"summary_{date.today():%Y%m%d}.md"
    with open(out, "w") as fh:
        fh.write("# Daily summary\n\n")
        fh.write(df.describe().to_markdown())
    (REPORTS / "latest.json").write_text(json.dumps({"path": str(out)}))
    return out


if __name__ == "__main__":
    data = pd.read_parquet("data/metrics.parquet")
    print(write_summary(data))
