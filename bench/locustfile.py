"""The officers that bench/load.py sets on the app: Locust users, one signed-in officer each.

bench/load.py writes the plan (LOAD_PLAN, a JSON file): the session cookies of the bench
officers, the requests their authority can see, the ones each may assign, and the words
they search for. Run through bench/load.py, which starts the servers and reads the
figures; on its own:

    LOAD_PLAN=plan.json locust -f bench/locustfile.py --headless -u 50 --host URL Officer

- `Officer`: the officer mix of issue 17, 1 s think time: the received inbox (page and
  filtered htmx partials), case pages, the alert inbox, directory and case search, an
  assign (its page, then the form posted back) and, rarely, a case's PDF.
- `InboxOnly` and `Bare`: no think time, for the throughput ceiling of the inbox and of
  the bare route (bench/bare.py) in the same run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
_officers = itertools.count()
FIELD = re.compile(r'name="(csrf_token|submission|version)"[^>]*value="([^"]*)"')


class _Signed(FastHttpUser):
    abstract = True
    # A slow answer is a figure, not a failure; a hung one is.
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        number = next(_officers) % len(PLAN["officers"])
        self.officer = PLAN["officers"][number]
        self.cookie = {
            "Cookie": f"{PLAN['cookie']}={self.officer['token']}",
            "User-Agent": PLAN["user_agent"],  # the session's Flask-Login identifier
        }
        self.mine = list(self.officer["assignable"])

    def page(self, url: str, name: str, **headers):
        with self.client.get(
            url, headers={**self.cookie, **headers}, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/sign-in" in (response.headers.get("HX-Redirect") or ""):
                response.failure("signed out")
            return response


class Officer(_Signed):
    wait_time = constant(1)

    @task(20)
    def inbox(self) -> None:
        self.page("/requests?box=received", "inbox page")

    @task(20)
    def partial(self) -> None:
        url = random.choice(PLAN["partials"])
        self.page(url, "inbox partial (filters)", **{"HX-Request": "true"})

    @task(30)
    def case(self) -> None:
        self.page(f"/requests/{random.choice(PLAN['cases'])}", "case page")

    @task(8)
    def alerts(self) -> None:
        self.page("/alerts", "alert inbox")

    @task(8)
    def directory(self) -> None:
        self.page(f"/directory?q={random.choice(PLAN['directory'])}", "directory search")

    @task(8)
    def search(self) -> None:
        self.page(f"/search?q={random.choice(PLAN['search'])}", "case search")

    @task(4)
    def assign(self) -> None:
        if not self.mine:
            return
        case = self.mine.pop()
        form = self.page(f"/requests/{case}/assign", "assign: its page")
        fields = dict(FIELD.findall(form.text or ""))
        if "csrf_token" not in fields:
            return
        with self.client.post(
            f"/requests/{case}/assign",
            data={**fields, "handler": str(random.choice(PLAN["handlers"]))},
            headers=self.cookie,
            name="assign: posted",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in (302, 303):
                response.failure(f"{response.status_code}")

    @task(1)
    def pdf(self) -> None:
        with self.client.get(
            f"/pdf/request/{random.choice(PLAN['cases'])}",
            headers=self.cookie,
            name="case PDF (inline)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not (response.content or b"").startswith(b"%PDF"):
                response.failure(f"{response.status_code}, not a PDF")


class InboxOnly(_Signed):
    wait_time = constant(0)

    @task
    def inbox(self) -> None:
        self.page("/requests?box=received", "inbox page")


class Bare(FastHttpUser):
    wait_time = constant(0)

    @task
    def bare(self) -> None:
        self.client.get("/bare", name="bare route")
