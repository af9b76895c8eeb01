"""`python -m services.scheduling.worker` runs the worker, as
`python -m services.scheduling.worker.main` does."""

from .main import main

main()
