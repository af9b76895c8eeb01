"""What every gunicorn configuration of ours shares (production, the embedded
run, the benchmarks): the worker hook and the access log. Import the names
into a configuration module; gunicorn reads them from there."""

accesslog = "-"
# Secret links and feed tokens sit in URL paths: the logger masks them.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
logger_class = "deploy.access_log.RedactingLogger"
# No shared ~/.gunicorn control socket: several instances run on one machine.
control_socket_disable = True


def post_worker_init(worker):
    """Move the loaded app's long-lived objects out of the garbage collector's
    sight: scanning them cost about 0.5 ms per registration (bench/registration_rush.py)."""
    import gc

    gc.freeze()
