"""Save a stub's answers in the librarian, as the 2.11.1 agent and RAG services do.

The services store each answer (and the agent its thoughts and observations) as a librarian
document of type ``answer`` (hidden from document listings) and name it in their explain
graph (``tg:document``). The stubs reach the stock librarian the way its other clients do,
on the workspace's ``request:tg:librarian:<workspace>`` queue, with trustgraph-base's own
``AsyncLibrarianClient``; a failed save leaves the document out, as there.
"""

import asyncio
import logging
import uuid

from trustgraph.base.async_librarian_client import AsyncLibrarianClient
from trustgraph.schema import librarian_request_queue, librarian_response_queue

logger = logging.getLogger(__name__)

SAVE_TIMEOUT = 10


class Answers:
    """One librarian client per workspace, opened on first use."""

    def __init__(self, processor):
        self.processor = processor
        self.clients = {}
        self.lock = asyncio.Lock()

    async def _client(self, workspace):
        async with self.lock:
            if workspace not in self.clients:
                self.clients[workspace] = await AsyncLibrarianClient.create(
                    backend=self.processor.async_backend,
                    request_topic=f"{librarian_request_queue}:{workspace}",
                    response_topic=f"{librarian_response_queue}:{workspace}",
                    subscription=f"{self.processor.id}--{workspace}--answers--{uuid.uuid4()}",
                    default_timeout=SAVE_TIMEOUT,
                )
            return self.clients[workspace]

    async def save(self, workspace, doc_id, text, title):
        """``doc_id`` once saved, None when the librarian refused or did not answer."""
        try:
            client = await self._client(workspace)
            await client.save_document(doc_id=doc_id, content=text, title=title)
            return doc_id
        except Exception as e:
            logger.warning(f"Failed to save {doc_id} to the librarian: {e}")
            return None
