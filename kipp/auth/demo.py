"""Demo accounts: the public demo password, building the demo accounts of a demo database, listing them.

Demo accounts work only while the database holds nothing but demo data (see
:mod:`kipp.auth.guard`); a real edition refuses to run until their passwords are changed or
they are deactivated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kipp import db
from kipp.audit import Actor
from kipp.auth.accounts import account_problems, add_user
from kipp.auth.guard import holds_real_data
from kipp.auth.passwords import hash_password
from kipp.models import Edition, Juror, PanelMember, Role, User

DEMO_ACTOR = Actor(username="demo", role=Role.organizer.value)

DEMO_LOCK = "kipp-demo"  # serialises every build of demo data and demo accounts


class DemoRefused(ValueError):
    """Demo data or demo accounts refused: the database holds real data."""

    def __init__(self) -> None:
        super().__init__(
            "This database holds real data (accounts, editions or jurors that are not demo data): demo data and "
            "demo accounts with public passwords are only built into an empty or demo-only database"
        )


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and its public, demo-only password."""

    username: str
    role: str
    password: str
    juror: str | None = None


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
        if not account_problems(session, username, role, juror_id):
            add_user(
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
