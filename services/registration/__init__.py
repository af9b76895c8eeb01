"""Registration: registrations, waiting lists, seats and the secret links."""
