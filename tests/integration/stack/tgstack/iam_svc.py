"""Run the stock 2.11.1 ``iam-svc`` with :mod:`tgstack.memory_iam` as its table store.

Usage: ``python -m tgstack.iam_svc <iam-svc flags>`` (``--bootstrap-mode`` is required).
"""

import sys

from . import memory_iam


def main():
    sys.modules["trustgraph.tables.iam"] = memory_iam
    from trustgraph.iam.service.service import run

    run()


if __name__ == "__main__":
    main()
