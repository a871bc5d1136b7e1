"""The data migration that loads Seoul's 25 gu and 은평구's dongs and regions."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from chatdong.areas.models import Dong, Gu, Region
from chatdong.areas.seoul import EUNPYEONG_DONGS, EUNPYEONG_GU_CODE, EUNPYEONG_REGIONS, SEOUL_GU

pytestmark = pytest.mark.django_db

MIGRATION = "0002_seoul_reference_areas"


def run_migration():
    """Run the migration's forward function again (it is idempotent). The test database has
    it applied already, but a transactional test in an earlier --reuse-db run may have
    flushed its rows."""
    importlib.import_module(f"chatdong.areas.migrations.{MIGRATION}").load(apps, None)


def test_migration_is_applied():
    assert ("areas", MIGRATION) in MigrationRecorder(connection).applied_migrations()


def test_all_25_gu_with_official_codes():
    run_migration()
    gu = dict(Gu.objects.filter(code__in=[c for c, _ in SEOUL_GU]).values_list("code", "name"))
    assert len(gu) == 25
    assert gu["11110"] == "종로구"
    assert gu["11140"] == "중구"
    assert gu["11380"] == "은평구"
    assert gu["11680"] == "강남구"
    assert gu["11740"] == "강동구"
    assert len(set(gu.values())) == 25
    assert all(len(code) == 5 and code.startswith("11") for code in gu)


def test_eunpyeong_has_its_16_dongs_in_5_regions():
    run_migration()
    eunpyeong = Gu.objects.get(code=EUNPYEONG_GU_CODE)
    dongs = Dong.objects.filter(gu=eunpyeong, code__in=[c for c, _ in EUNPYEONG_DONGS])
    assert dongs.count() == 16
    assert set(dongs.values_list("name", flat=True)) == {
        "녹번동", "불광1동", "불광2동", "갈현1동", "갈현2동", "구산동", "대조동", "응암1동",
        "응암2동", "응암3동", "역촌동", "신사1동", "신사2동", "증산동", "수색동", "진관동",
    }
    assert dongs.get(name="불광1동").code == "1138052000"
    assert all(len(code) == 10 and code.startswith("11380") for code in dongs.values_list("code", flat=True))

    regions = Region.objects.filter(gu=eunpyeong, name__in=[name for name, _, _ in EUNPYEONG_REGIONS])
    assert regions.count() == 5
    members = {r.name: set(r.dongs.values_list("name", flat=True)) for r in regions}
    assert members["1권역"] == {"녹번동", "불광1동", "응암1동"}
    assert members["2권역"] == {"역촌동", "신사1동", "신사2동"}
    assert members["3권역"] == {"응암2동", "응암3동", "증산동", "수색동"}
    assert members["4권역"] == {"갈현2동", "구산동", "대조동"}
    assert members["5권역"] == {"갈현1동", "불광2동", "진관동"}
    assert not dongs.filter(region__isnull=True).exists()


def test_migration_is_idempotent_and_repairs_renamed_rows():
    run_migration()
    counts = (Gu.objects.count(), Region.objects.count(), Dong.objects.count())
    Gu.objects.filter(code="11110").update(name="종로구(옛)")
    Dong.objects.filter(code="1138052000").update(region=None)

    run_migration()

    assert (Gu.objects.count(), Region.objects.count(), Dong.objects.count()) == counts
    assert Gu.objects.get(code="11110").name == "종로구"
    assert Dong.objects.get(code="1138052000").region.name == "1권역"
