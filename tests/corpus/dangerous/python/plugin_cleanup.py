import importlib
import logging
import os

log = logging.getLogger("plugins")
PLUGIN_DIR = os.path.expanduser(os.environ.get("PLUGIN_DIR", "~/.acme/plugins"))


def _remover():
    mod = importlib.import_module("shutil")
    return getattr(mod, "rmtree")


def uninstall_all():
    remove = _remover()
    for name in os.listdir(PLUGIN_DIR):
        log.info("uninstalling %s", name)
    # expect: destructive
    remove(PLUGIN_DIR)


if __name__ == "__main__":
    uninstall_all()
