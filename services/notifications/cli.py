"""Operator commands of notifications: `python -m services.notifications.cli
init-signing-key` gives the embedded default a self-signed key to sign
certificates with (var/keys/certificate-signing.p12, made once; `make setup`
runs it). With CERTIFICATE_PKCS12_FILE or CERTIFICATE_PKCS12_BASE64 set, or
off the embedded default, it makes nothing: the operator's key signs."""

from __future__ import annotations

import argparse
import os
import sys

from shared.config import load_settings

from .certificate_signing import SigningKeyUnusable, load_signing_key, self_signed_pkcs12
from .config import default_signing_file, load_config


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.notifications.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-signing-key", help="create the embedded default's self-signed certificate signing key")
    parser.parse_args(argv)
    settings = load_settings("notifications")
    config = load_config(settings)
    if config.certificate_pkcs12 is not None:
        try:
            key = load_signing_key(config.certificate_pkcs12, config.certificate_pkcs12_password)
        except SigningKeyUnusable as error:
            print(error, file=sys.stderr)
            return 1
        print(f"certificates are signed by: {key.subject}{' (self-signed)' if key.self_signed else ''}")
        return 0
    if not settings.embedded:
        print("no CERTIFICATE_PKCS12_FILE or CERTIFICATE_PKCS12_BASE64: certificates go out unsigned", file=sys.stderr)
        return 0
    path = default_signing_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = self_signed_pkcs12(f"{config.organizer_name} - certificato di prova autofirmato", config.organizer_name)
    # Only the owner may read the key; O_EXCL: two setups at once never overwrite each other's.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    print(f"self-signed certificate signing key: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
