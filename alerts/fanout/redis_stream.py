"""The Redis stream that hands batches to workers, and takes back a dead worker's batches.

taskiq-redis's `RedisStreamBroker` (1.2) claims entries another consumer read and never
acknowledged only after a read that brought new ones: its listener skips the claim when a
read comes back empty. Once every batch of an alert had been handed out, the batches of a
worker killed mid-send stayed with the dead worker until some other alert came along. This
listener looks for such entries after every read, new entries or none.

XAUTOCLAIM gives each idle entry to exactly one caller (claiming resets the entry's idle
time), so workers claiming at once never take the same batch; no lock is needed. A claim
takes as many entries as a read does (one), so a worker never sits on batches it has no
room for.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from redis.asyncio import Redis
from taskiq import AckableMessage
from taskiq_redis import RedisStreamBroker


class ReclaimingStreamBroker(RedisStreamBroker):
    """A stream broker whose workers take over a dead worker's batches without waiting for
    new work to arrive."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """New entries for this consumer, then entries another consumer left unacknowledged."""
        async with Redis(connection_pool=self.connection_pool) as redis:
            while True:
                fetched: Any = await redis.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    noack=False,
                    count=self.count,
                )
                for stream, entries in fetched or []:
                    for entry_id, fields in entries:
                        yield self._message(stream, entry_id, fields)
                async for message in self._reclaim(redis):
                    yield message

    async def _reclaim(self, redis: Redis) -> AsyncGenerator[AckableMessage, None]:
        """Entries read by a consumer that has not acknowledged them for `idle_timeout` ms."""
        claimed: Any = await redis.xautoclaim(
            name=self.queue_name,
            groupname=self.consumer_group_name,
            consumername=self.consumer_name,
            min_idle_time=self.idle_timeout,
            count=self.count or 1,
        )
        for entry_id, fields in claimed[1]:
            if fields:  # an entry trimmed from the stream meanwhile has no fields left
                yield self._message(self.queue_name, entry_id, fields)

    def _message(self, stream: Any, entry_id: Any, fields: Any) -> AckableMessage:
        return AckableMessage(
            data=fields[b"data"], ack=self._ack_generator(id=entry_id, queue_name=stream)
        )
