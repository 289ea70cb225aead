"""Run the stock 2.11.1 ``api-gateway`` bound to loopback.

Two launch-time patches, no change to the gateway's own code:

- ``aiohttp.web.run_app`` gets ``host=$TGSTACK_GATEWAY_HOST`` (default 127.0.0.1): the stock
  gateway has no host flag and listens on every interface.
- ``IamAuth.start`` makes ``$TGSTACK_IAM_KEY_RETRIES`` attempts (default 0, stock 30 x 2 s)
  to fetch the IAM signing key; no-auth-svc has none, so the stock wait is a lost minute.

Plus the opt-in knowledge-core schema patch (:mod:`tgstack.kg_patch`).
Usage: ``python -m tgstack.gateway <api-gateway flags>``.
"""

import logging
import os

from . import kg_patch


def _bind_loopback(host):
    from aiohttp import web

    run_app = web.run_app

    def patched(app, **kwargs):
        kwargs["host"] = host
        return run_app(app, **kwargs)

    web.run_app = patched


def _limit_iam_key_retries(retries):
    from trustgraph.gateway.auth import IamAuth

    start = IamAuth.start

    async def patched(self, max_retries=30, retry_delay=2.0):
        return await start(self, max_retries=retries, retry_delay=retry_delay)

    IamAuth.start = patched


def main():
    _bind_loopback(os.environ.get("TGSTACK_GATEWAY_HOST", "127.0.0.1"))
    _limit_iam_key_retries(int(os.environ.get("TGSTACK_IAM_KEY_RETRIES", "0")))
    if kg_patch.apply_if_enabled():
        logging.getLogger("tgstack").warning("knowledge-core schema patch applied")
    from trustgraph.gateway.service import run

    run()


if __name__ == "__main__":
    main()
