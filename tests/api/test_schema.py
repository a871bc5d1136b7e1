"""The OpenAPI schema validates without warnings and documents every field and parameter."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from chatdong.accounts.roles import Role


def _schema(tmp_path) -> dict:
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns every drf-spectacular warning (unresolvable type, enum clash…) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    return _schema(tmp_path_factory.mktemp("schema"))


def _properties(schema_obj: dict, components: dict, path: str):
    """Yield (path, property schema) for every property, following $refs into components once."""
    for name, prop in (schema_obj.get("properties") or {}).items():
        yield f"{path}.{name}", prop
        items = prop.get("items") or {}
        if "properties" in items:
            yield from _properties(items, components, f"{path}.{name}[]")


def test_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/households/", "/api/v1/residents/{id}/", "/api/v1/contacts/", "/api/v1/reports/{id}/"):
        assert path in schema["paths"]


def test_every_component_field_has_a_description(schema):
    components = schema["components"]["schemas"]
    missing = []
    for comp_name, comp in components.items():
        if "enum" in comp:
            # drf-spectacular's own BlankEnum/NullEnum ("" / null) are explained on the property.
            if comp_name not in {"BlankEnum", "NullEnum"}:
                assert comp.get("description"), f"enum {comp_name} has no description"
            continue
        for path, prop in _properties(comp, components, comp_name):
            if not prop.get("description"):
                missing.append(path)
    assert not missing, f"fields without a description: {missing}"


def test_every_parameter_has_a_description(schema):
    missing = [
        f"{method.upper()} {path} {param['name']}"
        for path, item in schema["paths"].items()
        for method, op in item.items()
        for param in op.get("parameters", [])
        if not param.get("description")
    ]
    assert not missing, missing


def test_enums_document_their_korean_labels(schema):
    components = schema["components"]["schemas"]
    tier = components["RiskTierEnum"]
    assert tier["enum"] == ["high", "watch", "concern", "closed", "none"]
    assert "`high` - 위험" in tier["description"]
    assert "`visit` - 방문" in components["ContactModeEnum"]["description"]


def test_resident_schema_has_masked_rrn_only(schema):
    props = schema["components"]["schemas"]["ResidentOutput"]["properties"]
    assert "rrn_masked" in props
    assert not {"rrn_ciphertext", "rrn_index", "rrn"} & set(props)


def test_every_operation_has_a_summary_and_documents_errors(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert op.get("summary"), f"{method} {path}"
            if path.startswith("/api/v1/") and op["operationId"] != "auth_token_create":
                assert "401" in op["responses"], f"{method} {path}"


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(make_user):
    client = APIClient()
    client.force_login(make_user(Role.PLANNER))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower() and "jsdelivr" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
