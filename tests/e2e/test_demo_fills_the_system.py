"""`make run`'s demo, end to end: the seed, the whole system, then the demo
process (deploy/Procfile.embedded) filling it through the HTTP APIs. The
congress has its programme, categories with quotas, custom fields, dozens of
registrations with some waiting, workshop sign-ups and check-ins; a second
demo process adds nothing.

The rate limits are lifted (UnlimitedSystem) only to keep the test short:
the demo waits out a 429 as Retry-After says (tests/integration/
test_demo_client_waits_out_rate_limits.py)."""

from __future__ import annotations

import pytest

from tests.e2e.harness import MODES, PYTHON, UnlimitedSystem, running

CONGRESS = "congresso-comuni-digitali"
DEMO = {"email": "organizzatore@example.org", "password": "demo-password"}
FILL_SECONDS = 180.0


class DemoSystem(UnlimitedSystem):
    """The system as `make run` has it: seeded, with the demo process beside the others."""

    def _prepare(self) -> None:
        super()._prepare()
        self._run("seed", [PYTHON, "-m", "services.scheduling.seed"])

    def start(self) -> DemoSystem:
        super().start()
        self.start_demo()
        return self

    def start_demo(self) -> None:
        self._spawn("demo", [PYTHON, "-m", "services.demo"])

    def demo_log(self) -> str:
        return (self.log_dir / "demo.log").read_text("utf-8", "replace")

    def wait_for_demo(self, times: int = 1) -> str:
        def finished():
            log = self.demo_log()
            if "demo not filled" in log:
                raise AssertionError(f"the demo failed:\n{self.log_text()}")
            return log.count("demo filled") >= times and log

        return self.wait_for(finished, timeout=FILL_SECONDS, message="the demo process to fill the system")


@pytest.fixture(scope="module", params=MODES)
def demo(request, tmp_path_factory):
    system = DemoSystem(request.param, tmp_path_factory.mktemp(f"e2e-demo-{request.param}"))
    with running(system, "the demo filled the system") as started:
        started.wait_for_demo()
        yield started


def _registrations(system, headers, slug, **query) -> dict:
    params = {"page_size": 500, **query}
    answer = system.get(f"/registration/api/v1/organiser/events/{slug}/registrations", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_congress_has_a_released_programme_of_two_days(demo):
    schedule = demo.get(f"/scheduling/api/v1/events/{CONGRESS}/schedule").json()
    talks = [s for s in schedule["sessions"] if s["kind"] == "session"]
    workshops = [s for s in talks if s["requires_signup"]]
    assert len(talks) == 15 and len(schedule["speakers"]) == 8
    assert len(schedule["rooms"]) == 3 and len(schedule["tracks"]) == 2
    assert sorted(w["seat_limit"] for w in workshops) == [10, 12]
    assert schedule["version"]["name"] == "1.0"


def test_the_congress_form_has_two_categories_with_quotas_and_two_custom_fields(demo):
    form = demo.get(f"/registration/api/v1/events/{CONGRESS}/form").json()
    assert {c["code"]: c["quota"] for c in form["categories"]} == {"amministratori": 10, "personale": 20}
    assert [(f["key"], f["kind"]) for f in form["fields"]] == [("cena_sociale", "choice"), ("esigenze", "text")]
    assert all(c["left"] == 0 for c in form["categories"])  # both quotas are taken, people wait beyond them
    assert len(form["workshops"]) == 2


def test_dozens_registered_some_waiting_some_in_workshops(demo):
    headers = demo.login(DEMO)
    congress = _registrations(demo, headers, CONGRESS)["items"]
    statuses = [r["status"] for r in congress]
    assert len(congress) == 34 and statuses.count("confirmed") == 30 and statuses.count("waitlisted") == 4
    assert all(r["organisation"] and r["category"] for r in congress)
    signups = [w for r in congress for w in r["workshops"]]
    assert len(signups) == 22 and any(w["status"] == "waitlisted" for w in signups)  # 14 for 12 seats
    events = demo.get("/scheduling/api/v1/events", params={"page_size": 100}).json()["items"]
    totals = {e["slug"]: _registrations(demo, headers, e["slug"])["total"] for e in events}
    assert len(totals) == 5 and all(totals.values()) and sum(totals.values()) >= 60


def test_people_checked_in_for_the_first_day_and_its_sessions(demo):
    headers = demo.login(DEMO)
    rows = demo.get(f"/registration/api/v1/organiser/events/{CONGRESS}/attendance", headers=headers).json()
    attended = [row for row in rows if row["minutes_attended"] > 0]
    assert 15 <= len(attended) <= 30  # the first 20 confirmed, not everybody


def test_a_second_demo_process_adds_nothing(demo):
    headers = demo.login(DEMO)
    before = _registrations(demo, headers, CONGRESS)["total"]
    demo.start_demo()  # its log is appended to the first one's
    log = demo.wait_for_demo(times=2)
    assert log.rstrip().splitlines()[-1].endswith("demo filled: 0 registrations and 0 check-ins added")
    assert _registrations(demo, headers, CONGRESS)["total"] == before
