"""One TLS context per client, built from the options, so REST and WebSocket trust the same CAs.

Verification is on by default (certifi's bundle, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, as
httpx does); ``verify="path"`` trusts a CA file or directory instead; only ``verify=False``
turns it off. ``cert`` adds a client certificate to any of these.
"""

from __future__ import annotations

import os
import re
import ssl

from ._httpx import httpx
from .errors import ConfigurationError
from .options import ClientOptions

__all__ = ["describe_failure", "page_title", "ssl_context"]


def ssl_context(options: ClientOptions) -> ssl.SSLContext:
    """The TLS context the options ask for; a file that cannot be read is a configuration error."""
    verify, cert = options.verify, options.cert
    try:
        if verify is False:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        elif isinstance(verify, str):
            if os.path.isdir(verify):
                ctx = ssl.create_default_context(capath=verify)
            else:
                ctx = ssl.create_default_context(cafile=verify)
        else:
            ctx = httpx.create_ssl_context(verify=True)
        if isinstance(cert, str):
            ctx.load_cert_chain(cert)
        elif cert is not None:
            ctx.load_cert_chain(*cert)
    except OSError as exc:  # ssl.SSLError and FileNotFoundError included
        raise ConfigurationError(
            f"cannot set up TLS from verify={verify!r}, cert={cert!r}: {exc}"
        ) from None
    return ctx


_TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)


def describe_failure(exc: BaseException) -> str | None:
    """What went wrong with TLS in ``exc`` or its causes, with the fix; None if not TLS."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return (
                f"TLS verification failed ({current.verify_message}); pass "
                "verify='/path/to/ca.pem' to trust the gateway's CA"
            )
        current = current.__cause__ or current.__context__
    return None


def page_title(body: object) -> str | None:
    """The <title> of an HTML error page (what a TLS proxy answers), if ``body`` is one.

    nginx, for example, answers a missing client certificate with HTTP 400 and the title
    "400 No required SSL certificate was sent".
    """
    if not isinstance(body, str | bytes | bytearray):
        return None
    text = body if isinstance(body, str) else bytes(body).decode("utf-8", "replace")
    found = _TITLE.search(text[:4096])
    return " ".join(found.group(1).split())[:200] if found else None
