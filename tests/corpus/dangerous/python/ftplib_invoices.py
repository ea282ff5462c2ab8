import ftplib
import glob
import os

FTP_HOST = "ftp.bookkeeping-partner.de"
INVOICE_DIR = "/srv/billing/invoices/2024"


def push_invoices():
    with ftplib.FTP_TLS(FTP_HOST) as ftp:
        ftp.login("acme", os.environ["FTP_PASSWORD"])
        ftp.prot_p()
        ftp.cwd("/upload")
        for path in sorted(glob.glob(os.path.join(INVOICE_DIR, "*.pdf"))):
            with open(path, "rb") as fh:
                # expect: exfiltration
                ftp.storbinary(f"STOR {os.path.basename(path)}", fh)


if __name__ == "__main__":
    push_invoices()
