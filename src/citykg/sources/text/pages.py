"""The two layouts of a profile page: the headed one (labels and section headings) and the
flat one (a header anchored by the population line, goal and factor blocks repeated)."""

from __future__ import annotations

import re
from collections import Counter

from citykg.model.vocabulary import Scheme, normalise
from citykg.sources.text import layout as lay
from citykg.sources.text.common import Collector, Span, V, known, looks_like_people
from citykg.sources.text.header import SLOTS, looks_like_place, put_header, read_header

# ---------------------------------------------------------------- headed layout


def read_headed(page: lay.Page, nonblank: list[int], c: Collector) -> None:
    section: str | None = None
    pending: str | None = None
    first_label: str | None = None
    pre: list[int] = []
    seen_heading = False
    for idx in nonblank:
        text, line = page.text(idx), idx + 1
        label = next((k for k, p in lay.HEADER_LABELS.items() if p.match(text)), None)
        if label:
            c.kind(line, "heading")
            pending, section = label, None
            first_label = first_label or label
            continue
        if pending:
            slot, pending = pending, None
            put = put_header if slot in SLOTS else lay.header_value
            if put(page, idx, slot, c):
                continue
        heading = next(((name, m) for name, p in lay.SECTIONS if (m := p.match(text))), None)
        if heading:
            section, m = heading
            seen_heading = True
            c.kind(line, "heading")
            if "city" in m.groupdict():
                sent = page.sent(idx)
                city = sent.group(m, "city")
                if city is not None:
                    c.cities.append(V(re.sub(r"'s?$", "", str(city.value)), city.span))
            if section == "roles" and (n := page.sent(idx).group(m, "n")) is not None:
                c.put(("roles_count",), V(int(n.value), n.span))
                c.kinds.pop(line)
            continue
        if (
            section == "activities"
            and idx not in page.legend_lines
            and not lay.EXAMPLE.match(text)
            and not lay.NUMBERING.match(text)
        ):
            if lay.CAPTION.match(text) or not lay._short(text):
                section = None
            else:
                lay.label_line(page, idx, c, ("activities",), Scheme.ACTIVITY, "innovation activity")
                continue
        fixed = lay.fixed_kind(page, idx, c)
        if fixed:
            if fixed == "caption":
                section = None
            c.kind(line, fixed)
            continue
        if first_label is None and section is None and not seen_heading:
            pre.append(idx)  # the header: only before the first label or heading
            continue
        if section in ("goals", "factors") and lay.BULLET.match(text):
            keys, scheme = (
                (("goals",), Scheme.GOAL)
                if section == "goals"
                else (("success_factors",), Scheme.SUCCESS_FACTOR)
            )
            lay.label_line(page, idx, c, keys, scheme, "goal" if section == "goals" else "success factor")
            continue
        if section == "spotlight" and not lay.narrative(page, idx, c):
            lay.spotlight(page, idx, c)
            continue
        if section == "policy" and not lay.narrative(page, idx, c):
            if not lay.area_paragraph(page, idx, c) and lay._short(text):
                lay.label_line(page, idx, c, ("policy_areas",), Scheme.POLICY_AREA, "policy area")
            continue
        if section in ("roles", "terms") and lay._short(text):
            keys, scheme = (
                (("roles",), Scheme.INNOVATION_ROLE)
                if section == "roles"
                else (("terms",), Scheme.INNOVATION_TERM)
            )
            lay.label_line(
                page,
                idx,
                c,
                keys,
                scheme,
                "innovation role" if section == "roles" else "innovation term",
            )
            continue
        if not lay.narrative(page, idx, c):
            lay.area_paragraph(page, idx, c)
    _header_lines(page, pre, first_label, c)


def _header_lines(page: lay.Page, pre: list[int], first_label: str | None, c: Collector) -> None:
    """Lines before the first header label: the city, country, mayor and population, or the
    part of them the copy kept (it often begins at the mayor's name)."""
    before = first_label if first_label in SLOTS else None
    read_header(page, pre, c, city_name(c), before=before)


# ---------------------------------------------------------------- flat layout


def read_flat(page: lay.Page, nonblank: list[int], c: Collector) -> None:
    pop = next((i for i in nonblank if lay.population_line(page.text(i))), None)
    body = nonblank
    if pop is not None:
        before = [i for i in nonblank if i < pop]
        after = [i for i in nonblank if i > pop]
        pre_texts = {normalise(page.text(i)) for i in before}
        officer = None
        if (
            after
            and not lay.is_block_label(page.text(after[0]))
            and normalise(page.text(after[0])) not in pre_texts
            and looks_like_people(page.text(after[0]))
        ):
            officer = after.pop(0)
        repeat: list[int] = []
        for i in after:
            if lay.is_block_label(page.text(i)) or normalise(page.text(i)) in pre_texts:
                repeat.append(i)
            else:
                break
        repeat_texts = {normalise(page.text(i)) for i in repeat}
        header: list[int] = []
        for i in reversed(before):
            if (
                len(header) < 3
                and normalise(page.text(i)) not in repeat_texts
                and not lay.is_block_label(page.text(i))
            ):
                header.insert(0, i)
            else:
                break
        unplaced = read_header(page, [*header, pop], c, city_name(c), note_left_out=False)
        header = [i for i in header if i not in unplaced]
        if officer is not None:
            lay.header_value(page, officer, "officers", c)
        block = [i for i in before if i not in header]
        _block(page, block, repeat, c)
        body = [i for i in after if i not in repeat]
    else:
        # a page starting after its header: leading goal / factor lines are still the city's
        # (a copy of only that block, too): the short lines it opens with, up to the last that is
        # a known goal or factor, free text between them taking the group of its place
        leading: list[int] = []
        for i in nonblank:
            if not lay._short(page.text(i)) or lay.fixed_kind(page, i, c) or lay.is_heading(page.text(i)):
                break
            leading.append(i)
        while leading and not lay.is_block_label(page.text(leading[-1])):
            leading.pop()
        if leading and leading[0] == nonblank[0] and page.text(leading[0])[:1].islower():
            first = leading.pop(0)  # the copy begins inside this line: `rove service delivery`
            c.kind(first + 1, "truncated")
            c.note("the page begins inside this line; its cut-off start was not read", Span(first + 1, 0, 0))
        _block(page, leading, [], c)
        body = [i for i in nonblank if i not in leading]
    started = False
    for idx in body:
        text, line = page.text(idx), idx + 1
        fixed = lay.fixed_kind(page, idx, c)
        if fixed:
            c.kind(line, fixed)
            continue
        if lay.area_paragraph(page, idx, c):
            started = True
            continue
        if lay.narrative(page, idx, c):
            started = True
            continue
        if not started and len(text) > 100:
            lay.spotlight(page, idx, c)


def _block(page: lay.Page, block: list[int], repeat: list[int], c: Collector) -> None:
    """The goal and success-factor lines (and their repetition): vocabulary, then position."""
    city = city_name(c)
    if block and city and normalise(page.text(block[0])) == normalise(city):
        v = page.sent(block[0]).piece(0, len(page.text(block[0])))
        c.put(("city", "name"), v)
        c.kind(block[0] + 1, "heading")
        block = block[1:]
    if block and not lay.is_block_label(page.text(block[0])) and looks_like_place(page.text(block[0])):
        # a name above the goals, where the site prints the city: not a goal, and not known to
        # be the city while no sentence names it
        c.kind(block[0] + 1, "ambiguous")
        c.note(
            f"{page.text(block[0])!r} stands above the goals like a city's name, but no heading or "
            "sentence of the page names the city; left out",
            Span(block[0] + 1, 0, len(page.norms[block[0]])),
            "city.name",
        )
        block = block[1:]
    seen = {normalise(page.text(i)) for i in block}
    for lines in (block, [i for i in repeat if normalise(page.text(i)) not in seen]):
        in_factors = False
        for i in lines:
            text = page.text(i)
            if known(Scheme.SUCCESS_FACTOR, text) and not known(Scheme.GOAL, text):
                in_factors = True
            elif known(Scheme.GOAL, text):
                in_factors = False
            if in_factors:
                lay.label_line(page, i, c, ("success_factors",), Scheme.SUCCESS_FACTOR, "success factor")
            else:
                lay.label_line(page, i, c, ("goals",), Scheme.GOAL, "goal")
    for i in repeat:
        if normalise(page.text(i)) in seen:
            c.kind(i + 1, "repeat")


def prescan_cities(page: lay.Page, source: str, raw: list[str]) -> list[V]:
    """The subjects of the narrative sentences and headings, read before the header is."""
    scratch = Collector(source, raw)
    for idx, norm in enumerate(page.norms):
        text = norm.strip()
        heading = next((m for _, p in lay.SECTIONS if (m := p.match(text))), None)
        if heading is not None and heading.groupdict().get("city"):
            city = page.sent(idx).group(heading, "city")  # None when the page ends inside it
            if city is not None:
                scratch.cities.append(V(re.sub(r"'s?$", "", str(city.value)), None))
        elif text:
            lay.narrative(page, idx, scratch)
    return [V(v.value, None) for v in scratch.cities]


def city_name(c: Collector) -> str | None:
    names = Counter(normalise(str(v.value)) for v in c.cities if v.value)
    if not names:
        return None
    best = names.most_common(1)[0][0]
    return next(str(v.value) for v in c.cities if normalise(str(v.value)) == best)
