"""`--cookie-jar FILE`: cookies a site needs (a consent wall, a login), from a cookies.txt file.

The file is the Netscape format that curl (`-c`), wget and browser extensions write. It is read
once and never written: a run must not change a user's file. Each cookie goes only where its
domain, path and `secure` flag say, as a browser would send it; expired ones are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookiejar import Cookie, CookieJar, LoadError, MozillaCookieJar


def load_cookie_jar(path: str) -> tuple[Cookie, ...]:
    """The unexpired cookies of a Netscape cookies.txt file; ValueError saying what is wrong."""
    jar = MozillaCookieJar(path)
    try:
        jar.load(ignore_discard=True, ignore_expires=False)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except (LoadError, OSError, UnicodeDecodeError) as exc:
        detail = str(exc).replace(repr(path), "").strip(" :") or type(exc).__name__
        raise ValueError(f"{path}: not a Netscape cookies.txt file ({detail})") from None
    return tuple(jar)


def jar_of(cookies: Iterable[Cookie]) -> CookieJar:
    """A fresh cookie jar holding these cookies (one per client, so runs share nothing)."""
    jar = CookieJar()
    for cookie in cookies:
        jar.set_cookie(cookie)
    return jar
