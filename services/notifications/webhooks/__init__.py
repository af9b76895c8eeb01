"""Webhooks for outside systems (docs/webhooks.md): organisations register
endpoints, each consumed event they want becomes a signed delivery in the
consumer's transaction, and the worker's webhook loop sends, retries and,
after repeated failure, disables the endpoint and writes to its contact."""
