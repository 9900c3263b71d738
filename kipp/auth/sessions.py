"""Sign-in sessions that survive a reload: a random token in a cookie, only its SHA-256 in ``sign_in_session``.

Signing in starts a session (:func:`start_session`): a token of 32 random bytes goes to the
browser, the database keeps its hash with the account's session epoch and an expiry
(``KIPP_SESSION_HOURS``, 12 hours by default).  A new browser tab, a reload or a dropped
connection brings the token back and :func:`resume` restores the account, in one indexed
query, as long as the row exists, has not expired, and the account is active with the
same session epoch.  Every run of a signed-in page calls :func:`resume` again, so signing
out on one tab (:func:`end_session` deletes the row) ends the session on every tab, and a
password change or deactivation (which bump the epoch) ends all of an account's sessions.
Expired rows are deleted whenever a session starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

from sqlalchemy import Engine, delete, select, update

from kipp import db
from kipp.audit import Problem
from kipp.auth.guard import demo_block
from kipp.auth.passwords import normalise_username
from kipp.auth.signin import (
    SIGNED_OUT_DEMO,
    SIGNED_OUT_INACTIVE,
    SIGNED_OUT_PASSWORD,
    Account,
    SignInRefused,
    account_of,
    aware,
)
from kipp.models import Juror, SignInSession, User, utcnow

SESSION_HOURS_SETTING = "KIPP_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 12.0
TOKEN_BYTES = 32
TOUCH_EVERY = dt.timedelta(minutes=5)  # last_seen_at is written at most this often, not on every rerun

SESSION_ENDED = Problem("auth.session_ended", "You have been signed out (on this or another tab); sign in again")
SESSION_EXPIRED = Problem("auth.session_expired", "Your sign-in has expired; sign in again")


def session_lifetime() -> dt.timedelta:
    """How long a sign-in lasts: ``KIPP_SESSION_HOURS`` (a positive number of hours) or 12 hours."""
    raw = os.environ.get(SESSION_HOURS_SETTING, "").strip().replace(",", ".")
    try:
        hours = float(raw) if raw else DEFAULT_SESSION_HOURS
    except ValueError:
        hours = DEFAULT_SESSION_HOURS
    return dt.timedelta(hours=hours if 0 < hours <= 24 * 31 else DEFAULT_SESSION_HOURS)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a token: the only form a token is stored in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token (URL-safe, 43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def start_session(
    engine: Engine, account: Account, *, now: dt.datetime | None = None, lifetime: dt.timedelta | None = None
) -> str:
    """Record a session of a just signed-in ``account`` and return its token (for the cookie, never stored).

    Expired sessions of every account are deleted on the way.
    """
    now = now or utcnow()
    token = new_token()
    with db.write_session(engine) as session:
        user_id = session.execute(
            select(User.id).where(User.username == normalise_username(account.username))
        ).scalar_one()
        session.execute(delete(SignInSession).where(SignInSession.expires_at < now))
        session.add(
            SignInSession(
                token_hash=token_hash(token),
                user_id=user_id,
                session_epoch=account.session_epoch,
                created_at=now,
                expires_at=now + (lifetime or session_lifetime()),
                last_seen_at=now,
            )
        )
    return token


def resume(engine: Engine, token: str, *, now: dt.datetime | None = None) -> Account:
    """The account of a session token as the database has it now; raises :class:`SignInRefused` when it ended.

    Ended means: signed out (no row), expired, the account deactivated or gone, its password
    changed since (the session epoch moved), or a demo account on a database with real data.
    """
    now = now or utcnow()
    hashed = token_hash(token)
    with db.read_session(engine) as session:
        found = session.execute(
            select(SignInSession.session_epoch, SignInSession.expires_at, SignInSession.last_seen_at, User, Juror.name)
            .join(User, User.id == SignInSession.user_id)
            .outerjoin(Juror, Juror.id == User.juror_id)
            .where(SignInSession.token_hash == hashed)
        ).first()
        if found is None:
            raise SignInRefused(SESSION_ENDED)
        epoch, expires_at, last_seen_at, user, juror_name = found
        if aware(expires_at) <= now:
            raise SignInRefused(SESSION_EXPIRED)
        if not user.active:
            raise SignInRefused(SIGNED_OUT_INACTIVE)
        if user.session_epoch != epoch:
            raise SignInRefused(SIGNED_OUT_PASSWORD)
        if demo_block(session, user) is not None:
            raise SignInRefused(SIGNED_OUT_DEMO)
        account = account_of(user, juror_name)
    if aware(last_seen_at) < now - TOUCH_EVERY:
        with db.write_session(engine) as session:
            session.execute(update(SignInSession).where(SignInSession.token_hash == hashed).values(last_seen_at=now))
    return account


def end_session(engine: Engine, token: str) -> None:
    """Sign out: delete the session of ``token`` (every tab that holds it is signed out at its next run)."""
    with db.write_session(engine) as session:
        session.execute(delete(SignInSession).where(SignInSession.token_hash == token_hash(token)))
