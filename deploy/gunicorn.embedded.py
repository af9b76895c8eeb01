"""gunicorn for the embedded default: the three services on one port."""

import os

from deploy.gunicorn_hooks import post_worker_init  # noqa: F401 - a gunicorn hook

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
timeout = 30
accesslog = "-"
# Secret links and feed tokens sit in URL paths: log the path without them.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# No shared ~/.gunicorn control socket: several instances run on one machine.
control_socket_disable = True
logger_class = "deploy.access_log.RedactingLogger"

