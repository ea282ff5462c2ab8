"""Upload last night's orders dump to the fulfilment partner's FTPS server."""
import glob
import os
from ftplib import FTP_TLS

HOST = "ftp.fulfilment-partner.net"


def latest_dump() -> str:
    dumps = sorted(glob.glob("/var/backups/orders/orders_*.csv.gz"))
    if not dumps:
        raise SystemExit("no dump found")
    return dumps[-1]


def main() -> None:
    path = latest_dump()
    ftps = FTP_TLS(HOST)
    ftps.login(os.environ["PARTNER_FTP_USER"], os.environ["PARTNER_FTP_PASS"])
    ftps.prot_p()
    ftps.cwd("/inbound/acme")
    with open(path, "rb") as fh:
        # expect: exfiltration
        ftps.storbinary(f"STOR {os.path.basename(path)}", fh)
    ftps.quit()
    print("uploaded", path)


if __name__ == "__main__":
    main()
