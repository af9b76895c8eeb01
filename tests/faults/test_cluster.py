"""The system on a three-node RabbitMQ cluster (`make test-faults`): its own
three nodes clustered, the topology's quorum queues replicated on all three,
two replicas of every web and worker process, BROKER_URL listing the three
nodes. Under the workload the node that leads the queues is killed (-9)
and later started again: 0 registrations lost, 0 mails lost, at most one
copy of each mail, every queue keeps a leader on a live node, the
consumers and relays reconnect to a live node by themselves (nobody
restarts them), and the killed node rejoins.

The quick tests at the end (kombu's failover as connect() builds it) need
only the machine's RabbitMQ and run in `make test` too."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from shared.messaging.connection import bus_reachable, connect
from tests import servers
from tests.e2e.smtp_sink import HOST, free_port
from tests.faults.servers import RabbitCluster
from tests.faults.system import FaultSystem
from tests.faults.test_scenarios import Scenario, one_run, verdicts

CONSUMING = ("registration", "notifications")  # the services with a queue of their own
REPLICAS = 2
# Connections the workers hold: a relay in every worker, a consumer in each consuming one.
WORKER_CONNECTIONS = REPLICAS * (3 + len(CONSUMING))
MOVE_SECONDS = 60.0


def wait(what: str, predicate, timeout: float = MOVE_SECONDS) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f}s")
        time.sleep(0.25)
    return time.monotonic() - started


def consumers_on_live_nodes(cluster: RabbitCluster, vhost: str) -> bool:
    queues = cluster.queue_members(vhost)
    return all(int(queues[name].get("consumers") or 0) >= REPLICAS for name in CONSUMING)


def leaders_on_live_nodes(cluster: RabbitCluster, vhost: str) -> bool:
    running = set(cluster.running_nodes())
    return all(q["leader"] in running for q in cluster.queue_members(vhost).values())


def kill_a_node_and_rejoin(cluster: RabbitCluster, observed: dict) -> Scenario:
    def inject(system: FaultSystem) -> None:
        victim = cluster.node_named(observed["victim"])
        victim.kill()
        killed = time.monotonic()
        alive = [n.name for n in cluster.nodes if n is not victim]
        # Seconds from the kill until each held (the checks run one after the other).
        wait("every queue has a leader on a live node", lambda: leaders_on_live_nodes(cluster, system.vhost))
        observed["leaders_moved_s"] = round(time.monotonic() - killed, 1)
        wait(f"{REPLICAS} consumers on each queue again", lambda: consumers_on_live_nodes(cluster, system.vhost))
        observed["consumers_moved_s"] = round(time.monotonic() - killed, 1)
        wait(
            f"{WORKER_CONNECTIONS} worker connections on the live nodes",
            lambda: sum(n for name, n in cluster.connections().items() if name in alive) >= WORKER_CONNECTIONS,
        )
        observed["connections_moved_s"] = round(time.monotonic() - killed, 1)
        observed["leaders_during"] = {name: q["leader"] for name, q in cluster.queue_members(system.vhost).items()}
        time.sleep(max(0.0, 10 - (time.monotonic() - killed)))  # the node stays down at least 10 s
        restarted = time.monotonic()
        victim.start()
        wait("the killed node runs in the cluster again", lambda: victim.name in cluster.running_nodes(), timeout=90)
        observed["rejoined_s"] = round(time.monotonic() - restarted, 1)  # from its start, boot included

    return Scenario("rabbitmq cluster: kill -9 of a node + rejoin", inject)


@pytest.mark.fault_scenario
@pytest.mark.timeout(240)
def test_a_three_node_cluster_keeps_the_guarantees_when_a_node_dies(pg, rabbit_cluster, results, tmp_path, request):
    cluster: RabbitCluster = rabbit_cluster
    names = {node.name for node in cluster.nodes}
    system = FaultSystem(tmp_path, pg=pg, rabbit=cluster, replicas=REPLICAS).start()
    observed: dict = {}
    try:
        queues = cluster.queue_members(system.vhost)
        assert set(queues) == {f"{s}{suffix}" for s in CONSUMING for suffix in ("", ".retry", ".dead")}
        for name, queue in queues.items():
            assert queue["type"] == "quorum", name
            assert set(queue["members"]) == names, f"{name} is replicated on {queue['members']}, not on all three"
        wait("every worker replica connected", lambda: sum(cluster.connections().values()) >= WORKER_CONNECTIONS)
        leaders = Counter(q["leader"] for q in queues.values())
        observed["victim"] = leaders.most_common(1)[0][0]  # the node that leads the most queues
        observed["victim_connections"] = cluster.connections()[observed["victim"]]
        scenario = kill_a_node_and_rejoin(cluster, observed)
        problems = []
        for n, current in enumerate([None, scenario]):  # a control run on the cluster, then the fault
            row = one_run(system, current, request.config.getoption("--registrations"), seed=n)
            row = {"scenario": scenario.name, "run": "control" if current is None else "fault", **row}
            results.append(row)
            problems += [f"{row['run']}: {p}" for p in verdicts(row, sender_may_duplicate=False)]
            if row["cancel_violations"]:
                print(calendar_histories(system))
        after = cluster.queue_members(system.vhost)
        running = set(cluster.running_nodes())
        leaders_after = {name: q["leader"] for name, q in after.items()}
        print(f"\ncluster: {observed} leaders_after={leaders_after}")
        assert running == names, f"running after the rejoin: {running}"
        for name, queue in after.items():
            assert queue["leader"] in running, f"{name} led by {queue['leader']}"
            assert set(queue["members"]) == names, f"{name} members after the rejoin: {queue['members']}"
        assert not problems, "; ".join(problems)
    except BaseException:
        print(system.log_text(60))
        raise
    finally:
        system.stop()


def calendar_histories(system: FaultSystem) -> str:
    """Each recipient's invitations in arrival order, beside the order the
    deliveries were written and sent: what to read when a CANCEL came out of order."""
    from tests.faults.checker import _rows, mail_of

    rows = _rows(
        system.database_urls["notifications"],
        "SELECT id, message_id, recipient, kind, created_at, sent_at FROM deliveries ORDER BY id",
    )
    by_message = {r["message_id"]: r for r in rows}
    lines: dict[str, list[str]] = {}
    for caught in list(system.mail.mails):
        mail = mail_of(caught)
        if not mail.calendar:
            continue
        d = by_message.get(mail.message_id, {})
        written, sent = d.get("created_at"), d.get("sent_at")
        lines.setdefault(mail.recipient, []).append(
            f"  {mail.calendar} delivery {d.get('id')} {d.get('kind')} written {written} sent {sent}"
        )
    return "\n".join(f"{who}:\n" + "\n".join(items) for who, items in lines.items() if len(items) > 1)


# --- kombu's failover as connect() builds it (the machine's RabbitMQ) --------------------------


def dead_url() -> str:
    return f"amqp://guest:guest@{HOST}:{free_port()}/"  # nothing listens there


def live_url() -> str:
    servers.require(servers.port_open(servers.AMQP_HOST, servers.AMQP_PORT), "RabbitMQ on 127.0.0.1:5672")
    return f"amqp://guest:guest@{servers.AMQP_HOST}:{servers.AMQP_PORT}/"


def test_a_list_of_nodes_connects_to_the_first_live_one_with_heartbeat_and_confirms(tmp_path):
    url = ";".join([dead_url(), dead_url(), live_url()])
    with connect(url, tmp_path, heartbeat=20) as conn:
        conn.ensure_connection(max_retries=3)
        assert conn.port == servers.AMQP_PORT
        assert conn.heartbeat == 20
        assert conn.transport_options["confirm_publish"] is True
        assert conn.connection.server_properties  # connected, not only configured


def test_readiness_tries_every_listed_node_once(tmp_path):
    """Readiness holds while any listed node is up, even the last of three."""
    assert bus_reachable(";".join([dead_url(), dead_url(), live_url()]), tmp_path) == (True, "ok")
    reachable, reason = bus_reachable(";".join([dead_url(), dead_url(), dead_url()]), tmp_path)
    assert not reachable and reason
