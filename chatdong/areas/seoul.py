"""Reference data for the map: Seoul's 25 gu, and 은평구's dongs and regions (권역).

Codes are the official 행정표준코드 of the Ministry of the Interior and Safety: 5 digits for a
gu (자치구 code, e.g. 종로구 11110) and 10 digits for an administrative dong (행정동 code,
e.g. 은평구 녹번동 1138051000). The regions are those of 은평구's public–private network plan
(동단위 민관협력 네트워크, 5개 권역 — DOMAIN §2). The data migration
`areas.0002_seoul_reference_areas` loads all of it; `load_reference_areas` is idempotent, so
running it again (seed_demo, generate_city) only fills what is missing or changed.
"""

SEOUL_GU: tuple[tuple[str, str], ...] = (
    ("11110", "종로구"),
    ("11140", "중구"),
    ("11170", "용산구"),
    ("11200", "성동구"),
    ("11215", "광진구"),
    ("11230", "동대문구"),
    ("11260", "중랑구"),
    ("11290", "성북구"),
    ("11305", "강북구"),
    ("11320", "도봉구"),
    ("11350", "노원구"),
    ("11380", "은평구"),
    ("11410", "서대문구"),
    ("11440", "마포구"),
    ("11470", "양천구"),
    ("11500", "강서구"),
    ("11530", "구로구"),
    ("11545", "금천구"),
    ("11560", "영등포구"),
    ("11590", "동작구"),
    ("11620", "관악구"),
    ("11650", "서초구"),
    ("11680", "강남구"),
    ("11710", "송파구"),
    ("11740", "강동구"),
)

# The demo gu: every real dong and region of it is in the reference data.
EUNPYEONG_GU_CODE = "11380"

EUNPYEONG_DONGS: tuple[tuple[str, str], ...] = (
    ("1138051000", "녹번동"),
    ("1138052000", "불광1동"),
    ("1138053000", "불광2동"),
    ("1138055100", "갈현1동"),
    ("1138055200", "갈현2동"),
    ("1138056000", "구산동"),
    ("1138057000", "대조동"),
    ("1138058000", "응암1동"),
    ("1138059000", "응암2동"),
    ("1138060000", "응암3동"),
    ("1138062500", "역촌동"),
    ("1138063100", "신사1동"),
    ("1138063200", "신사2동"),
    ("1138064000", "증산동"),
    ("1138065000", "수색동"),
    ("1138069000", "진관동"),
)

# 권역 → member dongs, with the welfare centre that leads each region (seed 004, 2021 plan).
EUNPYEONG_REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("1권역", "녹번종합사회복지관", ("녹번동", "불광1동", "응암1동")),
    ("2권역", "신사종합사회복지관", ("역촌동", "신사1동", "신사2동")),
    ("3권역", "은평종합사회복지관", ("응암2동", "응암3동", "증산동", "수색동")),
    ("4권역", "서부장애인종합복지관", ("갈현2동", "구산동", "대조동")),
    ("5권역", "시립은평노인종합복지관", ("갈현1동", "불광2동", "진관동")),
)


def load_reference_areas(Gu, Region, Dong) -> None:  # noqa: N803 - model classes (historical in migrations)
    """Upsert the 25 gu and 은평구's dongs and regions. Safe to run any number of times."""
    gu_by_code = {}
    for code, name in SEOUL_GU:
        gu_by_code[code], _ = Gu.objects.update_or_create(code=code, defaults={"name": name})
    eunpyeong = gu_by_code[EUNPYEONG_GU_CODE]
    region_of_dong = {}
    for name, _lead, dong_names in EUNPYEONG_REGIONS:
        region, _ = Region.objects.get_or_create(gu=eunpyeong, name=name)
        for dong_name in dong_names:
            region_of_dong[dong_name] = region
    for code, name in EUNPYEONG_DONGS:
        Dong.objects.update_or_create(
            code=code, defaults={"gu": eunpyeong, "name": name, "region": region_of_dong[name]}
        )
