import pytest
from import_export.formats.base_formats import CSV

from chatdong.policy.admin import MedianIncomeResource
from chatdong.policy.models import MedianIncome
from chatdong.policy.seeds import load_median_income, read_median_income_csv
from chatdong.policy.selectors import ThresholdMissing, income_ratio, median_income

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "size", "krw"),
    [
        (2015, 1, 1_562_337),
        (2018, 7, 7_027_359),
        (2020, 4, 4_749_174),
        (2022, 7, 7_780_592),
        (2023, 4, 5_400_964),
        (2024, 1, 2_228_445),
        (2024, 4, 5_729_913),
        (2025, 4, 6_097_773),
        (2026, 6, 8_555_952),
    ],
)
def test_shipped_table(year, size, krw):
    assert median_income(year=year, household_size=size) == krw


def test_every_shipped_row_has_a_source():
    assert MedianIncome.objects.count() == len(read_median_income_csv())
    assert not MedianIncome.objects.filter(source="").exists()
    assert "보건복지부" in MedianIncome.objects.get(year=2024, household_size=4).source


def test_sizes_above_seven_add_the_six_to_seven_step():
    # 2024: 7인 8,514,994 + (8,514,994 − 7,618,369) per extra person.
    assert median_income(year=2024, household_size=8) == 9_411_619
    assert median_income(year=2024, household_size=10) == 8_514_994 + 3 * 896_625
    # 2020: the published 8-person figure is 8,273,062 — the rule reproduces it.
    assert median_income(year=2020, household_size=8) == 8_273_062


def test_a_year_without_the_seven_person_figure_does_not_guess():
    with pytest.raises(ThresholdMissing, match="2025년 7인 가구"):
        median_income(year=2025, household_size=7)
    with pytest.raises(ThresholdMissing, match="2025년 8인 가구"):
        median_income(year=2025, household_size=8)


def test_unsourced_year_is_missing():
    with pytest.raises(ThresholdMissing, match="2019년 기준중위소득이 등록되어 있지 않습니다"):
        median_income(year=2019, household_size=1)


def test_income_ratio():
    assert income_ratio(monthly_income_krw=1_114_223, year=2024, household_size=1) == 50.0


def test_loading_again_changes_nothing_and_keeps_admin_edits():
    MedianIncome.objects.filter(year=2024, household_size=1).update(monthly_krw=2_228_446, source="관리자 수정")
    assert load_median_income() == (0, 0)
    assert median_income(year=2024, household_size=1) == 2_228_446
    assert load_median_income(update=True) == (0, 1)
    assert median_income(year=2024, household_size=1) == 2_228_445


def test_csv_import_through_the_admin_resource_upserts_by_year_and_size():
    data = (
        "year,household_size,monthly_krw,source\n"
        "2030,1,3000000,시험용 값\n"
        "2024,1,2228445,보건복지부 고시 2024년 기준 중위소득\n"
    )
    dataset = CSV().create_dataset(data)
    result = MedianIncomeResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert median_income(year=2030, household_size=1) == 3_000_000
    assert MedianIncome.objects.filter(year=2024, household_size=1).count() == 1
    assert MedianIncome.objects.get(year=2024, household_size=1).source == "보건복지부 고시 2024년 기준 중위소득"
