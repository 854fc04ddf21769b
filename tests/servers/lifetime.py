"""Servers the tests start stop with the test process, even when it is killed (kill -9, a CI
job's timeout): Linux's parent-death signal, armed in the child before it runs the server.

The signal comes when the *thread* that started the server ends, so start servers from the
thread that runs the tests (fixtures and `with` blocks in tests do)."""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it


def die_with_parent(sig: signal.Signals) -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen: the server gets `sig` when the test process ends.

    It runs after Popen's `user=`/`group=` switch, which would clear the signal."""
    parent = os.getpid()

    def arm() -> None:
        if _prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")  # Popen says so
        if os.getppid() != parent:  # the test process died before the signal was armed
            os._exit(1)

    return arm
