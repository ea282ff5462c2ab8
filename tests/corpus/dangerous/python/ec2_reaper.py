import datetime as dt
import boto3

REGION = "eu-west-1"
MAX_AGE_DAYS = 7


def stale_instances(ec2):
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=MAX_AGE_DAYS)
    resp = ec2.describe_instances(Filters=[{"Name": "tag:team", "Values": ["data"]}])
    for res in resp["Reservations"]:
        for inst in res["Instances"]:
            if inst["LaunchTime"] < cutoff:
                yield inst["InstanceId"]


def main():
    ec2 = boto3.client("ec2", region_name=REGION)
    ids = list(stale_instances(ec2))
    if not ids:
        print("nothing to reap")
        return
    print("terminating", ids)
    # expect: destructive
    ec2.terminate_instances(InstanceIds=ids)


main()
