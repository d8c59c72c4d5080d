"""The labels of ingest/labels.py: every reason code has one, and the words agree everywhere."""

from ingest import labels
from ingest.contract import REASONS
from ingest.report import REASON_ZH


def test_every_reason_code_of_the_contract_has_a_chinese_label():
    missing = [code for code in REASONS if not labels.REASONS.get(code, "").strip()]
    assert missing == []
    assert set(labels.REASONS) == set(REASONS)  # and no label for a code that does not exist


def test_ingest_reports_read_the_same_table():
    assert REASON_ZH is labels.REASONS


def test_the_town_tier_is_chengzhen_as_in_the_contract():
    assert labels.breakdown_zh("town") == "城镇"
    assert labels.breakdown_zh("city") == "城市"
    assert labels.breakdown_zh("no_such_slug") == "no_such_slug"


def test_reason_and_source_words():
    assert labels.reason_zh("unknown_household") == "户编号不在低保名册中（unknown_household）"
    assert labels.reason_zh("invalid_amount") == "金额/数量无效（invalid_amount）"
    assert labels.reason_zh("made_up") == "made_up"
    assert labels.source_zh("nope") == "nope"


def test_check_outcomes():
    assert labels.check_outcome(True, False, "error") == "通过"
    assert labels.check_outcome(False, True, "error") == "已豁免"
    assert labels.check_outcome(False, False, "warning") == "警告"
    assert labels.check_outcome(False, False, "error") == "未通过"
