"""The load run's users: each is one of the demo sign-ins, with a session of its own that
``bench/load.py`` signed in beforehand (so the measured requests are page reads, not
password hashing), and reads that role's main pages in turn. The pages and sessions come
from ``LOAD_PLAN``, a JSON file that ``bench/load.py`` writes from ``bench.pages``.

Any answer other than 200 counts as an error (redirects are not followed: a lost session
would show as 302s).
"""

import itertools
import json
import os
import random

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
COOKIE = PLAN["cookie_name"]
_sessions = {role: itertools.cycle(spec["sessions"]) for role, spec in PLAN["roles"].items()}


class RoleUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        spec = PLAN["roles"][self.role]
        self.headers = {"Cookie": f"{COOKIE}={next(_sessions[self.role])}"}
        pages = spec["pages"]
        start = random.randrange(len(pages))  # noqa: S311 - spread users over the pages
        self.cycle = itertools.islice(itertools.cycle(pages), start, None)

    def read_next_page(self) -> None:
        label, path = next(self.cycle)
        with self.client.get(
            path,
            name=f"{label} [{self.role}]",
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
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
def _write_results(environment, **kwargs) -> None:
    """The final figures, for bench/load.py to print (exactly what locust counted)."""
    stats = environment.stats

    def figures(entry) -> dict:
        return {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": entry.total_rps,
            **{
                f"p{int(q * 100)}": entry.get_response_time_percentile(q) or 0
                for q in (0.5, 0.9, 0.95, 0.99)
            },
            "max": entry.max_response_time or 0,
        }

    results = {
        "total": figures(stats.total),
        "pages": {name: figures(entry) for (name, _), entry in stats.entries.items()},
        "errors": {f"{e.name}: {e.error}": e.occurrences for e in stats.errors.values()},
    }
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as out:
        json.dump(results, out)
    environment.process_exit_code = 0  # load.py reads the figures and decides
