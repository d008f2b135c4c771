"""The narrative sentences of a profile page (both layouts), one parser per sentence form.

Each parser gets one sentence and the collector; it returns True when it recognised the
sentence (even if the sentence asserts a negative fact).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citykg.model.vocabulary import Scheme
from citykg.sources.text.common import ENDS_WHOLE, Collector, Sent, Span, V, clean_value
from citykg.sources.text.lists import split_list

_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|incl|approx|Dr|Mr|Mrs|Ms|St|No|vs)|\b[A-Z])\.$")


def split_sentences(text: str, line: int, *, cut_at_end: bool = False) -> list[Sent]:
    """Sentences of a normalised line, with their offsets; the last may be cut."""
    sents: list[Sent] = []
    start = 0
    for m in re.finditer(r"[.!?]['\")*]*\s+(?=[A-Z0-9\"*(])", text):
        head = text[start : m.start() + 1]
        if _ABBREV.search(head) or text[start : m.end()].count("(") > text[start : m.end()].count(")"):
            continue
        sents.append(Sent(text[start : m.end()].rstrip(), line, start))
        start = m.end()
    if start < len(text):
        sents.append(Sent(text[start:].rstrip(), line, start))
    if sents and cut_at_end and not ENDS_WHOLE.search(sents[-1].text):
        sents[-1].cut = True
    return [s for s in sents if s.text.strip()]


# A city, also with its state or region after a comma (`Denver, CO`, `Washington, D.C.`).
def city_group(name: str = "city") -> str:
    """The sentence's city as a named group (a pattern may need it under several names)."""
    return rf"(?P<{name}>\S[^,;:]*?(?:,\s+[A-Z]\.?[A-Z]\.?)?)"


CITY = city_group()
POSS = r"(?:'s?)"
CMP = (
    r"(?:(?P<cmp>(?:Along with|Like|Similar to|Unlike|As with|In line with)\s+(?P<share>[^,]*?)"
    r"\s+(?:of\s+)?(?:the\s+)?(?:participating\s+|other\s+|surveyed\s+)?cities(?:\s+surveyed)?"
    r"(?:\s+(?:in|of)\s+the\s+(?P<cmpwave>(?:19|20)\d\d)\s+survey)?),\s+)?"
)
END = r"\s*[.*]*\s*$"


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + pattern + END, re.I)


Parser = Callable[[Sent, re.Match[str], Collector], None]
_PARSERS: list[tuple[re.Pattern[str], Parser]] = []


def form(pattern: str) -> Callable[[Parser], Parser]:
    def register(fn: Parser) -> Parser:
        _PARSERS.append((_re(pattern), fn))
        return fn

    return register


def _bool(sent: Sent, m: re.Match[str], value: bool, group: str | int = 0) -> V:
    return V(value, sent.whole(m, group))


def _comparison(sent: Sent, m: re.Match[str], c: Collector) -> None:
    if m.groupdict().get("cmpwave"):
        c.wave(int(m.group("cmpwave")), 3, sent.whole(m, "cmpwave"), "names the survey wave")


@form(
    CMP
    + CITY
    + r"\s+(?P<v>has|does not have|doesn't have|lacks)\s+an?\s+(?:explicit|formal)\s+innovation\s+strategy"
)
def _strategy(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("strategy", "explicit"), _bool(sent, m, m.group("v").lower() == "has", "v"))
    _comparison(sent, m, c)
    share = (m.group("share") or "").replace(" ", "")
    if share in {"44%", "56%"}:
        c.wave(2018, 2, sent.whole(m, "share"), "uses the 2018 survey's figure")


@form(CMP + CITY + r"\s+approaches\s+innovation\s+capacity\s+(?P<how>.+?)")
def _approach(sent: Sent, m: re.Match[str], c: Collector) -> None:
    how = sent.group(m, "how")
    if how is not None:
        c.put(("strategy", "approach"), c.option(Scheme.APPROACH, how, "approach"))
    _comparison(sent, m, c)


@form(
    CITY
    + r"\s+does\s+not\s+prioriti[sz]e\s+(?:any\s+)?policy\s+(?:sectors|areas)(?:\s+for\s+its\s+innovation\s+work)?"  # noqa: E501
)
def _no_priority(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("strategy", "prioritises_policy_areas"), _bool(sent, m, False))


@form(
    CMP
    + CITY
    + r"\s+(?P<v>has|does not have|doesn't have)\s+(?:dedicated|specific)\s+funding\s+(?:to\s+support|for)\s+innovation(?:\s+capacity)?"  # noqa: E501
)
def _funding(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("funding", "dedicated"), _bool(sent, m, m.group("v").lower() == "has", "v"))
    _comparison(sent, m, c)


def _uses(sent: Sent, m: re.Match[str], c: Collector) -> None:
    for item in split_list(sent, m.start("list"), m.end("list"), Scheme.FUNDING_USE):
        c.add_label(("funding", "uses"), Scheme.FUNDING_USE, item.label, "funding use")
    _comparison(sent, m, c)


form(CMP + CITY + r"\s+(?:also\s+)?invests?\s+in\s+(?P<list>.+?)")(_uses)
form(
    CMP
    + CITY
    + POSS
    + r"\s+funding\s+for\s+innovation(?:\s+capacity)?\s+is\s+(?:(?:generally|also|mainly|mostly|often)\s+)*"
    r"(?:used|directed|spent|invested)\s+(?:to\s+invest\s+in|towards?|to|for|on|in)\s+(?P<list>.+?)"
)(_uses)


def _partners(sent: Sent, start: int, end: int, c: Collector, kind: str) -> None:
    scheme = Scheme.PARTNER_TYPE
    for item in split_list(sent, start, end, scheme):
        label = c.label(scheme, item.label, f"{kind} partner")
        entry: dict[str, object] = {"partner": label}
        includes: list[V] = []
        examples: list[V] = []
        for inner in item.inner:
            text = str(inner.value)
            if c.vocabulary.match(scheme, text).concept is not None:
                includes.append(c.label(scheme, inner, "partner kind"))
            elif text[:1].isupper() or re.search(r"\d", text):
                examples.append(inner)
            else:
                includes.append(c.label(scheme, inner, "partner kind"))
        if includes:
            entry["includes"] = includes
        if examples:
            entry["examples"] = examples
        c.items("partnerships", kind).append(entry)


@form(
    CITY
    + r"\s+has\s+(?:also\s+)?developed\s+partnerships\s+to\s+promote\s+(?:its\s+)?innovation(?:\s+capacity)?\s+with\s+(?P<list>.+?)"  # noqa: E501
)
def _innovation_partners(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("partnerships", "innovation_internal_only"), V(False, sent.whole(m, "list")))
    _partners(sent, m.start("list"), m.end("list"), c, "innovation")


@form(
    CITY
    + POSS
    + r"\s+innovation\s+work\s+is\s+(?:entirely\s+|mostly\s+)?internal\s+to\s+the\s+(?:city\s+)?administration"  # noqa: E501
)
def _internal(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("partnerships", "innovation_internal_only"), _bool(sent, m, True))


@form(
    r"(?:To\s+improve\s+data\s+use,\s+)?(?:the\s+city|"
    + CITY
    + r")\s+has\s+(?:also\s+)?developed\s+data\s+partnerships\s+with\s+"
    r"(?P<list>(?:(?!,?\s+(?:in\s+order\s+)?to\s).)+?)(?:,?\s+(?:in\s+order\s+)?to\s+(?P<purpose>[^,]+?))?(?:,?\s+as\s+well\s+as\s+with\s+(?P<more>.+?))?"
)
def _data_partners(sent: Sent, m: re.Match[str], c: Collector) -> None:
    _partners(sent, m.start("list"), m.end("list"), c, "data")
    if m.group("purpose"):
        sub = Sent(sent.text, sent.line, sent.offset, sent.cut and not m.group("more"))
        for item in split_list(sub, m.start("purpose"), m.end("purpose"), Scheme.DATA_PURPOSE):
            purpose = c.option(Scheme.DATA_PURPOSE, item.label, "data purpose")
            c.add_label(("partnerships", "data_purposes"), Scheme.DATA_PURPOSE, purpose, "data purpose")
    if m.group("more"):
        _partners(sent, m.start("more"), m.end("more"), c, "data")


@form(CITY + r"\s+utili[sz]es\s+(?P<n>\d+)\s+(?:different\s+)?innovation\s+skills?\s+or\s+roles?")
def _roles_count(sent: Sent, m: re.Match[str], c: Collector) -> None:
    n = sent.group(m, "n")
    if n is not None:
        c.put(("roles_count",), V(int(n.value), n.span))


@form(
    r"(?:Its|"
    + CITY
    + POSS
    + r")\s+innovation\s+activities\s+(?:also\s+)?(?:often\s+)?include\s+(?P<list>.+?)"
)
def _activities(sent: Sent, m: re.Match[str], c: Collector) -> None:
    for item in split_list(sent, m.start("list"), m.end("list"), Scheme.ACTIVITY):
        c.add_label(("activities",), Scheme.ACTIVITY, item.label, "innovation activity")


@form(
    CITY
    + POSS
    + r"\s+innovation\s+work\s+is\s+(?:being\s+)?sprinkled\s+throughout\s+(?:the\s+)?(?P<where>.+?)"
)
def _sprinkled(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("organisation", "distributed"), _bool(sent, m, True))
    staff = _STAFF.search(sent.text, m.start("where"), m.end("where"))  # `... and led by 10 staff`
    if staff is not None and staff.group("b") is None:
        first = sent.group(staff, "a") or sent.group(staff, "c")
        if first is not None:
            c.items("teams").append({"staff": _int(first)})


@form(CITY + r"\s+does\s+not\s+have\s+an?\s+dedicated\s+(?:innovation\s+)?team(?:\s+for\s+innovation)?")
def _no_team(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("organisation", "dedicated_team"), _bool(sent, m, False))


@form(
    r"(?:Almost\s+all|All|Most|Many|Several|Some)\s+(?:of\s+the\s+)?(?:city\s+)?(?:divisions|departments|units|agencies|directorates|services|sectors)(?:\s+of\s+the\s+city)?\s+have\s+their\s+own\s+innovation\s+(?:teams?|units?)"
)
def _divisions(sent: Sent, m: re.Match[str], c: Collector) -> None:
    c.put(("organisation", "distributed"), _bool(sent, m, True))


@form(CITY + POSS + r"\s+innovation\s+work\s+is\s+(?:being\s+)?led\s+by\s+(?P<list>.+?)")
def _work_led_by(sent: Sent, m: re.Match[str], c: Collector) -> None:
    for item in split_list(sent, m.start("list"), m.end("list"), None):
        value = re.sub(r"^the\s+", "", str(item.label.value), flags=re.I)
        if item.label.span and value != item.label.value:
            span = item.label.span
            item.label = V(value, Span(span.line, span.end - len(value), span.end))
        c.items("teams").append({"name": item.label})


# ---------------------------------------------------------------- teams

_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve"
_WORDS = {w: i for i, w in enumerate(_NUMBERS.split(" "))}
_NUM = r"(?:\d+|" + "|".join(_WORDS) + ")"
_PREFIX = re.compile(
    r"^(?:Situated\s+(?:in|at|within|inside|under)\s+(?:the\s+)?(?P<loc>[^,]+),\s+|"
    r"As\s+(?:an?\s+)?(?P<indep>independent)\s+(?:department|body|team|unit|office|agency|entity|organi[sz]ation)s?,\s+)",
    re.I,
)
_CLAUSES = re.compile(
    r"\s+while\s+|\s+whereas\s+|;\s+(?:and\s+)?|,\s+and\s+(?=the\s+)|\s+and\s+(?=another\s+team\b)", re.I
)
_TEAM_NAME = r"[A-Z][\w&'-]*(?:\s+(?:and|of|for|&|[A-Z][\w&'-]*))*"
_SUBJECT = re.compile(
    r"(?:(?:" + CITY + POSS + r"\s+)(?:dedicated\s+)?(?:innovation\s+)?team(?:\s+for\s+innovation)?"
    r"(?:\s+[–—-]\s+(?P<name>[^–—]+?)\s+[–—-])?"
    r"|(?:" + city_group("city3") + POSS + r"\s+)(?P<name3>" + _TEAM_NAME + r"\s+team)\b"
    r"|the\s+(?P<name2>.+?)\s+team\b"
    r"|" + city_group("city4") + r"\s+has\s+(?:one|a|an)\s+(?:dedicated\s+)?(?:innovation\s+)?team\b"
    r"|another\s+(?:innovation\s+)?team\b)",
    re.I,
)
_STAFF = re.compile(
    r"\b(?:consists\s+of|has|comprises|is\s+made\s+up\s+of|employs|counts|includes|with|of|led\s+by)\s+"
    r"(?:about\s+|around\s+|approximately\s+|some\s+)?"
    rf"(?P<a>{_NUM})(?:\s*(?:-|–|to)\s*(?P<b>{_NUM}))?\s+(?:full[- ]time\s+)?(?:staff|employees|people|persons|members|FTEs?)\b"  # noqa: E501
    rf"|\bstaff\s+of\s+(?:about\s+|around\s+|approximately\s+|some\s+)?(?P<c>{_NUM})\b",
    re.I,
)
_SUB = re.compile(rf"\bdivided\s+into\s+(?P<n>{_NUM})\s+(?:sub-?teams|teams|units)\b", re.I)
_LED = re.compile(
    r"\b(?:is\s+)?led\s+by\s+(?:the\s+)?(?P<who>(?!\d)(?!(?:" + _NUM + r")\s).+?)"
    r"(?=,|\s+and\s+(?:has|consists|is|comprises)\b|\s*[.*]*\s*$)",
    re.I,
)
# `Denver's Chief Information Officer, leads Peak Academy staff of 9 and Technology Services
# staff of 330`: teams named by what their leader leads.
_LEADER = re.compile(
    r"^"
    + CITY
    + POSS
    + r"\s+(?P<who>[A-Z][^,]+?),?\s+(?:leads|heads|manages|oversees)\s+(?P<list>.+?)"
    + END,
    re.I,
)
_LEADS = re.compile(rf"(?P<name>{_TEAM_NAME})\s+(?:staff|team)\s+of\s+(?P<n>{_NUM})\b")
# `The CKO manages a staff of 50.`: the staff of the team the sentence before says the CKO leads.
_MANAGES = re.compile(
    rf"^The\s+(?P<who>[\w .()&-]+?)\s+(?:manages|leads|heads|oversees|supervises)\s+(?:a\s+)?(?:team|staff)\s+of\s+(?P<n>{_NUM})\b",  # noqa: E501
    re.I,
)


def _int(v: V) -> V:
    text = str(v.value).lower()
    return V(_WORDS[text] if text in _WORDS else int(text), v.span)


def parse_team(sent: Sent, c: Collector) -> bool:
    """Team sentences: location, independence, name, staff (or range), sub-teams, leader."""
    if _managed_staff(sent, c):
        return True
    pos, common = 0, {}
    while prefix := _PREFIX.match(sent.text[pos:]):
        if prefix.group("loc"):
            loc = sent.piece(pos + prefix.start("loc"), pos + prefix.end("loc"))
            if loc is not None:
                common["location"] = loc
        if prefix.group("indep"):
            common["independent"] = V(
                True,
                Span(
                    sent.line,
                    sent.offset + pos + prefix.start("indep"),
                    sent.offset + pos + prefix.end("indep"),
                ),
            )
        pos += prefix.end()
    if not re.search(r"\bteams?\b", sent.text, re.I):
        return _leader_teams(sent, pos, common, c)
    bounds, last = [], pos
    for m in _CLAUSES.finditer(sent.text, pos):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(sent.text)))
    teams: list[dict[str, V]] = []
    subject_span: Span | None = None
    for a, b in bounds:
        clause = Sent(sent.text[:b], sent.line, sent.offset, sent.cut and b == len(sent.text))
        subject = _SUBJECT.match(sent.text, a, b)
        if subject is None:
            continue
        team: dict[str, V] = {}
        for g in ("city", "city3", "city4"):
            if subject.group(g) and (city := clause.group(subject, g)) is not None:
                c.cities.append(city)
        for g in ("name", "name2", "name3"):
            if subject.group(g):
                name = clause.piece(subject.start(g), subject.end(g))
                if name is not None:
                    team["name"] = name
        staff = _STAFF.search(sent.text, subject.end(), b)
        if staff:
            first, second = clause.group(staff, "a") or clause.group(staff, "c"), clause.group(staff, "b")
            if first is not None and staff.group("b") is None:
                team["staff"] = _int(first)
            elif first is not None and second is not None:
                team["staff_min"], team["staff_max"] = _int(first), _int(second)
        sub = _SUB.search(sent.text, subject.end(), b)
        if sub and (n := clause.group(sub, "n")) is not None:
            team["sub_teams"] = _int(n)
        led = _LED.search(sent.text, subject.end(), b)
        if led and (who := clause.group(led, "who")) is not None:
            team["led_by"] = who
        if set(team) - {"name"} or "name" in team:
            subject_span = subject_span or Span(
                sent.line, sent.offset + subject.start(), sent.offset + subject.end()
            )
            teams.append({**common, **team})
    if not teams:
        return _leader_teams(sent, pos, common, c)
    c.items("teams").extend(teams)
    c.put(("organisation", "dedicated_team"), V(True, subject_span))
    return True


def _leader_teams(sent: Sent, pos: int, common: dict[str, V], c: Collector) -> bool:
    """`<City>'s <leader>, leads <Team> staff of N and <Team> staff of M`."""
    m = _LEADER.match(sent.text[pos:])
    if m is None:
        return False
    shifted = Sent(sent.text[pos:], sent.line, sent.offset + pos, sent.cut)
    teams = []
    who = shifted.group(m, "who")
    for item in _LEADS.finditer(shifted.text, m.start("list"), m.end("list")):
        name, n = shifted.group(item, "name"), shifted.group(item, "n")
        if name is None or n is None:
            continue
        team: dict[str, V] = {**common, "name": name, "staff": _int(n)}
        if who is not None:
            team["led_by"] = who
        teams.append(team)
    if not teams:
        return False
    if (city := shifted.group(m, "city")) is not None:
        c.cities.append(city)
    c.items("teams").extend(teams)
    return True


def _managed_staff(sent: Sent, c: Collector) -> bool:
    """`The CKO manages a staff of 50.` after a sentence naming the team's leader."""
    m = _MANAGES.match(sent.text)
    teams = c.data.get("teams") or []
    if m is None or not teams or "staff" in teams[-1]:
        return False
    leader = teams[-1].get("led_by")
    who = m.group("who").strip()
    if leader is None or not re.search(rf"(?<!\w){re.escape(who)}(?!\w)", str(leader.value)):
        return False
    n = sent.group(m, "n")
    if n is None:
        return False
    teams[-1]["staff"] = _int(n)
    return True


def parse_sentence(sent: Sent, c: Collector) -> bool:
    """Recognise one narrative sentence; False when it is none of the known forms.

    A sentence the page ends inside that fits no form is tried again up to its last comma:
    what stands before a comma is known to be whole.
    """
    if _parse(sent, c):
        return True
    comma = max(sent.text.rfind(", "), sent.text.rfind("; "))
    return sent.cut and comma > 0 and _parse(Sent(sent.text[:comma], sent.line, sent.offset), c)


def _parse(sent: Sent, c: Collector) -> bool:
    for pattern, parser in _PARSERS:
        m = pattern.match(sent.text)
        if m is None and sent.cut:
            m = pattern.match(sent.text + ".")
        if m is not None:
            if m.groupdict().get("city"):
                city = sent.group(m, "city")
                if city is not None:
                    c.cities.append(V(re.sub(r"'s?$", "", clean_value(str(city.value))), city.span))
            parser(sent, m, c)
            return True
    return parse_team(sent, c)
