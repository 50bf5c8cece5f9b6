#!/usr/bin/python3
"""A PLC for LineSight's Modbus interop tests, built on pymodbus (an implementation independent of the
digitalpetri master LineSight uses): a Modbus TCP server on 127.0.0.1 that stores coil and holding
register writes and reports each one on stdout, stamped with the monotonic clock (CLOCK_MONOTONIC, the
clock Java's System.nanoTime() reads on Linux, so the test can compare both sides' times).

Output, one line each, flushed at once:
    READY <port> <monotonic_ns>                      the server is listening
    W <monotonic_ns> C <address> <0|1>[,...]         a coil write (FC05 / FC15)
    W <monotonic_ns> H <address> <value>[,...]       a holding register write (FC06 / FC16)

Addresses are 0-based protocol addresses. Writes outside the configured sizes are answered with the
Modbus exception 2 (illegal data address) by pymodbus itself. The process ends when its stdin closes
(the test's JVM ended) or on SIGTERM.

Written for Debian 12's python3-pymodbus 3.0.0rc1; run it with /usr/bin/python3.
"""
import argparse
import asyncio
import logging
import os
import sys
import threading
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusTcpServer


class RecordingBlock(ModbusSequentialDataBlock):
    """Addresses 0..size-1; every write is printed after it is stored."""

    def __init__(self, kind, size, delay_s):
        super().__init__(0, [0] * size)
        self.kind = kind
        self.delay_s = delay_s

    def setValues(self, address, values):  # pylint: disable=invalid-name
        now = time.monotonic_ns()
        values = values if isinstance(values, list) else [values]
        super().setValues(address, values)
        text = ",".join(str(int(v)) for v in values)
        print(f"W {now} {self.kind} {address} {text}", flush=True)
        if self.delay_s:
            # a slow PLC: the event loop (and so every answer) waits
            time.sleep(self.delay_s)


def exit_when_stdin_closes():
    """The JVM that started us is gone: do not linger on its port."""
    sys.stdin.read()
    os._exit(0)


async def serve(args):
    delay_s = args.delay_ms / 1000.0
    store = ModbusSlaveContext(
        co=RecordingBlock("C", args.coils, delay_s),
        hr=RecordingBlock("H", args.registers, delay_s),
        di=ModbusSequentialDataBlock(0, [0] * 8),
        ir=ModbusSequentialDataBlock(0, [0] * 8),
        zero_mode=True)
    # single=True: every unit id reaches the same store, as on most PLCs' Modbus TCP servers
    context = ModbusServerContext(slaves=store, single=True)
    # allow_reuse_address: a restart binds the same port while the old connections sit in TIME_WAIT
    server = ModbusTcpServer(context, address=("127.0.0.1", args.port), allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print(f"READY {args.port} {time.monotonic_ns()}", flush=True)
    await task


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--coils", type=int, default=100, help="coils 0..coils-1")
    parser.add_argument("--registers", type=int, default=200, help="holding registers 0..registers-1")
    parser.add_argument("--delay-ms", type=int, default=0, help="answer every write this much later")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
