"""Signed, expiring access to one H5P item on the content origin. The content origin sees
no platform cookies, so the token is the only key."""

from django.core import signing

SALT = "content.h5p.player"
MAX_AGE_SECONDS = 4 * 60 * 60


def player_token(*, content_id: int, user_id: int) -> str:
    return signing.dumps({"c": content_id, "u": user_id}, salt=SALT, compress=True)


def read_player_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return None
