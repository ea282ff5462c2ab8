from pathlib import Path

import boto3

s3 = boto3.client("s3")
BUCKET = "acme-finance-reports"
DEST = Path("downloads/finance")


def latest_keys(prefix: str, n: int = 5) -> list[str]:
    resp = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    objs = sorted(resp.get("Contents", []), key=lambda o: o["LastModified"], reverse=True)
    return [o["Key"] for o in objs[:n]]


def main():
    DEST.mkdir(parents=True, exist_ok=True)
    for key in latest_keys("monthly/"):
        target = DEST / Path(key).name
        s3.download_file(BUCKET, key, str(target))
        print("downloaded", target)


if __name__ == "__main__":
    main()
