"""Run the stock 2.11.1 ``config-svc`` with :mod:`tgstack.sqlite_config` as its table store.

Usage: ``python -m tgstack.config_svc <config-svc flags>``.
"""

import sys

from . import sqlite_config


def main():
    sys.modules["trustgraph.tables.config"] = sqlite_config
    from trustgraph.config.service import run

    run()


if __name__ == "__main__":
    main()
