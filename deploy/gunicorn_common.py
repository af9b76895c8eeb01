"""Worker hooks shared by every gunicorn configuration (and the benchmarks)."""


def post_worker_init(worker):
    """Move the loaded app's long-lived objects out of the garbage collector's
    sight: scanning them cost about 0.5 ms per registration (bench/registration_rush.py)."""
    import gc

    gc.freeze()
