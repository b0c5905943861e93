"""Where the demo's travellers say they will stay for the next 14 days (the declaration card's address), and their
phone. Real streets, mostly in Beijing; a few the router must queue: an ambiguous district, a city with no partner
agency in the demo, a blank."""

from __future__ import annotations

import random

ADDRESSES = (  # address, weight
    ("北京市朝阳区建国路88号", 14),
    ("北京市朝阳区望京街10号", 10),
    ("北京市海淀区中关村大街27号", 10),
    ("北京市东城区王府井大街138号", 8),
    ("北京市西城区金融大街7号", 6),
    ("北京市顺义区后沙峪镇裕民大街1号", 8),
    ("上海市浦东新区世纪大道100号", 8),
    ("广州市天河区天河路385号", 6),
    ("深圳市南山区深南大道10000号", 5),
    ("天津市和平区南京路189号", 4),  # no partner agency for Tianjin in the demo
    ("朝阳区建国门外大街1号", 4),  # Beijing's Chaoyang or Changchun's?
    ("", 3),  # left blank
)


def stay_address(key: str) -> str | None:
    """The same address for everyone of a booking (a family stays together), chosen without touching other draws."""
    rng = random.Random(key)
    address = rng.choices([a for a, _ in ADDRESSES], weights=[w for _, w in ADDRESSES])[0]
    return address or None


def phone(key: str) -> str:
    rng = random.Random(f"phone:{key}")
    return f"+86 1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
