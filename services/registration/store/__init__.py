"""Registration's hot-path SQL: the event read at the seat gate, the insert
of a registration with its event, the guarded counter UPDATEs and the counts
of positions in line. The only place in the service where PostgreSQL and
SQLite differ."""
