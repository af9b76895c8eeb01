"""The marshmallow request and response schemas of registration's HTTP API:
the public and self-service ones, and the organisers'."""
