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

The package, lowest layer first (each module imports only those above it):

- :mod:`kipp.auth.passwords`: hashing, generated passwords, the password rules, usernames;
- :mod:`kipp.auth.guard`: whether the database holds real data, and the demo accounts it stops;
- :mod:`kipp.auth.signin`: the sign-in throttle, :func:`authenticate`, :class:`Account`, :func:`refresh`;
- :mod:`kipp.auth.accounts`: creating and changing accounts, listing them, linking jurors;
- :mod:`kipp.auth.demo`: the demo accounts of a demo database and their public password;
- :mod:`kipp.auth.sessions`: sign-in sessions that survive a reload (a token in a cookie, its hash stored);
- :mod:`kipp.auth.display`: projector display links (one edition's big screen without an account).

Everything public is importable from ``kipp.auth`` itself.
"""

from kipp.auth.accounts import create_user, jurors, list_users, reset_password, resolve_juror, set_active, set_password
from kipp.auth.demo import (
    DEMO_ACTOR,
    DEMO_LOCK,
    DEMO_PASSWORD,
    DEMO_STAFF,
    DemoAccount,
    DemoRefused,
    add_demo_accounts,
    demo_accounts_on_offer,
    describe_demo_accounts,
    ensure_demo_accounts,
)
from kipp.auth.display import (
    DISPLAY_PARAM,
    create_display_link,
    display_links,
    display_path,
    display_year,
    revoke_display_link,
)
from kipp.auth.guard import (
    demo_block,
    demo_password_usernames,
    demo_password_warning,
    holds_nothing,
    holds_real_data,
    is_demo_session,
)
from kipp.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    USERNAME_PATTERN,
    generate_password,
    hash_password,
    needs_rehash,
    normalise_username,
    password_problems,
    verify_password,
)
from kipp.auth.sessions import (
    SESSION_ENDED,
    SESSION_EXPIRED,
    end_session,
    resume,
    session_lifetime,
    start_session,
    token_hash,
)
from kipp.auth.signin import (
    ACCOUNT_MAX_WAIT,
    ALL_CLIENTS,
    BAD_CREDENTIALS,
    FIRST_DELAY,
    FREE_ATTEMPTS,
    INACTIVE,
    LOCAL_CLIENT,
    LOCAL_TIME,
    LOCK_AFTER,
    LOCK_DURATION,
    SIGNED_OUT_DEMO,
    SIGNED_OUT_INACTIVE,
    SIGNED_OUT_PASSWORD,
    SYSTEM,
    THROTTLE_KEEP,
    THROTTLE_KEY_LENGTH,
    Account,
    SignInRefused,
    account,
    account_wait_until,
    authenticate,
    penalty_until,
    refresh,
)

__all__ = [
    "ACCOUNT_MAX_WAIT",
    "ALL_CLIENTS",
    "BAD_CREDENTIALS",
    "DEMO_ACTOR",
    "DEMO_LOCK",
    "DEMO_PASSWORD",
    "DEMO_STAFF",
    "DISPLAY_PARAM",
    "FIRST_DELAY",
    "FREE_ATTEMPTS",
    "INACTIVE",
    "LOCAL_CLIENT",
    "LOCAL_TIME",
    "LOCK_AFTER",
    "LOCK_DURATION",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "SESSION_ENDED",
    "SESSION_EXPIRED",
    "SIGNED_OUT_DEMO",
    "SIGNED_OUT_INACTIVE",
    "SIGNED_OUT_PASSWORD",
    "SYSTEM",
    "THROTTLE_KEEP",
    "THROTTLE_KEY_LENGTH",
    "USERNAME_PATTERN",
    "Account",
    "DemoAccount",
    "DemoRefused",
    "SignInRefused",
    "account",
    "account_wait_until",
    "add_demo_accounts",
    "authenticate",
    "create_display_link",
    "create_user",
    "demo_accounts_on_offer",
    "demo_block",
    "demo_password_usernames",
    "demo_password_warning",
    "describe_demo_accounts",
    "display_links",
    "display_path",
    "display_year",
    "end_session",
    "ensure_demo_accounts",
    "generate_password",
    "hash_password",
    "holds_nothing",
    "holds_real_data",
    "is_demo_session",
    "jurors",
    "list_users",
    "needs_rehash",
    "normalise_username",
    "password_problems",
    "penalty_until",
    "refresh",
    "reset_password",
    "resolve_juror",
    "resume",
    "revoke_display_link",
    "session_lifetime",
    "set_active",
    "set_password",
    "start_session",
    "token_hash",
    "verify_password",
]
