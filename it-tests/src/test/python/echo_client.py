#!/usr/bin/python3
"""Drives Braid's /echo endpoint with Debian's python3-websockets (10.x, asyncio API).

Usage: echo_client.py WS_URI [CASE ...]

Runs the named cases (all of them when none is named), each on a fresh connection, and prints
"OK <case>" after each and "ALL OK" at the end. On the first failure it prints
"FAIL <case>: <why>" and exits 1; bad usage exits 2.
"""
import asyncio
import os
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory, PerMessageDeflate

MIB_16 = 16 * 1024 * 1024
SIZES = [0, 125, 126, 65535, 65536, MIB_16]
CASE_TIMEOUT = 60


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def text_of(size):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return (alphabet * (size // len(alphabet) + 1))[:size]


def describe(message):
    return f"{type(message).__name__} of {len(message)}"


async def expect_echo(ws, message):
    await ws.send(message)
    reply = await ws.recv()
    check(type(reply) is type(message), f"sent {describe(message)}, received {describe(reply)}")
    if reply != message:
        first = next((i for i, (a, b) in enumerate(zip(reply, message)) if a != b), min(len(reply), len(message)))
        raise CheckFailed(f"sent {describe(message)}, received {describe(reply)} differing at index {first}")


async def close_normally(ws):
    await ws.close(code=1000, reason="done")
    check(ws.close_code == 1000, f"server answered close 1000 with {ws.close_code}")


def echo_case(make_message):
    async def run(ws):
        await expect_echo(ws, make_message())
        await close_normally(ws)
    return run


async def fragmented_text(ws):
    await ws.send(["frag", "mented"])
    reply = await ws.recv()
    check(reply == "fragmented", f"fragmented text came back as {reply!r}")
    await close_normally(ws)


async def fragmented_binary(ws):
    await ws.send([b"frag", b"mented"])
    reply = await ws.recv()
    check(reply == b"fragmented", f"fragmented binary came back as {reply!r}")
    await close_normally(ws)


async def ping(ws):
    # websockets resolves the waiter only for a pong carrying the same payload.
    pong_waiter = await ws.ping(b"p1")
    await asyncio.wait_for(pong_waiter, 5)
    await expect_echo(ws, "after ping")
    await close_normally(ws)


async def close_with_code_and_reason(ws):
    await ws.close(code=4000, reason="bye")
    check(ws.close_code == 4000, f"server answered close 4000 with {ws.close_code}")


CASES = {
    "text": echo_case(lambda: "héllo wörld ✓ 😀"),
    "binary": echo_case(lambda: bytes(range(256))),
}
for _size in SIZES:
    CASES[f"text-{_size}"] = echo_case(lambda size=_size: text_of(size))
    CASES[f"binary-{_size}"] = echo_case(lambda size=_size: os.urandom(size))


def compressed_case(**factory_options):
    """Echoes compressible and incompressible messages, whole and fragmented, over permessage-deflate."""
    async def run(ws):
        check(len(ws.extensions) == 1 and isinstance(ws.extensions[0], PerMessageDeflate),
              f"permessage-deflate not negotiated: {ws.extensions}")
        for message in [text_of(100_000), "small", "", os.urandom(70_000), b"\0" * 200_000, text_of(300)]:
            await expect_echo(ws, message)
        await ws.send(["comp", "ressed ", text_of(5000)])
        reply = await ws.recv()
        check(reply == "compressed " + text_of(5000), "fragmented compressed text came back changed")
        await close_normally(ws)
    run.connect_options = (
        {"compression": "deflate"} if not factory_options
        else {"compression": None, "extensions": [ClientPerMessageDeflateFactory(**factory_options)]})
    return run


CASES["deflate-default-offer"] = compressed_case()
CASES["deflate-server-window-9"] = compressed_case(server_max_window_bits=9, client_max_window_bits=True)
CASES["deflate-server-window-12-no-context"] = compressed_case(
    server_max_window_bits=12, server_no_context_takeover=True, client_no_context_takeover=True)
CASES["deflate-client-window-10"] = compressed_case(client_max_window_bits=10)
CASES["fragmented-text"] = fragmented_text
CASES["fragmented-binary"] = fragmented_binary
CASES["ping"] = ping
CASES["close"] = close_with_code_and_reason


async def run_case(uri, name):
    options = getattr(CASES[name], "connect_options", {"compression": None})
    ws = await websockets.connect(uri, max_size=None, ping_interval=None, open_timeout=10, close_timeout=5, **options)
    try:
        await asyncio.wait_for(CASES[name](ws), CASE_TIMEOUT)
    finally:
        if not ws.closed:
            ws.transport.abort()


async def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    uri, names = argv[1], argv[2:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print(f"unknown cases {unknown}; known: {list(CASES)}", file=sys.stderr)
        return 2
    print(f"websockets {websockets.__version__} against {uri}", flush=True)
    for name in names:
        try:
            await run_case(uri, name)
        except Exception as e:  # every failure, whatever its kind, is reported the same way
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
            return 1
        print(f"OK {name}", flush=True)
    print("ALL OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv)))
