"""gunicorn for the embedded default: the three services on one port."""

import os

# gunicorn reads these settings from this module.
from deploy.gunicorn_common import (  # noqa: F401
    access_log_format,
    accesslog,
    control_socket_disable,
    logger_class,
    post_worker_init,
)

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
timeout = 30
