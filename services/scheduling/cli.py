"""Operator commands: `python -m services.scheduling.cli init-keys` and
`python -m services.scheduling.cli create-admin EMAIL --name NAME` (password
from $ADMIN_PASSWORD or a prompt)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from shared.auth import ensure_keypair
from shared.config import load_settings
from shared.db import make_engine, make_session_factory

from . import accounts
from .models import Outbox


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.scheduling.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-keys", help="create the token signing key pair if missing")
    admin = commands.add_parser("create-admin", help="create the first administrator")
    admin.add_argument("email")
    admin.add_argument("--name", default="Amministratore")
    args = parser.parse_args(argv)
    settings = load_settings("scheduling")
    if args.command == "init-keys":
        ensure_keypair(settings.jwt_private_key_path, settings.jwt_public_key_path)
        print(f"public key: {settings.jwt_public_key_path}")
        return 0
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password: ")
    factory = make_session_factory(make_engine(settings.database_url), service="scheduling", outbox_model=Outbox)
    with factory() as session, session.begin():
        account = accounts.create_account(session, email=args.email, name=args.name, password=password, is_admin=True)
    print(f"administrator {account.email} created")
    return 0


if __name__ == "__main__":
    sys.exit(main())
