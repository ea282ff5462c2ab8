import boto3

iam = boto3.client("iam")
s3 = boto3.client("s3")


def unused_access_keys(max_age_days=90):
    for user in iam.list_users()["Users"]:
        for key in iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]:
            last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
            yield user["UserName"], key["AccessKeyId"], last.get("LastUsedDate")


def public_buckets():
    for b in s3.list_buckets()["Buckets"]:
        acl = s3.get_bucket_acl(Bucket=b["Name"])
        if any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"]):
            yield b["Name"]


if __name__ == "__main__":
    for row in unused_access_keys():
        print(*row)
    print("public:", list(public_buckets()))
