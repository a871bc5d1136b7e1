"""A household's economic situation and lonely-death risk tier from its members (DOMAIN §3).

Shared by seed_demo and generate_city so both produce the same kind of caseload: benefits
follow income (as a % of the standard median income), arrears and cut-offs cluster in poor
renting households, and the tier follows the 수영구 manual's rules of thumb.
"""

import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from cases.models import Arrear, Benefit, CareGrade, Cutoff, Disability, Relation, RiskTier, Tenure
from chatdong.demo.places import RENTING

SEVERE_CARE_GRADES = frozenset({CareGrade.G1, CareGrade.G2, CareGrade.G3})


@dataclass
class Member:
    """A generated person before it becomes a Resident row."""

    relation: str
    age: int
    sex: str
    disability: str = Disability.NONE
    care_grade: str = CareGrade.NONE
    health_notes: str = ""

    @property
    def elderly(self) -> bool:
        return self.age >= 65

    @property
    def severe(self) -> bool:
        return self.disability == Disability.SEVERE or self.care_grade in SEVERE_CARE_GRADES


_CARE_GRADES = (CareGrade.G1, CareGrade.G2, CareGrade.G3, CareGrade.G4, CareGrade.G5, CareGrade.COGNITIVE)
_CARE_GRADE_CUM = tuple(itertools.accumulate((4, 8, 20, 35, 20, 13)))


def disability_and_care(rng: random.Random, age: int) -> tuple[str, str]:
    """장애 and 장기요양등급: rarer in the young, about one in ten of the over-65s has a grade."""
    roll = rng.random()
    disability_rate = 0.03 if age < 50 else 0.06 if age < 65 else 0.10
    if roll < disability_rate * 0.4:
        disability = Disability.SEVERE
    elif roll < disability_rate:
        disability = Disability.MILD
    else:
        disability = Disability.NONE
    care = CareGrade.NONE
    if age >= 65:
        roll = rng.random()
        rate = 0.05 if age < 75 else 0.15 if age < 85 else 0.35
        if roll < rate:
            care = rng.choices(_CARE_GRADES, cum_weights=_CARE_GRADE_CUM)[0]
        elif roll < rate + 0.02:
            care = CareGrade.OUTSIDE
    return disability, care


def income_ratio_for(rng: random.Random, members: list[Member]) -> Decimal:
    """Household income as a % of the median: lognormal around 100 %, lower for the old and alone."""
    median = 100.0
    if all(m.elderly for m in members):
        median = 45.0 if len(members) == 1 else 60.0
    elif len(members) == 1:
        median = 85.0
    ratio = rng.lognormvariate(0, 0.55) * median
    return Decimal(f"{min(ratio, 400.0):.1f}")


def benefits_for(rng: random.Random, *, income_ratio: Decimal, tenure: str, members: list[Member]) -> list[str]:
    """수급 by income band (생계 ≤32 %, 의료 ≤40 %, 주거 ≤48 %, 교육 ≤50 % of the median; 차상위 ≤50 %)."""
    ratio = float(income_ratio)
    minors = any(m.age < 20 for m in members)
    renting = tenure in RENTING
    benefits = []
    if ratio <= 32 and rng.random() < 0.85:
        benefits.append(Benefit.LIVELIHOOD)
    if ratio <= 40 and rng.random() < 0.85:
        benefits.append(Benefit.MEDICAL)
    if ratio <= 48 and renting and rng.random() < 0.8:
        benefits.append(Benefit.HOUSING)
    if ratio <= 50 and minors and Benefit.LIVELIHOOD in benefits:
        benefits.append(Benefit.EDUCATION)
    if not benefits and ratio <= 50 and rng.random() < 0.6:
        benefits.append(Benefit.NEAR_POOR)
    single_parent = minors and not any(m.relation == Relation.SPOUSE for m in members) and members[0].age < 60
    if single_parent and ratio <= 63 and rng.random() < 0.8:
        benefits.append(Benefit.SINGLE_PARENT)
    return benefits


def arrears_and_cutoffs(rng: random.Random, *, income_ratio: Decimal, tenure: str) -> tuple[list[str], list[str]]:
    """체납 is common among poor tenants; a quarter of those in arrears also face a cut-off."""
    rate = 0.25 if float(income_ratio) < 50 else 0.03
    arrears: list[str] = []
    if rng.random() < rate:
        options = [Arrear.UTILITIES, Arrear.HEALTH_INSURANCE, Arrear.MANAGEMENT_FEE]
        if tenure == Tenure.MONTHLY_RENT:
            options.append(Arrear.RENT)
        arrears = sorted(rng.sample(options, rng.randint(1, 2)))
    cutoffs: list[str] = []
    if arrears and rng.random() < 0.25:
        cutoffs = [rng.choice((Cutoff.ELECTRICITY, Cutoff.GAS, Cutoff.WATER))]
    return arrears, cutoffs


def risk_tier_for(
    rng: random.Random, *, members: list[Member], income_ratio: Decimal, benefits: list[str],
    arrears: list[str], cutoffs: list[str],
) -> str:
    """위험 / 주의 / 관심 / 종결 by the DOMAIN §3 table; most households are not classified."""
    ratio = float(income_ratio)
    alone = len(members) == 1
    severe = any(m.severe for m in members)
    elderly_only = all(m.elderly for m in members)
    if alone and (cutoffs or severe or (elderly_only and (ratio < 50 or members[0].care_grade != CareGrade.NONE))):
        return RiskTier.HIGH
    if len(members) == 2 and elderly_only and severe:
        return RiskTier.HIGH
    if arrears or (alone and (elderly_only or ratio < 50)):
        return RiskTier.WATCH if rng.random() < 0.7 else RiskTier.CONCERN
    if benefits:
        return RiskTier.CONCERN if rng.random() < 0.8 else RiskTier.NONE
    if rng.random() < 0.05:
        return RiskTier.CLOSED
    return RiskTier.NONE
