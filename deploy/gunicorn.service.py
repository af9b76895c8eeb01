"""gunicorn for one service in production:
    SERVICE=registration gunicorn -c deploy/gunicorn.service.py 'services.registration.app:create_app()'
Each service gets its own port (8001 scheduling, 8002 registration,
8003 notifications by default); nginx (deploy/nginx.conf) routes the prefixes."""

import multiprocessing
import os

# gunicorn reads these settings from this module.
from deploy.gunicorn_common import (  # noqa: F401
    access_log_format,
    accesslog,
    control_socket_disable,
    logger_class,
    post_worker_init,
)

PORTS = {"scheduling": 8001, "registration": 8002, "notifications": 8003}
service = os.environ.get("SERVICE", "scheduling")
bind = os.environ.get("BIND", f"127.0.0.1:{PORTS[service]}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 30
graceful_timeout = 20
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The service lives under /<service> on the gateway: gunicorn strips the prefix.
raw_env = [f"SCRIPT_NAME=/{service}"]
