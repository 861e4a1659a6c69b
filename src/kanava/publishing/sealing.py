"""Network tokens encrypted at rest (Fernet), with a key derived from the secret key.

Changing KANAVA_SECRET_KEY (or the generated key in the data folder) makes stored tokens
unreadable: the accounts must then be connected again.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"kanava network tokens\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(values: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def unseal(sealed: str) -> dict[str, Any]:
    """The stored values; ValueError when they were sealed with another key."""
    try:
        values = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise ValueError("the stored tokens cannot be read with this secret key") from error
    if not isinstance(values, dict):
        raise ValueError("the stored tokens are not an object")
    return values
