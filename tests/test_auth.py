"""Accounts and sign-in: hashes, throttling and lock-out, roles, demo accounts, ``kipp user``."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher, profiles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, update

from kipp import auth, cli, db, services
from kipp.audit import Actor, WriteRefused
from kipp.auth import Account
from kipp.models import AuditLog, Edition, User
from tests.factories import make_edition

ORGANIZER = Actor("panitia", "organizer")
PASSWORD = "rahasia-juri-2030"
T0 = dt.datetime(2030, 3, 20, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the cheapest parameters: same algorithm and format, test-friendly speed."""
    monkeypatch.setattr(auth.passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def ids(engine: Engine) -> dict:
    return make_edition(engine, jurors=("Dr. Hendra Wicaksono", "Juri B"))


@pytest.fixture
def juror_account(engine: Engine, ids: dict) -> dict:
    return auth.create_user(
        engine,
        actor=ORGANIZER,
        username="Juri.Hendra ",
        role="juror",
        password=PASSWORD,
        juror_id=ids["jurors"]["Dr. Hendra Wicaksono"],
    )


def stored_user(engine: Engine, username: str) -> User:
    with db.read_session(engine) as session:
        return session.scalars(select(User).where(User.username == username)).one()


def failures(engine: Engine, username: str) -> int:
    """Failed sign-ins in a row for a username from all clients, as the accounts list shows them."""
    return int(auth.list_users(engine).set_index("username").loc[username, "failed_attempts"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=st.text(min_size=1, max_size=40))
def test_a_hash_is_never_the_password_and_only_the_password_verifies(password: str) -> None:
    hashed = auth.hash_password(password)
    assert hashed != password
    if len(password) >= 8:  # a short string can occur by chance in the random-looking base64 digest
        assert password not in hashed
    assert hashed.startswith("$argon2id$")
    assert auth.verify_password(hashed, password)
    assert not auth.verify_password(hashed, password + "x")
    assert auth.hash_password(password) != hashed  # salted


def test_the_database_holds_only_a_hash(engine: Engine, juror_account: dict) -> None:
    user = stored_user(engine, "juri.hendra")
    assert user.password_hash != PASSWORD and PASSWORD not in user.password_hash
    assert not user.is_demo_password
    assert juror_account == Account(
        username="juri.hendra", role="juror", juror_id=user.juror_id, display_name="Dr. Hendra Wicaksono"
    )
    with db.read_session(engine) as session:
        logged = [(a.action, a.new_value) for a in session.scalars(select(AuditLog))]
    assert len(logged) == 1 and PASSWORD not in str(logged)


def test_sign_in_returns_the_signed_in_account(engine: Engine, juror_account: dict) -> None:
    account = auth.authenticate(engine, " JURI.HENDRA", PASSWORD, now=T0)
    assert account == juror_account
    assert auth.account(engine, "juri.hendra") == juror_account


def test_unknown_user_and_wrong_password_get_the_same_message(engine: Engine, juror_account: dict) -> None:
    with pytest.raises(auth.SignInRefused) as unknown:
        auth.authenticate(engine, "tidak-ada", PASSWORD, now=T0)
    with pytest.raises(auth.SignInRefused) as wrong:
        auth.authenticate(engine, "juri.hendra", "salah-sekali", now=T0)
    assert unknown.value.problem.text("id") == wrong.value.problem.text("id") == "Nama pengguna atau kata sandi salah."


def test_wrong_passwords_slow_down_then_lock_the_account(engine: Engine, juror_account: dict) -> None:
    now = T0
    messages = []
    for _ in range(auth.LOCK_AFTER):
        with pytest.raises(auth.SignInRefused) as refused:
            auth.authenticate(engine, "juri.hendra", "tebakan-salah", now=now)
        messages.append(refused.value.problem.key)
        now += dt.timedelta(minutes=1)  # past any wait, so every attempt is really checked
    assert messages == ["auth.bad_credentials"] * 2 + ["auth.wait"] * 3 + ["auth.locked"]
    assert failures(engine, "juri.hendra") == auth.LOCK_AFTER

    # Locked: even the right password is refused, with the time it opens again (WIB).
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "juri.hendra", PASSWORD, now=now)
    assert refused.value.problem.key == "auth.locked"
    assert "08:20 WIB" in refused.value.problem.text("id")
    with db.read_session(engine) as session:
        assert session.scalars(select(AuditLog.action).where(AuditLog.action == "user.locked")).all() == ["user.locked"]

    # After the lock, the right password works and resets the count.
    later = now + auth.LOCK_DURATION
    assert auth.authenticate(engine, "juri.hendra", PASSWORD, now=later).username == "juri.hendra"
    assert failures(engine, "juri.hendra") == 0


def test_a_wait_refuses_attempts_without_checking_them(engine: Engine, juror_account: dict) -> None:
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(engine, "juri.hendra", "salah", now=T0)
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "juri.hendra", PASSWORD, now=T0 + dt.timedelta(seconds=2))
    assert refused.value.problem.key == "auth.wait" and refused.value.problem.values == {"seconds": 3}
    assert failures(engine, "juri.hendra") == auth.FREE_ATTEMPTS  # not counted
    assert auth.authenticate(engine, "juri.hendra", PASSWORD, now=T0 + auth.FIRST_DELAY)


def test_deactivated_accounts_cannot_sign_in_and_drop_out_of_sessions(engine: Engine, juror_account: dict) -> None:
    auth.create_user(engine, actor=ORGANIZER, username="panitia", role="organizer", password="rahasia-kantor")
    auth.set_active(engine, actor=ORGANIZER, username="juri.hendra", active=False)
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "juri.hendra", PASSWORD, now=T0)
    assert refused.value.problem.key == "auth.inactive"
    assert auth.account(engine, "juri.hendra") is None
    with pytest.raises(WriteRefused) as refused:
        auth.set_active(engine, actor=ORGANIZER, username="panitia", active=False)
    assert refused.value.problems[0].key == "auth.not_yourself"
    with pytest.raises(WriteRefused) as refused:
        auth.set_active(engine, actor=Actor("boss", "organizer"), username="panitia", active=False)
    assert refused.value.problems[0].key == "auth.last_organizer"


def test_a_reset_password_works_once_shown_and_unlocks(engine: Engine, juror_account: dict) -> None:
    for _ in range(auth.LOCK_AFTER):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(engine, "juri.hendra", "salah", now=T0)
    new = auth.reset_password(engine, actor=ORGANIZER, username="juri.hendra")
    assert len(new) >= auth.MIN_PASSWORD_LENGTH
    assert auth.authenticate(engine, "juri.hendra", new, now=T0).role == "juror"
    with pytest.raises(auth.SignInRefused):
        auth.authenticate(engine, "juri.hendra", PASSWORD, now=T0)


@pytest.mark.parametrize(
    ("changes", "juror", "key"),
    [
        ({"username": "a b"}, "Juri B", "auth.bad_username"),
        ({"username": "juri.hendra"}, "Juri B", "auth.username_taken"),
        ({}, None, "auth.juror_required"),
        ({"role": "viewer"}, "Juri B", "auth.juror_only_for_jurors"),
        ({"role": "admin"}, None, "auth.bad_role"),
        ({"password": "pendek"}, "Juri B", "auth.password_too_short"),
        ({"password": "xx-juri.baru-xx"}, "Juri B", "auth.password_has_username"),
        ({}, "Dr. Hendra Wicaksono", "auth.juror_taken"),
    ],
)
def test_account_rules_are_checked_with_clear_messages(
    engine: Engine, ids: dict, juror_account: dict, changes: dict, juror: str | None, key: str
) -> None:
    request = {
        "username": "juri.baru",
        "role": "juror",
        "password": "cukup-panjang-123",
        "juror_id": ids["jurors"].get(juror),
        **changes,
    }
    with pytest.raises(WriteRefused) as refused:
        auth.create_user(engine, actor=ORGANIZER, **request)
    assert [p.key for p in refused.value.problems] == [key]
    assert refused.value.problems[0].text("id")
    assert len(auth.list_users(engine)) == 1


def test_demo_accounts_link_to_the_latest_panel_and_are_blocked_by_real_data(engine: Engine) -> None:
    make_edition(engine, year=2022, jurors=("Juri Lama",))
    ids = make_edition(engine, year=2023, jurors=("Juri Satu", "Juri Dua"))
    with db.write_session(engine) as session:
        session.execute(update(Edition).values(is_demo=True))
    accounts = auth.ensure_demo_accounts(engine)
    assert [(a.username, a.role, a.juror) for a in accounts] == [
        ("juri1", "juror", "Juri Satu"),
        ("juri2", "juror", "Juri Dua"),
        ("panitia", "organizer", None),
        ("pimpinan", "viewer", None),
    ]
    assert auth.ensure_demo_accounts(engine) == accounts  # idempotent
    signed_in = auth.authenticate(engine, "juri2", auth.DEMO_PASSWORD, now=T0)
    assert signed_in.juror_id == ids["jurors"]["Juri Dua"]
    assert "DEMO ONLY" in auth.describe_demo_accounts(accounts)
    assert auth.demo_password_warning(engine) == []

    # A real edition arrives: demo passwords stop working and the edition refuses to open scoring.
    make_edition(engine, year=2024, status="draft")
    assert auth.demo_accounts_on_offer(engine) == []
    assert auth.demo_password_warning(engine) == ["juri1", "juri2", "panitia", "pimpinan"]
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "panitia", auth.DEMO_PASSWORD, now=T0)
    assert refused.value.problem.key == "auth.demo_password_blocked"
    assert "python -m kipp user passwd panitia" in refused.value.problem.text("id")
    with pytest.raises(WriteRefused) as refused:
        services.advance_status(engine, actor=ORGANIZER, year=2024, to="scoring")
    assert "services.demo_passwords" in {p.key for p in refused.value.problems}

    kabag = Actor("cli:kabag", "organizer")
    for name in ("juri1", "juri2", "pimpinan"):
        auth.set_active(engine, actor=kabag, username=name, active=False)
    auth.set_password(engine, actor=kabag, username="panitia", password="baru-dan-rahasia")
    assert auth.demo_password_warning(engine) == []
    with pytest.raises(auth.DemoRefused):  # never on a database with real data
        auth.ensure_demo_accounts(engine)
    assert services.advance_status(engine, actor=ORGANIZER, year=2024, to="scoring") == "draft"


def test_cli_adds_a_juror_with_a_prompted_password(
    engine: Engine, db_url: str, ids: dict, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["kata-sandi-juri", "kata-sandi-juri"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    status = cli.main(["user", "add", "hendra", "--role", "juror", "--juror", " dr. hendra  WICAKSONO", "--db", db_url])
    out = capsys.readouterr().out
    assert status == 0 and "scores as Dr. Hendra Wicaksono" in out and "kata-sandi-juri" not in out
    assert (
        auth.authenticate(engine, "hendra", "kata-sandi-juri", now=T0).juror_id == ids["jurors"]["Dr. Hendra Wicaksono"]
    )
    assert cli.main(["user", "list", "--db", db_url]) == 0
    assert "hendra" in capsys.readouterr().out


def test_cli_generates_a_password_shown_once(engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["user", "add", "panitia", "--role", "organizer", "--generate", "--db", db_url]) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1].split(": ")[-1]
    assert auth.authenticate(engine, "panitia", password, now=T0).role == "organizer"
    assert cli.main(["user", "passwd", "panitia", "--generate", "--db", db_url]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1].split(": ")[-1]
    assert new != password and auth.authenticate(engine, "panitia", new, now=T0)


def test_cli_refuses_mismatched_or_invalid_input(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["kata-sandi-satu", "kata-sandi-dua"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["user", "add", "panitia", "--role", "organizer", "--db", db_url]) == 1
    assert "differ" in capsys.readouterr().err
    assert cli.main(["user", "add", "juri", "--role", "juror", "--juror", "Tidak Ada", "--db", db_url]) == 1
    assert "no juror named" in capsys.readouterr().err
    assert auth.list_users(engine).empty


@pytest.mark.parametrize("clients", ["one client", "forty clients"])
def test_parallel_guesses_get_no_more_checks_than_the_waits_allow(
    engine: Engine, juror_account: dict, monkeypatch: pytest.MonkeyPatch, clients: str
) -> None:
    checked = []
    real_verify = auth.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth.signin, "verify_password", counting_verify)

    def guess(number: int) -> str:
        client = "10.0.0.1" if clients == "one client" else f"10.0.0.{number}"
        with pytest.raises(auth.SignInRefused) as refused:
            auth.authenticate(engine, "juri.hendra", f"tebakan-{number}", client=client, now=T0)
        return refused.value.problem.key

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(guess, range(40)))
    assert len(checked) == auth.FREE_ATTEMPTS
    assert answers.count("auth.wait") == 40 - 2  # the third check's failure already asks to wait
    assert failures(engine, "juri.hendra") == auth.FREE_ATTEMPTS

    # The right password sent afterwards, from any client, is refused without being checked.
    for client in ("10.0.0.1", "10.0.0.99"):
        with pytest.raises(auth.SignInRefused) as refused:
            auth.authenticate(engine, "juri.hendra", PASSWORD, client=client, now=T0 + dt.timedelta(seconds=1))
        assert refused.value.problem.key == "auth.wait"
    assert len(checked) == auth.FREE_ATTEMPTS


def test_unknown_names_get_the_same_answers_and_the_same_checks(
    engine: Engine, juror_account: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = []
    real_verify = auth.verify_password
    monkeypatch.setattr(
        auth.signin, "verify_password", lambda stored, given: checked.append(given) or real_verify(stored, given)
    )

    def answers(username: str) -> list[str]:
        seen = []
        for minute in range(auth.LOCK_AFTER + 1):
            with pytest.raises(auth.SignInRefused) as refused:
                auth.authenticate(engine, username, "tebakan-salah", now=T0 + dt.timedelta(seconds=30 * minute))
            seen.append(refused.value.problem.text("en"))
        return seen

    assert answers("tidak-ada") == answers("juri.hendra")
    assert len(checked) == 2 * auth.LOCK_AFTER  # the unknown name's guesses are checked too (against a dummy hash)


def test_a_lock_from_one_client_keeps_the_right_password_from_another_out_only_briefly(
    engine: Engine, juror_account: dict
) -> None:
    now = T0
    for _ in range(auth.LOCK_AFTER):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(engine, "juri.hendra", "tebakan-salah", client="203.0.113.9", now=now)
        last, now = now, now + dt.timedelta(minutes=1)
    # The guesser's client is locked for 15 minutes, even with the right password.
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "juri.hendra", PASSWORD, client="203.0.113.9", now=last + dt.timedelta(minutes=5))
    assert refused.value.problem.key == "auth.locked"
    # The juror at the venue waits at most a minute after the last guess, then gets in.
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "juri.hendra", PASSWORD, client="192.168.1.20", now=last)
    assert refused.value.problem.key == "auth.wait"
    assert refused.value.problem.values["seconds"] <= auth.ACCOUNT_MAX_WAIT.total_seconds()
    signed_in = auth.authenticate(
        engine, "juri.hendra", PASSWORD, client="192.168.1.20", now=last + auth.ACCOUNT_MAX_WAIT
    )
    assert signed_in.username == "juri.hendra"
    with pytest.raises(auth.SignInRefused) as refused:  # still locked for the guesser
        auth.authenticate(engine, "juri.hendra", PASSWORD, client="203.0.113.9", now=last + auth.ACCOUNT_MAX_WAIT)
    assert refused.value.problem.key == "auth.locked"


SESSION_ENDERS = {
    "new password": lambda engine: auth.set_password(
        engine, actor=ORGANIZER, username="juri.hendra", password="sandi-baru-juri"
    ),
    "reset password": lambda engine: auth.reset_password(engine, actor=ORGANIZER, username="juri.hendra"),
    "deactivation": lambda engine: auth.set_active(engine, actor=ORGANIZER, username="juri.hendra", active=False),
}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("new password", "auth.signed_out_password"),
        ("reset password", "auth.signed_out_password"),
        ("deactivation", "auth.signed_out_inactive"),
    ],
)
def test_a_new_password_or_a_deactivation_ends_open_sessions(
    engine: Engine, juror_account: dict, change: str, key: str
) -> None:
    session = auth.authenticate(engine, "juri.hendra", PASSWORD, now=T0)
    assert auth.refresh(engine, session) == session
    SESSION_ENDERS[change](engine)
    with pytest.raises(auth.SignInRefused) as ended:
        auth.refresh(engine, session)
    assert ended.value.problem.key == key and ended.value.problem.text("id")


def test_accounts_a_demo_session_sets_up_are_blocked_like_demo_accounts_once_real_data_exists(
    engine: Engine,
) -> None:
    make_edition(engine, year=2023, jurors=("Juri Satu", "Juri Dua"))
    with db.write_session(engine) as session:
        session.execute(update(Edition).values(is_demo=True))
    auth.ensure_demo_accounts(engine)
    demo = auth.authenticate(engine, "panitia", auth.DEMO_PASSWORD, now=T0)
    made = auth.create_user(engine, actor=demo.actor, username="kabag", role="organizer", password="dibuat-oleh-demo")
    auth.set_password(engine, actor=demo.actor, username="pimpinan", password="sandi-baru-pemantau")
    users = auth.list_users(engine).set_index("username")
    assert users.loc["kabag", "set_by_demo"] and users.loc["pimpinan", "set_by_demo"]
    assert not users.loc["pimpinan", "is_demo_password"]
    kabag = auth.authenticate(engine, "kabag", "dibuat-oleh-demo", now=T0)  # fine while all data is demo data
    assert kabag == made and auth.account(engine, "kabag") == made

    make_edition(engine, year=2030)  # real data
    for name, password in (("kabag", "dibuat-oleh-demo"), ("pimpinan", "sandi-baru-pemantau")):
        with pytest.raises(auth.SignInRefused) as refused:
            auth.authenticate(engine, name, password, now=T0)
        assert refused.value.problem.key == "auth.demo_session_blocked"
        assert auth.account(engine, name) is None
    for session in (demo, kabag):
        with pytest.raises(auth.SignInRefused) as ended:
            auth.refresh(engine, session)
        assert ended.value.problem.key == "auth.signed_out_demo"
    assert {"kabag", "panitia", "pimpinan"} <= set(auth.demo_password_warning(engine))

    # A new password from a real organizer (the terminal) makes it a real account.
    auth.set_password(
        engine, actor=Actor("cli:sekretaris", "organizer"), username="kabag", password="sandi-kepala-bagian"
    )
    assert auth.authenticate(engine, "kabag", "sandi-kepala-bagian", now=T0).is_organizer
    assert "kabag" not in auth.demo_password_warning(engine)


def test_a_real_account_is_real_data(engine: Engine) -> None:
    make_edition(engine, year=2023)
    with db.write_session(engine) as session:
        session.execute(update(Edition).values(is_demo=True))
    assert [a.username for a in auth.ensure_demo_accounts(engine)] == ["juri1", "juri2", "panitia", "pimpinan"]
    auth.create_user(
        engine, actor=Actor("cli:kabag", "organizer"), username="kabag", role="organizer", password="kata-sandi-kantor"
    )
    assert auth.demo_accounts_on_offer(engine) == []
    with pytest.raises(auth.SignInRefused) as refused:
        auth.authenticate(engine, "panitia", auth.DEMO_PASSWORD, now=T0)
    assert refused.value.problem.key == "auth.demo_password_blocked"


# Sign-in sessions that survive a reload (kipp.auth.sessions) and projector display links (kipp.auth.display).


def stored_session_hashes(engine: Engine) -> list[str]:
    from kipp.models import SignInSession

    with db.read_session(engine) as session:
        return list(session.scalars(select(SignInSession.token_hash)))


def test_a_session_token_restores_the_account_and_only_its_hash_is_stored(engine: Engine, juror_account) -> None:
    token = auth.start_session(engine, juror_account, now=T0)
    assert len(token) >= 43  # 32 random bytes
    assert stored_session_hashes(engine) == [auth.token_hash(token)]
    assert token not in stored_session_hashes(engine)[0]
    restored = auth.resume(engine, token, now=T0 + dt.timedelta(hours=11))
    assert restored == juror_account
    with pytest.raises(auth.SignInRefused) as unknown:
        auth.resume(engine, token[:-1] + ("A" if token[-1] != "A" else "B"), now=T0)
    assert unknown.value.problem.key == "auth.session_ended"


def test_a_session_expires_after_its_lifetime_and_expired_rows_are_cleaned_up(
    engine: Engine, juror_account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIPP_SESSION_HOURS", "2")
    assert auth.session_lifetime() == dt.timedelta(hours=2)
    token = auth.start_session(engine, juror_account, now=T0)
    auth.resume(engine, token, now=T0 + dt.timedelta(hours=1, minutes=59))
    with pytest.raises(auth.SignInRefused) as expired:
        auth.resume(engine, token, now=T0 + dt.timedelta(hours=2))
    assert expired.value.problem.key == "auth.session_expired"
    assert "habis" in expired.value.problem.text("id")
    later = auth.start_session(engine, juror_account, now=T0 + dt.timedelta(hours=3))  # cleans the expired one up
    assert stored_session_hashes(engine) == [auth.token_hash(later)]
    monkeypatch.setenv("KIPP_SESSION_HOURS", "banyak")
    assert auth.session_lifetime() == dt.timedelta(hours=12)


def test_signing_out_ends_the_session_for_every_tab_holding_it(engine: Engine, juror_account) -> None:
    token = auth.start_session(engine, juror_account, now=T0)
    other = auth.start_session(engine, juror_account, now=T0)  # the same juror on a second tablet
    auth.end_session(engine, token)
    with pytest.raises(auth.SignInRefused) as ended:
        auth.resume(engine, token, now=T0)
    assert ended.value.problem.key == "auth.session_ended"
    assert auth.resume(engine, other, now=T0).username == "juri.hendra"


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_a_password_change_or_deactivation_ends_every_session_of_the_account(
    engine: Engine, juror_account, change: str
) -> None:
    tokens = [auth.start_session(engine, juror_account, now=T0) for _ in range(2)]
    if change == "password":
        auth.set_password(engine, actor=ORGANIZER, username="juri.hendra", password="kata-sandi-baru-2030")
        expected = "auth.signed_out_password"
    else:
        auth.create_user(engine, actor=ORGANIZER, username="panitia", role="organizer", password=PASSWORD)
        auth.set_active(engine, actor=ORGANIZER, username="juri.hendra", active=False)
        expected = "auth.signed_out_inactive"
    for token in tokens:
        with pytest.raises(auth.SignInRefused) as ended:
            auth.resume(engine, token, now=T0)
        assert ended.value.problem.key == expected


ORGANIZER_ACCOUNT = Actor("panitia", "organizer")


def test_a_display_link_opens_its_edition_until_revoked_and_is_audited(engine: Engine, ids: dict) -> None:
    token = auth.create_display_link(engine, actor=ORGANIZER_ACCOUNT, year=2030, label="  Proyektor   aula ", now=T0)
    assert auth.display_path(token) == f"/live?screen=big&display={token}"
    assert auth.display_year(engine, token) == 2030
    assert auth.display_year(engine, "tebakan") is None
    links = auth.display_links(engine, 2030)
    assert links[["label", "created_by"]].to_dict("records") == [{"label": "Proyektor aula", "created_by": "panitia"}]
    assert links["revoked_at"].isna().all()
    auth.revoke_display_link(engine, actor=ORGANIZER_ACCOUNT, link_id=int(links["id"].iloc[0]))
    assert auth.display_year(engine, token) is None
    assert auth.display_links(engine, 2030)["revoked_at"].notna().all()
    with db.read_session(engine) as session:
        actions = list(session.scalars(select(AuditLog.action).where(AuditLog.entity == "display_link")))
    assert actions == ["display_link.create", "display_link.revoke"]


def test_only_an_organizer_creates_or_revokes_display_links_and_a_label_is_required(engine: Engine, ids: dict) -> None:
    viewer = Actor("pimpinan", "viewer")
    with pytest.raises(WriteRefused) as refused:
        auth.create_display_link(engine, actor=viewer, year=2030, label=" ")
    assert [problem.key for problem in refused.value.problems] == ["services.organizer_only", "display.label_missing"]
    with pytest.raises(WriteRefused) as missing:
        auth.create_display_link(engine, actor=ORGANIZER_ACCOUNT, year=1999, label="Aula")
    assert [problem.key for problem in missing.value.problems] == ["display.no_edition"]
    token = auth.create_display_link(engine, actor=ORGANIZER_ACCOUNT, year=2030, label="Aula")
    link_id = int(auth.display_links(engine, 2030)["id"].iloc[0])
    with pytest.raises(WriteRefused):
        auth.revoke_display_link(engine, actor=viewer, link_id=link_id)
    assert auth.display_year(engine, token) == 2030
    assert auth.display_links(engine, 2030)["label"].tolist() == ["Aula"]
