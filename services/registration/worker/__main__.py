"""`python -m services.registration.worker` still starts the worker."""

from .main import main

main()
