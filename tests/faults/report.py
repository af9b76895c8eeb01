"""The figures table: one row per run (scenario, control or fault round)."""

from __future__ import annotations

COLUMNS = (
    ("scenario", "scenario"),
    ("run", "run"),
    ("acknowledged", "ack"),
    ("recovered", "recov"),
    ("unknown", "unknown"),
    ("lost", "lost"),
    ("half", "half"),
    ("unexpected", "unexp"),
    ("overbooked", "overbooked"),
    ("counter_mismatch", "counters≠rows"),
    ("mails_expected", "mails exp"),
    ("mails_delivered", "deliv"),
    ("mails_lost", "lost"),
    ("mails_duplicated", "dup"),
    ("mails_max_copies", "max copies"),
    ("mails_unexpected", "unexp"),
    ("mails_failed", "failed"),
    ("registrations_without_mail", "regs w/o mail"),
    ("cancel_violations", "CANCEL bad"),
    ("outbox_left", "outbox left"),
    ("parked", "parked"),
    ("queued", "queued"),
    ("recover_seconds", "recover s"),
    ("quiet_seconds", "quiet s"),
    ("died", "died"),
    ("restarted", "restarted by suite"),
)


def markdown(results: list[dict]) -> str:
    head = "| " + " | ".join(title for _key, title in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    lines = [head, rule]
    for row in results:
        cells = []
        for key, _title in COLUMNS:
            value = row.get(key, "")
            if isinstance(value, float):
                value = f"{value:.1f}"
            elif isinstance(value, list):
                value = ", ".join(value) or "-"
            elif value is None:
                value = "n/a"
            cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
