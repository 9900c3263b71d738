"""Accounts and ``kipp user``: create accounts, set or reset passwords, (de)activate, list, link jurors.

Every change is audited and takes the password only as a hash.  Changing a password or
deactivating an account bumps its session epoch, which ends its open sessions.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, delete, exists, func, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor, Problem, WriteRefused, audit
from kipp.auth.guard import is_demo_session
from kipp.auth.passwords import (
    USERNAME_PATTERN,
    generate_password,
    hash_password,
    normalise_username,
    password_problems,
)
from kipp.auth.signin import ALL_CLIENTS, LOCAL_TIME, Account, account_of, aware, lock_name
from kipp.models import Juror, Role, SignInThrottle, User


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


def account_problems(session: Session, username: str, role: str, juror_id: int | None) -> list[Problem]:
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


def add_user(
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
    set_by_demo = is_demo_session(session, actor)
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
    return account_of(user, juror_name)


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
        problems += account_problems(session, username, role, juror_id)
        if problems:
            raise WriteRefused(problems)
        return add_user(
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
        lock_name(session, username)  # before the account row, in the order sign-in takes them
        user = _user_for_change(session, actor, username)
        user.password_hash = password_hash
        user.is_demo_password = False
        user.set_by_demo = is_demo_session(session, actor)
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
        stamps = pd.to_datetime(frame[column].map(aware), utc=True)
        frame[column] = stamps.dt.tz_convert(LOCAL_TIME).dt.tz_localize(None)
    return frame


def jurors(engine: Engine) -> dict[int, str]:
    """Every juror an account can be linked to: id -> name, by name."""
    with engine.connect() as connection:
        return dict(connection.execute(select(Juror.id, Juror.name).order_by(Juror.name)).all())
