#!/usr/bin/env python3
"""Wait until a Kafka-compatible broker answers real protocol requests.

Standard library only (it runs before anything else is installed). Sends ApiVersions v0
and Metadata v1 over one connection and checks that the broker advertises the address it
was reached on, so "ready" means a Kafka client can bootstrap, not merely that a port is
open.

Usage: kafka_ready.py HOST:PORT [--timeout SECONDS] [--pid PID]
Exits 0 when ready; 1 on timeout, or at once when the process PID has exited.
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import time

API_VERSIONS = 18
METADATA = 3


class ProtocolError(Exception):
    pass


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ProtocolError("connection closed by the broker")
        data += chunk
    return data


def _request(sock: socket.socket, api_key: int, version: int, correlation: int, body: bytes) -> bytes:
    client_id = b"kafka-ready"
    header = struct.pack(">hhih", api_key, version, correlation, len(client_id)) + client_id
    payload = header + body
    sock.sendall(struct.pack(">i", len(payload)) + payload)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    response = _recv_exact(sock, size)
    (got,) = struct.unpack(">i", response[:4])
    if got != correlation:
        raise ProtocolError(f"correlation id {got}, expected {correlation}")
    return response[4:]


def probe(host: str, port: int, timeout: float) -> list[tuple[int, str, int]]:
    """Return the brokers listed in a Metadata response, after a successful ApiVersions."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        body = _request(sock, API_VERSIONS, 0, 1, b"")
        (error_code,) = struct.unpack(">h", body[:2])
        if error_code != 0:
            raise ProtocolError(f"ApiVersions error code {error_code}")
        body = _request(sock, METADATA, 1, 2, struct.pack(">i", -1))
        (count,) = struct.unpack(">i", body[:4])
        offset = 4
        brokers = []
        for _ in range(count):
            (node_id, host_len) = struct.unpack(">ih", body[offset : offset + 6])
            offset += 6
            broker_host = body[offset : offset + host_len].decode()
            offset += host_len
            (broker_port, rack_len) = struct.unpack(">ih", body[offset : offset + 6])
            offset += 6 + max(rack_len, 0)
            brokers.append((node_id, broker_host, broker_port))
        return brokers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="HOST:PORT")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--pid", type=int, help="give up as soon as this process has exited")
    args = parser.parse_args()
    host, _, port_text = args.address.rpartition(":")
    port = int(port_text)

    deadline = time.monotonic() + args.timeout
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if args.pid is not None:
            try:
                os.kill(args.pid, 0)
            except ProcessLookupError:
                print(f"kafka-ready: broker process {args.pid} exited", file=sys.stderr)
                return 1
            except PermissionError:
                pass
        try:
            brokers = probe(host, port, timeout=1.0)
            if any(b_port == port for (_, _, b_port) in brokers):
                return 0
            last_error = f"broker advertises {brokers}, not port {port}"
        except (OSError, ProtocolError, struct.error) as err:
            last_error = str(err)
        time.sleep(0.05)
    print(f"kafka-ready: {args.address} not ready after {args.timeout}s: {last_error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
