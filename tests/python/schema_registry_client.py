"""Drives a schema registry with Confluent's own Python client (confluent-kafka's
SchemaRegistryClient), the way an application would, and checks every answer.

    schema_registry_client.py URL SUBJECT

Prints one JSON object with what it observed on stdout and exits 0, or exits 1 with
the failed check on stderr. Used by tests/tests/schema_registry_python.rs.
"""

import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = {
    "type": "record",
    "name": "Payment",
    "namespace": "com.example",
    "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "double"}],
}
V2 = dict(V1, fields=V1["fields"] + [{"name": "currency", "type": "string", "default": "EUR"}])
V2_NO_DEFAULT = dict(V1, fields=V1["fields"] + [{"name": "currency", "type": "string"}])
# V2 without `amount`: new readers are fine, V2 readers miss a field they need (FULL).
V3_DROPS_AMOUNT = dict(V1, fields=[V1["fields"][0], V2["fields"][2]])


def avro(schema, indent=None):
    return Schema(json.dumps(schema, indent=indent), "AVRO")


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(call, http_status, error_code, what):
    try:
        call()
    except SchemaRegistryError as err:
        check(
            err.http_status_code == http_status and err.error_code == error_code,
            f"{what}: got HTTP {err.http_status_code} / {err.error_code}: {err.error_message}",
        )
        return err.error_message
    raise AssertionError(f"{what}: no error raised")


def main(url, subject):
    client = SchemaRegistryClient({"url": url})
    observed = {}

    id1 = client.register_schema(subject, avro(V1))
    observed["id1"] = id1
    # Another client (no cache), the same schema laid out differently: the same id.
    fresh = SchemaRegistryClient({"url": url})
    check(fresh.register_schema(subject, avro(V1, indent=2)) == id1, "re-registering gives the same id")

    fetched = fresh.get_schema(id1)
    check(json.loads(fetched.schema_str) == V1, f"get_schema returns the schema: {fetched.schema_str}")
    check(fetched.schema_type == "AVRO", f"schema type: {fetched.schema_type}")

    latest = fresh.get_latest_version(subject)
    check(latest.version == 1 and latest.schema_id == id1, f"latest version: {latest}")
    check(fresh.get_versions(subject) == [1], "versions")
    check(subject in fresh.get_subjects(), "subjects")
    check(fresh.get_schema_types() == ["AVRO"], "schema types")

    looked_up = fresh.lookup_schema(subject, avro(V1))
    check(looked_up.schema_id == id1 and looked_up.version == 1 and looked_up.subject == subject, f"lookup: {looked_up}")
    expect_error(lambda: fresh.lookup_schema(subject, avro(V2)), 404, 40403, "lookup of an unregistered schema")

    check(fresh.test_compatibility(subject, avro(V2)) is True, "adding a field with a default is compatible")
    check(fresh.test_compatibility(subject, avro(V2_NO_DEFAULT)) is False, "adding a field without default is not")
    check(fresh.test_compatibility_all_versions(subject, avro(V2)) is True, "compatible with all versions")

    check(fresh.get_compatibility() == "BACKWARD", "the global default is BACKWARD")
    fresh.set_compatibility(subject_name=subject, level="FULL")
    check(fresh.get_compatibility(subject) == "FULL", "subject level set to FULL")

    id2 = fresh.register_schema(subject, avro(V2))
    observed["id2"] = id2
    check(id2 != id1, "a new schema gets a new id")
    check(fresh.get_version(subject, 2).schema_id == id2, "version 2")
    message = expect_error(
        lambda: fresh.register_schema(subject, avro(V3_DROPS_AMOUNT)), 409, 409, "an incompatible schema"
    )
    check("READER_FIELD_MISSING_DEFAULT_VALUE" in message, f"the refusal says why: {message}")
    expect_error(lambda: fresh.get_version(subject, 9), 404, 40402, "an unknown version")
    expect_error(lambda: fresh.get_schema(987654), 404, 40403, "an unknown id")

    observed["soft_deleted"] = fresh.delete_subject(subject)
    check(subject not in fresh.get_subjects(), "a soft-deleted subject is not listed")
    check(subject in fresh.get_subjects(deleted=True), "unless asked for deleted ones")
    observed["hard_deleted"] = fresh.delete_subject(subject, permanent=True)
    expect_error(lambda: fresh.get_versions(subject), 404, 40401, "a deleted subject")

    print(json.dumps(observed))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2])
    except AssertionError as err:
        print(f"check failed: {err}", file=sys.stderr)
        sys.exit(1)
