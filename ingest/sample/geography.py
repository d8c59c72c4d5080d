"""The fictional district: townships (街道/镇/乡) and villages with area class and population.

A *unit* is ten townships (6 街道, 2 镇, 2 乡) holding about 195 k residents in urban areas
(11x+12x) and 121 k in rural areas (2xx) times the scale's population factor; the district
scale is one unit, larger scales repeat it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DISTRICT_CODE = "990102000000"
DISTRICT_NAME = "云栖区"
UNIT_URBAN, UNIT_RURAL = 195_000, 121_000
KINDS = ("街道",) * 6 + ("镇",) * 2 + ("乡",) * 2

A = "东西南北青白金石柳桃杏梅松竹兰荷云霞星月龙凤鹤鹿泉溪湖河江山岭岗坪塘桥湾洲坝丰安宁平和兴隆福寿康"
B = "城关门桥湖山河阳华川林园溪浦口滨岭坪塘湾泉冈台集店铺庄营堡寨田畈湖港渡洲源峰亭阁"
C = "新光明红胜利前进和平幸福团结民主友谊建设跃进向阳"


@dataclass
class Village:
    code: str
    name: str
    urc: str  # urban-rural code 111..220
    resident: int = 0
    registered: int = 0

    @property
    def area(self) -> str:  # city | town | rural
        return {"11": "city", "12": "town"}.get(self.urc[:2], "rural")

    @property
    def urban_area(self) -> bool:
        return self.urc[0] == "1"


@dataclass
class Township:
    index: int
    code: str
    name: str
    kind: str
    villages: list[Village] = field(default_factory=list)

    def pop(self, urban: bool | None = None) -> int:
        return sum(v.resident for v in self.villages if urban is None or v.urban_area == urban)


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights summing exactly to total (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def build(seed: int, units: int, pop_factor: float) -> list[Township]:
    rng = random.Random(f"{seed}:geography")
    names = list(dict.fromkeys(a + b for a in A for b in B if a != b))  # unique
    rng.shuffle(names)
    townships = []
    for u in range(units):
        unit = []
        for k, kind in enumerate(KINDS):
            i = u * len(KINDS) + k
            code = f"{DISTRICT_CODE[:6]}{i + 1:03d}000"
            t = Township(i, code, names[i] + kind, kind)
            t.villages = _villages(rng, code, kind)
            unit.append(t)
        urban = [v for t in unit for v in t.villages if v.urban_area]
        rural = [v for t in unit for v in t.villages if not v.urban_area]
        for group, total in ((urban, UNIT_URBAN), (rural, UNIT_RURAL)):
            sizes = _split(round(total * pop_factor), [rng.uniform(0.5, 1.5) for _ in group])
            for v, n in zip(group, sizes, strict=True):
                v.resident = n
                ratio = rng.uniform(0.8, 1.05) if v.urban_area else rng.uniform(1.0, 1.25)
                v.registered = round(n * ratio)
        townships.extend(unit)
    return townships


def _villages(rng: random.Random, tcode: str, kind: str) -> list[Village]:
    plan: list[tuple[str, str]] = []  # (urc, 社区|村)
    if kind == "街道":
        n = rng.randint(11, 16)
        plan = [("111" if rng.random() < 0.75 else "112", "社区") for _ in range(n)]
    elif kind == "镇":
        plan = [("121", "社区") for _ in range(rng.randint(3, 5))]
        plan += [("122", "社区") for _ in range(rng.randint(2, 4))]
        plan += [("220", "村") for _ in range(rng.randint(9, 14))]
    else:
        plan = [("210", "社区")] + [("220", "村") for _ in range(rng.randint(11, 16))]
    if kind == "镇" and rng.random() < 0.5:
        plan.append(("123", "社区"))
    vnames = list(dict.fromkeys(a + b for a in A + C for b in B))
    rng.shuffle(vnames)
    out, n_comm, n_vill = [], 0, 0
    for j, (urc, suffix) in enumerate(plan):
        if suffix == "社区":
            n_comm += 1
            vcode = f"{n_comm:03d}"
        else:
            n_vill += 1
            vcode = f"{200 + n_vill:03d}"
        out.append(Village(tcode[:9] + vcode, vnames[j] + suffix, urc))
    return out
