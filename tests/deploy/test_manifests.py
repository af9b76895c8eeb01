"""The Kubernetes manifests (deploy/kubernetes/) pass the schemas of the pinned Kubernetes
release strictly and keep the deployment rules of docs/deployment.md; a copy broken in
any one of those ways is refused by the same checks."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tests.deploy import kubernetes_rules as rules

Files = dict[str, list[rules.Doc]]


@pytest.fixture(scope="module")
def manifests() -> Files:
    return rules.load()


def find(files: Files, kind: str, name: str) -> rules.Doc:
    return next(d for d in rules.everything(files) if d["kind"] == kind and d["metadata"]["name"] == name)


def container(files: Files, deployment: str) -> rules.Doc:
    return find(files, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]


def drop(files: Files, kind: str, name: str) -> None:
    doc = find(files, kind, name)
    for docs in files.values():
        if doc in docs:
            docs.remove(doc)


def test_the_manifests_are_the_three_steps(manifests):
    assert list(manifests) == ["config.yaml", "eventi.yaml", "migrate.yaml"]
    kinds = {d["kind"] for d in rules.everything(manifests)}
    assert {"ConfigMap", "Job", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds


def test_every_document_passes_the_kubernetes_schemas_strictly(manifests):
    docs = rules.everything(manifests)
    assert len(docs) >= 20
    assert rules.schema_problems(docs) == []


@pytest.mark.parametrize(
    "check",
    [
        rules.web_problems,
        rules.worker_problems,
        rules.resource_problems,
        rules.disruption_problems,
        rules.secret_problems,
        rules.service_problems,
    ],
    ids=lambda check: check.__name__,
)
def test_the_manifests_keep_the_rule(manifests, check):
    assert check(rules.everything(manifests)) == []


def test_the_migrations_run_as_a_job_of_their_own(manifests):
    assert rules.migration_problems(manifests) == []


def test_the_existing_settings_are_kept(manifests):
    data = find(manifests, "ConfigMap", "eventi")["data"]
    assert data["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/0" and data["TRUSTED_PROXIES"] == "1"
    assert find(manifests, "Deployment", "redis")["spec"]["template"]["spec"]["containers"][0]["image"].startswith(
        "redis:"
    )


def _unknown_field(f: Files) -> None:
    container(f, "registration-web")["livenessProbe"]["httpGett"] = {"path": "/x", "port": 8002}


def _misspelt_kind_field(f: Files) -> None:
    find(f, "HorizontalPodAutoscaler", "scheduling-web")["spec"]["targetCPUUtilizationPercentage"] = 70


def _no_readiness(f: Files) -> None:
    del container(f, "notifications-web")["readinessProbe"]


def _liveness_on_readyz(f: Files) -> None:
    container(f, "scheduling-web")["livenessProbe"]["httpGet"]["path"] = "/scheduling/readyz"


def _probe_on_another_port(f: Files) -> None:
    container(f, "registration-web")["readinessProbe"]["httpGet"]["port"] = 8001


def _no_limits(f: Files) -> None:
    del container(f, "registration-worker")["resources"]["limits"]


def _job_without_resources(f: Files) -> None:
    del find(f, "Job", "eventi-migrate")["spec"]["template"]["spec"]["containers"][0]["resources"]


def _no_budget(f: Files) -> None:
    drop(f, "PodDisruptionBudget", "notifications-sender")


def _budget_selects_nothing(f: Files) -> None:
    find(f, "PodDisruptionBudget", "registration-web")["spec"]["selector"]["matchLabels"]["app"] = "registration"


def _no_autoscaler(f: Files) -> None:
    drop(f, "HorizontalPodAutoscaler", "notifications-web")


def _replicas_beside_autoscaler(f: Files) -> None:
    find(f, "Deployment", "scheduling-web")["spec"]["replicas"] = 2


def _secret_in_config_map(f: Files) -> None:
    find(f, "ConfigMap", "eventi")["data"]["SECRET_KEY"] = "x" * 40


def _password_in_config_map(f: Files) -> None:
    find(f, "ConfigMap", "eventi")["data"]["RATELIMIT_STORAGE_URI"] = "redis://:hunter2hunter2@redis:6379/0"


def _inline_database_url(f: Files) -> None:
    env = container(f, "registration-worker").setdefault("env", [])
    env.append({"name": "REGISTRATION_DATABASE_URL", "value": "postgresql://eventi:eventi@db/eventi"})


def _no_secret_ref(f: Files) -> None:
    c = container(f, "notifications-sender")
    c["envFrom"] = [s for s in c["envFrom"] if "secretRef" not in s]


def _job_beside_deployments(f: Files) -> None:
    job = find(f, "Job", "eventi-migrate")
    f["migrate.yaml"].remove(job)
    f["eventi.yaml"].insert(0, job)


def _other_image_for_migrations(f: Files) -> None:
    find(f, "Job", "eventi-migrate")["spec"]["template"]["spec"]["containers"][0]["image"] = "eventi:previous"


def _http_probe_on_worker(f: Files) -> None:
    container(f, "scheduling-worker")["livenessProbe"] = {"httpGet": {"path": "/scheduling/healthz", "port": 8001}}


def _service_to_nowhere(f: Files) -> None:
    find(f, "Service", "notifications")["spec"]["ports"][0]["targetPort"] = 9003


BROKEN: list[tuple[Callable[[Files], None], str]] = [
    (_unknown_field, "httpGett"),
    (_misspelt_kind_field, "targetCPUUtilizationPercentage"),
    (_no_readiness, "no readinessProbe"),
    (_liveness_on_readyz, "livenessProbe on /scheduling/readyz"),
    (_probe_on_another_port, "readinessProbe on /registration/readyz:8001"),
    (_no_limits, "no limits.cpu"),
    (_job_without_resources, "Job/eventi-migrate container migrate: no requests.cpu"),
    (_no_budget, "Deployment/notifications-sender: 2 replicas and no PodDisruptionBudget"),
    (_budget_selects_nothing, "PodDisruptionBudget/registration-web: selects no"),
    (_no_autoscaler, "Deployment/notifications-web: no HorizontalPodAutoscaler"),
    (_replicas_beside_autoscaler, "sets replicas although"),
    (_secret_in_config_map, "SECRET_KEY is a secret"),
    (_password_in_config_map, "RATELIMIT_STORAGE_URI carries credentials"),
    (_inline_database_url, "REGISTRATION_DATABASE_URL is set inline"),
    (_no_secret_ref, "does not take its environment from the eventi Secret"),
    (_job_beside_deployments, "shares eventi.yaml with Deployments"),
    (_other_image_for_migrations, "the migrations eventi:previous"),
    (_http_probe_on_worker, "livenessProbe on a port it does not open"),
    (_service_to_nowhere, "targetPort 9003"),
]


@pytest.mark.parametrize(("breakage", "problem"), BROKEN, ids=[b.__name__.strip("_") for b, _ in BROKEN])
def test_a_broken_copy_is_refused(manifests, breakage, problem):
    broken = copy.deepcopy(manifests)
    breakage(broken)
    problems = rules.all_problems(broken)
    assert any(problem in p for p in problems), problems
