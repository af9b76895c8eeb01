"""gunicorn settings of the registration rush: production's worker hook,
access log and logger (deploy/gunicorn.service.py); the bench sets the
port, workers and threads on the command line."""

from deploy.gunicorn_hooks import post_worker_init  # noqa: F401 - a gunicorn hook

accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
control_socket_disable = True
logger_class = "deploy.access_log.RedactingLogger"
