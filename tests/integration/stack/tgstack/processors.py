"""Run the stack's ``processor-group`` with consumers that take several requests at once.

Stock 2.11.1 gives every processor a worker pool of ``concurrency`` tasks, but its RabbitMQ
backend opens each consumer with prefetch 1 and acknowledges a message only once handled, so
a consumer holds one request at a time and the extra workers idle: concurrency then comes
from running more replicas, as deployments do. This stack runs one process, so the same
effect comes from letting each consumer's channel prefetch as many messages as the
processor has workers (``concurrency`` in the group configuration). The gateway and the
other processes keep the stock behaviour.

Usage: ``python -m tgstack.processors <processor-group flags>``.
"""

import aio_pika
from trustgraph.base import async_processor
from trustgraph.base.async_rabbitmq_backend import AsyncRabbitMQBackend, AsyncRabbitMQConsumer


async def _create_consumer(self, topic, subscription, schema, initial_position="latest", **_):
    """``AsyncRabbitMQBackend.create_consumer`` with ``self.prefetch`` instead of 1."""
    exchange_name, cls, durable = self._parse_topic(topic)
    connection = await self._ensure_connection()
    channel = await connection.channel()
    exchange = await channel.declare_exchange(
        exchange_name, aio_pika.ExchangeType.FANOUT, durable=True
    )
    await channel.set_qos(prefetch_count=getattr(self, "prefetch", 1))
    if cls in ("response", "notify"):
        queue = await channel.declare_queue("", durable=False, exclusive=True, auto_delete=True)
    else:
        queue = await channel.declare_queue(
            f"{exchange_name}.{subscription}", durable=durable, exclusive=False, auto_delete=False
        )
    await queue.bind(exchange)
    consumer = AsyncRabbitMQConsumer(channel, queue, schema, consumer_tag=None)
    consumer._consumer_tag = await queue.consume(consumer._on_message)
    return consumer


def _prefetch_as_concurrency():
    init = async_processor.AsyncProcessor.__init__

    def patched(self, **params):
        init(self, **params)
        self.async_backend.prefetch = max(1, int(self.concurrency))

    async_processor.AsyncProcessor.__init__ = patched
    AsyncRabbitMQBackend.create_consumer = _create_consumer


def main():
    _prefetch_as_concurrency()
    from trustgraph.base.processor_group import run

    run()


if __name__ == "__main__":
    main()
