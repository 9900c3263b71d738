"""The demo guard: whether the database holds real data, and which demo accounts it stops.

Demo databases get demo accounts with public passwords, and accounts a demo session creates
or gives a password are marked ``set_by_demo``.  As soon as the database holds real data (an
edition, account or juror that is not demo data) none of them can sign in and their
sessions end.
"""

from __future__ import annotations

from sqlalchemy import Engine, exists, or_, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor, Problem
from kipp.models import Edition, Institution, Juror, PanelMember, User


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


def demo_block(session: Session, user: User) -> Problem | None:
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


def is_demo_session(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` is signed in with a demo account (public password, or set up by a demo session)."""
    demo = or_(User.is_demo_password.is_(True), User.set_by_demo.is_(True))
    return bool(session.execute(select(exists().where(User.username == actor.username, demo))).scalar())
