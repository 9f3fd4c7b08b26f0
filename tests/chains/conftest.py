import pytest
from django.utils import translation

from dingdan.chains.matching import Catalog

# The shared example catalog, written out so these tests stand on their own.
CATALOG_CSV = """\
sku,name,spec,aliases,price_cents
STRAW-500,草莓,500g,丹东草莓|奶油草莓,3990
BLUE-125,蓝莓,125g,,1990
MANGO-5,芒果,5斤装,小台芒|台芒,4500
FAMILY,家庭套餐,,,6900
SINGLE,单人套餐,,,2900
EGG-30,土鸡蛋,30枚,鸡蛋,4200
MILK-12,纯牛奶,12盒,牛奶,5800
RICE-5,五常大米,5kg,大米,8800
CAKE-6,生日蛋糕,6寸,蛋糕,12800
CAKE-8,生日蛋糕,8寸,蛋糕,16800
COURSE-EN,英语体验课,,体验课,9900
"""
PICKUP_POINTS = ["阳光小区东门", "幸福里南门"]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.from_csv(CATALOG_CSV)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source text.
    with translation.override("en"):
        yield
