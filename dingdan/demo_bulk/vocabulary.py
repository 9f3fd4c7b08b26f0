"""The words a generated shop is made of: people's names, mainland mobile numbers, addresses,
products and what customers write in their notes. Everything is drawn from a seeded
`random.Random`, so the same seed builds the same shop."""

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Characters common in given names; a name is one or two of them.
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玲建国红梅文辉鹏飞宇浩然子涵"
    "欣怡梓萱一诺思雨嘉怡佳琪晨阳宇轩浩宇俊杰志强海燕丹丹晓东春花秋月冬梅雪莉婷婷亮亮"
)
MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 145 147 150 151 152 153 155 156 157 158 159 "
    "166 170 171 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
)

# province, city, districts
PLACES = (
    ("北京市", "北京市", ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区")),
    ("上海市", "上海市", ("浦东新区", "徐汇区", "静安区", "黄浦区", "闵行区", "杨浦区")),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区", "白云区", "番禺区")),
    ("广东省", "深圳市", ("南山区", "福田区", "罗湖区", "宝安区", "龙岗区")),
    ("浙江省", "杭州市", ("西湖区", "上城区", "拱墅区", "滨江区", "余杭区")),
    ("江苏省", "南京市", ("玄武区", "秦淮区", "鼓楼区", "建邺区", "江宁区")),
    ("江苏省", "苏州市", ("姑苏区", "工业园区", "吴中区", "相城区")),
    ("四川省", "成都市", ("锦江区", "青羊区", "武侯区", "成华区", "高新区")),
    ("湖北省", "武汉市", ("江岸区", "江汉区", "武昌区", "洪山区")),
    ("陕西省", "西安市", ("雁塔区", "碑林区", "新城区", "未央区")),
    ("重庆市", "重庆市", ("渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区")),
    ("福建省", "厦门市", ("思明区", "湖里区", "集美区")),
    ("山东省", "青岛市", ("市南区", "市北区", "崂山区", "黄岛区")),
    ("湖南省", "长沙市", ("岳麓区", "芙蓉区", "天心区", "开福区")),
    ("天津市", "天津市", ("和平区", "河西区", "南开区", "河东区")),
)
ROADS = _words("人民 解放 中山 建设 和平 新华 文化 幸福 长江 黄河 朝阳 光明 胜利 友谊 东风 青年")
ROAD_KINDS = ("路", "大道", "街")
ESTATES = _words("阳光 金色 翠湖 锦绣 华府 景苑 万科 碧桂园 绿地 龙湖 保利 恒大 世纪 名都")
ESTATE_KINDS = ("花园", "小区", "家园", "公寓", "城")

# category, SKU code, products, specs with their price factor, base price range (fen)
CATEGORIES = (
    ("水果", "SG", "草莓 蓝莓 芒果 车厘子 榴莲 葡萄 橙子 苹果 猕猴桃 荔枝 火龙果 柚子 山竹 樱桃 "
     "桃子 梨 哈密瓜 西瓜 菠萝 石榴", (("500g", 1.0), ("1kg", 1.9), ("2.5kg", 4.4)),
     (990, 6990)),
    ("蔬菜", "SC", "西红柿 黄瓜 菠菜 生菜 土豆 胡萝卜 西兰花 青椒 茄子 玉米 山药 莲藕 香菇 芦笋",
     (("500g", 1.0), ("1kg", 1.9)), (290, 1990)),
    ("肉禽蛋", "RQ", "土鸡蛋 猪五花 牛腩 羊排 鸡胸肉 鸭腿 牛排 排骨 鸡翅",
     (("500g", 1.0), ("1kg", 1.9), ("30枚", 2.2)), (1290, 9990)),
    ("海鲜", "HX", "大闸蟹 基围虾 三文鱼 带鱼 鲍鱼 扇贝 生蚝 小龙虾 黄鱼",
     (("500g", 1.0), ("1kg", 1.9), ("礼盒", 3.5)), (2990, 19900)),
    ("乳品", "RP", "鲜牛奶 酸奶 奶酪 黄油 奶油", (("1盒", 1.0), ("6盒装", 5.5), ("12盒装", 10.5)),
     (390, 2990)),
    ("烘焙", "HB", "奶油蛋糕 芝士蛋糕 提拉米苏 蛋黄酥 吐司 可颂 月饼 绿豆糕",
     (("6寸", 1.0), ("8寸", 1.5), ("4只装", 0.6)), (1990, 19800)),
    ("零食", "LS", "坚果礼盒 牛肉干 芒果干 巧克力 饼干 瓜子 花生 薯片",
     (("1袋", 1.0), ("3袋装", 2.8), ("礼盒", 4.0)), (990, 9990)),
    ("粮油", "LY", "五常大米 东北小米 花生油 菜籽油 挂面 杂粮 红枣",
     (("1kg", 1.0), ("5kg", 4.6)), (990, 8990)),
    ("日用", "RY", "抽纸 洗衣液 牙膏 沐浴露 洗洁精 垃圾袋", (("1件", 1.0), ("3件装", 2.7)),
     (590, 4990)),
)
ORIGINS = _words("云南 海南 新疆 山东 四川 广西 赣南 烟台 丹东 阳澄湖 内蒙古 东北 宁夏 福建 台湾")
QUALITIES = ("", "精选", "有机", "特级", "新鲜")
SERVICES = (("肩颈推拿", "60分钟", 12800), ("足疗", "60分钟", 9800), ("上门保洁", "2小时", 15800),
            ("家电清洗", "1台", 12000), ("宠物洗护", "小型犬", 8800))

NOTES = ("不要辣", "放门口就好", "下午送", "周末送货", "请打电话联系", "送人的，不要放价格单",
         "多给点葱", "快递放驿站", "尽快发货谢谢", "开发票", "挑大个的", "包装好一点")
INTERNAL_NOTES = ("老客户，优先安排", "上次投诉过包装", "已电话确认地址", "团长代收")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number (matches dingdan.phones.MAINLAND_MOBILE)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def address(rng: random.Random) -> tuple[str, str, str, str]:
    province, city, districts = rng.choice(PLACES)
    detail = (
        f"{rng.choice(ROADS)}{rng.choice(ROAD_KINDS)}{rng.randint(1, 999)}号"
        f"{rng.choice(ESTATES)}{rng.choice(ESTATE_KINDS)}"
        f"{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
    )
    return province, city, rng.choice(districts), detail


def product_names(rng: random.Random, count: int) -> list[tuple[str, str, str, tuple, tuple]]:
    """`count` distinct goods: (name, category, SKU code, specs, price range)."""
    pool = [
        (f"{origin}{quality}{item}", category, code, specs, prices)
        for category, code, items, specs, prices in CATEGORIES
        for item in items.split()
        for origin in ORIGINS
        for quality in QUALITIES
    ]
    rng.shuffle(pool)
    if count > len(pool):
        extra = [(f"{name}（{n}号）", *rest) for n in range(2, 2 + count // len(pool) + 1)
                 for name, *rest in pool]
        pool += extra
    return pool[:count]
