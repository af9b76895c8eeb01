"""Request and response schemas (marshmallow) of scheduling's JSON API."""
