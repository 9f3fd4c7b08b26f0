import pytest
from django.utils import translation

from dingdan.chains.catalogs import catalog_from_csv
from dingdan.chains.parsing.matching import Catalog

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
    return catalog_from_csv(CATALOG_CSV)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source text.
    with translation.override("en"):
        yield


# -- group-buy campaigns (database) -----------------------------------------------------


@pytest.fixture
def shop(db):
    from tests import factories

    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", price_cents=3990,
                       stock=100, aliases=["奶油草莓"])
    factories.make_sku(shop, "STRAW-1000", name="草莓", spec="1kg", price_cents=6990, stock=100)
    factories.make_sku(shop, "BLUE-125", name="蓝莓", spec="125g", price_cents=1990, stock=100)
    factories.make_sku(shop, "MILK-12", name="纯牛奶", spec="12盒", price_cents=5800, stock=100,
                       aliases=["牛奶"])
    return shop


@pytest.fixture
def campaign(shop):
    from tests.chains.campaigns import make_campaign

    return make_campaign(shop)
