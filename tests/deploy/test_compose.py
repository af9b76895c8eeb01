"""deploy/docker-compose.yml, parsed as compose reads it (anchors and merge keys resolved),
keeps its rules; a copy broken in one of those ways is refused by the same checks."""

from __future__ import annotations

import pytest

from tests.deploy import compose_rules as rules


@pytest.fixture(scope="module")
def text() -> str:
    return rules.COMPOSE.read_text()


def test_the_compose_file_keeps_its_rules(text):
    assert rules.problems(rules.load(text)) == []


def test_the_environment_anchor_reaches_every_process_of_ours(text):
    compose = rules.load(text)
    ours = {name for name, service in compose["services"].items() if rules.ours(service)}
    assert {"migrate", "scheduling", "registration-worker", "notifications-sender", "mailcatcher"} <= ours
    for name in ours:
        env = rules.environment(compose["services"][name])
        assert env["BROKER_URL"] == "amqp://eventi:eventi@rabbitmq:5672/", name
        assert env["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/0", name
    assert rules.environment(compose["services"]["registration"])["WEB_THREADS"] == "1"
    assert rules.environment(compose["services"]["notifications-worker"])["NOTIFICATIONS_SENDER"] == "separate"


BROKEN = [
    (
        "SECRET_KEY: ${SECRET_KEY:?set SECRET_KEY to at least 32 random characters}",
        "SECRET_KEY: ${SECRET_KEY:-change-me}",
        "SECRET_KEY is not required",
    ),
    ("    redis: { condition: service_started }", "    rediss: { condition: service_started }", "depends on rediss"),
    (
        "depends_on: [scheduling, registration, notifications]",
        "depends_on: [scheduling, registrations]",
        "registrations",
    ),
    (
        "environment: { <<: *env, SERVICE: scheduling,",
        "environment: { SERVICE: scheduling,",
        "scheduling: environment lacks BROKER_URL",
    ),
    ('BIND: "0.0.0.0:8002"', 'BIND: "127.0.0.1:8002"', "registration: SERVICE=registration BIND=127.0.0.1:8002"),
    (
        "'services.notifications.app:create_app()'",
        "'services.scheduling.app:create_app()'",
        "notifications: command",
    ),
    ("./nginx.compose.conf:", "./nginx.missing.conf:", "mounts ./nginx.missing.conf, which does not exist"),
    ("python -m services.notifications.worker.sender", "python -m services.notifications.sender", "no module"),
    ("  rabbitmq:\n    image: rabbitmq:3.13\n", "  rabbitmq:\n", "rabbitmq: neither image nor build"),
    (
        "registration-worker: { <<: *after-migrate,",
        "registration-worker: { <<: *service,",
        "registration-worker: starts without waiting for migrate",
    ),
]


@pytest.mark.parametrize(("old", "new", "problem"), BROKEN, ids=[problem for _, _, problem in BROKEN])
def test_a_broken_copy_is_refused(text, old, new, problem):
    assert old in text
    found = rules.problems(rules.load(text.replace(old, new, 1)))
    assert any(problem in p for p in found), found
