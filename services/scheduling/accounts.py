"""Organisations and organiser accounts: creating them and logging in. Each
use case takes a session and plain data and never commits."""

from __future__ import annotations

import functools
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Organiser, issue_token
from shared.errors import Conflict, Unauthorized

from .links import slugify
from .models import Account, Membership, Organisation

_hasher = PasswordHasher()  # argon2id, memory-hard


@functools.cache
def _hash_of_no_account() -> str:
    """Checked against when no account has the e-mail, so that a wrong e-mail
    takes as long as a wrong password and timing tells no one which exist."""
    return _hasher.hash("no account has this e-mail")


def create_organisation(session: Session, name: str, slug: str | None = None) -> Organisation:
    slug = slug or slugify(name)[:80].strip("-")  # the column's length
    if session.scalar(select(Organisation).where(Organisation.slug == slug)):
        raise Conflict(f"organisation {slug!r} exists", field="slug")
    organisation = Organisation(name=name, slug=slug)
    session.add(organisation)
    session.flush()
    return organisation


def create_account(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    is_admin: bool = False,
    memberships: dict[str, str] | None = None,
) -> Account:
    email = email.strip().lower()
    if session.scalar(select(Account).where(Account.email == email)):
        raise Conflict("an account with this e-mail exists", field="email")
    account = Account(email=email, name=name, password_hash=_hasher.hash(password), is_admin=is_admin)
    session.add(account)
    session.flush()
    for organisation_id, role in (memberships or {}).items():
        session.add(Membership(account_id=account.id, organisation_id=organisation_id, role=role))
    session.flush()
    session.refresh(account)
    return account


def authenticate(session: Session, email: str, password: str) -> Organiser:
    account = session.scalar(select(Account).where(Account.email == email.strip().lower()))
    try:
        _hasher.verify(account.password_hash if account else _hash_of_no_account(), password)
        if account is None:
            raise VerificationError()
    except VerificationError:
        raise Unauthorized("wrong e-mail or password") from None
    return organiser_of(account)


def organiser_of(account: Account) -> Organiser:
    """The account as a token sees it: its roles as they are now."""
    return Organiser(
        account_id=account.id,
        email=account.email,
        is_admin=account.is_admin,
        roles={m.organisation_id: m.role for m in account.memberships},
    )


def fresh_token(session: Session, account_id: str, *, private_key: Callable[[], bytes]) -> str:
    """A new token for an account whose roles just changed (after joining an
    organisation): a token keeps the roles it was issued with until it expires."""
    account = session.get(Account, account_id)
    if account is None:
        raise Unauthorized("no such account")
    session.refresh(account)
    return issue_token(private_key(), organiser_of(account))


def log_in(session: Session, email: str, password: str, *, private_key: Callable[[], bytes]) -> str:
    """A bearer token for the organiser with these credentials (Unauthorized
    otherwise). The key is read only for a right password."""
    organiser = authenticate(session, email, password)
    return issue_token(private_key(), organiser)


def organisations_of(session: Session, organiser: Organiser) -> list[Organisation]:
    """The organisations the organiser may create events for (all for admins)."""
    query = select(Organisation).order_by(Organisation.name)
    if not organiser.is_admin:
        allowed = [org for org, role in organiser.roles.items() if role in ("owner", "organiser")]
        query = query.where(Organisation.id.in_(allowed))
    return list(session.scalars(query))
