"""``WaitForFlowService``: a bootstrap initialiser that removes a start-up race.

``DefaultFlowStart`` right after ``WorkspaceInit`` can publish ``list-flows`` before flow-svc
has bound its new per-workspace queue; RabbitMQ then drops the request and the bootstrapper
loses a 10 s timeout plus a 15 s retry. This initialiser polls ``list-flows`` with a short
timeout until flow-svc answers for the workspace.
"""

import asyncio

from trustgraph.bootstrap.base import Initialiser
from trustgraph.schema import FlowRequest


class WaitForFlowService(Initialiser):
    """Return once flow-svc answers ``list-flows`` for ``workspace``."""

    def __init__(self, workspace="default", interval=0.5, attempts=60, **kwargs):
        super().__init__(**kwargs)
        self.workspace = workspace
        self.interval = interval
        self.attempts = attempts

    async def run(self, ctx, old_flag, new_flag):
        for _ in range(self.attempts):
            client = ctx.make_flow_client(self.workspace)
            await client.start()
            try:
                await client.request(FlowRequest(operation="list-flows"), timeout=self.interval)
                ctx.logger.info(f"flow-svc answers for workspace {self.workspace!r}")
                return
            except Exception:
                await asyncio.sleep(self.interval / 5)
            finally:
                await client.stop()
        raise RuntimeError(f"flow-svc did not answer for workspace {self.workspace!r}")
