"""学历 is the provincial template's list (with the older spellings read as synonyms);
组织类型 has 县(市、区)总工会 and 产业(系统)工会."""

from __future__ import annotations

from unionsdesk.db.engine import Database
from unionsdesk.fields import normalize_label
from unionsdesk.services.common import codes
from unionsdesk.services.members.upstream_export import HAINAN_CHOICES


def test_education_is_the_template_list_with_synonyms(any_db: Database) -> None:
    offered = [c.label for c in codes.list_codes(any_db, "education")]
    assert offered == list(HAINAN_CHOICES["education"])  # 博士 … 小学及以下, in its order
    lookup = codes.code_lookup(any_db, ["education"])["education"]
    by_label = {
        c.label: c.code for c in codes.list_codes(any_db, "education", include_inactive=True)
    }
    for spelling, label in (("大学本科", "本科"), ("大学专科", "大专"), ("中技", "中专"),
                            ("硕士研究生", "硕士"), ("小学", "小学及以下")):  # fmt: skip
        assert lookup[normalize_label(spelling)] == by_label[label], spelling
    # the older coarse values still read (and are shown), but are no longer offered
    assert lookup[normalize_label("研究生")] == by_label["研究生"]
    assert "研究生" not in offered


def test_org_types_have_the_county_and_industry_unions(any_db: Database) -> None:
    labels = codes.label_maps(any_db, ["org_type"])["org_type"]
    assert labels["07"] == "县(市、区)总工会" and labels["08"] == "产业(系统)工会"
