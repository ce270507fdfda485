"""Long config work, paced so the server's other threads keep answering.

A large document (thousands of apps) is read and applied in a worker thread for seconds of pure Python.
CPython hands the interpreter lock to a waiting thread only every few milliseconds, and each hand-over waits
for the OS to schedule the waiting thread: on a busy machine the event loop, which needs the lock dozens of
times to answer one ``/healthz``, then waits seconds. So the work calls :func:`pace` at each step (a YAML
node, an app, a batch of audit rows), which sleeps briefly once every :data:`EVERY` seconds: the lock is
free for the loop without a hand-over. The main thread (``clicktrail apply``) shares it with no one and is
never paced."""

from __future__ import annotations

import threading
from time import monotonic, sleep

EVERY = 0.02  # seconds of work between pauses
PAUSE = 0.002  # seconds given to the other threads: about a tenth of the work's time
_state = threading.local()


def pace() -> None:
    """Pause for :data:`PAUSE` if this worker thread has worked :data:`EVERY` seconds since its last one."""
    if threading.current_thread() is threading.main_thread():
        return
    now = monotonic()
    last = getattr(_state, "last", None)
    if last is None or now - last > 1.0:  # a new piece of work (worker threads are pooled): start counting
        _state.last = now
    elif now - last >= EVERY:
        sleep(PAUSE)
        _state.last = monotonic()
