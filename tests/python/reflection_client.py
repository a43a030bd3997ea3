#!/usr/bin/env python3
"""Call any gRPC method of a server through server reflection alone.

No .proto files and no generated code: the request and response types are fetched from
the server's reflection service (grpc.reflection.v1alpha, the one the Python reflection
client speaks), so the tests exercise exactly what a generic tool (grpcurl, Postman) sees.

Usage:
    reflection_client.py ADDR                       list services and their methods
    reflection_client.py ADDR SERVICE/METHOD [JSON] call a unary or server-streaming method

    python reflection_client.py 127.0.0.1:50051 \\
        connect.v1.ConnectService/ListConnectors '{"expand_status": true}'

Each response is printed on stdout as one JSON line (proto field names, as in the .proto
files). On an RPC error, `CODE_NAME: details` goes to stderr and the exit code is
3 for NOT_FOUND, 4 for INVALID_ARGUMENT and 1 for every other code; a request JSON that
does not fit the request type is reported as INVALID_ARGUMENT (exit 4) without calling the
server; bad command-line usage exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, NoReturn, Optional, Sequence

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import MethodDescriptor
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

# Well-known types are imported by most APIs; some servers leave them out of their
# reflection data, so the ones bundled with protobuf are used when the server has none.
from google.protobuf import (  # noqa: F401  (imported to load them into the default pool)
    any_pb2,
    duration_pb2,
    empty_pb2,
    field_mask_pb2,
    struct_pb2,
    timestamp_pb2,
    wrappers_pb2,
)

EXIT_CODES = {
    grpc.StatusCode.NOT_FOUND: 3,
    grpc.StatusCode.INVALID_ARGUMENT: 4,
}


class ClientError(Exception):
    """An error with the gRPC status code it stands for, raised before or around a call."""

    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


class ReflectionDatabase(ProtoReflectionDescriptorDatabase):
    """Reflection-backed descriptors, with protobuf's own copies of the well-known types."""

    def FindFileByName(self, name: str) -> descriptor_pb2.FileDescriptorProto:  # noqa: N802
        try:
            return super().FindFileByName(name)
        except (KeyError, grpc.RpcError):
            if not name.startswith("google/protobuf/"):
                raise
        proto = descriptor_pb2.FileDescriptorProto()
        descriptor_pool.Default().FindFileByName(name).CopyToProto(proto)
        self.Add(proto)
        return proto


def fail(code: grpc.StatusCode, details: str) -> NoReturn:
    """Report an error the way every caller of this script parses it, then exit."""
    print(f"{code.name}: {details}", file=sys.stderr)
    sys.exit(EXIT_CODES.get(code, 1))


def parse_metadata(pairs: Sequence[str]) -> list[tuple[str, str]]:
    metadata = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ClientError(grpc.StatusCode.INVALID_ARGUMENT, f"metadata {pair!r} is not KEY=VALUE")
        metadata.append((key.lower(), value))
    return metadata


def find_method(pool: descriptor_pool.DescriptorPool, target: str) -> MethodDescriptor:
    """Resolve `package.Service/Method` (or `package.Service.Method`) through reflection."""
    if "/" in target:
        service_name, _, method_name = target.lstrip("/").partition("/")
    else:
        service_name, _, method_name = target.rpartition(".")
    if not service_name or not method_name:
        raise ClientError(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"method {target!r} is not in the form package.Service/Method",
        )
    try:
        service = pool.FindServiceByName(service_name)
    except grpc.RpcError as err:
        # tonic answers an unknown symbol with a NOT_FOUND status on the reflection stream;
        # report it like a server would report an unknown method, not like a missing entity.
        if err.code() != grpc.StatusCode.NOT_FOUND:
            raise
        raise ClientError(
            grpc.StatusCode.UNIMPLEMENTED,
            f"service {service_name} is not known to the server's reflection service",
        ) from None
    except KeyError:
        raise ClientError(
            grpc.StatusCode.UNIMPLEMENTED,
            f"service {service_name} is not known to the server's reflection service",
        ) from None
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise ClientError(
            grpc.StatusCode.UNIMPLEMENTED,
            f"service {service_name} has no method {method_name}",
        )
    return method


def to_json_line(message, pool, include_defaults: bool) -> str:
    as_dict = json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=include_defaults,
        descriptor_pool=pool,
    )
    return json.dumps(as_dict, ensure_ascii=False)


def list_services(db: ReflectionDatabase, pool: descriptor_pool.DescriptorPool) -> None:
    for service_name in sorted(db.get_services()):
        print(service_name)
        try:
            service = pool.FindServiceByName(service_name)
        except KeyError:
            continue
        for method in service.methods:
            stream_in = "stream " if method.client_streaming else ""
            stream_out = "stream " if method.server_streaming else ""
            print(
                f"  {method.name}({stream_in}{method.input_type.full_name})"
                f" returns ({stream_out}{method.output_type.full_name})"
            )


def call(
    channel: grpc.Channel,
    pool: descriptor_pool.DescriptorPool,
    method: MethodDescriptor,
    request_json: str,
    timeout: Optional[float],
    metadata: list[tuple[str, str]],
    max_messages: Optional[int],
    include_defaults: bool,
) -> None:
    if method.client_streaming:
        raise ClientError(
            grpc.StatusCode.UNIMPLEMENTED,
            f"{method.full_name} is client- or bidi-streaming; only unary and server-streaming"
            " methods are supported",
        )
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    request = request_class()
    try:
        json_format.Parse(request_json, request, descriptor_pool=pool)
    except json_format.ParseError as err:
        raise ClientError(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"request JSON does not fit {method.input_type.full_name}: {err}",
        ) from None

    path = f"/{method.containing_service.full_name}/{method.name}"
    serializer = request_class.SerializeToString
    deserializer = response_class.FromString
    if not method.server_streaming:
        response = channel.unary_unary(
            path, request_serializer=serializer, response_deserializer=deserializer
        )(request, timeout=timeout, metadata=metadata)
        print(to_json_line(response, pool, include_defaults), flush=True)
        return

    responses = channel.unary_stream(
        path, request_serializer=serializer, response_deserializer=deserializer
    )(request, timeout=timeout, metadata=metadata)
    received = 0
    try:
        for response in responses:
            print(to_json_line(response, pool, include_defaults), flush=True)
            received += 1
            if max_messages is not None and received >= max_messages:
                break
    finally:
        responses.cancel()


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Call a unary or server-streaming gRPC method using server reflection only."
    )
    parser.add_argument("address", help="server address, HOST:PORT")
    parser.add_argument(
        "method",
        nargs="?",
        help="package.Service/Method; without it, list the services and their methods",
    )
    parser.add_argument("request", nargs="?", default="{}", help="request as JSON (default {})")
    parser.add_argument(
        "--max-messages",
        type=int,
        metavar="N",
        help="stop a server stream after N messages (exits 0)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="deadline for the call (default: 30 s for unary calls, none for streams)",
    )
    parser.add_argument(
        "-H",
        "--metadata",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="request metadata (repeatable)",
    )
    parser.add_argument(
        "--include-defaults",
        action="store_true",
        help="also print fields that hold their default value",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.max_messages is not None and args.max_messages < 1:
        parser.error("--max-messages must be at least 1")

    try:
        metadata = parse_metadata(args.metadata)
        with grpc.insecure_channel(args.address) as channel:
            db = ReflectionDatabase(channel)
            pool = descriptor_pool.DescriptorPool(db)
            if args.method is None:
                list_services(db, pool)
                return 0
            method = find_method(pool, args.method)
            timeout = args.timeout
            if timeout is None and not method.server_streaming:
                timeout = 30.0
            call(
                channel,
                pool,
                method,
                args.request,
                timeout,
                metadata,
                args.max_messages,
                args.include_defaults,
            )
    except ClientError as err:
        fail(err.code, err.details)
    except grpc.RpcError as err:  # raised by reflection lookups and by the call itself
        code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
        details = err.details() if hasattr(err, "details") else str(err)
        fail(code, details or "")
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
