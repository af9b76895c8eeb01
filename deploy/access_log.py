"""gunicorn access log that never writes secrets: registration links, feed
tokens and agenda links sit in URL paths, so they are masked, and the query
string is left out. The path is taken from the raw request line, because the
gateway moves the /<service> prefix out of PATH_INFO before the log is written."""

from gunicorn.glogging import Logger

from shared.redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(environ.get("RAW_URI", "").split("?", 1)[0] or atoms["U"] or "")
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {atoms['U']} {environ.get('SERVER_PROTOCOL')}"
        atoms["f"] = redact(atoms.get("f") or "-")
        return atoms
