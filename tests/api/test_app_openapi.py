"""Schemathesis over /openapi.json with an admin key: every operation answers only what its OpenAPI
entry documents (status, content type, schema), and never a server error. A bounded number of
examples per operation keeps it a few seconds of the suite."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from insight.api.errors import status_for

EXAMPLES = 12  # per operation: the whole run stays a few seconds


def test_every_operation_answers_as_documented(shared_service) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", shared_service.client.app)
    admin = shared_service.headers("admin")
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking keys last, so the admin key is still valid for the other operations.
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers={**(case.headers or {}), **admin})

        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - every operation's failure, reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert len(operations) >= 15
    assert failures == []


def test_every_keyed_operation_documents_its_coded_errors(shared_service) -> None:  # type: ignore[no-untyped-def]
    spec = shared_service.client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert "500" in documented, (method, path)
            if path != "/healthz":
                assert {"400", "401", "413"} <= documented, (method, path)
            for code in documented - {"200", "201", "202", "422"}:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, code)
    assert status_for("E709") == 500 and status_for("E710") == 413
