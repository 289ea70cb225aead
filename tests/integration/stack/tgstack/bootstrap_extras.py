"""``WaitForFlowService``: a bootstrap initialiser that removes a start-up race.

``DefaultFlowStart`` right after ``WorkspaceInit`` can publish ``list-flows`` before flow-svc
has bound its new per-workspace queue; RabbitMQ then drops the request and the bootstrapper
loses a 10 s timeout plus a 15 s retry. This initialiser polls ``list-flows`` with a short,
growing timeout (a loaded machine answers slowly) until flow-svc answers for the workspace.
"""

import asyncio

from trustgraph.bootstrap.base import Initialiser
from trustgraph.schema import FlowRequest


class WaitForFlowService(Initialiser):
    """Return once flow-svc answers ``list-flows`` for ``workspace``."""

    def __init__(self, workspace="default", first_timeout=0.5, max_timeout=4.0, total=120.0,
                 **kwargs):  # fmt: skip
        super().__init__(**kwargs)
        self.workspace = workspace
        self.first_timeout = first_timeout
        self.max_timeout = max_timeout
        self.total = total

    async def run(self, ctx, old_flag, new_flag):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total
        timeout = self.first_timeout
        while loop.time() < deadline:
            client = ctx.make_flow_client(self.workspace)
            await client.start()
            try:
                await client.request(FlowRequest(operation="list-flows"), timeout=timeout)
                ctx.logger.info(f"flow-svc answers for workspace {self.workspace!r}")
                return
            except Exception:
                timeout = min(timeout * 1.5, self.max_timeout)
                await asyncio.sleep(0.1)
            finally:
                await client.stop()
        raise RuntimeError(f"flow-svc did not answer for workspace {self.workspace!r}")
