"""The OpenAPI document lists the error answers of every operation, so generated clients
and the fuzz in tests/reliability know every status they can get."""

from dingdan.api_v1 import api

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}


def test_every_authenticated_operation_documents_the_usual_errors_in_the_one_format():
    schema = api.get_openapi_schema()
    missing = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                continue
            responses = {str(code): answer for code, answer in operation["responses"].items()}
            lacking = {"400", "401", "403", "404", "422"} - set(responses)
            wrong = [
                code for code, answer in responses.items() if code >= "400"
                and answer["content"]["application/json"]["schema"] != ERROR_SCHEMA
            ]
            if lacking or wrong:
                missing[f"{method.upper()} {path}"] = sorted(lacking | set(wrong))
    assert missing == {}, "declare them with dingdan.api.errors.with_errors"


def test_the_error_format_is_described_once():
    body = api.get_openapi_schema()["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["code", "message", "fields"]
    assert body["properties"]["fields"]["additionalProperties"] == {"type": "string"}
