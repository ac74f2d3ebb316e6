"""Signed check-in tokens. Nothing here touches the database.

- The session's rotating token: the session and a 30-second window, signed (HMAC with the
  platform's secret). The trainer's screen shows a new one every window; a token is
  accepted in its own window and the next one (a trainee scanning at second 29 on a slow
  connection), never after, and never for another session.
- A scan receipt: once a trainee's phone opened a fresh rotating token, the confirmation
  page carries this receipt, bound to that trainee and session, for a few minutes; a weak
  connection may take that long to send the tap.
- A trainee's personal token: their registration, signed with its date; the trainer scans
  it and sees the name before recording.
"""

import time
from dataclasses import dataclass

from django.core import signing

WINDOW_SECONDS = 30
ACCEPTED_WINDOWS = 2  # the current window and the one before it
RECEIPT_MAX_AGE = 10 * 60
PERSONAL_MAX_AGE = 24 * 3600

_SESSION_SALT = "workshops.checkin.session"
_RECEIPT_SALT = "workshops.checkin.receipt"
_PERSONAL_SALT = "workshops.checkin.personal"


class TokenRefused(Exception):
    """Why a token was refused: `reason` is one of "forged", "expired", "other_session"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def seconds_left(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)


def session_token(*, session_id: int, now: float | None = None) -> str:
    return signing.dumps({"s": session_id, "w": current_window(now)}, salt=_SESSION_SALT)


def _loads(token: str, *, salt: str, max_age=None) -> dict:
    if not isinstance(token, str) or len(token) > 300:
        raise TokenRefused("forged")
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenRefused("expired") from None
    except signing.BadSignature:
        raise TokenRefused("forged") from None
    if not isinstance(value, dict):
        raise TokenRefused("forged")
    return value


def session_token_check(token: str, *, now: float | None = None) -> int:
    """The session id of a fresh rotating token; TokenRefused otherwise."""
    value = _loads(token, salt=_SESSION_SALT)
    session_id, window = value.get("s"), value.get("w")
    if not isinstance(session_id, int) or not isinstance(window, int):
        raise TokenRefused("forged")
    age = current_window(now) - window
    if not 0 <= age < ACCEPTED_WINDOWS:
        raise TokenRefused("expired")
    return session_id


def receipt_make(*, session_id: int, user_id: int) -> str:
    return signing.dumps({"s": session_id, "u": user_id}, salt=_RECEIPT_SALT)


def receipt_check(receipt: str, *, user_id: int) -> int:
    value = _loads(receipt, salt=_RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    if value.get("u") != user_id or not isinstance(value.get("s"), int):
        raise TokenRefused("forged")
    return value["s"]


def personal_token(*, registration_id: int) -> str:
    return signing.dumps({"r": registration_id}, salt=_PERSONAL_SALT)


@dataclass
class Personal:
    registration_id: int


def personal_token_check(token: str) -> Personal:
    value = _loads(token, salt=_PERSONAL_SALT, max_age=PERSONAL_MAX_AGE)
    if not isinstance(value.get("r"), int):
        raise TokenRefused("forged")
    return Personal(value["r"])
