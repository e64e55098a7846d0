"""Put on PYTHONPATH with NET_GUARD_LOG=FILE: every address this Python process looks up or
connects to is appended to FILE, so a test can prove the app only talks to 127.0.0.1."""

import os
import sys

_LOG = os.environ.get("NET_GUARD_LOG")


def _record(event: str, args: tuple) -> None:
    if event == "socket.getaddrinfo":
        target = f"lookup {args[0]}"
    elif event == "socket.connect":
        address = args[1]
        target = f"connect {address[0] if isinstance(address, tuple) else address}"
    else:
        return
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(target + "\n")


if _LOG:
    sys.addaudithook(_record)
