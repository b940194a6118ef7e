from django.core.management import call_command


def test_the_openapi_schema_generates_without_errors_or_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/estimator/estimates/", "/api/v1/governance/use-cases/{use_case_id}/approve/"):
        assert path in schema
