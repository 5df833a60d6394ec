"""The load run's users: each signs in through the login form as one of the demo sign-ins
and then reads that role's main pages in turn (the paths come from ``bench/load.py``,
which resolves ``pilot.bench_pages`` and passes them in ``LOAD_PLAN``, a JSON file).

Any answer other than 200 counts as an error (redirects are not followed).
"""

import itertools
import json
import os
import random
import re

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = PLAN["password"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class RoleUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        spec = PLAN["roles"][self.role]
        self.pages = spec["pages"]
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = TOKEN.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"username": spec["email"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False,
            name="sign in (post)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        start = random.randrange(len(self.pages))  # noqa: S311 - spread users over pages
        self.cycle = itertools.islice(itertools.cycle(self.pages), start, None)

    def read_next_page(self) -> None:
        label, path = next(self.cycle)
        with self.client.get(
            path, name=f"{label} [{self.role}]", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


def _user_class(role: str, weight: int) -> type[RoleUser]:
    def task(self: RoleUser) -> None:
        self.read_next_page()

    return type(
        f"{role.title()}User",
        (RoleUser,),
        {"role": role, "weight": weight, "tasks": [task], "__module__": __name__},
    )


for _role, _spec in PLAN["roles"].items():
    globals()[f"{_role.title()}User"] = _user_class(_role, _spec["weight"])


@events.quitting.add_listener
def _exit_code(environment, **kwargs) -> None:
    environment.process_exit_code = 0  # load.py reads the figures and decides
