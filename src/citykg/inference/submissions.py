"""Inference one submission at a time, and what joins submissions.

Every rule but four reads one data triple and the ontology. The four that read two data
triples join them on a term `y`: a `someValuesFrom` restriction (x p y, y a Filler), a
transitive property (x p y, y p z), a property chain (x first y, y second z) and disjoint
classes (y a C, y a C'). So the closure of ontology + one submission is computed on its own
(`infer_submission`: pure, cheap, fit for a worker process), and the union of those closures
misses only what follows from a join whose two triples come from two submissions' closures.
That needs a term playing, in two submissions, two *roles* that some rule joins (object of p
in one and of type Filler in the other, ...): `SubmissionClosure.joins` lists the roles each
term plays in one submission (a few terms per submission), and `CrossJoins` finds the terms
(`points`) where two submissions' roles meet. Only the resources joined to those need the
store-wide pass (materialise.refresh, on the points): everything else about a resource depends
on triples of the one submission that mentions it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from citykg.inference.chain import chainer
from citykg.inference.rules import THING, TYPE, Rules, Term, Triple, compile_rules

#: a term's roles, one bit per (position, property or class) some rule joins on
Roles = int


@dataclass
class SubmissionClosure:
    """What one submission's triples infer with the ontology alone."""

    #: the inferred data triples, before those another submission asserts are dropped
    triples: list[Triple]
    conflicts: list[tuple[Term, Term, Term]]
    #: how many triples were read (those whose predicate some rule reads)
    asserted: int
    #: term -> the roles it plays in the submission's closure (only terms with a role)
    joins: dict[Term, Roles] = field(default_factory=dict)


class JoinRoles:
    """The roles of `rules`: (object of p), (subject of p) for the properties rules join on,
    (type C) for the classes they join on; and which roles join which."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        bits: dict[tuple[str, Term], int] = {}

        def bit(role: tuple[str, Term]) -> int:
            return bits.setdefault(role, 1 << len(bits))

        pairs: list[tuple[int, int]] = []
        for prop, restrictions in rules.some_values.items():
            for filler, _ in restrictions:
                if filler != THING:  # x p y alone implies it: no join
                    pairs.append((bit(("o", prop)), bit(("t", filler))))
        for prop in rules.transitive:
            pairs.append((bit(("o", prop)), bit(("s", prop))))
        for _, first, second in rules.chains:
            pairs.append((bit(("o", first)), bit(("s", second))))
        for cls, others in rules.disjoint.items():
            pairs.extend((bit(("t", cls)), bit(("t", other))) for other in others)
        self.partners: dict[int, int] = {}
        for a, b in pairs:
            self.partners[a] = self.partners.get(a, 0) | b
            self.partners[b] = self.partners.get(b, 0) | a
        self.subject_bits = {p: b for (where, p), b in bits.items() if where == "s"}
        self.object_bits = {p: b for (where, p), b in bits.items() if where == "o"}
        self.type_bits = {c: b for (where, c), b in bits.items() if where == "t"}

    def of(self, triples: Iterable[Triple]) -> dict[Term, Roles]:
        """The roles each term plays in `triples`."""
        out: dict[Term, Roles] = {}
        subject_bits, object_bits, type_bits = self.subject_bits, self.object_bits, self.type_bits
        for s, p, o in triples:
            if p == TYPE:
                found = type_bits.get(o)
                if found:
                    out[s] = out.get(s, 0) | found
                continue
            found = subject_bits.get(p)
            if found:
                out[s] = out.get(s, 0) | found
            found = object_bits.get(p)
            if found:
                out[o] = out.get(o, 0) | found
        return out

    def joinable(self, one: Roles, other: Roles) -> bool:
        """Whether a role in `one` joins a role in `other`."""
        partners = self.partners
        while one:
            low = one & -one
            if partners.get(low, 0) & other:
                return True
            one ^= low
        return False


_ROLES: dict[int, JoinRoles] = {}


def join_roles(rules: Rules) -> JoinRoles:
    found = _ROLES.get(id(rules))
    if found is None or found.rules is not rules:
        if len(_ROLES) >= 4:
            _ROLES.clear()
        found = _ROLES[id(rules)] = JoinRoles(rules)
    return found


def infer_submission(triples: Iterable[Triple], rules: Rules | None = None) -> SubmissionClosure:
    """The closure of the ontology and one submission's triples (N-Triples form, all of its
    named graph's triples; see `as_triples`): pure, so a worker process can run it."""
    rules = rules or compile_rules()
    data = list(triples)
    closure = chainer(rules).run(data, keep_known=True)
    assert closure.known is not None
    return SubmissionClosure(
        triples=sorted(closure.triples),
        conflicts=closure.conflicts,
        asserted=len(data),
        joins=join_roles(rules).of(closure.known),
    )


def as_triples(quads: Iterable[ox.Quad | ox.Triple]) -> list[Triple]:
    """pyoxigraph quads or triples in the form `infer_submission` reads."""
    return [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]


class CrossJoins:
    """The terms where roles of two different submissions join (`points`), from each
    submission's `SubmissionClosure.joins`, added once per submission."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.roles = join_roles(rules or compile_rules())
        #: term -> (the first submission's number, its roles, the roles of all later ones)
        self._seen: dict[Term, tuple[int, Roles, Roles]] = {}
        self._count = 0
        self.points: set[Term] = set()

    def add(self, joins: dict[Term, Roles]) -> None:
        number = self._count
        self._count += 1
        seen, joinable = self._seen, self.roles.joinable
        for term, roles in joins.items():
            before = seen.get(term)
            if before is None:
                seen[term] = (number, roles, 0)
                continue
            first, first_roles, later = before
            if joinable(roles, first_roles | later):
                self.points.add(term)
            seen[term] = (first, first_roles, later | roles)
