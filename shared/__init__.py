"""The product's common package: configuration, database, event envelope and
schemas, messaging (outbox, relay, inbox, consumer, topology) and HTTP helpers."""
