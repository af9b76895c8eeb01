"""Whole-system fault scenarios (`make test-faults`): the system in
production mode on its own RabbitMQ node and PostgreSQL cluster, a bounded
workload through the HTTP API, and one fault injected a third of the way
in, after a control run without faults on the same system. After each run:
a bounded wait for quiescence, then the counters of checker.py. Target: 0
lost, 0 unexpected, at most one duplicate per mail, every process back
without a manual restart (the suite restarts only the process it killed,
as a supervisor would)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.faults import checker
from tests.faults.checker import PROBLEMS
from tests.faults.controls import BREAKAGES, breaks_as_expected
from tests.faults.system import FaultSystem
from tests.faults.workload import Workload

pytestmark = [pytest.mark.fault_scenario, pytest.mark.timeout(900)]

QUIET_SECONDS = 180.0


@dataclass(frozen=True)
class Scenario:
    name: str
    inject: Callable[[FaultSystem], None]  # returns once the fault is healed
    sender_may_duplicate: bool = False  # README: a crash before "sent" commits may resend each mail once


def restart_after(name: str, seconds: float = 1.0) -> Callable[[FaultSystem], None]:
    def inject(system: FaultSystem) -> None:
        since = system.process(name).log_path.stat().st_size
        system.kill(name)
        time.sleep(seconds)
        system.restart(name)
        system.wait_worker_ready(name, since)

    return inject


def rabbit_kill(system: FaultSystem) -> None:
    system.rabbit.kill()
    time.sleep(3)
    system.rabbit.start()


def rabbit_restart(system: FaultSystem) -> None:
    system.rabbit.stop()
    time.sleep(3)
    system.rabbit.start()


def rabbit_pause(system: FaultSystem) -> None:
    system.rabbit.pause()
    time.sleep(20)
    system.rabbit.resume()


def gunicorn_kill(system: FaultSystem) -> None:
    for _ in range(3):  # mid-request: the workload keeps every worker busy
        system.kill_gunicorn_worker("registration")
        time.sleep(1.5)


def smtp_down(system: FaultSystem) -> None:
    system.mail.down()
    time.sleep(30)
    system.mail.up()


def smtp_refusing(system: FaultSystem) -> None:
    system.mail.refuse(421)
    time.sleep(10)
    system.mail.refuse(451)
    time.sleep(10)
    system.mail.accept()


def pg_immediate(system: FaultSystem) -> None:
    system.pg.stop("immediate")
    time.sleep(3)
    system.pg.start()


SCENARIOS = [
    Scenario("rabbitmq kill -9 + restart", rabbit_kill),
    Scenario("rabbitmq graceful stop/start", rabbit_restart),
    Scenario("rabbitmq SIGSTOP 20 s", rabbit_pause),
    Scenario("kill -9 scheduling-worker (relay)", restart_after("scheduling-worker")),
    Scenario("kill -9 registration-worker (consumer)", restart_after("registration-worker")),
    Scenario("kill -9 notifications-worker (sender)", restart_after("notifications-worker"), True),
    Scenario("kill -9 gunicorn worker", gunicorn_kill),
    Scenario("SMTP down 30 s", smtp_down),
    Scenario("SMTP 421/451 for 20 s", smtp_refusing),
    # The sender's batch was accepted by SMTP, then its "sent" commit died
    # with the database: the same window as a sender crash (README's bound).
    Scenario("PostgreSQL immediate shutdown", pg_immediate, True),
]


def one_run(system: FaultSystem, scenario: Scenario | None, registrations: int, seed: int) -> dict:
    parked_before, _ = checker.queue_state(system)
    workload = Workload(system, registrations=registrations, seed=seed)
    workload.setup()
    healed: list[float] = []
    errors: list[BaseException] = []
    injector: threading.Thread | None = None

    def inject() -> None:
        try:
            assert scenario is not None
            scenario.inject(system)
        except BaseException as exc:  # reported with the run
            errors.append(exc)
        finally:
            healed.append(time.monotonic())

    def on_step(i: int, total: int) -> None:
        nonlocal injector
        if scenario is not None and injector is None and i >= total // 3:
            injector = threading.Thread(target=inject, name="fault", daemon=True)
            injector.start()

    log = workload.run(on_step)
    if injector is not None:
        injector.join(timeout=300)
    heal = healed[0] if healed else time.monotonic()
    recovered = probe(system, workload, heal)
    quiet = checker.wait_quiet(system, QUIET_SECONDS)
    stores = checker.gather(system, parked_before=parked_before)
    counts = checker.count(log, stores)
    blind = [] if scenario else [p for b in BREAKAGES for p in breaks_as_expected(b, log, stores, required=False)]
    return {
        **counts,
        "recover_seconds": recovered,
        "quiet_seconds": quiet,
        "died": system.died(),
        "restarted": list(system.restarts),
        "errors": [repr(e) for e in errors] + [f"control could not see: {p}" for p in blind],
    }


def probe(system: FaultSystem, workload: Workload, heal: float, timeout: float = 120) -> float | None:
    """Seconds from the heal until a registration made after it is
    acknowledged and its mail has arrived: the whole path works again."""
    person = workload.probe_person()
    while time.monotonic() - heal < timeout:
        if not person.acknowledged:
            workload.register(person)
        if person.acknowledged and system.mail.to(person.email):
            return time.monotonic() - heal
        time.sleep(0.25)
    return None


def verdicts(row: dict, *, sender_may_duplicate: bool) -> list[str]:
    # Duplicates are judged by their bound below, not as a plain count.
    problems = [f"{key}={row[key]}" for key in PROBLEMS if key != "mails_duplicated" and row[key]]
    if row["mails_max_copies"] > (2 if sender_may_duplicate else 1):
        problems.append(f"a mail arrived {row['mails_max_copies']} times")
    if row["quiet_seconds"] is None:
        problems.append(f"not quiet after {QUIET_SECONDS:.0f}s")
    if row["died"]:
        problems.append(f"died and stayed down: {row['died']}")
    problems += row["errors"]
    return problems


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_system_keeps_its_guarantees_through(scenario: Scenario, pg, rabbit, results, tmp_path, request):
    rounds = request.config.getoption("--rounds")
    registrations = request.config.getoption("--registrations")
    system = FaultSystem(tmp_path, pg=pg, rabbit=rabbit).start()
    failures = []
    try:
        for n, current in enumerate([None] + [scenario] * rounds):
            row = one_run(system, current, registrations, seed=n)
            row = {"scenario": scenario.name, "run": "control" if current is None else f"fault {n}", **row}
            results.append(row)
            problems = verdicts(row, sender_may_duplicate=scenario.sender_may_duplicate and current is not None)
            if problems:
                failures.append(f"{row['run']}: {'; '.join(problems)}")
    finally:
        if failures:
            print(system.log_text(60))
        system.stop()
    assert not failures, "\n".join(failures)
