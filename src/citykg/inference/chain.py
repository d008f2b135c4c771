"""The forward chainer: the compiled rules applied to data until nothing new follows.

`Chainer(rules)` indexes the ontology's closure once; `run(data)` then costs what the data
costs, not what the ontology does, so running it once per submission (`infer_submission`,
citykg.inference.submissions) is as cheap per triple as running it on the whole store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from citykg.inference.rules import (
    SAME_AS,
    THING,
    TYPE,
    Rules,
    Term,
    Triple,
    compile_rules,
    is_literal,
    neutralise,
    reserved,
)

_EMPTY: frozenset[Term] = frozenset()
#: what one triple implies: (position, property, position) edges, (position, class) types
Template = tuple[tuple[tuple[int, Term, int], ...], tuple[tuple[int, Term], ...]]


def _closed(table: dict[Term, frozenset[Term]]) -> dict[Term, frozenset[Term]]:
    """`table` (class -> super-classes) closed under transitivity, the class itself left out."""
    out: dict[Term, frozenset[Term]] = {}
    for start in table:
        seen: set[Term] = set()
        todo = list(table[start])
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(table.get(cls, ()))
        out[start] = frozenset(seen - {start})
    return out


@dataclass
class Closure:
    """What inference found: new triples (data triples only) and contradictions; `known` is
    every triple of the data's closure (asserted and new), but the ontology's and the types of
    literals that no rule joins on (they are not data triples either)."""

    triples: set[Triple]
    conflicts: list[tuple[Term, Term, Term]]
    known: set[Triple] | None = None


class Chainer:
    """The rule tables of `rules` with the ontology's closure indexed, ready to run on data."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        join = rules.join_properties
        self.join = join
        forward: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in join}
        backward: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in join}
        types: dict[Term, set[Term]] = defaultdict(set)
        for s, p, o in rules.ontology:
            if p == TYPE:
                types[s].add(o)
            elif p in join:
                forward[p][s].add(o)
                backward[p][o].add(s)
        self.base_forward = {p: {k: frozenset(v) for k, v in t.items()} for p, t in forward.items()}
        self.base_backward = {p: {k: frozenset(v) for k, v in t.items()} for p, t in backward.items()}
        self.base_types = {k: frozenset(v) for k, v in types.items()}
        chains_first: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        chains_second: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
        for result, first, second in rules.chains:
            chains_first[first].append((result, second))
            chains_second[second].append((result, first))
        self.chains_first = dict(chains_first)
        self.chains_second = dict(chains_second)
        by_filler: dict[Term, list[tuple[Term, frozenset[Term]]]] = defaultdict(list)
        for prop, restrictions in rules.some_values.items():
            for filler, implied in restrictions:
                by_filler[filler].append((prop, implied))
        self.by_filler = dict(by_filler)
        #: classes a two-triple rule joins on (restrictions' fillers, disjoint classes)
        self.joined_types = frozenset(self.by_filler) | frozenset(rules.disjoint)
        self.superclasses = _closed(rules.superclasses)
        self._templates: dict[Term, Template] = {}

    def templates(self, p: Term) -> Template:
        """What one triple `(s, p, o)` implies by the rules that read one data triple
        (sub-properties, domains, ranges, inverses, `someValuesFrom owl:Thing`, sub-classes):
        (position, property, position) edges and (position, class) types over (s, o), 0 or 1."""
        found = self._templates.get(p)
        if found is not None:
            return found
        rules = self.rules
        edges: set[tuple[int, Term, int]] = set()
        types: set[tuple[int, Term]] = set()
        todo = [(0, p, 1)]
        while todo:
            a, q, b = todo.pop()
            if (a, q, b) in edges:
                continue
            edges.add((a, q, b))
            todo.extend((a, sup, b) for sup in rules.superproperties.get(q, ()))
            todo.extend((b, inv, a) for inv in rules.inverses.get(q, ()))
            types.update((a, cls) for cls in rules.domains.get(q, ()))
            types.update((b, cls) for cls in rules.ranges.get(q, ()))
            for filler, implied in rules.some_values.get(q, ()):
                if filler == THING:
                    types.update((a, cls) for cls in implied)
        types.update((a, sup) for a, cls in list(types) for sup in self.superclasses.get(cls, ()))
        edges.discard((0, p, 1))
        found = self._templates[p] = (tuple(sorted(edges)), tuple(sorted(types)))
        return found

    def run(self, data: Iterable[Triple], *, keep_known: bool = False) -> Closure:
        """The data triples owlrl would add to ontology + neutralise(data), computed by rules.

        Returns triples not asserted in `data` and not in the ontology's closure, whose subject
        is a data resource (not a literal, not a term the ontology describes, not in a reserved
        namespace), leaving out owl:sameAs, `rdf:type owl:Thing` and types of anonymous classes.
        With `keep_known`, the closure's every triple too (`Closure.known`).

        Each triple's one-triple consequences come from its predicate's `templates` (its
        class's super-classes for a type); only the triples a two-triple rule joins on (the
        join properties, the restrictions' fillers, disjoint classes) go on the agenda.
        """
        rules = self.rules
        base: frozenset[Triple] = rules.ontology
        join = self.join
        joined_types = self.joined_types
        base_forward, base_backward, base_types = self.base_forward, self.base_backward, self.base_types
        forward: dict[Term, dict[Term, set[Term]]] = {p: {} for p in join}
        backward: dict[Term, dict[Term, set[Term]]] = {p: {} for p in join}
        types: dict[Term, set[Term]] = {}
        known: set[Triple] = set()
        agenda: list[Triple] = []
        new: set[Triple] = set()
        superclasses = self.superclasses
        templates = self._templates

        def add(triple: Triple) -> bool:
            if triple in known or triple in base:
                return False
            known.add(triple)
            s, p, o = triple
            if p == TYPE:
                types.setdefault(s, set()).add(o)
                if o in joined_types:
                    agenda.append(triple)
            elif p in join:
                forward[p].setdefault(s, set()).add(o)
                backward[p].setdefault(o, set()).add(s)
                agenda.append(triple)
            return True

        def expand(triple: Triple) -> None:
            s, p, o = triple
            if p == TYPE:
                for cls in superclasses.get(o, ()):
                    t = (s, TYPE, cls)
                    if add(t):
                        new.add(t)
                return
            edges, implied = templates.get(p) or self.templates(p)
            ends = (s, o)
            for a, q, b in edges:
                t = (ends[a], q, ends[b])
                if add(t):
                    new.add(t)
            literal = o.startswith('"')
            for a, cls in implied:
                if a and literal and cls not in joined_types:
                    continue  # a literal's type matters only where a rule joins on it
                t = (ends[a], TYPE, cls)
                if add(t):
                    new.add(t)

        def emit(triple: Triple) -> None:
            if add(triple):
                new.add(triple)
                expand(triple)

        given = [t for t in neutralise(data, rules) if add(t)]
        for triple in given:
            expand(triple)

        def objects(p: Term, s: Term) -> list[Term]:
            return list(chain(base_forward[p].get(s, _EMPTY), forward[p].get(s, _EMPTY)))

        def subjects(p: Term, o: Term) -> list[Term]:
            return list(chain(base_backward[p].get(o, _EMPTY), backward[p].get(o, _EMPTY)))

        def has_type(s: Term, cls: Term) -> bool:
            return cls in types.get(s, _EMPTY) or cls in base_types.get(s, _EMPTY)

        transitive, some_values, disjoint = rules.transitive, rules.some_values, rules.disjoint
        chains_first, chains_second, by_filler = self.chains_first, self.chains_second, self.by_filler
        conflicts: list[tuple[Term, Term, Term]] = []

        while agenda:  # the two-triple rules
            s, p, o = agenda.pop()
            if p == TYPE:
                for other in disjoint.get(o, ()):
                    if has_type(s, other) and not is_literal(s):
                        first, second = sorted((o, other), key=str)
                        conflicts.append((s, first, second))
                for prop, implied in by_filler.get(o, ()):
                    for x in subjects(prop, s):
                        for cls in implied:
                            emit((x, TYPE, cls))
                continue
            if p in transitive:
                for z in objects(p, o):
                    emit((s, p, z))
                for w in subjects(p, s):
                    emit((w, p, o))
            for result, second in chains_first.get(p, ()):
                for z in objects(second, o):
                    emit((s, result, z))
            for result, first in chains_second.get(p, ()):
                for w in subjects(first, s):
                    emit((w, result, o))
            for filler, implied in some_values.get(p, ()):
                if filler != THING and has_type(o, filler):
                    for cls in implied:
                        emit((s, TYPE, cls))

        ontology_subjects = rules.ontology_subjects
        triples = {
            t
            for t in new
            if not is_literal(t[0])
            and t[1] != SAME_AS
            and t[2] != THING
            and t[0] not in ontology_subjects
            and not reserved(t[0])
        }
        return Closure(triples, sorted(set(conflicts), key=str), known if keep_known else None)


_CHAINERS: dict[int, Chainer] = {}


def chainer(rules: Rules | None = None) -> Chainer:
    """The Chainer of `rules` (the compiled ontology when None), built once per process."""
    rules = rules or compile_rules()
    found = _CHAINERS.get(id(rules))
    if found is None or found.rules is not rules:
        if len(_CHAINERS) >= 4:  # tests compile many small ontologies
            _CHAINERS.clear()
        found = _CHAINERS[id(rules)] = Chainer(rules)
    return found


def infer(data: Iterable[Triple], rules: Rules | None = None) -> Closure:
    """`Chainer.run` on `data` with the rules of `rules` (the compiled ontology when None)."""
    return chainer(rules).run(data)
