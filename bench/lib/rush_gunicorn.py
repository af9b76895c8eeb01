"""gunicorn settings of the registration rush: production's worker hook,
access log and logger (deploy/gunicorn_common.py); the bench sets the port,
workers and threads on the command line."""

# gunicorn reads these settings from this module.
from deploy.gunicorn_common import (  # noqa: F401
    access_log_format,
    accesslog,
    control_socket_disable,
    logger_class,
    post_worker_init,
)
