"""The forward chainer: the compiled rules applied to data until nothing new follows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass
class Closure:
    """What inference found: new triples (data triples only) and contradictions."""

    triples: set[Triple]
    conflicts: list[tuple[Term, Term, Term]]


def infer(data: Iterable[Triple], rules: Rules | None = None) -> Closure:
    """The data triples owlrl would add to ontology + neutralise(data), computed by rules.

    Returns triples not asserted in `data` and not in the ontology's closure, whose subject is a
    data resource (not a literal, not a term the ontology describes, not in a reserved
    namespace), leaving out owl:sameAs, `rdf:type owl:Thing` and types of anonymous classes.
    """
    rules = rules or compile_rules()
    join = rules.join_properties
    known: set[Triple] = set(rules.ontology)
    forward: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in join}
    backward: dict[Term, dict[Term, set[Term]]] = {p: defaultdict(set) for p in join}
    types: dict[Term, set[Term]] = defaultdict(set)

    def index(triple: Triple) -> None:
        s, p, o = triple
        if p == TYPE:
            types[s].add(o)
        elif p in join:
            forward[p][s].add(o)
            backward[p][o].add(s)

    for triple in rules.ontology:
        index(triple)
    asserted: set[Triple] = set()
    agenda: list[Triple] = []
    for triple in neutralise(data, rules):
        if triple not in known:
            known.add(triple)
            asserted.add(triple)
            index(triple)
            agenda.append(triple)

    conflicts: list[tuple[Term, Term, Term]] = []
    new: set[Triple] = set()

    def emit(triple: Triple) -> None:
        if triple not in known:
            known.add(triple)
            new.add(triple)
            index(triple)
            agenda.append(triple)

    superclasses, superproperties = rules.superclasses, rules.superproperties
    domains, ranges, inverses = rules.domains, rules.ranges, rules.inverses
    chains_first: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    chains_second: dict[Term, list[tuple[Term, Term]]] = defaultdict(list)
    for result, first, second in rules.chains:
        chains_first[first].append((result, second))
        chains_second[second].append((result, first))
    by_filler: dict[Term, list[tuple[Term, frozenset[Term]]]] = defaultdict(list)
    for prop, restrictions in rules.some_values.items():
        for filler, implied in restrictions:
            by_filler[filler].append((prop, implied))

    while agenda:
        s, p, o = agenda.pop()
        if p == TYPE:
            for cls in superclasses.get(o, ()):
                emit((s, TYPE, cls))
            for other in rules.disjoint.get(o, ()):
                if other in types[s] and not is_literal(s):
                    first, second = sorted((o, other), key=str)
                    conflicts.append((s, first, second))
            for prop, implied in by_filler.get(o, ()):
                for x in list(backward[prop].get(s, ())):
                    for cls in implied:
                        emit((x, TYPE, cls))
            continue
        for q in superproperties.get(p, ()):
            emit((s, q, o))
        for cls in domains.get(p, ()):
            emit((s, TYPE, cls))
        # literals are typed too (owlrl does it, and a typed literal can satisfy a restriction);
        # triples about literals are dropped from the result below
        for cls in ranges.get(p, ()):
            emit((o, TYPE, cls))
        for q in inverses.get(p, ()):
            emit((o, q, s))
        if p in rules.transitive:
            for z in list(forward[p].get(o, ())):
                emit((s, p, z))
            for w in list(backward[p].get(s, ())):
                emit((w, p, o))
        for result, second in chains_first.get(p, ()):
            for z in list(forward[second].get(o, ())):
                emit((s, result, z))
        for result, first in chains_second.get(p, ()):
            for w in list(backward[first].get(s, ())):
                emit((w, result, o))
        for filler, implied in rules.some_values.get(p, ()):
            if filler == THING or filler in types.get(o, ()):
                for cls in implied:
                    emit((s, TYPE, cls))

    triples = {
        t
        for t in new
        if not is_literal(t[0])
        and t[1] != SAME_AS
        and t[2] != THING
        and t[0] not in rules.ontology_subjects
        and not reserved(t[0])
    }
    return Closure(triples, sorted(set(conflicts), key=str))
