"""Passwords and usernames: argon2id hashes, generated passwords, the password rules, username spelling.

Passwords are hashed with argon2id (argon2-cffi) and never stored, printed or logged in clear.
"""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kipp.audit import Problem

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")

# argon2id with argon2-cffi's maintained defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()


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


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than today's and should be redone."""
    return _hasher.check_needs_rehash(password_hash)
