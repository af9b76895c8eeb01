"""gunicorn for one service in production:
    SERVICE=registration gunicorn -c deploy/gunicorn.service.py 'services.registration.app:create_app()'
Each service gets its own port (8001 scheduling, 8002 registration,
8003 notifications by default); nginx (deploy/nginx.conf) routes the prefixes."""

import multiprocessing
import os

from deploy.gunicorn_hooks import post_worker_init  # noqa: F401 - a gunicorn hook

PORTS = {"scheduling": 8001, "registration": 8002, "notifications": 8003}
service = os.environ.get("SERVICE", "scheduling")
bind = os.environ.get("BIND", f"127.0.0.1:{PORTS[service]}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 30
graceful_timeout = 20
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# The service lives under /<service> on the gateway: gunicorn strips the prefix.
raw_env = [f"SCRIPT_NAME=/{service}"]
# No shared ~/.gunicorn control socket: several instances run on one machine.
control_socket_disable = True
logger_class = "deploy.access_log.RedactingLogger"

