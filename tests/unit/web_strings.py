"""The Italian strings the web pages translate: `_("...")` in templates and
`translate("...")` in page modules (and the labels of a few tables, and the
validation messages of shared/web/form_errors.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"""(?:\b_|\btranslate)\(\s*(?P<q>["'])(?P<text>(?:(?!(?P=q)).)+)(?P=q)""")
TEMPLATES = [
    "shared/templates",
    "services/scheduling/templates",
    "services/registration/templates",
    "services/notifications/templates/pages",
]
MODULES = [
    "shared/web/pages.py",
    "shared/web/forms.py",
    "services/scheduling/web/pages/*.py",
    "services/registration/web/pages/*.py",
    "services/notifications/web/pages/*.py",
]


def _files() -> list[Path]:
    files = []
    for entry in TEMPLATES:
        path = ROOT / entry
        files += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    for pattern in MODULES:
        files += sorted(ROOT.glob(pattern))
    return files


def italian_strings() -> set[str]:
    found = set()
    for path in _files():
        for match in CALL.finditer(path.read_text("utf-8")):
            found.add(match.group("text").replace("\\'", "'"))
    return found | _tables()


def _tables() -> set[str]:
    from services.scheduling.programme.schedule_grid import CONFLICT_LABELS
    from services.scheduling.web.pages.programme import KINDS
    from shared.web.form_errors import italian_texts
    from shared.web.pages import REGISTRATION_TEXTS, STATUS_TEXTS

    labels = {label for kind in KINDS.values() for _, label, *_ in kind.fields}
    return (
        labels
        | {k.title for k in KINDS.values()}
        | {k.added for k in KINDS.values()}
        | set(CONFLICT_LABELS.values())
        | set(STATUS_TEXTS.values())
        | set(REGISTRATION_TEXTS.values())
        | italian_texts()
    )
