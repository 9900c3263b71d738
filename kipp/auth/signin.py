"""Sign-in: the throttle of failed attempts, authenticate, and a session's account re-read on every run.

Failed sign-ins are counted per typed username, whether or not the account exists, for each
client and for all clients together (``sign_in_throttle``): one client gets 3 free attempts,
then waits of 5, 10 and 20 s, and the 6th failure locks that username for that client for 15
minutes; failures from all clients together only ever impose a wait of at most a minute, so a
person guessing elsewhere cannot lock the real user out.  Every attempt is counted before its
password is checked, so parallel guesses get no more checks; a right password resets the counts.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor, Problem, audit
from kipp.auth.guard import demo_block
from kipp.auth.passwords import hash_password, needs_rehash, normalise_username, verify_password
from kipp.models import EditionStatus, Juror, Role, SignInThrottle, User, utcnow

FREE_ATTEMPTS = 3  # failed sign-ins before each further attempt has to wait
FIRST_DELAY = dt.timedelta(seconds=5)  # the first wait, doubled at each further failure
LOCK_AFTER = 6  # failed sign-ins that lock the account
LOCK_DURATION = dt.timedelta(minutes=15)
ACCOUNT_MAX_WAIT = dt.timedelta(seconds=60)  # the longest wait failures from all clients impose on a username
ALL_CLIENTS = "*"  # the throttle row of a username that counts failures from every client
LOCAL_CLIENT = "local"  # the client of sign-ins that name none (terminal, local browser)
THROTTLE_KEY_LENGTH = 64
THROTTLE_KEEP = dt.timedelta(days=1)  # throttle rows untouched this long are forgotten
LOCAL_TIME = ZoneInfo("Asia/Jakarta")  # Kota Malang is on WIB
SYSTEM = Actor(username="system", role=Role.organizer.value)


class SignInRefused(Exception):
    """A refused sign-in, with the reason to show (a catalogue key and its values)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Timestamps read back from SQLite are naive UTC; make every one timezone-aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _local_time(value: dt.datetime) -> str:
    return value.astimezone(LOCAL_TIME).strftime("%H:%M")


def penalty_until(failed_attempts: int, now: dt.datetime) -> dt.datetime | None:
    """Until when one client must wait for a username after ``failed_attempts`` failures in a row (None: no wait)."""
    if failed_attempts < FREE_ATTEMPTS:
        return None
    if failed_attempts >= LOCK_AFTER:
        return now + LOCK_DURATION
    return now + FIRST_DELAY * 2 ** (failed_attempts - FREE_ATTEMPTS)


def account_wait_until(failed_attempts: int, now: dt.datetime) -> dt.datetime | None:
    """Until when every client must wait for a username after failures from all clients together.

    The same doubling waits, but never longer than ACCOUNT_MAX_WAIT and never a lock: someone
    guessing from elsewhere cannot keep the real person out for more than a minute.
    """
    if failed_attempts < FREE_ATTEMPTS:
        return None
    return now + min(FIRST_DELAY * 2 ** min(failed_attempts - FREE_ATTEMPTS, 8), ACCOUNT_MAX_WAIT)


def _refusal_for_wait(locked: bool, until: dt.datetime, now: dt.datetime) -> SignInRefused:
    if locked:
        minutes = LOCK_DURATION.seconds // 60
        return SignInRefused(
            Problem(
                "auth.locked",
                f"Too many failed sign-ins for this account from this device: locked until {_local_time(until)} WIB",
                {"until": _local_time(until), "minutes": minutes},
            )
        )
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    return SignInRefused(
        Problem(
            "auth.wait",
            f"Too many failed sign-ins: wait {seconds} seconds and try again",
            {"seconds": seconds},
        )
    )


BAD_CREDENTIALS = Problem("auth.bad_credentials", "Wrong username or password")
INACTIVE = Problem("auth.inactive", "This account is deactivated; ask an organizer to reactivate it")


@dataclass(frozen=True)
class Account:
    """A signed-in account as a session keeps it: who they are and what they may do and see.

    Small and immutable (never the ORM object or the password hash); re-read from the
    database on every run, so a changed role or a deactivation applies at once.  The
    session epoch is the account's at sign-in: when it moves (new password, deactivation)
    the session ends.
    """

    username: str
    role: str
    juror_id: int | None = None
    display_name: str = ""
    session_epoch: int = 0

    @property
    def is_organizer(self) -> bool:
        """Organizers set up and run editions and see everything."""
        return self.role == Role.organizer.value

    @property
    def is_juror(self) -> bool:
        """Jurors score their own sheets."""
        return self.role == Role.juror.value

    @property
    def actor(self) -> Actor:
        """The account as the author of a write (audit trail)."""
        return Actor(username=self.username, role=self.role, juror_id=self.juror_id)

    def may_see(self, status: str) -> bool:
        """Whether this account may see an edition's results in ``status``.

        Organizers see every edition; everyone else only published ones.
        """
        return self.is_organizer or status == EditionStatus.published.value


def account_of(user: User, juror_name: str | None) -> Account:
    """The session's view of an account row."""
    return Account(
        username=user.username,
        role=user.role,
        juror_id=user.juror_id,
        display_name=user.display_name or juror_name or user.username,
        session_epoch=user.session_epoch,
    )


def _user_with_juror(session: Session, username: str) -> tuple[User, str | None] | None:
    row = session.execute(
        select(User, Juror.name).outerjoin(Juror, Juror.id == User.juror_id).where(User.username == username)
    ).first()
    return None if row is None else (row[0], row[1])


@functools.cache
def _dummy_hash() -> str:
    """A hash to check passwords against for unknown usernames: the same work, the same answer."""
    return hash_password(secrets.token_urlsafe(12))


def lock_name(session: Session, name: str) -> None:
    """Serialise sign-in bookkeeping for one typed name (its throttle rows) until the transaction ends."""
    db.serialise(session, f"sign-in:{name}")


def _throttle_rows(session: Session, name: str, client: str, now: dt.datetime) -> tuple[SignInThrottle, SignInThrottle]:
    """The throttle rows of a typed name for all clients and for this client, locked until the transaction ends."""
    lock_name(session, name)
    rows = []
    for key in (ALL_CLIENTS, client):
        statement = select(SignInThrottle).where(SignInThrottle.username == name, SignInThrottle.client == key)
        row = session.execute(statement.with_for_update()).scalar_one_or_none()
        if row is None:
            row = SignInThrottle(username=name, client=key, failures=0, updated_at=now)
            session.add(row)
        rows.append(row)
    return rows[0], rows[1]


def _waiting(rows: Sequence[SignInThrottle], now: dt.datetime) -> SignInRefused | None:
    """The refusal for an attempt while the name or this client must still wait (None: go ahead)."""
    waits = [(aware(row.blocked_until), row) for row in rows if row.blocked_until is not None]
    waits = [(until, row) for until, row in waits if until > now]
    if not waits:
        return None
    until, row = max(waits, key=lambda wait: wait[0])
    return _refusal_for_wait(row.client != ALL_CLIENTS and row.failures >= LOCK_AFTER, until, now)


def _client_key(client: str | None) -> str:
    return f"c:{client or LOCAL_CLIENT}"[:THROTTLE_KEY_LENGTH]


def authenticate(
    engine: Engine, username: str, password: str, *, client: str | None = None, now: dt.datetime | None = None
) -> Account:
    """Check a sign-in from ``client`` (e.g. the visitor's IP address) and return the signed-in :class:`Account`.

    Every attempt is first counted as a failure, atomically, for the typed name from this
    client and from all clients; only an attempt that need not wait is then checked, and a
    right password undoes the count.  So parallel guesses cannot get more checks than the
    waits allow.  Unknown usernames are counted and checked (against a dummy hash) the same
    way, so neither the answer nor its timing tells which usernames exist.

    Raises :class:`SignInRefused` for a wrong username or password (one message for
    both), an attempt that must wait or is locked after repeated failures, a deactivated
    account, or a demo account on a database with real data.
    """
    now = now or utcnow()
    name = normalise_username(username)[:THROTTLE_KEY_LENGTH]
    client_key = _client_key(client)
    with db.write_session(engine) as session:
        everyone, this_client = _throttle_rows(session, name, client_key, now)
        refusal = _waiting((everyone, this_client), now)
        if refusal is None:
            for row in (everyone, this_client):
                row.failures += 1
                row.updated_at = now
            everyone.blocked_until = account_wait_until(everyone.failures, now)
            this_client.blocked_until = penalty_until(this_client.failures, now)
            failed = _waiting((everyone, this_client), now) or SignInRefused(BAD_CREDENTIALS)
            locks = this_client.failures == LOCK_AFTER
        found = _user_with_juror(session, name)
        user_id, stored_hash, juror_name = (
            (None, None, None) if found is None else (found[0].id, found[0].password_hash, found[1])
        )
    if refusal is not None:
        raise refusal

    if not verify_password(stored_hash or _dummy_hash(), password) or user_id is None:
        if locks:
            with db.write_session(engine) as session:
                audit(
                    session,
                    actor=SYSTEM,
                    action="user.locked",
                    entity="user",
                    entity_key=name,
                    edition_id=None,
                    new=penalty_until(LOCK_AFTER, now),
                    reason=f"{LOCK_AFTER} failed sign-ins from {client_key}",
                )
        raise failed

    with db.write_session(engine) as session:
        lock_name(session, name)
        session.execute(
            delete(SignInThrottle).where(
                SignInThrottle.username == name, SignInThrottle.client.in_((ALL_CLIENTS, client_key))
            )
        )
        db.serialise(session, "sign-in-prune")  # taken after the name's lock, like everywhere: no deadlock
        session.execute(delete(SignInThrottle).where(SignInThrottle.updated_at < now - THROTTLE_KEEP))
        user = session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one()
        problem = INACTIVE if not user.active else demo_block(session, user)
        if problem is None:
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            signed_in = account_of(user, juror_name)
    if problem is not None:
        raise SignInRefused(problem)
    return signed_in


SIGNED_OUT_INACTIVE = Problem("auth.signed_out_inactive", "Your account was deactivated, so you have been signed out")
SIGNED_OUT_PASSWORD = Problem(
    "auth.signed_out_password", "The password of your account was changed, so you have been signed out"
)
SIGNED_OUT_DEMO = Problem(
    "auth.signed_out_demo", "The database now holds real data and demo accounts stop working: you have been signed out"
)


def refresh(engine: Engine, current: Account) -> Account:
    """The session's account as the database has it now; raises :class:`SignInRefused` when the session must end.

    It ends when the account is gone or deactivated, when its password was changed or
    reset since the sign-in (the session epoch moved), or when it is a demo account (or was
    set up by one) and the database now holds real data.
    """
    with db.read_session(engine) as session:
        found = _user_with_juror(session, normalise_username(current.username))
        if found is None or not found[0].active:
            raise SignInRefused(SIGNED_OUT_INACTIVE)
        if found[0].session_epoch != current.session_epoch:
            raise SignInRefused(SIGNED_OUT_PASSWORD)
        if demo_block(session, found[0]) is not None:
            raise SignInRefused(SIGNED_OUT_DEMO)
        return account_of(*found)


def account(engine: Engine, username: str) -> Account | None:
    """The current :class:`Account` of an account that may sign in (None if missing, deactivated or a blocked demo)."""
    with db.read_session(engine) as session:
        found = _user_with_juror(session, normalise_username(username))
        if found is None or not found[0].active or demo_block(session, found[0]) is not None:
            return None
        return account_of(*found)
