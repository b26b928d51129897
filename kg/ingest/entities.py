"""Find the named entities of a report: people, places, bodies, enterprises, parks, works.

No tagger knows a report's short enterprise names (聚合顺) or its parks, so
names come from patterns: a post followed by a name (区长蔡华刚), a congress
session, ``…人民政府``, ``…委``, suffixes (…产业园, …学校, …医院, …路, …石化),
a name before a capacity and product (聚合顺50万吨尼龙新材料), the items of
a ``…等N个项目`` list; from names the corpus already holds (``known``); and,
for the left edge of a suffixed name and for person names, from jieba's
segmentation and part-of-speech tags.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

CJK = r"\u4e00-\u9fff"


@dataclass
class FoundEntity:
    """A name found in the normalized text; ``spans`` are normalized offsets."""

    name: str
    type: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    rule: str = ""
    confidence: float = 0.7
    known: bool = False
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FoundRelation:
    """A relation between two found names, with a span that names both."""

    subject: str
    predicate: str
    object: str
    span: tuple[int, int]
    rule: str
    object_span: tuple[int, int] | None = None


@cache
def _jieba() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    # jieba writes its dictionary cache; keep it in a writable private place.
    cache_dir = os.path.join(tempfile.gettempdir(), f"linzi-kg-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}")
    os.makedirs(cache_dir, exist_ok=True)
    jieba.dt.tmp_dir = cache_dir
    return jieba.posseg


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(word, POS tag, start offset) for ``text``, from jieba."""
    out = []
    pos = 0
    for word, flag in _jieba().cut(text):
        out.append((word, flag, pos))
        pos += len(word)
    return out


_POSTS = "|".join(
    "代省长 代市长 代区长 代县长 省委书记 市委书记 区委书记 县委书记 书记".split()
    + "省长 市长 区长 县长 州长 旗长 主任 主席 局长 厅长".split()
)
_POST_NAME = re.compile(rf"({_POSTS})[ \t]?([{CJK}]{{2,3}})")
_BYLINE = re.compile(rf"(记者|通讯员|摄影|见习记者)((?:[ \t]+[{CJK}]{{2,3}})+)")
_SESSION = re.compile(
    rf"((?:[{CJK}]{{2,5}}?[省市区县州旗])?第[一二三四五六七八九十]+届人民代表大会)(第[一二三四五六七八九十]+次会议)?"
)
# 城市, 全市, 社区, 园区…: the 市 or 区 of these words does not start a body's name.
_WORD_BEFORE_PLACE_CHAR = set("城都全本我该各地社园景小郊辖分街山矿湾新老")
_PEOPLE_GOV = re.compile(rf"([{CJK}]{{0,5}}?)([省市区县州旗])人民政府")
_COMMITTEE = re.compile(r"([省市区县])(委|政府)(?![员会])")
_FIXED = {
    "党中央": "government",
    "国务院": "government",
    "中共中央": "government",
    "全国人大": "government",
    "新华社": "media",
    "人民日报": "media",
    "中央电视台": "media",
}
_LEADER = re.compile(r"(习近平)(?=新时代|总书记|同志)")
_CONGRESS_PARTY = re.compile(r"党的[一二三四五六七八九十]+大")
_QUOTED_PRODUCT = re.compile(rf"“([{CJK}]{{2,8}}贷)”")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PLACE = re.compile(rf"((?:{_PROVINCES})省?|[{CJK}]{{2,4}}?[市区县州旗])")
_BANKS = re.compile(r"建行|工行|农行|中行|交行|国开行|农发行|邮储银行")
_MEDIA = re.compile(rf"[{CJK}]{{2,10}}?(?:日报|晚报|晨报|都市报|电视台|融媒体中心|新闻网|通讯社)")

_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("污水处理厂", "facility"),
    ("炼油厂", "facility"),
    ("热电厂", "enterprise"),
    ("火车站", "facility"),
    ("高铁站", "facility"),
    ("供应中心", "facility"),
    ("郊野公园", "facility"),
    ("湿地公园", "facility"),
    ("公园", "facility"),
    ("水库", "facility"),
    ("体育馆", "facility"),
    ("图书馆", "facility"),
    ("博物馆", "facility"),
    ("产业园", "park"),
    ("工业园", "park"),
    ("科技园", "park"),
    ("产业园区", "park"),
    ("开发区", "park"),
    ("高新区", "park"),
    ("化工区", "park"),
    ("基地", "park"),
    ("学校", "school"),
    ("中学", "school"),
    ("小学", "school"),
    ("幼儿园", "school"),
    ("大学", "school"),
    ("学院", "school"),
    ("医院", "hospital"),
    ("保健院", "hospital"),
    ("医疗中心", "hospital"),
    ("卫生院", "hospital"),
    ("大道", "road"),
    ("高速", "road"),
    ("路", "road"),
    ("街", "road"),
    ("管委会", "government"),
    ("委员会", "government"),
    ("人民法院", "government"),
    ("人民检察院", "government"),
    ("银行", "enterprise"),
    ("机场", "facility"),
    ("景区", "facility"),
    ("大桥", "facility"),
    ("高速公路", "road"),
    ("铁路", "road"),
    ("石化", "enterprise"),
    ("化工", "enterprise"),
    ("药业", "enterprise"),
    ("集团", "enterprise"),
    ("公司", "enterprise"),
    ("股份", "enterprise"),
    ("钢铁", "enterprise"),
    ("电气", "enterprise"),
    ("实业", "enterprise"),
    ("控股", "enterprise"),
)
_SUFFIX_RE = re.compile("|".join(re.escape(s) for s, _t in sorted(_SUFFIXES, key=lambda p: -len(p[0]))))
_SUFFIX_TYPE = dict(_SUFFIXES)
# A name is not a name when all that precedes its suffix is one of these.
_GENERIC = {
    "农村",
    "城乡",
    "中小",
    "乡镇",
    "社区",
    "村镇",
    "街头",
    "各类",
    "重点",
    "专业",
    "省级",
    "市级",
    "国家级",
    "高水平",
    "中职",
    "高水平中职",
    "职业",
    "公办",
    "民办",
    "普惠性",
    "城市",
    "口袋",
    "道",
    "思",
    "出",
    "新",
    "老",
    "网",
    "一",
    "城镇",
    "现代",
    "石油",
    "精细",
    "煤",
    "生产",
    "示范",
    "产业",
    "园区",
    "研发",
    "综合",
    "培训",
    "实训",
    "教育",
    "创新",
    "孵化",
    "物流",
    "电商",
    "养老",
    "区",
    "市",
    "县",
    "中心",
    "人民",
    "全域",
}
_STOP_POS = {"v", "p", "c", "u", "r", "x", "m", "mq", "w", "q", "uj", "ul", "ud", "uz", "ug", "uv", "y", "e", "o"}
_FUNCTION_CHARS = set("将在和与及的等对把向从到为以由被让使并也还就又而或即如于着了过")
_LEAD_VERBS = (
    "新建改扩建",
    "改扩建",
    "新建改建",
    "规划建设",
    "规划",
    "建设",
    "加快",
    "推进",
    "推动",
    "实施",
    "启动",
    "建成",
    "投用",
    "改造",
    "新建",
    "改建",
    "打造",
    "支持",
    "抓好",
    "保障",
    "全力",
    "加速",
    "完成",
    "开工",
    "提升",
    "服务",
    "引进",
    "聚焦",
    "突出",
    "依托",
    "围绕",
    "创建",
    "深化",
)


class _Finder:
    def __init__(self, text: str, known: Iterable[tuple[str, str]]) -> None:
        self.text = text
        self.found: dict[str, FoundEntity] = {}
        self.relations: list[FoundRelation] = []
        self.known = [(n, t) for n, t in known if len(n) >= 2]
        self._sentence_tokens: dict[int, list[tuple[str, str, int]]] = {}
        self._all_tokens: list[tuple[str, str, int]] | None = None

    def add(
        self, name: str, etype: str, start: int, rule: str, confidence: float = 0.7, *, known: bool = False
    ) -> None:
        name = name.strip()
        if len(name) < 2:
            return
        ent = self.found.get(name)
        if ent is None:
            ent = self.found[name] = FoundEntity(name, etype, [], rule, confidence, known)
        span = (start, start + len(name))
        if span not in ent.spans:
            ent.spans.append(span)

    def sentence_tokens(self, pos: int) -> tuple[int, list[tuple[str, str, int]]]:
        text = self.text
        start = max(text.rfind(c, 0, pos) for c in "。!?\n;") + 1
        if start not in self._sentence_tokens:
            end_candidates = [i for i in (text.find(c, pos) for c in "。!?\n;") if i != -1]
            end = min(end_candidates) if end_candidates else len(text)
            self._sentence_tokens[start] = tokens(text[start:end])
        return start, self._sentence_tokens[start]

    # -- the rules --------------------------------------------------------

    def people(self) -> None:
        for m in _POST_NAME.finditer(self.text):
            start = m.start(2)
            name = self._person_at(start, m.group(2))
            if name:
                self.add(name, "person", start, "post + name", 0.85)
                post = m.group(1)
                self.relations.append(
                    FoundRelation(
                        name, "holds", post, (m.start(1), start + len(name)), "post + name", (m.start(1), m.end(1))
                    )
                )
        for m in _BYLINE.finditer(self.text):
            pos = m.start(2)
            for part in re.finditer(rf"[{CJK}]{{2,3}}", m.group(2)):
                if part.group(0) in ("记者", "通讯员", "摄影"):
                    continue
                self.add(part.group(0), "person", pos + part.start(), "byline", 0.8)
        for m in re.finditer(rf"([{CJK}]{{2,3}})同志", self.text):
            name = self._person_at(m.start(1), m.group(1))
            if name == m.group(1) and any(
                w == name and f.startswith("nr") for w, f, _o in self.sentence_tokens(m.start(1))[1]
            ):
                self.add(name, "person", m.start(1), "name + 同志", 0.8)
        for m in _LEADER.finditer(self.text):
            self.add(m.group(1), "person", m.start(1), "leader", 0.9)

    def _person_at(self, start: int, window: str) -> str:
        s0, toks = self.sentence_tokens(start)
        for word, flag, off in toks:
            if s0 + off == start and flag.startswith("nr") and 2 <= len(word) <= 3:
                return word
        if len(window) == 3 and window[2] in "作代在指表同说主出强讲要向对称":
            return window[:2]
        return window

    def sessions(self) -> None:
        text = self.text
        for m in _SESSION.finditer(text):
            full, start = m.group(0), m.start()
            while full[0] in "在日于的上时" and not full.startswith("第"):
                full, start = full[1:], start + 1
            self.add(full, "government", start, "congress session", 0.9)
            if m.group(2):
                ent = self.found[full]
                ent.aliases.append(full[: -len(m.group(2))])
            place = re.match(rf"([{CJK}]{{2,5}}?[省市区县州旗])第", full)
            if place:
                self.add(place.group(1), "place", start, "congress place", 0.85)

    def bodies(self) -> None:
        text = self.text
        for m in _PEOPLE_GOV.finditer(text):
            prefix = m.group(1)
            place = prefix + m.group(2) if prefix and (prefix + m.group(2)) in self.found else m.group(2)
            start = m.end() - len(place) - 4
            self.add(place + "人民政府", "government", start, "人民政府", 0.85)
        places = sorted((e.name for e in self.found.values() if e.type == "place"), key=len, reverse=True)
        for m in _COMMITTEE.finditer(text):
            place = next((p for p in places if p[-1] == m.group(1) and text.endswith(p, 0, m.start() + 1)), "")
            name = (place or m.group(1)) + m.group(2)
            start = m.end() - len(name)
            before = text[start - 1 : start]
            if not place and before and before in _WORD_BEFORE_PLACE_CHAR:
                continue
            self.add(name, "government", start, "committee or government", 0.75)
        for name, etype in _FIXED.items():
            for m in re.finditer(name, text):
                self.add(name, etype, m.start(), "fixed name", 0.9)
        for m in _CONGRESS_PARTY.finditer(text):
            self.add(m.group(0), "other", m.start(), "party congress", 0.8)
        for m in _QUOTED_PRODUCT.finditer(text):
            self.add(m.group(1), "other", m.start(1), "quoted product", 0.7)
        for m in _MEDIA.finditer(text):
            start = m.start()
            while start > 0 and re.match(rf"[{CJK}]", text[start - 1]) and m.end() - start < 12:
                start -= 1
            name = text[start : m.end()]
            if len(name) > 12:
                continue
            self.add(name, "media", start, "media suffix", 0.75)
            inner = re.match(rf"[{CJK}]{{2,4}}(?:日报|晚报|晨报)", name)
            if inner and inner.group(0) != name:
                self.add(inner.group(0), "media", start, "media suffix", 0.75)
        for m in _BANKS.finditer(text):
            self.add(m.group(0), "enterprise", m.start(), "bank short name", 0.8)

    def places(self) -> None:
        text = self.text
        for m in re.finditer(rf"(?:{_PROVINCES})(?:省)?", text):
            self.add(m.group(0), "place", m.start(), "province", 0.8)
        seen_gov = [e for e in self.found.values() if e.type == "government"]
        for ent in seen_gov:
            pm = re.match(rf"([{CJK}]{{2,5}}?[省市区县])(?:第|人民政府|委|政府)", ent.name)
            if pm:
                for s, _e in ent.spans:
                    self.add(pm.group(1), "place", s, "place of a body", 0.8)
        # A place tagged by jieba (ns) that also appears with its suffix: 淄博 and 淄博市.
        if self._all_tokens is None:
            self._all_tokens = tokens(text)
        toks = self._all_tokens
        for k, (word, flag, off) in enumerate(toks):
            if flag == "ns" and 2 <= len(word) <= 3 and k > 0 and toks[k - 1][0] in ("在", "赴", "到", "至", "于"):
                if k + 1 < len(toks) and toks[k + 1][0] in ("召开", "举行", "举办", "考察", "调研"):
                    self.add(word, "place", off, "place of a meeting", 0.7)
        for word, flag, _off in toks:
            if (
                flag == "ns"
                and 3 <= len(word) <= 4
                and word[-1] in "省市区县州镇乡"
                and word[0] not in "一二三四五六七八九十百千"
                and word[:-1] not in _GENERIC
            ):
                for m in re.finditer(re.escape(word), text):
                    self.add(word, "place", m.start(), "place name", 0.7)

    def suffixed(self) -> None:
        text = self.text
        for m in _SUFFIX_RE.finditer(text):
            suffix = m.group(0)
            etype = _SUFFIX_TYPE[suffix]
            name_start = self._left_edge(m.start(), m.end())
            if name_start is None:
                continue
            name = text[name_start : m.end()]
            prefix = name[: -len(suffix)]
            short_ok = etype in ("hospital", "government") and prefix in ("区", "市", "县", "省")
            if not short_ok and (
                len(prefix) < 2 or prefix in _GENERIC or (prefix[-2:] in _GENERIC and len(prefix) <= 3)
            ):
                continue
            if etype == "road" and (not re.search(rf"[{CJK}]{{2}}$", prefix) or prefix[-1] in "电线道思出网套门水"):
                continue
            if suffix == "公园" and text.startswith("城", m.end()):
                continue
            self.add(name, etype, name_start, f"suffix {suffix}", 0.7)

    def _left_edge(self, start: int, end: int) -> int | None:
        s0, toks = self.sentence_tokens(start)
        rel = start - s0
        begin = rel
        chosen: list[tuple[str, str, int]] = []
        for word, flag, off in reversed(toks):
            if off + len(word) > rel:
                if off < rel:  # the suffix starts inside this word: take its head
                    begin = off
                    chosen.append((word[: rel - off], flag, off))
                continue
            if off + len(word) != begin:
                break
            if not re.fullmatch(rf"[{CJK}A-Za-z]+", word) or word in _FUNCTION_CHARS or word in _LEAD_VERBS:
                break
            ordinal = re.fullmatch(r"第[一二三四五六七八九十]+", word)  # 第一人民医院, 第二中学
            if flag in _STOP_POS and not ordinal and not (len(word) == 1 and word not in _FUNCTION_CHARS):
                break
            if rel - off > 14:
                break
            chosen.append((word, flag, off))
            begin = off
        head = self.text[s0 + begin : start]
        while True:
            lead = next((v for v in _LEAD_VERBS if head.startswith(v)), None)
            if lead is None:
                break
            head = head[len(lead) :]
        if not head:
            return None
        return start - len(head)

    def capacity_owner(self, owners: Iterable[tuple[str, int]]) -> None:
        for name, start in owners:
            if 2 <= len(name) <= 6 and re.fullmatch(rf"[{CJK}]+", name) and name not in _GENERIC:
                self.add(name, "enterprise", start, "name before capacity and product", 0.6)

    def project_lists(self) -> None:
        text = self.text
        for m in re.finditer(rf"等(?:\d+|[一二三四五六七八九十百]+)?(?:个|项|批)?[{CJK}“”]{{0,10}}?项目", text):
            clause_start = max(text.rfind(c, 0, m.start()) for c in ",;:。!?\n") + 1
            items_text = text[clause_start : m.start()]
            pos = clause_start
            members = []
            for item in items_text.split("、"):
                name = item
                offset = 0
                while True:
                    lead = next((v for v in (*_LEAD_VERBS, "集中", "聚力") if name.startswith(v)), None)
                    if lead is None:
                        break
                    name, offset = name[len(lead) :], offset + len(lead)
                if 3 <= len(name) <= 16 and re.fullmatch(rf"[{CJK}]+", name):
                    self.add(name, "project", pos + offset, "item of a project list", 0.6)
                    members.append((name, pos + offset))
                pos += len(item) + 1
            if members and re.match(r"等(?:\d|[一二三四五六七八九十百])", m.group(0)):
                group = text[m.start() + 1 : m.end()]
                for name, _s in members:
                    self.relations.append(
                        FoundRelation(
                            name,
                            "memberOfGroup",
                            group,
                            (members[0][1], m.end()),
                            "项目 list",
                            (m.start() + 1, m.end()),
                        )
                    )

    def known_names(self) -> None:
        for name, etype in self.known:
            for m in re.finditer(re.escape(name), self.text):
                self.add(name, etype, m.start(), "name the corpus holds", 0.9, known=True)
                self.found[name].known = True

    def carriers(self) -> None:
        """A project whose name starts with an enterprise's name is carried out by it."""
        enterprises = [e.name for e in self.found.values() if e.type == "enterprise"]
        for ent in list(self.found.values()):
            if ent.type != "project":
                continue
            for name in enterprises:
                if ent.name.startswith(name) and ent.name != name:
                    s = ent.spans[0]
                    self.relations.append(
                        FoundRelation(ent.name, "carriedOutBy", name, s, "enterprise name in project")
                    )
                    break


def find_entities(
    text: str, *, known: Iterable[tuple[str, str]] = (), capacity_owners: Iterable[tuple[str, int]] = ()
) -> tuple[list[FoundEntity], list[FoundRelation]]:
    """Entities and relations of a normalized text.

    ``known`` are (name, type) pairs the corpus already holds; ``capacity_owners``
    are (name, offset) of the words before a capacity figure (聚合顺 in
    聚合顺50万吨尼龙新材料), found by :mod:`kg.ingest.fields`.

    >>> ents, rels = find_entities("区长蔡华刚作报告,建成方宇污水处理厂。")
    >>> sorted((e.name, e.type) for e in ents)
    [('方宇污水处理厂', 'facility'), ('蔡华刚', 'person')]
    """
    finder = _Finder(text, known)
    finder.known_names()
    finder.people()
    finder.sessions()
    finder.places()
    finder.bodies()
    finder.places()
    finder.suffixed()
    finder.capacity_owner(capacity_owners)
    finder.project_lists()
    finder.carriers()
    ents = sorted(finder.found.values(), key=lambda e: (min(e.spans), e.name))
    relations = list(dict.fromkeys(finder.relations))
    for ent in ents:
        ent.spans.sort()
    return ents, relations
