"""Places for generated data: 은평구 road names, addresses by housing type, tongs per dong."""

import itertools
import random

from cases.models import HousingType, Tenure

# Road-name addresses (도로명주소) of 은평구, by dong: main roads and their numbered side
# streets (…로N길). A dong not listed draws from the whole gu.
EUNPYEONG_ROADS: dict[str, tuple[str, ...]] = {
    "녹번동": ("통일로", "은평로", "은평터널로"),
    "불광1동": ("진흥로", "연서로", "불광로", "통일로"),
    "불광2동": ("불광로", "통일로", "연서로"),
    "갈현1동": ("갈현로", "서오릉로", "연서로"),
    "갈현2동": ("갈현로", "연서로"),
    "구산동": ("연서로", "서오릉로", "갈현로"),
    "대조동": ("연서로", "통일로", "서오릉로"),
    "응암1동": ("응암로", "은평로", "백련산로"),
    "응암2동": ("응암로", "가좌로", "은평로"),
    "응암3동": ("응암로", "백련산로", "가좌로"),
    "역촌동": ("서오릉로", "역말로", "진흥로"),
    "신사1동": ("은평로", "증산로", "가좌로"),
    "신사2동": ("은평로", "응암로"),
    "증산동": ("증산로", "수색로"),
    "수색동": ("수색로", "증산로"),
    "진관동": ("진관1로", "진관2로", "진관3로", "진관4로", "통일로", "연서로"),
}
ALL_EUNPYEONG_ROADS = tuple(sorted({road for roads in EUNPYEONG_ROADS.values() for road in roads}))

APARTMENT_NAMES = (
    "은평뉴타운", "백련산힐스테이트", "녹번역e편한세상", "북한산힐스테이트", "불광롯데캐슬", "응암푸르지오",
    "신사현대", "진관우물골", "상림마을", "박석고개", "구파발", "수색자이",
)
GOSIWON_NAMES = ("행복고시원", "은평하우스", "연신내리빙텔", "불광고시텔", "새터고시원")


def street(rng: random.Random, roads: tuple[str, ...]) -> str:
    """'진흥로15길 10'-style street address: a road, often a numbered side street, a number."""
    road = roads[int(rng.random() * len(roads))]
    if not road.startswith("진관") and rng.random() < 0.7:
        road = f"{road}{int(rng.random() * 40) + 1}길"
    return f"{road} {int(rng.random() * 150) + 1}"


def address_detail(rng: random.Random, housing_type: str) -> str:
    """The unit part of an address (동·호수, 층) for a housing type."""
    if housing_type in (HousingType.APARTMENT, HousingType.RENTAL_APARTMENT):
        return f"{rng.randint(101, 115)}동 {rng.randint(1, 18)}{rng.randint(1, 4):02d}호"
    if housing_type == HousingType.SEMI_BASEMENT:
        return f"지하 {rng.randint(1, 3):02d}호"
    if housing_type == HousingType.ROOFTOP:
        return "옥탑"
    if housing_type == HousingType.GOSIWON:
        return f"{rng.choice(GOSIWON_NAMES)} {rng.randint(2, 4)}층 {rng.randint(1, 30)}호"
    if housing_type in (HousingType.MULTI_FAMILY, HousingType.ONE_ROOM):
        return f"{rng.randint(1, 4)}0{rng.randint(1, 4)}호"
    return ""


# Tenure by housing type: (tenure, weight).
TENURE_BY_HOUSING = {
    HousingType.APARTMENT: ((Tenure.OWNED, 55), (Tenure.JEONSE, 30), (Tenure.MONTHLY_RENT, 15)),
    HousingType.RENTAL_APARTMENT: ((Tenure.PUBLIC_RENTAL, 100),),
    HousingType.GOSIWON: ((Tenure.MONTHLY_RENT, 100),),
    HousingType.ROOFTOP: ((Tenure.MONTHLY_RENT, 80), (Tenure.JEONSE, 15), (Tenure.RENT_FREE, 5)),
    HousingType.SEMI_BASEMENT: ((Tenure.MONTHLY_RENT, 65), (Tenure.JEONSE, 25), (Tenure.OWNED, 10)),
    HousingType.MULTI_FAMILY: ((Tenure.MONTHLY_RENT, 40), (Tenure.JEONSE, 35), (Tenure.OWNED, 25)),
    HousingType.ONE_ROOM: ((Tenure.MONTHLY_RENT, 75), (Tenure.JEONSE, 25)),
    HousingType.DETACHED: ((Tenure.OWNED, 60), (Tenure.MONTHLY_RENT, 20), (Tenure.JEONSE, 15), (Tenure.RENT_FREE, 5)),
    HousingType.OTHER: ((Tenure.MONTHLY_RENT, 50), (Tenure.RENT_FREE, 30), (Tenure.OTHER, 20)),
}
RENTING = frozenset({Tenure.MONTHLY_RENT, Tenure.JEONSE, Tenure.PUBLIC_RENTAL})


_TENURE_CHOICES = {
    housing: ([t for t, _ in options], list(itertools.accumulate(w for _, w in options)))
    for housing, options in TENURE_BY_HOUSING.items()
}


def tenure_for(rng: random.Random, housing_type: str) -> str:
    tenures, cumulative = _TENURE_CHOICES[housing_type]
    return rng.choices(tenures, cum_weights=cumulative)[0]


def tong_plan(dong_code: str) -> list[tuple[int, int]]:
    """The tongs of a dong as (number, ban count): 15–30 tongs of 4–12 bans each.

    Seeded by the dong code alone, so seed_demo and generate_city agree on every dong.
    """
    rng = random.Random(f"tongs:{dong_code}")
    return [(number, rng.randint(4, 12)) for number in range(1, rng.randint(15, 30) + 1)]
