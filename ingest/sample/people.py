"""Fictional people: names, ID numbers (GB 11643, ISO 7064 MOD 11-2), phones, bank accounts."""

from __future__ import annotations

import random
from datetime import date

from ingest import idnumber

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
)
GIVEN_M = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清"
    "飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善"
    "厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家"
)
GIVEN_F = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺"
    "媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璐娅琦晶妍茜秋珊莎锦青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君"
    "琴蕊薇菁梦岚苑婕馨韵融园艺卿聪澜纯毓悦昭冰爽茗羽希欣育滢筠柔竹凝晓欢枫芸菲寒伊亚宜可舒丽"
)


check_digit = idnumber.check_char  # ISO 7064 MOD 11-2 check character of 17 digits


def is_valid_id(idn: str) -> bool:
    """18 characters with the right check character (the birth date is not checked)."""
    if len(idn) != 18 or not idn[:17].isdigit():
        return False
    return check_digit(idn[:17]) == idn[17].upper()


def legacy15(idn: str) -> str:
    """The 15-digit legacy form of an 18-digit ID born in the 1900s."""
    assert idn[6:8] == "19"
    return idn[:6] + idn[8:17]


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return date.fromordinal(rng.randrange(lo.toordinal(), hi.toordinal() + 1))


class People:
    """Makes people with ID numbers unique within one prefix (one township)."""

    def __init__(self, rng: random.Random, prefix: str):
        assert len(prefix) == 6 and prefix.isdigit()
        self.rng = rng
        self.prefix = prefix
        self.used: set[str] = set()

    def name(self, male: bool | None = None) -> str:
        rng = self.rng
        if male is None:
            male = rng.random() < 0.5
        pool = GIVEN_M if male else GIVEN_F
        given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
        return rng.choice(SURNAMES) + given

    def id_number(self, birth: date, male: bool) -> str:
        rng = self.rng
        while True:
            seq = f"{rng.randrange(100):02d}{rng.randrange(5) * 2 + (1 if male else 0)}"
            body = f"{self.prefix}{birth:%Y%m%d}{seq}"
            if body not in self.used:
                self.used.add(body)
                return body + check_digit(body)

    def person(self, lo: date, hi: date, male: bool | None = None) -> tuple[str, str, date]:
        """(name, id_number, birth) of someone born between lo and hi."""
        if male is None:
            male = self.rng.random() < 0.5
        birth = rand_date(self.rng, lo, hi)
        return self.name(male), self.id_number(birth, male), birth

    def phone(self) -> str:
        rng = self.rng
        return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))

    def bank_account(self) -> str:
        rng = self.rng
        return rng.choice(("6217", "6228", "6230", "6212")) + "".join(
            rng.choice("0123456789") for _ in range(15)
        )
