"""What notifications asks of its database beyond the ORM: the NOTIFY that
wakes separate sender processes on PostgreSQL (the one place where
notifications' use cases behave differently on PostgreSQL and SQLite)."""
