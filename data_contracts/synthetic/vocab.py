"""Word lists and reference data of the synthetic world: places, public bodies, procurement
divisions and categories, names. Data only, no logic.
"""

from __future__ import annotations

from dataclasses import dataclass

# Province code -> name. Regions are prefecture-level cities (6-digit codes ending in "00").
PROVINCES: dict[str, str] = {
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "44": "广东省",
    "51": "四川省",
}

# (region code, city name, phone area code). The first city of each province is its capital.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("320100", "南京市", "025"),
    ("320200", "无锡市", "0510"),
    ("320300", "徐州市", "0516"),
    ("320400", "常州市", "0519"),
    ("320500", "苏州市", "0512"),
    ("320600", "南通市", "0513"),
    ("330100", "杭州市", "0571"),
    ("330200", "宁波市", "0574"),
    ("330300", "温州市", "0577"),
    ("330400", "嘉兴市", "0573"),
    ("330500", "湖州市", "0572"),
    ("340100", "合肥市", "0551"),
    ("340200", "芜湖市", "0553"),
    ("340300", "蚌埠市", "0552"),
    ("340500", "马鞍山市", "0555"),
    ("370100", "济南市", "0531"),
    ("370200", "青岛市", "0532"),
    ("370300", "淄博市", "0533"),
    ("370600", "烟台市", "0535"),
    ("410100", "郑州市", "0371"),
    ("410200", "开封市", "0378"),
    ("410300", "洛阳市", "0379"),
    ("420100", "武汉市", "027"),
    ("420200", "黄石市", "0714"),
    ("420500", "宜昌市", "0717"),
    ("440100", "广州市", "020"),
    ("440300", "深圳市", "0755"),
    ("440400", "珠海市", "0756"),
    ("440600", "佛山市", "0757"),
    ("510100", "成都市", "028"),
    ("510300", "自贡市", "0813"),
    ("510700", "绵阳市", "0816"),
)

# Syllables for invented county, township, village and road names.
PLACE_FIRST = tuple("东西南北新江河山清长安平高永宁和丰白青龙金石乐文兴武华凤桃梅云溪泉松柳湖")
PLACE_SECOND = tuple("阳城山江宁安平丰湖川州源口台林溪河桥水田坪岗庄渡陵泽")
ROAD_SUFFIXES = ("路", "大道", "街", "中路", "东路")
BUILDINGS = ("大厦", "广场", "科技园", "国际中心", "商务楼")

# Surnames roughly by frequency (weights), and given-name characters.
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = tuple("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊峰建国志军红兵海东林")
GIVEN_FEMALE = tuple("芳娜敏静丽艳娟霞秀玲燕萍红梅琳颖婷雪慧琴云洁佳倩晶莉丹")
GIVEN_NEUTRAL = tuple("文晓春新海宁晨欣怡一思子雨嘉安永")

# Characters of enterprise trade names (字号).
TRADE_NAME_CHARS = tuple(
    "华鑫盛泰恒源达兴宏瑞隆昌信诚博远通新聚德丰润安康万金创天海中宇嘉鸿正和益祥腾"
)


@dataclass(frozen=True)
class Division:
    """A procurement division (first two digits of a category code) and its market."""

    code: str
    name: str
    kind: str  # works, goods, services: decides the open-tender threshold
    median_value: float  # median estimated value in CNY
    value_sigma: float  # lognormal spread of estimated values
    competition: float  # multiplies the expected number of bidders (low = few suppliers)
    amendment_rate: float  # expected honest amendments per completed contract
    duration_days: float  # median contract duration
    firm_words: tuple[str, ...]  # enterprise name words for suppliers of this division
    categories: tuple[tuple[str, str], ...]  # (8-digit code, item name)


DIVISIONS: tuple[Division, ...] = (
    Division(
        "45",
        "建筑工程",
        "works",
        1_200_000,
        1.1,
        1.0,
        1.2,
        240,
        ("建设工程", "建筑工程", "路桥工程", "市政工程", "建工"),
        (
            ("45210000", "房屋建筑工程"),
            ("45230000", "道路与桥梁工程"),
            ("45240000", "水利工程"),
            ("45310000", "电气安装工程"),
            ("45330000", "给排水工程"),
            ("45450000", "装饰装修工程"),
        ),
    ),
    Division(
        "71",
        "工程技术服务",
        "services",
        350_000,
        0.9,
        0.9,
        0.5,
        300,
        ("工程咨询", "建筑设计", "工程监理"),
        (
            ("71240000", "工程设计服务"),
            ("71520000", "工程监理服务"),
            ("71310000", "工程咨询服务"),
            ("71350000", "工程勘察服务"),
        ),
    ),
    Division(
        "33",
        "医疗设备",
        "goods",
        500_000,
        1.2,
        0.55,
        0.1,
        60,
        ("医疗器械", "医疗设备", "医药"),
        (
            ("33110000", "医学影像设备"),
            ("33120000", "检验检测设备"),
            ("33140000", "医用耗材"),
            ("33190000", "医疗器械"),
            ("33600000", "药品"),
        ),
    ),
    Division(
        "85",
        "卫生服务",
        "services",
        300_000,
        0.9,
        0.45,
        0.2,
        365,
        ("医疗管理", "健康服务", "护理服务"),
        (("85110000", "医院后勤服务"), ("85140000", "医疗卫生服务"), ("85320000", "社会服务")),
    ),
    Division(
        "30",
        "办公设备",
        "goods",
        150_000,
        1.0,
        1.1,
        0.05,
        30,
        ("科技", "电子", "办公设备", "计算机"),
        (
            ("30190000", "办公设备"),
            ("30210000", "计算机设备"),
            ("30230000", "网络设备"),
            ("30120000", "复印打印设备"),
        ),
    ),
    Division(
        "34",
        "车辆",
        "goods",
        400_000,
        0.8,
        0.8,
        0.05,
        60,
        ("汽车销售", "汽车贸易", "专用车"),
        (
            ("34110000", "公务用车"),
            ("34140000", "专用车辆"),
            ("34120000", "客车"),
            ("34300000", "车辆配件"),
        ),
    ),
    Division(
        "72",
        "信息技术服务",
        "services",
        400_000,
        1.1,
        0.9,
        0.4,
        240,
        ("信息技术", "软件", "网络科技", "数据科技"),
        (
            ("72260000", "软件开发服务"),
            ("72310000", "数据处理服务"),
            ("72500000", "信息系统运维服务"),
            ("72700000", "网络服务"),
        ),
    ),
    Division(
        "90",
        "环境服务",
        "services",
        600_000,
        1.0,
        0.7,
        0.4,
        365,
        ("环保科技", "环境工程", "环卫服务"),
        (
            ("90510000", "垃圾清运处理服务"),
            ("90610000", "环卫保洁服务"),
            ("90710000", "环境监测服务"),
            ("90480000", "污水处理服务"),
        ),
    ),
    Division(
        "79",
        "商务服务",
        "services",
        150_000,
        0.9,
        1.0,
        0.2,
        365,
        ("物业管理", "商务服务", "保安服务", "广告"),
        (
            ("79340000", "广告宣传服务"),
            ("79710000", "安保服务"),
            ("79990000", "物业管理服务"),
            ("79810000", "印刷服务"),
            ("79950000", "会议服务"),
        ),
    ),
    Division(
        "15",
        "食品",
        "goods",
        120_000,
        0.8,
        0.9,
        0.1,
        365,
        ("食品", "农副产品", "餐饮管理"),
        (("15810000", "食堂食材"), ("15500000", "乳制品"), ("15890000", "食品配送")),
    ),
    Division(
        "39",
        "家具",
        "goods",
        100_000,
        0.9,
        1.0,
        0.05,
        45,
        ("家具", "家具制造"),
        (("39110000", "办公家具"), ("39160000", "学校家具"), ("39140000", "生活家具")),
    ),
    Division(
        "50",
        "维修维护",
        "services",
        100_000,
        1.0,
        0.8,
        0.3,
        120,
        ("机电维修", "设备维修", "电梯工程"),
        (
            ("50110000", "车辆维修服务"),
            ("50700000", "房屋修缮服务"),
            ("50300000", "设备维修服务"),
            ("50800000", "电梯维保服务"),
        ),
    ),
    Division(
        "80",
        "教育服务",
        "services",
        150_000,
        0.9,
        0.7,
        0.1,
        180,
        ("教育科技", "培训"),
        (("80500000", "培训服务"), ("80300000", "教学服务"), ("80420000", "在线教育服务")),
    ),
    Division(
        "03",
        "农林产品",
        "goods",
        200_000,
        1.0,
        0.6,
        0.05,
        90,
        ("农业科技", "种业", "园林绿化"),
        (
            ("03110000", "农作物种子"),
            ("03440000", "苗木林木"),
            ("03140000", "农业物资"),
            ("03300000", "农产品"),
        ),
    ),
    Division(
        "09",
        "燃料能源",
        "goods",
        300_000,
        0.8,
        0.35,
        0.05,
        365,
        ("石油", "能源", "燃气"),
        (("09130000", "成品油"), ("09120000", "燃气"), ("09310000", "电力")),
    ),
)
DIVISION_CODES: tuple[str, ...] = tuple(d.code for d in DIVISIONS)

# Open-tender thresholds (CNY): at or above, a purchase must normally be tendered openly.
THRESHOLDS: dict[str, float] = {"works": 4_000_000.0, "goods": 1_000_000.0, "services": 1_000_000.0}

# Divisions a supplier of one division also serves (its secondary line of business).
RELATED_DIVISIONS: dict[str, tuple[str, ...]] = {
    "45": ("71", "50"),
    "71": ("45",),
    "33": ("85",),
    "85": ("33",),
    "30": ("72", "39"),
    "34": ("50",),
    "72": ("30",),
    "90": ("03",),
    "79": ("80", "15"),
    "15": ("03",),
    "39": ("30",),
    "50": ("45", "34"),
    "80": ("79",),
    "03": ("90", "15"),
    "09": ("34",),
}

SECTORS: tuple[str, ...] = (
    "construction",
    "health",
    "education",
    "transport",
    "finance",
    "social_security",
    "environment",
    "agriculture",
    "other",
)

# What each sector buys: division -> weight (normalised where used).
SECTOR_DIVISIONS: dict[str, dict[str, float]] = {
    "construction": {"45": 55, "71": 20, "50": 8, "90": 5, "30": 4, "79": 4, "34": 2, "39": 2},
    "health": {
        "33": 40,
        "85": 15,
        "45": 10,
        "30": 8,
        "50": 6,
        "15": 5,
        "72": 6,
        "79": 4,
        "39": 3,
        "90": 3,
    },
    "education": {
        "39": 15,
        "30": 18,
        "80": 15,
        "45": 15,
        "15": 12,
        "72": 8,
        "50": 7,
        "79": 5,
        "34": 2,
        "90": 3,
    },
    "transport": {"45": 45, "71": 15, "34": 12, "50": 10, "09": 6, "72": 5, "79": 4, "30": 3},
    "finance": {"72": 35, "30": 25, "79": 20, "39": 8, "50": 7, "34": 5},
    "social_security": {"72": 35, "30": 20, "79": 20, "85": 10, "39": 7, "50": 8},
    "environment": {"90": 45, "45": 15, "71": 15, "72": 7, "34": 5, "30": 5, "79": 8},
    "agriculture": {
        "03": 35,
        "45": 15,
        "90": 10,
        "34": 8,
        "09": 7,
        "71": 8,
        "79": 7,
        "30": 5,
        "15": 5,
    },
    "other": {
        "30": 15,
        "79": 18,
        "72": 15,
        "39": 8,
        "34": 8,
        "45": 12,
        "50": 8,
        "15": 6,
        "09": 5,
        "90": 5,
    },
}


@dataclass(frozen=True)
class UnitTemplate:
    """A kind of public body: its name at each level, sector, head's title, buying weight."""

    key: str
    sector: str
    names: dict[str, str]  # level -> name suffix after the place name
    head_title: str
    weight: float = 1.0  # relative purchasing activity
    regulates: tuple[str, ...] = ()  # penalty kinds this body issues
    core: bool = False  # every region has one at city level


_BUREAU = {"province": "厅", "city": "局", "county": "局"}


def _bureau(stem: str) -> dict[str, str]:
    return {level: stem + suffix for level, suffix in _BUREAU.items()}


UNIT_TEMPLATES: tuple[UnitTemplate, ...] = (
    UnitTemplate(
        "housing",
        "construction",
        _bureau("住房和城乡建设"),
        "局长",
        1.3,
        ("construction_quality",),
        core=True,
    ),
    UnitTemplate(
        "urban", "construction", {"city": "城市管理局", "county": "城市管理局"}, "局长", 1.1
    ),
    UnitTemplate("water", "construction", _bureau("水利"), "局长", 1.1),
    UnitTemplate(
        "health_commission",
        "health",
        {lv: "卫生健康委员会" for lv in ("province", "city", "county")},
        "主任",
        0.8,
    ),
    UnitTemplate(
        "hospital1",
        "health",
        {"province": "人民医院", "city": "第一人民医院", "county": "人民医院"},
        "院长",
        2.0,
    ),
    UnitTemplate(
        "hospital2", "health", {"city": "第二人民医院", "county": "第二人民医院"}, "院长", 1.6
    ),
    UnitTemplate("tcm_hospital", "health", {"city": "中医院", "county": "中医院"}, "院长", 1.3),
    UnitTemplate(
        "cdc",
        "health",
        {"province": "疾病预防控制中心", "city": "疾病预防控制中心", "county": "疾病预防控制中心"},
        "主任",
        0.8,
    ),
    UnitTemplate("education_bureau", "education", _bureau("教育"), "局长", 1.0),
    UnitTemplate("school1", "education", {"city": "第一中学", "county": "第一中学"}, "校长", 0.9),
    UnitTemplate("school2", "education", {"city": "实验中学", "county": "实验小学"}, "校长", 0.8),
    UnitTemplate(
        "vocational", "education", {"province": "职业技术学院", "city": "职业技术学校"}, "校长", 1.0
    ),
    UnitTemplate("transport", "transport", _bureau("交通运输"), "局长", 1.4),
    UnitTemplate(
        "highway",
        "transport",
        {"province": "公路事业发展中心", "city": "公路事业发展中心", "county": "公路管理段"},
        "主任",
        1.2,
    ),
    UnitTemplate(
        "finance", "finance", _bureau("财政"), "局长", 0.7, ("procurement_misconduct",), core=True
    ),
    UnitTemplate(
        "tax",
        "finance",
        {"province": "税务局", "city": "税务局", "county": "税务局"},
        "局长",
        0.6,
        ("tax",),
        core=True,
    ),
    UnitTemplate("hr", "social_security", _bureau("人力资源和社会保障"), "局长", 0.7, ("labour",)),
    UnitTemplate(
        "medical_insurance",
        "social_security",
        {"province": "医疗保障局", "city": "医疗保障局", "county": "医疗保障局"},
        "局长",
        0.6,
    ),
    UnitTemplate(
        "ecology", "environment", _bureau("生态环境"), "局长", 1.0, ("environmental",), core=True
    ),
    UnitTemplate(
        "forestry",
        "environment",
        {"province": "林业局", "city": "林业局", "county": "林业局"},
        "局长",
        0.7,
    ),
    UnitTemplate("agriculture", "agriculture", _bureau("农业农村"), "局长", 1.0),
    UnitTemplate(
        "market",
        "other",
        {"province": "市场监督管理局", "city": "市场监督管理局", "county": "市场监督管理局"},
        "局长",
        0.6,
        ("product_quality", "food_safety", "unfair_competition"),
        core=True,
    ),
    UnitTemplate(
        "emergency", "other", _bureau("应急管理"), "局长", 0.6, ("work_safety",), core=True
    ),
    UnitTemplate("police", "other", _bureau("公安"), "局长", 1.0),
    UnitTemplate(
        "government_office",
        "other",
        {"province": "人民政府办公厅", "city": "人民政府办公室", "county": "人民政府办公室"},
        "主任",
        0.8,
    ),
    UnitTemplate(
        "facilities",
        "other",
        {"province": "机关事务管理局", "city": "机关事务管理局", "county": "机关事务服务中心"},
        "局长",
        1.0,
    ),
    UnitTemplate("culture", "other", _bureau("文化和旅游"), "局长", 0.7),
    # Townships and villages.
    UnitTemplate("town_government", "other", {"township": "人民政府"}, "镇长", 1.0),
    UnitTemplate("town_clinic", "health", {"township": "卫生院"}, "院长", 0.8),
    UnitTemplate("town_school", "education", {"township": "中心小学"}, "校长", 0.7),
    UnitTemplate("town_agriculture", "agriculture", {"township": "农业综合服务中心"}, "主任", 0.6),
    UnitTemplate("village_committee", "other", {"village": "村民委员会"}, "村委会主任", 1.0),
    UnitTemplate(
        "village_cooperative", "agriculture", {"village": "股份经济合作社"}, "理事长", 0.8
    ),
)

# Offices of section chiefs and the titles of staff.
OFFICES = (
    "办公室",
    "财务科",
    "采购科",
    "计划科",
    "规划科",
    "人事科",
    "基建科",
    "设备科",
    "综合科",
    "审批科",
    "法规科",
)
STAFF_TITLES = ("科员", "一级科员", "主任科员", "办事员", "四级主任科员")

# Business-centre buildings where registration agents host many small firms.
BUSINESS_CENTRES = ("商务秘书中心", "众创空间", "创业服务中心", "企业孵化中心", "商务中心")

PENALTY_KINDS: dict[str, tuple[str, ...]] = {
    # division -> the kinds of penalty its suppliers typically receive
    "45": ("construction_quality", "work_safety", "labour", "environmental"),
    "71": ("construction_quality", "tax"),
    "33": ("product_quality", "unfair_competition"),
    "85": ("labour", "product_quality"),
    "30": ("product_quality", "tax", "unfair_competition"),
    "34": ("product_quality", "tax"),
    "72": ("tax", "unfair_competition"),
    "90": ("environmental", "work_safety", "labour"),
    "79": ("labour", "tax", "unfair_competition"),
    "15": ("food_safety", "product_quality"),
    "39": ("product_quality", "environmental"),
    "50": ("work_safety", "construction_quality"),
    "80": ("tax", "unfair_competition"),
    "03": ("product_quality", "environmental"),
    "09": ("work_safety", "environmental", "product_quality"),
}
