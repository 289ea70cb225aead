"""The code examples of the seed spec (python-api-refactor.md), verbatim, in document order.

Copied character for character (common indentation removed); tests/integration/test_seed_examples.py
runs each one against the real gateway. Never edit one to make it pass.
"""

# ruff: noqa: E501

EXAMPLES: dict[int, str] = {}
TITLES: dict[int, str] = {}

TITLES[0] = "Architecture: transports"
EXAMPLES[0] = """# REST transport (default, backward compatible)
api = Api(url="http://localhost:8088/")

# WebSocket transport (new, opt-in)
api = Api(url="ws://localhost:8088/", transport="websocket")
"""

TITLES[1] = "Transport interface"
EXAMPLES[1] = '''from abc import ABC, abstractmethod
from typing import Iterator, Any, Dict

class Transport(ABC):
    @abstractmethod
    def request(self, endpoint: str, data: Dict[str, Any]) -> Dict[str, Any]:
        """Synchronous request/response"""
        pass

    @abstractmethod
    def streaming_request(
        self,
        endpoint: str,
        data: Dict[str, Any]
    ) -> Iterator[Dict[str, Any]]:
        """Streaming request/response (yields chunks)"""
        pass

    @abstractmethod
    def bulk_import(
        self,
        endpoint: str,
        items: Iterator[Dict[str, Any]]
    ) -> None:
        """Bulk import from iterator"""
        pass

    @abstractmethod
    def bulk_export(
        self,
        endpoint: str
    ) -> Iterator[Dict[str, Any]]:
        """Bulk export as iterator"""
        pass

    @abstractmethod
    def close(self) -> None:
        """Close connection and cleanup"""
        pass
'''

TITLES[2] = "FlowInstance new methods"
EXAMPLES[2] = '''class FlowInstance:
    # Existing methods remain unchanged

    # New: Graph embeddings query
    def graph_embeddings_query(
        self,
        text: str,
        user: str,
        collection: str,
        limit: int = 10,
        **kwargs
    ) -> List[Dict[str, Any]]:
        """Query graph embeddings for semantic search"""
        pass

    # New: Bulk triple import
    def import_triples(
        self,
        triples: Iterator[Triple],
        **kwargs
    ) -> None:
        """Bulk import triples (requires WebSocket transport)"""
        pass

    # New: Bulk triple export
    def export_triples(
        self,
        **kwargs
    ) -> Iterator[Triple]:
        """Bulk export triples (requires WebSocket transport)"""
        pass

    # New: Bulk graph embeddings import
    def import_graph_embeddings(
        self,
        embeddings: Iterator[Dict[str, Any]],
        **kwargs
    ) -> None:
        """Bulk import graph embeddings (requires WebSocket transport)"""
        pass

    # New: Bulk graph embeddings export
    def export_graph_embeddings(
        self,
        **kwargs
    ) -> Iterator[Dict[str, Any]]:
        """Bulk export graph embeddings (requires WebSocket transport)"""
        pass

    # New: Bulk document embeddings import
    def import_document_embeddings(
        self,
        embeddings: Iterator[Dict[str, Any]],
        **kwargs
    ) -> None:
        """Bulk import document embeddings (requires WebSocket transport)"""
        pass

    # New: Bulk document embeddings export
    def export_document_embeddings(
        self,
        **kwargs
    ) -> Iterator[Dict[str, Any]]:
        """Bulk export document embeddings (requires WebSocket transport)"""
        pass

    # New: Bulk entity contexts import
    def import_entity_contexts(
        self,
        contexts: Iterator[Dict[str, Any]],
        **kwargs
    ) -> None:
        """Bulk import entity contexts (requires WebSocket transport)"""
        pass

    # New: Bulk entity contexts export
    def export_entity_contexts(
        self,
        **kwargs
    ) -> Iterator[Dict[str, Any]]:
        """Bulk export entity contexts (requires WebSocket transport)"""
        pass

    # New: Bulk objects import
    def import_objects(
        self,
        objects: Iterator[Dict[str, Any]],
        **kwargs
    ) -> None:
        """Bulk import objects (requires WebSocket transport)"""
        pass
'''

TITLES[3] = "FlowInstance streaming signatures"
EXAMPLES[3] = '''class FlowInstance:
    def agent(
        self,
        question: str,
        user: str,
        state: Optional[Dict[str, Any]] = None,
        group: Optional[str] = None,
        history: Optional[List[Dict[str, Any]]] = None,
        streaming: bool = False,  # NEW
        **kwargs
    ) -> Union[Dict[str, Any], Iterator[Dict[str, Any]]]:
        """
        Execute agent with optional streaming.

        Returns:
            - If streaming=False: Dict with final response
            - If streaming=True: Iterator yielding chunks

        Raises:
            NotImplementedError: If streaming=True with REST transport
        """
        pass

    def text_completion(
        self,
        system: str,
        prompt: str,
        streaming: bool = False,  # NEW
        **kwargs
    ) -> Union[str, Iterator[str]]:
        """
        Text completion with optional streaming.

        Returns:
            - If streaming=False: Complete response string
            - If streaming=True: Iterator yielding token chunks

        Raises:
            NotImplementedError: If streaming=True with REST transport
        """
        pass

    def graph_rag(
        self,
        question: str,
        user: str,
        collection: str,
        max_subgraph_size: int = 1000,
        max_subgraph_count: int = 5,
        max_entity_distance: int = 3,
        streaming: bool = False,  # NEW
        **kwargs
    ) -> Union[str, Iterator[str]]:
        """
        Graph RAG with optional streaming.

        Returns:
            - If streaming=False: Complete response string
            - If streaming=True: Iterator yielding chunks

        Raises:
            NotImplementedError: If streaming=True with REST transport
        """
        pass

    def document_rag(
        self,
        question: str,
        user: str,
        collection: str,
        doc_limit: int = 10,
        streaming: bool = False,  # NEW
        **kwargs
    ) -> Union[str, Iterator[str]]:
        """
        Document RAG with optional streaming.

        Returns:
            - If streaming=False: Complete response string
            - If streaming=True: Iterator yielding chunks

        Raises:
            NotImplementedError: If streaming=True with REST transport
        """
        pass

    def prompt(
        self,
        id: str,
        variables: Dict[str, str],
        streaming: bool = False,  # NEW
        **kwargs
    ) -> Union[str, Iterator[str]]:
        """
        Execute prompt with optional streaming.

        Returns:
            - If streaming=False: Complete response string
            - If streaming=True: Iterator yielding chunks

        Raises:
            NotImplementedError: If streaming=True with REST transport
        """
        pass
'''

TITLES[4] = "Streaming chunk types"
EXAMPLES[4] = '''from typing import Iterator, Union, Dict, Any
import dataclasses

@dataclasses.dataclass
class StreamingChunk:
    """Base class for streaming chunks"""
    content: str
    end_of_message: bool = False

@dataclasses.dataclass
class AgentThought(StreamingChunk):
    """Agent reasoning chunk"""
    chunk_type: str = "thought"

@dataclasses.dataclass
class AgentObservation(StreamingChunk):
    """Agent tool observation chunk"""
    chunk_type: str = "observation"

@dataclasses.dataclass
class AgentAnswer(StreamingChunk):
    """Agent final answer chunk"""
    chunk_type: str = "final-answer"
    end_of_dialog: bool = False

@dataclasses.dataclass
class RAGChunk(StreamingChunk):
    """RAG streaming chunk"""
    end_of_stream: bool = False
    error: Optional[Dict[str, str]] = None

# Type aliases for clarity
AgentStream = Iterator[Union[AgentThought, AgentObservation, AgentAnswer]]
RAGStream = Iterator[RAGChunk]
CompletionStream = Iterator[str]
'''

TITLES[5] = "Metrics API"
EXAMPLES[5] = '''class Metrics:
    def __init__(self, transport: Transport):
        self.transport = transport

    def get(self) -> str:
        """Get Prometheus metrics as text"""
        # Call GET /api/metrics
        pass
'''

TITLES[6] = "Transport selection"
EXAMPLES[6] = """# Automatic transport selection based on URL scheme
api = Api(url="http://localhost:8088/")   # Uses RestTransport
api = Api(url="https://localhost:8088/")  # Uses RestTransport
api = Api(url="ws://localhost:8088/")     # Uses WebSocketTransport
api = Api(url="wss://localhost:8088/")    # Uses WebSocketTransport (secure)

# Explicit transport override
api = Api(url="http://localhost:8088/", transport="websocket")  # Force WebSocket
"""

TITLES[7] = "Agent streaming"
EXAMPLES[7] = """flow = api.flow().id("default")

# Non-streaming (existing)
response = flow.agent(question="What is ML?", user="user123")
print(response["response"])

# Streaming (new)
for chunk in flow.agent(question="What is ML?", user="user123", streaming=True):
    if isinstance(chunk, AgentThought):
        print(f"Thinking: {chunk.content}")
    elif isinstance(chunk, AgentObservation):
        print(f"Observed: {chunk.content}")
    elif isinstance(chunk, AgentAnswer):
        print(f"Answer: {chunk.content}")
        if chunk.end_of_dialog:
            break
"""

TITLES[8] = "RAG streaming"
EXAMPLES[8] = """# Non-streaming (existing)
response = flow.graph_rag(question="What is Python?", user="user123", collection="default")
print(response)

# Streaming (new)
for chunk in flow.graph_rag(
    question="What is Python?",
    user="user123",
    collection="default",
    streaming=True
):
    print(chunk.content, end="", flush=True)
    if chunk.end_of_stream:
        break
"""

TITLES[9] = "Bulk operations"
EXAMPLES[9] = """# Bulk import triples
def triple_generator():
    yield Triple(s="http://ex.com/alice", p="http://ex.com/type", o="Person")
    yield Triple(s="http://ex.com/alice", p="http://ex.com/name", o="Alice")
    yield Triple(s="http://ex.com/bob", p="http://ex.com/type", o="Person")

flow = api.flow().id("default")
flow.import_triples(triple_generator())

# Bulk export triples
for triple in flow.export_triples():
    print(f"{triple.s} -> {triple.p} -> {triple.o}")
"""

TITLES[10] = "Constructor"
EXAMPLES[
    10
] = """Api(url: str, timeout: int = 60, transport: Optional[str] = None, token: Optional[str] = None)
"""

TITLES[11] = "Transport not supported"
EXAMPLES[11] = """try:
    api = Api(url="http://localhost:8088/", transport="rest")
    flow = api.flow().id("default")

    # This raises NotImplementedError
    for chunk in flow.agent(question="...", streaming=True):
        print(chunk)
except NotImplementedError as e:
    print(f"Error: {e}")
    print("Hint: Use WebSocket transport for streaming: Api(url='ws://localhost:8088/')")
"""

TITLES[12] = "Connection errors"
EXAMPLES[12] = """try:
    api = Api(url="ws://localhost:8088/")
    flow = api.flow().id("default")
    response = flow.agent(question="...", user="user123")
except ConnectionError as e:
    print(f"WebSocket connection failed: {e}")
    print("Hint: Ensure Gateway is running and WebSocket endpoint is accessible")
"""

TITLES[13] = "Partial streaming errors"
EXAMPLES[13] = """flow = api.flow().id("default")

accumulated = []
try:
    for chunk in flow.graph_rag(question="...", streaming=True):
        accumulated.append(chunk.content)
        if chunk.error:
            print(f"Error occurred: {chunk.error}")
            print(f"Partial response: {''.join(accumulated)}")
            break
except Exception as e:
    print(f"Streaming error: {e}")
    print(f"Partial response: {''.join(accumulated)}")
"""

TITLES[14] = "Context manager"
EXAMPLES[14] = """# Automatic cleanup
with Api(url="ws://localhost:8088/") as api:
    flow = api.flow().id("default")
    response = flow.agent(question="...", user="user123")
# WebSocket connection automatically closed

# Manual cleanup
api = Api(url="ws://localhost:8088/")
try:
    flow = api.flow().id("default")
    response = flow.agent(question="...", user="user123")
finally:
    api.close()  # Explicitly close WebSocket connection
"""

TITLES[15] = "Async support"
EXAMPLES[15] = """# Phase 2 enhancement (not in initial scope)
import asyncio

async def main():
    api = await AsyncApi(url="ws://localhost:8088/")
    flow = api.flow().id("default")

    async for chunk in flow.agent(question="...", streaming=True):
        print(chunk.content)

    await api.close()

asyncio.run(main())
"""

TITLES[16] = "Authentication"
EXAMPLES[16] = """# REST with auth
api = Api(url="http://localhost:8088/", token="mytoken")

# WebSocket with auth
api = Api(url="ws://localhost:8088/", token="mytoken")
# Connects to: ws://localhost:8088/api/v1/socket?token=mytoken
"""

TITLES[17] = "Migration phase 1"
EXAMPLES[17] = """# Existing code works unchanged
api = Api(url="http://localhost:8088/")
flow = api.flow().id("default")
response = flow.agent(question="What is ML?", user="user123")
"""

TITLES[18] = "Migration phase 2"
EXAMPLES[18] = """# Before: Non-streaming
response = flow.agent(question="What is ML?", user="user123")
print(response["response"])

# After: Streaming
api = Api(url="ws://localhost:8088/")  # Use WebSocket transport
flow = api.flow().id("default")

for chunk in flow.agent(question="What is ML?", user="user123", streaming=True):
    if isinstance(chunk, AgentAnswer):
        print(chunk.content, end="", flush=True)
"""

TITLES[19] = "Migration phase 3"
EXAMPLES[19] = """# Before: Inefficient per-item loading
api = Api(url="http://localhost:8088/")
flow = api.flow().id("default")

for triple in my_large_triple_list:
    # This is slow (100 triples/second)
    flow.triples_query(...)  # Not ideal for bulk insert

# After: Efficient bulk loading
api = Api(url="ws://localhost:8088/")
flow = api.flow().id("default")

# This is fast (10,000 triples/second)
flow.import_triples(iter(my_large_triple_list))
"""

TITLES[20] = "Progress callback"
EXAMPLES[20] = """def progress_callback(processed: int, total: Optional[int]):
    print(f"Processed {processed} items")

flow.import_triples(triples, on_progress=progress_callback)
"""
