"""Sign-in accounts: argon2 password hashes, throttled sign-in, roles, demo accounts, ``kipp user``.

Accounts live in the ``app_user`` table with a role (organizer, juror linked to a juror
of the panel, viewer).  Passwords are hashed with argon2id (argon2-cffi) and never
stored, printed or logged in clear.  Failed sign-ins are counted on the account: after
a few, each further attempt must wait (5 s, 10 s, 20 s), then the account locks for
15 minutes; a successful sign-in resets the count.  Waiting and locking are stored in
the database, so opening a new browser session does not get around them.

Demo databases get demo accounts with public passwords (``is_demo_password``); as soon
as the database holds a real (non-demo) edition those accounts cannot sign in and the
real edition refuses to run until their passwords are changed or they are deactivated.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, exists, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor, Problem, WriteRefused, audit
from kipp.models import Edition, EditionStatus, Juror, PanelMember, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")
FREE_ATTEMPTS = 3  # failed sign-ins before each further attempt has to wait
FIRST_DELAY = dt.timedelta(seconds=5)  # the first wait, doubled at each further failure
LOCK_AFTER = 6  # failed sign-ins that lock the account
LOCK_DURATION = dt.timedelta(minutes=15)
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
    """Until when an account must wait after ``failed_attempts`` failures in a row (None: no wait)."""
    if failed_attempts < FREE_ATTEMPTS:
        return None
    if failed_attempts >= LOCK_AFTER:
        return now + LOCK_DURATION
    return now + FIRST_DELAY * 2 ** (failed_attempts - FREE_ATTEMPTS)


def _refusal_for_wait(failed_attempts: int, until: dt.datetime, now: dt.datetime) -> SignInRefused:
    if failed_attempts >= LOCK_AFTER:
        minutes = LOCK_DURATION.seconds // 60
        return SignInRefused(
            Problem(
                "auth.locked",
                f"After {failed_attempts} failed sign-ins this account is locked until {_local_time(until)} WIB",
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


@dataclass(frozen=True)
class Account:
    """A signed-in account as a session keeps it: who they are and what they may do and see.

    Small and immutable (never the ORM object or the password hash); re-read from the
    database on every run, so a changed role or a deactivation applies at once.
    """

    username: str
    role: str
    juror_id: int | None = None
    display_name: str = ""

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
    )


def _user_with_juror(session: Session, username: str) -> tuple[User, str | None] | None:
    row = session.execute(
        select(User, Juror.name).outerjoin(Juror, Juror.id == User.juror_id).where(User.username == username)
    ).first()
    return None if row is None else (row[0], row[1])


def authenticate(engine: Engine, username: str, password: str, *, now: dt.datetime | None = None) -> Account:
    """Check a sign-in and return the signed-in :class:`Account`.

    Raises :class:`SignInRefused` for a wrong username or password (one message for
    both), an account that must wait or is locked after repeated failures, a
    deactivated account, or a demo password on a database with real editions.
    """
    now = now or utcnow()
    name = normalise_username(username)
    with db.read_session(engine) as session:
        found = _user_with_juror(session, name)
        if found is None:
            hash_password(password)  # spend the same time as a real check: no hint that the name is unknown
            raise SignInRefused(BAD_CREDENTIALS)
        user, juror_name = found
        locked_until = _aware(user.locked_until)
        if locked_until is not None and locked_until > now:
            raise _refusal_for_wait(user.failed_attempts, locked_until, now)
        user_id, stored_hash = user.id, user.password_hash
        real_editions = _has_real_editions(session)

    if not verify_password(stored_hash, password):
        with db.write_session(engine) as session:
            user = session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one()
            user.failed_attempts += 1
            until = penalty_until(user.failed_attempts, now)
            user.locked_until = until
            if user.failed_attempts == LOCK_AFTER:
                audit(session, actor=SYSTEM, action="user.locked", entity="user", entity_key=user.username,
                      edition_id=None, new=until, reason=f"{LOCK_AFTER} failed sign-ins")  # fmt: skip
            failed = user.failed_attempts
        raise SignInRefused(BAD_CREDENTIALS) if until is None else _refusal_for_wait(failed, until, now)

    if not user.active:
        raise SignInRefused(Problem("auth.inactive", "This account is deactivated; ask an organizer to reactivate it"))
    if user.is_demo_password and real_editions:
        raise SignInRefused(
            Problem(
                "auth.demo_password_blocked",
                f"This account still has its public demo password and the database holds real editions: "
                f"set a new password with `python -m kipp user passwd {user.username}`",
                {"username": user.username},
            )
        )
    with db.write_session(engine) as session:
        user = session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one()
        user.failed_attempts = 0
        user.locked_until = None
        user.last_login_at = now
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        account = _account(user, juror_name)
    return account


def account(engine: Engine, username: str) -> Account | None:
    """The current :class:`Account` of an active account (None if missing or deactivated).

    Sessions re-read it on every run, so a deactivated account is signed out at once.
    """
    with db.read_session(engine) as session:
        found = _user_with_juror(session, normalise_username(username))
        if found is None or not found[0].active:
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


def create_user(
    engine: Engine,
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    juror_id: int | None = None,
    display_name: str | None = None,
    is_demo_password: bool = False,
) -> Account:
    """Create an account (audited; the password only as a hash) and return it."""
    username = normalise_username(username)
    problems = [] if actor.role == Role.organizer.value else [Problem("services.organizer_only", "Organizers only")]
    problems += password_problems(password, username)
    password_hash = hash_password(password) if not problems else ""
    with db.write_session(engine) as session:
        problems += _account_problems(session, username, role, juror_id)
        if problems:
            raise WriteRefused(problems)
        user = User(
            username=username,
            role=role,
            juror_id=juror_id,
            display_name=(display_name or "").strip() or None,
            password_hash=password_hash,
            is_demo_password=is_demo_password,
        )
        session.add(user)
        session.flush()
        juror_name = None if juror_id is None else session.get(Juror, juror_id).name
        audit(session, actor=actor, action="user.create", entity="user", entity_key=username, edition_id=None,
              new={"role": role, "juror": juror_name, "demo_password": is_demo_password})  # fmt: skip
        return _account(user, juror_name)


def _user_for_change(session: Session, actor: Actor, username: str) -> User:
    if actor.role != Role.organizer.value:
        raise WriteRefused([Problem("services.organizer_only", "Only an organizer can do this")])
    user = session.execute(select(User).where(User.username == username).with_for_update()).scalar_one_or_none()
    if user is None:
        raise WriteRefused([Problem("auth.unknown_user", f"There is no account {username!r}", {"username": username})])
    return user


def set_password(engine: Engine, *, actor: Actor, username: str, password: str) -> None:
    """Give an account a new password; also lifts a lock and clears the demo-password mark."""
    username = normalise_username(username)
    problems = password_problems(password, username)
    if problems:
        raise WriteRefused(problems)
    password_hash = hash_password(password)
    with db.write_session(engine) as session:
        user = _user_for_change(session, actor, username)
        user.password_hash = password_hash
        user.is_demo_password = False
        user.failed_attempts = 0
        user.locked_until = None
        audit(session, actor=actor, action="user.password", entity="user", entity_key=username, edition_id=None)


def reset_password(engine: Engine, *, actor: Actor, username: str) -> str:
    """Replace an account's password with a generated one and return it (to be shown once)."""
    password = generate_password()
    set_password(engine, actor=actor, username=username, password=password)
    return password


def set_active(engine: Engine, *, actor: Actor, username: str, active: bool) -> None:
    """Deactivate or reactivate an account (never your own, never the last active organizer)."""
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
        audit(session, actor=actor, action="user.activate" if active else "user.deactivate", entity="user",
              entity_key=username, edition_id=None, old=not active, new=active)  # fmt: skip


def list_users(engine: Engine) -> pd.DataFrame:
    """All accounts without their hashes, times in WIB: username, display_name, role, juror, active,
    failed_attempts, locked_until, is_demo_password, last_login_at, created_at."""
    statement = (
        select(User.username, User.display_name, User.role, Juror.name, User.active, User.failed_attempts,
               User.locked_until, User.is_demo_password, User.last_login_at, User.created_at)
        .outerjoin(Juror, Juror.id == User.juror_id)
        .order_by(User.role, User.username)
    )  # fmt: skip
    columns = ["username", "display_name", "role", "juror", "active", "failed_attempts", "locked_until",
               "is_demo_password", "last_login_at", "created_at"]  # fmt: skip
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


# --- demo accounts and the demo-password guard ----------------------------------------------


def _has_real_editions(session: Session) -> bool:
    return bool(session.execute(select(exists().where(Edition.is_demo.is_(False)))).scalar())


def demo_password_usernames(session: Session) -> list[str]:
    """Active accounts that still have a public demo password."""
    statement = select(User.username).where(User.is_demo_password.is_(True), User.active.is_(True))
    return list(session.execute(statement.order_by(User.username)).scalars())


def demo_password_warning(engine: Engine) -> list[str]:
    """Accounts with demo passwords that block real editions (empty while all editions are demo data)."""
    with db.read_session(engine) as session:
        return demo_password_usernames(session) if _has_real_editions(session) else []


# The one public password of every demo account (demo databases only; printed and in the README).
DEMO_PASSWORD = "kipp-malang-demo"


DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("panitia", Role.organizer.value, "Panitia (demo)"),
    ("pimpinan", Role.viewer.value, "Pimpinan (demo)"),
)


def ensure_demo_accounts(engine: Engine) -> list[DemoAccount]:
    """Create the demo accounts of a demo database and return those still on their demo password.

    An organizer (panitia), a viewer (pimpinan) and one juror account per seat of the
    latest demo panel (juri1 … juri4).  Existing accounts are kept as they are.  Nothing
    is created on a database that holds a real edition.
    """
    with db.read_session(engine) as session:
        if _has_real_editions(session):
            return []
        latest = session.execute(select(Edition.id).order_by(Edition.year.desc()).limit(1)).scalar_one_or_none()
        panel = session.execute(
            select(Juror.id, Juror.name)
            .join(PanelMember, PanelMember.juror_id == Juror.id)
            .where(PanelMember.edition_id == latest)
            .order_by(PanelMember.seat, Juror.name)
        ).all()
        existing = set(session.execute(select(User.username)).scalars())
    specs = [(name, role, display, None) for name, role, display in DEMO_STAFF]
    specs += [(f"juri{seat}", Role.juror.value, None, juror_id) for seat, (juror_id, _) in enumerate(panel, 1)]
    for username, role, display, juror_id in specs:
        if username not in existing:
            create_user(engine, actor=DEMO_ACTOR, username=username, role=role, password=DEMO_PASSWORD,
                        juror_id=juror_id, display_name=display, is_demo_password=True)  # fmt: skip
    return demo_accounts_on_offer(engine)


def demo_accounts_on_offer(engine: Engine) -> list[DemoAccount]:
    """Active accounts still on their public demo password, with it (none once real data exists)."""
    with db.read_session(engine) as session:
        if _has_real_editions(session):
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
