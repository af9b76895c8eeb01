"""The rules the Kubernetes manifests of deploy/kubernetes/ must keep, read from the
YAML: each check takes every document of the manifests and returns its problems (an
empty list when the rules hold), so a broken copy can be shown to be refused too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from shared.config import SERVICES

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
# The Kubernetes release whose schemas the manifests must pass (kubernetes-validate ships them).
KUBERNETES_VERSION = "1.37.0"
# The ports deploy/gunicorn.service.py gives each service.
PORTS = {"scheduling": 8001, "registration": 8002, "notifications": 8003}
# Settings that are secrets: they come from the Secret, never inline or from a ConfigMap.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY$|DATABASE_URL|BROKER_URL|SMTP_URL|CREDENTIAL")
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s]*:[^/@\s]*@")
Doc = dict[str, Any]


def load(paths: list[Path] | None = None) -> dict[str, list[Doc]]:
    """Every document of every manifest file, by file name."""
    files = paths or sorted(MANIFESTS.glob("*.yaml"))
    return {path.name: [doc for doc in yaml.safe_load_all(path.read_text()) if doc] for path in files}


def everything(files: dict[str, list[Doc]]) -> list[Doc]:
    return [doc for docs in files.values() for doc in docs]


def name(doc: Doc) -> str:
    return f"{doc['kind']}/{doc['metadata']['name']}"


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [doc for doc in docs if doc.get("kind") == kind]


def pod_specs(docs: list[Doc]) -> Iterator[tuple[Doc, Doc]]:
    for doc in docs:
        if doc.get("kind") in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield doc, doc["spec"]["template"]["spec"]


def containers(pod: Doc) -> list[Doc]:
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def is_web(deployment: Doc) -> bool:
    return any("gunicorn" in (c.get("command") or [])[:1] for c in deployment["spec"]["template"]["spec"]["containers"])


def hpa_for(docs: list[Doc], deployment: Doc) -> Doc | None:
    for hpa in of_kind(docs, "HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        if target.get("kind") == "Deployment" and target.get("name") == deployment["metadata"]["name"]:
            return hpa
    return None


def schema_problems(docs: list[Doc]) -> list[str]:
    """Each document against the pinned Kubernetes release's schemas, strictly (unknown fields fail)."""
    problems = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as exc:
            problems.append(f"{name(doc)}: {exc}")
    return problems


def web_problems(docs: list[Doc]) -> list[str]:
    """One web Deployment per service, each with readiness on /<svc>/readyz and liveness on
    /<svc>/healthz at the port it binds, and an autoscaling/v2 HPA targeting it."""
    problems = []
    webs = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment") if is_web(d)}
    for service in SERVICES:
        deployment = webs.get(f"{service}-web")
        if deployment is None:
            problems.append(f"no web Deployment {service}-web")
            continue
        port = PORTS[service]
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            where = f"{name(deployment)} container {container['name']}"
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            if env.get("SERVICE") != service or env.get("BIND") != f"0.0.0.0:{port}":
                problems.append(
                    f"{where}: SERVICE={env.get('SERVICE')} BIND={env.get('BIND')}, not {service} 0.0.0.0:{port}"
                )
            if f"services.{service}.app:create_app()" not in container.get("command", []):
                problems.append(f"{where}: does not run services.{service}.app:create_app()")
            if port not in [p.get("containerPort") for p in container.get("ports", [])]:
                problems.append(f"{where}: no containerPort {port}")
            for probe, path in (("readinessProbe", f"/{service}/readyz"), ("livenessProbe", f"/{service}/healthz")):
                get = (container.get(probe) or {}).get("httpGet")
                if not get:
                    problems.append(f"{where}: no {probe} httpGet")
                elif get.get("path") != path or get.get("port") not in (port, _port_name(container, port)):
                    problems.append(f"{where}: {probe} on {get.get('path')}:{get.get('port')}, not {path}:{port}")
        hpa = hpa_for(docs, deployment)
        if hpa is None:
            problems.append(f"{name(deployment)}: no HorizontalPodAutoscaler targets it")
            continue
        if hpa["apiVersion"] != "autoscaling/v2":
            problems.append(f"{name(hpa)}: {hpa['apiVersion']}, not autoscaling/v2")
        if hpa["spec"].get("minReplicas", 1) < 2:
            problems.append(f"{name(hpa)}: minReplicas below 2")
        if "replicas" in deployment["spec"]:
            problems.append(
                f"{name(deployment)}: sets replicas although {name(hpa)} scales it (an apply resets the scale)"
            )
        for metric in hpa["spec"].get("metrics", []):
            resource = (metric.get("resource") or {}).get("name")
            if resource and any(
                resource not in (c.get("resources") or {}).get("requests", {})
                for c in deployment["spec"]["template"]["spec"]["containers"]
            ):
                problems.append(f"{name(hpa)}: scales on {resource} utilisation but a container requests no {resource}")
    for deployment_name, deployment in webs.items():
        if deployment_name.removesuffix("-web") not in SERVICES:
            problems.append(f"{name(deployment)}: a web Deployment of no service")
    return problems


def _port_name(container: Doc, port: int) -> str | None:
    return next((p.get("name") for p in container.get("ports", []) if p.get("containerPort") == port), None)


def worker_problems(docs: list[Doc]) -> list[str]:
    """Processes without an HTTP port have no HTTP probe (it could never pass)."""
    problems = []
    for owner, pod in pod_specs(docs):
        for container in containers(pod):
            ports = {p.get("containerPort") for p in container.get("ports", [])}
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                get = (container.get(probe) or {}).get("httpGet")
                if get and get.get("port") not in ports | {_port_name(container, p) for p in ports}:
                    problems.append(f"{name(owner)} container {container['name']}: {probe} on a port it does not open")
    return problems


QUANTITY = re.compile(r"^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$")
FACTORS = {
    None: 1,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}


def quantity(value: object) -> float:
    match = QUANTITY.match(str(value))
    if not match:
        raise ValueError(f"not a quantity: {value!r}")
    return float(match.group(1)) * FACTORS[match.group(2)]


def resource_problems(docs: list[Doc]) -> list[str]:
    """Every container (init containers and the Job's too) requests and limits CPU and memory, requests <= limits."""
    problems = []
    for owner, pod in pod_specs(docs):
        for container in containers(pod):
            where = f"{name(owner)} container {container['name']}"
            resources = container.get("resources") or {}
            for kind in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in (resources.get(kind) or {}):
                        problems.append(f"{where}: no {kind}.{resource}")
            for resource in ("cpu", "memory"):
                try:
                    if quantity(resources["requests"][resource]) > quantity(resources["limits"][resource]):
                        problems.append(f"{where}: requests more {resource} than its limit")
                except (KeyError, TypeError):
                    pass
    return problems


def replicas(docs: list[Doc], deployment: Doc) -> int:
    hpa = hpa_for(docs, deployment)
    return hpa["spec"].get("minReplicas", 1) if hpa else deployment["spec"].get("replicas", 1)


def disruption_problems(docs: list[Doc]) -> list[str]:
    """Every Deployment of more than one replica (its HPA's minimum where one scales it) has a
    PodDisruptionBudget whose selector matches its pods and that lets one pod go at a time."""
    problems = []
    budgets = of_kind(docs, "PodDisruptionBudget")
    for deployment in of_kind(docs, "Deployment"):
        count = replicas(docs, deployment)
        if count < 2:
            continue
        labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        matching = [
            pdb
            for pdb in budgets
            if pdb["spec"].get("selector", {}).get("matchLabels")
            and pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        ]
        if not matching:
            problems.append(f"{name(deployment)}: {count} replicas and no PodDisruptionBudget selects its pods")
        for pdb in matching:
            spec = pdb["spec"]
            if "minAvailable" in spec and isinstance(spec["minAvailable"], int) and spec["minAvailable"] >= count:
                problems.append(f"{name(pdb)}: minAvailable {spec['minAvailable']} lets no pod of {count} be evicted")
            if spec.get("maxUnavailable") == 0:
                problems.append(f"{name(pdb)}: maxUnavailable 0 lets no pod be evicted")
    for pdb in budgets:
        selector = pdb["spec"].get("selector", {}).get("matchLabels") or {}
        if not any(
            selector and selector.items() <= d["spec"]["template"]["metadata"].get("labels", {}).items()
            for d in of_kind(docs, "Deployment")
        ):
            problems.append(f"{name(pdb)}: selects no Deployment's pods")
    return problems


def secret_problems(docs: list[Doc]) -> list[str]:
    """Settings come from the `eventi` ConfigMap and Secret; no secret value is written in
    the manifests (no Secret with data, none in a ConfigMap, none inline in env)."""
    problems = []
    config_maps = {d["metadata"]["name"]: d for d in of_kind(docs, "ConfigMap")}
    for secret in of_kind(docs, "Secret"):
        if secret.get("data") or secret.get("stringData"):
            problems.append(f"{name(secret)}: secret values in the manifests")
    for config_map in config_maps.values():
        for key, value in (config_map.get("data") or {}).items():
            if SECRET_NAME.search(key) and not key.endswith("_FILE"):
                problems.append(f"{name(config_map)}: {key} is a secret, it belongs in the Secret")
            if CREDENTIALS_IN_URL.search(str(value)):
                problems.append(f"{name(config_map)}: {key} carries credentials")
    for owner, pod in pod_specs(docs):
        for container in containers(pod):
            if not container["image"].startswith("eventi:"):
                continue
            where = f"{name(owner)} container {container['name']}"
            sources = container.get("envFrom", [])
            maps = [s["configMapRef"]["name"] for s in sources if "configMapRef" in s]
            secrets = [s["secretRef"]["name"] for s in sources if "secretRef" in s]
            if "eventi" not in secrets:
                problems.append(f"{where}: does not take its environment from the eventi Secret")
            if not maps:
                problems.append(f"{where}: does not take its environment from the eventi ConfigMap")
            problems += [
                f"{where}: envFrom ConfigMap {m} is not in the manifests" for m in maps if m not in config_maps
            ]
            for var in container.get("env", []):
                if "value" in var and (SECRET_NAME.search(var["name"]) or CREDENTIALS_IN_URL.search(str(var["value"]))):
                    problems.append(f"{where}: {var['name']} is set inline, it belongs in the Secret")
                ref = (var.get("valueFrom") or {}).get("configMapKeyRef")
                if ref and SECRET_NAME.search(var["name"]):
                    problems.append(f"{where}: {var['name']} comes from a ConfigMap, it belongs in the Secret")
    return problems


def migration_problems(files: dict[str, list[Doc]]) -> list[str]:
    """The migrations run as a Job in a file of their own (applied and waited for before
    eventi.yaml), with the image the Deployments run; no Deployment migrates."""
    problems = []
    docs = everything(files)
    jobs = [
        j
        for j in of_kind(docs, "Job")
        if "shared.migrate" in " ".join(j["spec"]["template"]["spec"]["containers"][0]["command"])
    ]
    if len(jobs) != 1:
        return [f"{len(jobs)} migration Jobs (python -m shared.migrate), not 1"]
    job = jobs[0]
    holder = next(f for f, file_docs in files.items() if job in file_docs)
    if any(d.get("kind") == "Deployment" for d in files[holder]):
        problems.append(f"{name(job)} shares {holder} with Deployments: it must complete before they roll out")
    if job["spec"]["template"]["spec"].get("restartPolicy") not in ("OnFailure", "Never"):
        problems.append(f"{name(job)}: restartPolicy must be OnFailure or Never")
    image = job["spec"]["template"]["spec"]["containers"][0]["image"]
    for deployment, pod in pod_specs(of_kind(docs, "Deployment")):
        for container in containers(pod):
            if container["image"].startswith("eventi:") and container["image"] != image:
                problems.append(f"{name(deployment)}: runs {container['image']}, the migrations {image}")
            if "shared.migrate" in " ".join(container.get("command", [])):
                problems.append(f"{name(deployment)}: migrates in its own pods")
    return problems


def service_problems(docs: list[Doc]) -> list[str]:
    """Every Service selects a Deployment's pods and targets a port they open."""
    problems = []
    for service in of_kind(docs, "Service"):
        selector = service["spec"].get("selector") or {}
        pods = [
            d["spec"]["template"]
            for d in of_kind(docs, "Deployment")
            if selector and selector.items() <= d["spec"]["template"]["metadata"].get("labels", {}).items()
        ]
        if not pods:
            problems.append(f"{name(service)}: selects no Deployment's pods")
            continue
        opened = {p.get("containerPort") for t in pods for c in t["spec"]["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            if port.get("targetPort", port["port"]) not in opened:
                problems.append(f"{name(service)}: targetPort {port.get('targetPort')} is not opened by its pods")
    return problems


def all_problems(files: dict[str, list[Doc]]) -> list[str]:
    docs = everything(files)
    return [
        *schema_problems(docs),
        *web_problems(docs),
        *worker_problems(docs),
        *resource_problems(docs),
        *disruption_problems(docs),
        *secret_problems(docs),
        *migration_problems(files),
        *service_problems(docs),
    ]
