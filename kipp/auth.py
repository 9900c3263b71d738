"""Sign-in accounts: argon2 password hashes, throttled sign-in, roles, demo accounts, ``kipp user``.

Accounts live in the ``app_user`` table with a role (organizer, juror linked to a juror
of the panel, viewer).  Passwords are hashed with argon2id (argon2-cffi) and never
stored, printed or logged in clear.  Failed sign-ins are counted per typed username,
whether or not the account exists, for each client and for all clients together
(``sign_in_throttle``): one client gets 3 free attempts, then waits of 5, 10 and 20 s,
and the 6th failure locks that username for that client for 15 minutes; failures from
all clients together only ever impose a wait of at most a minute, so a person guessing
elsewhere cannot lock the real user out.  Every attempt is counted before its password
is checked, so parallel guesses get no more checks; a right password resets the counts.

Demo databases get demo accounts with public passwords (``is_demo_password``), and
accounts a demo session creates or gives a password are marked ``set_by_demo``.  As soon
as the database holds real data (an edition, account or juror that is not demo data)
none of them can sign in, their sessions end, and a real edition refuses to run until
their passwords are changed or they are deactivated.  Changing a password or
deactivating an account bumps its session epoch, which ends its open sessions.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor, Problem, WriteRefused, audit
from kipp.models import Edition, EditionStatus, Institution, Juror, PanelMember, Role, SignInThrottle, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
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
DEMO_ACTOR = Actor(username="demo", role=Role.organizer.value)

# argon2id with argon2-cffi's maintained defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()


class SignInRefused(Exception):
    """A refused sign-in, with the reason to show (a catalogue key and its values)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and its public, demo-only password."""

    username: str
    role: str
    password: str
    juror: str | None = None


# --- passwords ----------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """The argon2id hash of a password (salted: two hashes of one password differ)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of 16 URL-safe characters (96 bits), to be shown once."""
    return secrets.token_urlsafe(12)


def password_problems(password: str, username: str) -> list[Problem]:
    """Why a chosen password is refused: too short, too long, or the username itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem(
                "auth.password_too_short",
                f"The password needs at least {MIN_PASSWORD_LENGTH} characters",
                {"min": MIN_PASSWORD_LENGTH},
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [
            Problem(
                "auth.password_too_long",
                f"The password may have at most {MAX_PASSWORD_LENGTH} characters",
                {"max": MAX_PASSWORD_LENGTH},
            )
        ]
    if username and username.casefold() in password.casefold():
        return [Problem("auth.password_has_username", "The password must not contain the username")]
    return []


def normalise_username(name: str) -> str:
    """Usernames compare case-insensitively and without surrounding spaces."""
    return name.strip().lower()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Timestamps read back from SQLite are naive UTC; make every one timezone-aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _local_time(value: dt.datetime) -> str:
    return value.astimezone(LOCAL_TIME).strftime("%H:%M")


# --- sign-in ------------------------------------------------------------------------------


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


def _account(user: User, juror_name: str | None) -> Account:
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


def _lock_name(session: Session, name: str) -> None:
    """Serialise sign-in bookkeeping for one typed name (its throttle rows) until the transaction ends."""
    db.serialise(session, f"sign-in:{name}")


def _throttle_rows(session: Session, name: str, client: str, now: dt.datetime) -> tuple[SignInThrottle, SignInThrottle]:
    """The throttle rows of a typed name for all clients and for this client, locked until the transaction ends."""
    _lock_name(session, name)
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
    waits = [(_aware(row.blocked_until), row) for row in rows if row.blocked_until is not None]
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
        _lock_name(session, name)
        session.execute(
            delete(SignInThrottle).where(
                SignInThrottle.username == name, SignInThrottle.client.in_((ALL_CLIENTS, client_key))
            )
        )
        db.serialise(session, "sign-in-prune")  # taken after the name's lock, like everywhere: no deadlock
        session.execute(delete(SignInThrottle).where(SignInThrottle.updated_at < now - THROTTLE_KEEP))
        user = session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one()
        problem = INACTIVE if not user.active else _demo_block(session, user)
        if problem is None:
            user.last_login_at = now
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            signed_in = _account(user, juror_name)
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
        if _demo_block(session, found[0]) is not None:
            raise SignInRefused(SIGNED_OUT_DEMO)
        return _account(*found)


def account(engine: Engine, username: str) -> Account | None:
    """The current :class:`Account` of an account that may sign in (None if missing, deactivated or a blocked demo)."""
    with db.read_session(engine) as session:
        found = _user_with_juror(session, normalise_username(username))
        if found is None or not found[0].active or _demo_block(session, found[0]) is not None:
            return None
        return _account(*found)


# --- accounts -----------------------------------------------------------------------------


def _juror_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def resolve_juror(engine: Engine, name: str) -> tuple[int, str]:
    """The juror (id, name) for a name typed case- and space-insensitively; raises WriteRefused."""
    with engine.connect() as connection:
        jurors = connection.execute(select(Juror.id, Juror.name)).all()
    matches = [(juror_id, juror) for juror_id, juror in jurors if _juror_key(juror) == _juror_key(name)]
    if not matches:
        raise WriteRefused([Problem("auth.unknown_juror", f"There is no juror named {name!r}", {"name": name.strip()})])
    return matches[0]


def _account_problems(session: Session, username: str, role: str, juror_id: int | None) -> list[Problem]:
    problems = []
    if not USERNAME_PATTERN.fullmatch(username):
        problems.append(
            Problem(
                "auth.bad_username",
                f"{username!r} is not a valid username: use 3–32 lowercase letters, digits, '.', '_' or '-'",
                {"username": username},
            )
        )
    elif session.execute(select(exists().where(User.username == username))).scalar():
        problems.append(Problem("auth.username_taken", f"The username {username!r} is taken", {"username": username}))
    if role not in {r.value for r in Role}:
        problems.append(Problem("auth.bad_role", f"Unknown role {role!r}", {"role": role}))
    elif role == Role.juror.value and juror_id is None:
        problems.append(Problem("auth.juror_required", "A juror account must be linked to a juror of the panel"))
    elif role != Role.juror.value and juror_id is not None:
        problems.append(Problem("auth.juror_only_for_jurors", "Only a juror account is linked to a juror"))
    elif juror_id is not None:
        taken = session.execute(
            select(User.username).where(User.juror_id == juror_id, User.active.is_(True))
        ).scalar_one_or_none()
        if taken is not None:
            problems.append(
                Problem(
                    "auth.juror_taken",
                    f"The account {taken!r} already scores for this juror",
                    {"username": taken},
                )
            )
    return problems


def _is_demo_session(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` is signed in with a demo account (public password, or set up by a demo session)."""
    demo = or_(User.is_demo_password.is_(True), User.set_by_demo.is_(True))
    return bool(session.execute(select(exists().where(User.username == actor.username, demo))).scalar())


def _add_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    role: str,
    password_hash: str,
    juror_id: int | None,
    display_name: str | None,
    is_demo_password: bool,
) -> Account:
    """Insert a checked account in this transaction, audited; marked when a demo session creates it."""
    set_by_demo = _is_demo_session(session, actor)
    user = User(
        username=username,
        role=role,
        juror_id=juror_id,
        display_name=(display_name or "").strip() or None,
        password_hash=password_hash,
        is_demo_password=is_demo_password,
        set_by_demo=set_by_demo,
    )
    session.add(user)
    session.flush()
    juror_name = None if juror_id is None else session.get(Juror, juror_id).name
    audit(
        session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_key=username,
        edition_id=None,
        new={"role": role, "juror": juror_name, "demo_password": is_demo_password, "set_by_demo": set_by_demo},
    )
    return _account(user, juror_name)


def create_user(
    engine: Engine,
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    juror_id: int | None = None,
    display_name: str | None = None,
) -> Account:
    """Create an account (audited; the password only as a hash) and return it.

    An account created by a session of a demo account is marked ``set_by_demo`` and stops
    working, like the demo accounts, once the database holds real data.
    """
    username = normalise_username(username)
    problems = [] if actor.role == Role.organizer.value else [Problem("services.organizer_only", "Organizers only")]
    problems += password_problems(password, username)
    password_hash = hash_password(password) if not problems else ""
    with db.write_session(engine) as session:
        problems += _account_problems(session, username, role, juror_id)
        if problems:
            raise WriteRefused(problems)
        return _add_user(
            session,
            actor=actor,
            username=username,
            role=role,
            password_hash=password_hash,
            juror_id=juror_id,
            display_name=display_name,
            is_demo_password=False,
        )


def _user_for_change(session: Session, actor: Actor, username: str) -> User:
    if actor.role != Role.organizer.value:
        raise WriteRefused([Problem("services.organizer_only", "Only an organizer can do this")])
    user = session.execute(select(User).where(User.username == username).with_for_update()).scalar_one_or_none()
    if user is None:
        raise WriteRefused([Problem("auth.unknown_user", f"There is no account {username!r}", {"username": username})])
    return user


def set_password(engine: Engine, *, actor: Actor, username: str, password: str) -> None:
    """Give an account a new password: ends its sessions, lifts its sign-in waits and locks.

    It is no longer a demo account, unless the new password comes from a demo session.
    """
    username = normalise_username(username)
    problems = password_problems(password, username)
    if problems:
        raise WriteRefused(problems)
    password_hash = hash_password(password)
    with db.write_session(engine) as session:
        _lock_name(session, username)  # before the account row, in the order sign-in takes them
        user = _user_for_change(session, actor, username)
        user.password_hash = password_hash
        user.is_demo_password = False
        user.set_by_demo = _is_demo_session(session, actor)
        user.session_epoch += 1
        session.execute(delete(SignInThrottle).where(SignInThrottle.username == username))
        audit(session, actor=actor, action="user.password", entity="user", entity_key=username, edition_id=None)


def reset_password(engine: Engine, *, actor: Actor, username: str) -> str:
    """Replace an account's password with a generated one and return it (to be shown once)."""
    password = generate_password()
    set_password(engine, actor=actor, username=username, password=password)
    return password


def set_active(engine: Engine, *, actor: Actor, username: str, active: bool) -> None:
    """Deactivate (ending its sessions) or reactivate an account (never your own, never the last active organizer)."""
    username = normalise_username(username)
    with db.write_session(engine) as session:
        user = _user_for_change(session, actor, username)
        if user.active == active:
            return
        if not active and username == actor.username:
            raise WriteRefused([Problem("auth.not_yourself", "You cannot deactivate your own account")])
        if not active and user.role == Role.organizer.value:
            organizers = session.execute(
                select(User.id).where(User.role == Role.organizer.value, User.active.is_(True))
            ).all()
            if len(organizers) <= 1:
                raise WriteRefused(
                    [Problem("auth.last_organizer", "This is the last active organizer account; keep it active")]
                )
        user.active = active
        if not active:
            user.session_epoch += 1
        audit(
            session,
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            entity="user",
            entity_key=username,
            edition_id=None,
            old=not active,
            new=active,
        )


def list_users(engine: Engine) -> pd.DataFrame:
    """All accounts without their hashes, times in WIB: username, display_name, role, juror, active,
    failed_attempts (in a row, from all clients), locked_until (the latest wait or lock of any client),
    is_demo_password, set_by_demo, last_login_at, created_at."""
    failures = select(SignInThrottle.failures).where(
        SignInThrottle.username == User.username, SignInThrottle.client == ALL_CLIENTS
    )
    blocked = select(func.max(SignInThrottle.blocked_until)).where(SignInThrottle.username == User.username)
    statement = (
        select(
            User.username,
            User.display_name,
            User.role,
            Juror.name,
            User.active,
            func.coalesce(failures.scalar_subquery(), 0),
            blocked.scalar_subquery(),
            User.is_demo_password,
            User.set_by_demo,
            User.last_login_at,
            User.created_at,
        )
        .outerjoin(Juror, Juror.id == User.juror_id)
        .order_by(User.role, User.username)
    )
    columns = [
        "username",
        "display_name",
        "role",
        "juror",
        "active",
        "failed_attempts",
        "locked_until",
        "is_demo_password",
        "set_by_demo",
        "last_login_at",
        "created_at",
    ]
    with engine.connect() as connection:
        frame = pd.DataFrame.from_records(connection.execute(statement).all(), columns=columns)
    for column in ("locked_until", "last_login_at", "created_at"):
        stamps = pd.to_datetime(frame[column].map(_aware), utc=True)
        frame[column] = stamps.dt.tz_convert(LOCAL_TIME).dt.tz_localize(None)
    return frame


def jurors(engine: Engine) -> dict[int, str]:
    """Every juror an account can be linked to: id -> name, by name."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Juror.id, Juror.name).order_by(Juror.name)).all())


# --- demo accounts and the demo guard -----------------------------------------------------

DEMO_LOCK = "kipp-demo"  # serialises every build of demo data and demo accounts


class DemoRefused(ValueError):
    """Demo data or demo accounts refused: the database holds real data."""

    def __init__(self) -> None:
        super().__init__(
            "This database holds real data (accounts, editions or jurors that are not demo data): demo data and "
            "demo accounts with public passwords are only built into an empty or demo-only database"
        )


def holds_real_data(session: Session) -> bool:
    """Whether the database holds anything that is not demo data.

    A non-demo edition, an account that is not a demo account (public demo password, or
    set up by a demo session), or a juror who sits on no demo panel.
    """
    demo_panel = select(PanelMember.juror_id).join(Edition, Edition.id == PanelMember.edition_id).where(Edition.is_demo)
    checks = (
        exists().where(Edition.is_demo.is_(False)),
        exists().where(User.is_demo_password.is_(False), User.set_by_demo.is_(False)),
        exists().where(Juror.id.not_in(demo_panel)),
    )
    return any(session.execute(select(check)).scalar() for check in checks)


def holds_nothing(session: Session) -> bool:
    """Whether the database is completely empty: no edition, juror, institution or account."""
    return not any(
        session.execute(select(exists().where(table.id.is_not(None)))).scalar()
        for table in (Edition, Juror, Institution, User)
    )


def _demo_block(session: Session, user: User) -> Problem | None:
    """Why a demo account (or one set up by a demo session) may not be used: the database holds real data."""
    if not (user.is_demo_password or user.set_by_demo) or not holds_real_data(session):
        return None
    if user.is_demo_password:
        return Problem(
            "auth.demo_password_blocked",
            f"This account still has its public demo password and the database holds real data: "
            f"set a new password with `python -m kipp user passwd {user.username}`",
            {"username": user.username},
        )
    return Problem(
        "auth.demo_session_blocked",
        f"This account was set up in a demo session and the database now holds real data: an organizer "
        f"must set a new password with `python -m kipp user passwd {user.username}`",
        {"username": user.username},
    )


def demo_password_usernames(session: Session) -> list[str]:
    """Active demo accounts: a public demo password, or created or given their password by a demo session."""
    demo = or_(User.is_demo_password.is_(True), User.set_by_demo.is_(True))
    statement = select(User.username).where(demo, User.active.is_(True))
    return list(session.execute(statement.order_by(User.username)).scalars())


def demo_password_warning(engine: Engine) -> list[str]:
    """Demo accounts that block real editions (empty while the database holds only demo data)."""
    with db.read_session(engine) as session:
        return demo_password_usernames(session) if holds_real_data(session) else []


# The one public password of every demo account (demo databases only; printed and in the README).
DEMO_PASSWORD = "kipp-malang-demo"


DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("panitia", Role.organizer.value, "Panitia (demo)"),
    ("pimpinan", Role.viewer.value, "Pimpinan (demo)"),
)


def add_demo_accounts(session: Session, password_hash: str) -> None:
    """Add the missing demo accounts in this transaction, all with the hash of DEMO_PASSWORD.

    An organizer (panitia), a viewer (pimpinan) and one juror account per seat of the
    latest demo panel (juri1 … juri4); existing accounts are kept as they are.
    """
    latest = session.execute(
        select(Edition.id).where(Edition.is_demo).order_by(Edition.year.desc()).limit(1)
    ).scalar_one_or_none()
    panel = session.execute(
        select(Juror.id)
        .join(PanelMember, PanelMember.juror_id == Juror.id)
        .where(PanelMember.edition_id == latest)
        .order_by(PanelMember.seat, Juror.name)
    ).scalars()
    specs = [(name, role, display, None) for name, role, display in DEMO_STAFF]
    specs += [(f"juri{seat}", Role.juror.value, None, juror_id) for seat, juror_id in enumerate(panel, 1)]
    for username, role, display, juror_id in specs:
        if not _account_problems(session, username, role, juror_id):
            _add_user(
                session,
                actor=DEMO_ACTOR,
                username=username,
                role=role,
                password_hash=password_hash,
                juror_id=juror_id,
                display_name=display,
                is_demo_password=True,
            )


def ensure_demo_accounts(engine: Engine) -> list[DemoAccount]:
    """Create the demo accounts of a demo database and return those still on their demo password.

    Idempotent, also when several processes call it at once.  Raises :class:`DemoRefused`
    on a database that holds real data.
    """
    password_hash = hash_password(DEMO_PASSWORD)
    with db.write_session(engine) as session:
        db.serialise(session, DEMO_LOCK)
        if holds_real_data(session):
            raise DemoRefused()
        add_demo_accounts(session, password_hash)
    return demo_accounts_on_offer(engine)


def demo_accounts_on_offer(engine: Engine) -> list[DemoAccount]:
    """Active accounts still on their public demo password, with it (none once real data exists)."""
    with db.read_session(engine) as session:
        if holds_real_data(session):
            return []
        rows = session.execute(
            select(User.username, User.role, Juror.name)
            .outerjoin(Juror, Juror.id == User.juror_id)
            .where(User.is_demo_password.is_(True), User.active.is_(True))
            .order_by(User.role, User.username)
        ).all()
    return [DemoAccount(username, role, DEMO_PASSWORD, juror) for username, role, juror in rows]


def describe_demo_accounts(accounts: Sequence[DemoAccount]) -> str:
    """Lines for the terminal listing demo accounts and their demo-only passwords."""
    lines = ["Demo accounts (DEMO ONLY: these passwords are public; never use them with real data):"]
    for item in accounts:
        juror = f" — scores as {item.juror}" if item.juror else ""
        lines.append(f"  {item.username:<10} {item.role:<10} password: {item.password}{juror}")
    return "\n".join(lines)
