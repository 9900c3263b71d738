"""``python -m kipp user add|list|passwd``: manage sign-in accounts from the terminal."""

from __future__ import annotations

import argparse

from kipp.choices import Role
from kipp.commands import CommandError, add_db, open_database

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs the parser milliseconds
if TYPE_CHECKING:
    from kipp.audit import Actor

HELP = "manage sign-in accounts"
LISTED = ["username", "role", "juror", "active", "is_demo_password", "locked_until", "last_login_at"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The actions add, list and passwd, each with --db."""
    actions = parser.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account (password prompted or generated)")
    add.add_argument("name")
    add.add_argument("--role", choices=[role.value for role in Role], required=True)
    add.add_argument("--juror", default=None, help="the juror this account scores for (role juror)")
    add.add_argument("--generate", action="store_true", help="generate a password and show it once")
    add_db(add)
    listing = actions.add_parser("list", help="list accounts")
    add_db(listing)
    passwd = actions.add_parser("passwd", help="set a new password (prompted or generated)")
    passwd.add_argument("name")
    passwd.add_argument("--generate", action="store_true", help="generate a password and show it once")
    add_db(passwd)


def _actor() -> Actor:
    """The organizer the audit log names for a change made here: ``cli:<login name>``."""
    import getpass

    from kipp.audit import Actor

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Actor(username=f"cli:{who}", role=Role.organizer.value)


def _prompt_password(username: str) -> str:
    """Ask for a new password twice (nothing echoed); refuses two different or weak answers."""
    import getpass

    from kipp.auth import normalise_username, password_problems

    first = getpass.getpass(f"New password for {username}: ")
    if first != getpass.getpass("Repeat the password: "):
        raise CommandError("the two passwords differ; nothing was changed")
    problems = password_problems(first, normalise_username(username))
    if problems:
        raise CommandError("; ".join(p.message for p in problems))
    return first


def run(args: argparse.Namespace) -> int:
    """List the accounts, or create one / set a password (generated passwords are shown once)."""
    from kipp import auth
    from kipp.audit import WriteRefused

    engine = open_database(args.db, existing=args.user_command == "list")
    try:
        if args.user_command == "list":
            table = auth.list_users(engine)
            if table.empty:
                print("No accounts yet: create one with `python -m kipp user add NAME --role organizer`.")
                return 0
            print(table[LISTED].rename(columns={"is_demo_password": "demo_password"}).to_string(index=False))
            return 0
        if args.user_command == "add":
            juror_id, juror = (None, None) if args.juror is None else auth.resolve_juror(engine, args.juror)
            password = auth.generate_password() if args.generate else _prompt_password(args.name)
            created = auth.create_user(
                engine, actor=_actor(), username=args.name, role=args.role, password=password, juror_id=juror_id
            )
            print(f"Account {created.username} ({created.role}{f', scores as {juror}' if juror else ''}) created.")
        else:
            password = auth.generate_password() if args.generate else _prompt_password(args.name)
            auth.set_password(engine, actor=_actor(), username=args.name, password=password)
            print(f"Password of {auth.normalise_username(args.name)} changed.")
    except WriteRefused as error:
        raise CommandError("; ".join(p.message for p in error.problems)) from error
    if args.generate:
        print(f"Password (shown only this once, write it down): {password}")
    return 0
