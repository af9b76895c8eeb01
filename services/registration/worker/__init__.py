"""Registration's worker process (python -m services.registration.worker.main):
the consumer of event.* and schedule.released, the outbox relay, and the
periodic jobs. Nothing imports it."""
