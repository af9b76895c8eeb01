"""Registration's JSON API (flask-smorest blueprints): public, self-service
through the secret link, organisers, form configuration, check-in."""
