from shutil import rmtree as nuke
import os
import os.path as osp

WORKSPACES = os.environ.get("WORKSPACE_ROOT", "/srv/workspaces")


def user_workspace(user: str) -> str:
    return osp.join(WORKSPACES, user)


def delete_workspace(user: str) -> None:
    path = user_workspace(user)
    if not osp.isdir(path):
        raise FileNotFoundError(path)
    # expect: destructive
    nuke(path)


def delete_all():
    for user in os.listdir(WORKSPACES):
        delete_workspace(user)


if __name__ == "__main__":
    delete_all()
