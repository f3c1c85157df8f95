"""Run one `modelatlas` command line with a fault injected: the test's stand-in for a crash or a full disk.

Every call of os.fsync, os.replace, os.rename and os.unlink (each write of the catalog passes through
them) and every call into an Oxigraph store is a fault point, counted from 1. Environment:

    FAULT_AT=N        at the Nth point: FAULT_MODE=kill sends the process SIGKILL; FAULT_MODE=enospc
                      raises OSError(ENOSPC) as a full disk would
    FAULT_DELAY=S     SIGKILL the process S seconds after the first call into an Oxigraph store,
                      wherever it is then (inside Oxigraph's own writes, most likely)
    FAULT_COUNT=FILE  write the number of fault points passed to FILE at exit (when not killed)

Usage: python run_with_faults.py ARGS...   (the arguments of `modelatlas`)
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading

AT = int(os.environ.get("FAULT_AT", "0"))
MODE = os.environ.get("FAULT_MODE", "kill")
DELAY = float(os.environ["FAULT_DELAY"]) if os.environ.get("FAULT_DELAY") else None
passed = 0


def fault_point(what: str) -> None:
    global passed
    passed += 1
    if passed == AT:
        if MODE == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), what)


def hook_os(name: str) -> None:
    real = getattr(os, name)

    def hooked(*args, **kwargs):
        fault_point(str(args[-1]) if args else name)
        return real(*args, **kwargs)

    setattr(os, name, hooked)


def hook_oxigraph() -> None:
    import pyoxigraph

    real = pyoxigraph.Store
    timer_started = threading.Event()

    class Store:
        """pyoxigraph.Store with a fault point before and after each call that writes."""

        def __init__(self, *args, **kwargs):
            self._store = real(*args, **kwargs)

        def __getattr__(self, name):
            attr = getattr(self._store, name)
            if name not in ("update", "bulk_load", "flush", "optimize", "clear", "load", "extend") or not callable(attr):
                return attr

            def call(*args, **kwargs):
                if DELAY is not None and not timer_started.is_set():
                    timer_started.set()
                    threading.Timer(DELAY, os.kill, (os.getpid(), signal.SIGKILL)).start()
                fault_point(f"oxigraph {name}")
                result = attr(*args, **kwargs)
                fault_point(f"oxigraph {name} done")
                return result

            return call

    pyoxigraph.Store = Store


for os_call in ("fsync", "replace", "rename", "unlink"):
    hook_os(os_call)
hook_oxigraph()

from modelatlas.program import run  # noqa: E402  (after the hooks, so that the program sees them)

status = run(sys.argv[1:])
sys.stdout.flush()
if os.environ.get("FAULT_COUNT"):
    with open(os.environ["FAULT_COUNT"], "w") as handle:
        handle.write(str(passed))
os._exit(status)
