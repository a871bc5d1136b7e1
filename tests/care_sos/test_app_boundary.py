"""Care SOS is a sibling app inside the `cases` package: its own label, the tables it always
had, and no upward import from the households part (which learns about Care SOS only through
what Care SOS registers at ready())."""

import ast
from pathlib import Path

from django.apps import apps

import cases

CASES_DIR = Path(cases.__file__).parent
# `cases/urls.py` assembles the sibling apps' URLs under /cases/; the 2026 seeds migration
# calls the Care SOS seeds (history: it ran before Care SOS had its own app).
MAY_IMPORT_SIBLINGS = {"urls.py", "migrations/0004_care_sos_seeds.py"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_households_part_never_imports_care_sos():
    offenders = []
    for path in sorted(CASES_DIR.rglob("*.py")):
        relative = path.relative_to(CASES_DIR).as_posix()
        if relative.startswith("care_sos/") or relative in MAY_IMPORT_SIBLINGS:
            continue
        if any(name == "cases.care_sos" or name.startswith("cases.care_sos.") for name in _imports(path)):
            offenders.append(relative)
    assert offenders == []


def test_care_sos_is_its_own_app_over_the_tables_it_always_had():
    config = apps.get_app_config("care_sos")
    assert config.name == "cases.care_sos"
    models = list(config.get_models(include_auto_created=True))
    assert len(models) == 11  # nine models and the two many-to-many tables of a request
    assert {model._meta.db_table for model in models} == {
        "cases_approval", "cases_careassessment", "cases_careplan", "cases_careplanline", "cases_careprovider",
        "cases_carerequest", "cases_carerequestevent", "cases_caresoswarning", "cases_servicedelivery",
        "cases_carerequest_care_managers", "cases_carerequest_visited_by",
    }
    assert not [m for m in apps.get_app_config("cases").get_models() if m._meta.db_table in
                {model._meta.db_table for model in models}]
