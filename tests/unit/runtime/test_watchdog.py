"""ReaderWatchdog: one lazy timer cancels the reading task at its deadline, and only then."""

from __future__ import annotations

import asyncio

import pytest

from tgclient_runtime.watchdog import ReaderWatchdog


async def read_until_cancelled(watchdog: ReaderWatchdog, until: float) -> str:
    """What a reader does: wait under the watchdog; 'timed out' or the cancel re-raised."""
    task = watchdog.watch(until)
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        if not watchdog.expired(task):
            raise
        return "timed out"
    finally:
        watchdog.release()
    return "not cancelled"


async def test_cancels_the_reader_at_its_deadline_and_takes_the_cancel_back() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    until = loop.time() + 0.05
    assert await read_until_cancelled(watchdog, until) == "timed out"
    assert loop.time() >= until
    current = asyncio.current_task()
    assert current is not None and current.cancelling() == 0
    await asyncio.sleep(0)  # no cancel left pending for the task


async def test_a_timer_armed_for_an_earlier_deadline_rearms_for_the_later_one() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    watchdog.watch(loop.time() + 0.05)  # a short call that was answered at once
    watchdog.release()
    until = loop.time() + 0.3
    assert await read_until_cancelled(watchdog, until) == "timed out"
    assert loop.time() >= until  # the first timer fired at 0.05 s and did not cancel


async def test_later_deadlines_reuse_the_armed_timer_and_earlier_ones_replace_it() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    now = loop.time()
    watchdog.watch(now + 10)
    armed = watchdog._handle
    for i in range(1, 100):
        watchdog.release()
        watchdog.watch(now + 10 + i)
    assert watchdog._handle is armed  # a hundred later deadlines, one timer
    watchdog.release()
    watchdog.watch(now + 5)
    assert watchdog._handle is not armed and armed is not None and armed.cancelled()
    watchdog.release()
    watchdog.disarm()


async def test_a_cancel_from_outside_is_not_taken_for_a_time_out() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    reader = asyncio.ensure_future(read_until_cancelled(watchdog, loop.time() + 30))
    await asyncio.sleep(0.05)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    watchdog.disarm()


async def test_a_cancel_from_outside_at_the_deadline_still_cancels() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    until = loop.time() + 0.05
    reader = asyncio.ensure_future(read_until_cancelled(watchdog, until))
    await asyncio.sleep(0)  # the reader is waiting under the watchdog
    loop.call_at(until, reader.cancel)  # runs in the same loop pass as the watchdog's cancel
    with pytest.raises(asyncio.CancelledError):
        await reader


async def test_a_released_reader_is_never_cancelled() -> None:
    loop, watchdog = asyncio.get_running_loop(), ReaderWatchdog()
    watchdog.watch(loop.time() + 0.02)
    watchdog.release()
    await asyncio.sleep(0.1)  # the timer fires with nobody reading
    current = asyncio.current_task()
    assert current is not None and current.cancelling() == 0


async def test_outside_a_task_there_is_nothing_to_cancel() -> None:
    """A coroutine driven by hand from a loop callback, as some frameworks do, has no task."""
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[BaseException] = loop.create_future()

    async def read() -> None:
        ReaderWatchdog().watch(loop.time() + 10)

    def drive() -> None:
        try:
            read().send(None)
        except BaseException as exc:
            outcome.set_result(exc)

    loop.call_soon(drive)
    error = await outcome
    assert isinstance(error, RuntimeError) and "inside an asyncio task" in str(error)
