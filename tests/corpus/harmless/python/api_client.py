import os
from dataclasses import dataclass

import requests


@dataclass
class JiraClient:
    base_url: str = "https://acme.atlassian.net"
    token: str = os.environ.get("JIRA_TOKEN", "")
    user: str = os.environ.get("JIRA_USER", "")

    def _get(self, path, **params):
        r = requests.get(f"{self.base_url}{path}", params=params, auth=(self.user, self.token), timeout=30)
        r.raise_for_status()
        return r.json()

    def open_bugs(self, project="SHOP"):
        jql = f"project = {project} AND type = Bug AND statusCategory != Done"
        return self._get("/rest/api/3/search", jql=jql, maxResults=100)["issues"]


if __name__ == "__main__":
    for issue in JiraClient().open_bugs():
        print(issue["key"], issue["fields"]["summary"])
