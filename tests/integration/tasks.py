"""Tasks that exist only for the integration tests (the worker loads them with --include)."""

from chatdong.celery import app


@app.task(name="tests.integration.database_probe")
def database_probe(dong_code: str) -> dict:
    """Which database the worker uses, and whether it sees a row the test committed."""
    from django.db import connection

    from chatdong.areas.models import Dong

    return {
        "database": connection.settings_dict["NAME"],
        "dong_name": Dong.objects.filter(code=dong_code).values_list("name", flat=True).first(),
    }
