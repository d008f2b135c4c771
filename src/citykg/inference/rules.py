"""OWL-RL inference: the consequences of the ontology for the data, in their own named graph.

owlrl is the reference. It computes the closure of the ontology (ontology/*.ttl, ~2,000 triples)
once; that closure is compiled into a few rule tables (sub-classes, sub-properties, domains,
ranges, inverses, transitive properties, property chains, someValuesFrom restrictions and
disjoint classes). The data is then run through those rules by a semi-naive forward chainer, so
the cost grows with the data only, not with owlrl's whole-graph passes. Terms are handled in
their N-Triples form (`<iri>`, `_:id`, `"literal"...`): the store dumps its data in that form in
one pass, far faster than building a Python object per term. The differential tests
(tests/test_inference.py) check that the result is exactly owlrl's closure restricted to data
triples (docs/decisions/0002-inference-data-triples.md defines them).

The ontology can only be extended by the ontology: data triples that would act as schema
(`owl:sameAs`, any `owl:` predicate, `rdfs:subClassOf` and friends, meta-class types, triples
about ontology or vocabulary terms, edges of transitive properties) are ignored by inference
(`neutralise`), so no submission can make the inferred graph grow faster than the data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import owlrl
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from citykg.model.ontology import ontology_graph
from citykg.rdf.convert import to_ox
from citykg.rdf.terms import CKG, OWL, RDF, RDFS, SKOS, VOCAB, XSD

#: A term in its N-Triples form: `<iri>`, `_:label` or a literal (`"text"`, `"1"^^<datatype>`).
#: A deliberate third representation beside rdflib's and pyoxigraph's terms (rdf/convert.py):
#: the chainer compares and hashes plain strings, and the store loads them as N-Quads lines in bulk.
Term = str
Triple = tuple[Term, Term, Term]


def nt(term: Node) -> Term:
    """An rdflib term in N-Triples form, as the store writes it."""
    return str(to_ox(term))


TYPE = nt(RDF.type)
THING = nt(OWL.Thing)
SAME_AS = nt(OWL.sameAs)

#: Namespaces whose terms only the ontology may describe.
RESERVED_NAMESPACES: tuple[str, ...] = (
    str(CKG),
    str(VOCAB),
    str(OWL),
    str(RDF),
    str(RDFS),
    str(XSD),
    str(SKOS),
)
_RESERVED_TERMS: tuple[str, ...] = tuple("<" + namespace for namespace in RESERVED_NAMESPACES)
#: RDFS predicates that would act as schema if data used them.
_SCHEMA_PREDICATES = frozenset(nt(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range))
#: OWL constructs the compiler does not translate; an ontology using them is refused.
_UNSUPPORTED_PREDICATES = frozenset(
    str(p)
    for p in (
        OWL.hasValue,
        OWL.allValuesFrom,
        OWL.intersectionOf,
        OWL.unionOf,
        OWL.complementOf,
        OWL.oneOf,
        OWL.maxCardinality,
        OWL.maxQualifiedCardinality,
        OWL.cardinality,
        OWL.qualifiedCardinality,
        OWL.hasKey,
        OWL.propertyDisjointWith,
        OWL.members,
        OWL.sameAs,
        OWL.differentFrom,
        OWL.hasSelf,
    )
)
_UNSUPPORTED_TYPES = frozenset(
    str(t)
    for t in (
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.IrreflexiveProperty,
        OWL.ReflexiveProperty,
        OWL.AllDisjointClasses,
        OWL.AllDisjointProperties,
        OWL.AllDifferent,
        OWL.NegativePropertyAssertion,
    )
)


class UnsupportedOntology(Exception):
    """The ontology uses an OWL construct the rule compiler does not translate (a bug to fix here)."""


# ------------------------------------------------------------------ the ontology, compiled


def reserved(term: Term) -> bool:
    """A term of a namespace only the ontology may describe."""
    return term.startswith(_RESERVED_TERMS)


def is_literal(term: Term) -> bool:
    return term.startswith('"')


@cache
def ontology_closure() -> Graph:
    """owlrl's OWL-RL closure of the ontology and vocabularies (computed once per process)."""

    closure = Graph()
    closure += ontology_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure


@dataclass
class Rules:
    """The ontology's closure as rule tables over terms in N-Triples form."""

    superclasses: dict[Term, frozenset[Term]] = field(default_factory=dict)
    superproperties: dict[Term, frozenset[Term]] = field(default_factory=dict)
    domains: dict[Term, frozenset[Term]] = field(default_factory=dict)
    ranges: dict[Term, frozenset[Term]] = field(default_factory=dict)
    inverses: dict[Term, frozenset[Term]] = field(default_factory=dict)
    transitive: frozenset[Term] = frozenset()
    #: (result property, first, second): x first y, y second z => x result z
    chains: tuple[tuple[Term, Term, Term], ...] = ()
    #: property -> [(filler class, named classes implied)]: x p y, y a filler => x a implied
    some_values: dict[Term, list[tuple[Term, frozenset[Term]]]] = field(default_factory=dict)
    disjoint: dict[Term, frozenset[Term]] = field(default_factory=dict)
    #: the closure's own triples, so data can join with them (vocabulary hierarchy, types)
    ontology: frozenset[Triple] = frozenset()
    #: subjects the ontology describes (data may not describe them)
    ontology_subjects: frozenset[Term] = frozenset()

    @property
    def predicates(self) -> frozenset[Term]:
        """The predicates some rule reads: triples with any other predicate infer nothing."""
        out = set(self.join_properties) | {TYPE}
        for table in (self.superproperties, self.domains, self.ranges, self.inverses):
            out.update(table)
        return frozenset(out)

    @property
    def join_properties(self) -> frozenset[Term]:
        """Properties whose triples must be indexed for joins."""
        out = set(self.transitive)
        for _, first, second in self.chains:
            out.update((first, second))
        out.update(self.some_values)
        return frozenset(out)


def _named(term: object) -> bool:
    return isinstance(term, URIRef)


@cache
def compile_rules() -> Rules:
    """Compile the owlrl closure of the ontology into rule tables."""
    return compile_closure(ontology_closure())


def compile_closure(closure: Graph) -> Rules:
    def builtin(term: object) -> bool:
        return isinstance(term, URIRef) and str(term).startswith((str(OWL), str(RDF), str(RDFS), str(XSD)))

    for s, p, o in closure:
        if builtin(s) or (p == OWL.sameAs and s == o):
            continue
        if str(p) in _UNSUPPORTED_PREDICATES or (p == RDF.type and str(o) in _UNSUPPORTED_TYPES):
            raise UnsupportedOntology(
                f"the ontology uses {p if str(p) in _UNSUPPORTED_PREDICATES else o} (on {s}), "
                "which citykg.inference does not compile into rules yet"
            )

    def pairs(predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
        for s, o in closure.subject_objects(predicate):
            if _named(s) and _named(o) and not builtin(s):
                yield s, o  # type: ignore[misc]

    def table(one_way: tuple[URIRef, ...], both_ways: tuple[URIRef, ...] = ()) -> dict[Term, set[Term]]:
        """subject -> objects of the given predicates (both directions for symmetric ones)."""
        out: dict[Term, set[Term]] = defaultdict(set)
        for predicate in one_way + both_ways:
            for a, b in pairs(predicate):
                out[nt(a)].add(nt(b))
                if predicate in both_ways:
                    out[nt(b)].add(nt(a))
        return out

    supc = table((RDFS.subClassOf,), (OWL.equivalentClass,))
    supp = table((RDFS.subPropertyOf,), (OWL.equivalentProperty,))
    domains = table((RDFS.domain,))
    ranges = table((RDFS.range,))
    inverses = table((), (OWL.inverseOf,))
    disjoint = table((), (OWL.disjointWith,))
    transitive = frozenset(
        nt(s) for s in closure.subjects(RDF.type, OWL.TransitiveProperty) if _named(s) and not builtin(s)
    )
    chains = []
    for prop, head in closure.subject_objects(OWL.propertyChainAxiom):
        members = list(Collection(closure, head))
        if len(members) != 2 or not all(_named(m) for m in members):
            raise UnsupportedOntology(f"property chain of {prop} must have two named properties")
        chains.append((nt(prop), nt(members[0]), nt(members[1])))
    some_values: dict[Term, list[tuple[Term, frozenset[Term]]]] = defaultdict(list)
    for restriction, filler in closure.subject_objects(OWL.someValuesFrom):
        on = closure.value(restriction, OWL.onProperty)
        if on is None or not _named(on) or not _named(filler):
            raise UnsupportedOntology(f"someValuesFrom restriction {restriction} must use named terms")
        if filler == RDFS.Literal or str(filler).startswith(str(XSD)):
            raise UnsupportedOntology(f"someValuesFrom restriction on {on} has a datatype filler")
        implied = frozenset(
            nt(c) for c in closure.objects(restriction, RDFS.subClassOf) if _named(c) and c != OWL.Thing
        ) | frozenset(nt(c) for c in closure.objects(restriction, OWL.equivalentClass) if _named(c))
        some_values[nt(on)].append((nt(filler), implied))

    ontology_triples = frozenset(
        (nt(s), nt(p), nt(o))
        for s, p, o in closure
        if not isinstance(s, BNode) and not isinstance(o, BNode) and p != OWL.sameAs
    )

    def freeze(table: dict[Term, set[Term]]) -> dict[Term, frozenset[Term]]:
        return {k: frozenset(v - {k, THING}) for k, v in table.items() if v - {k, THING}}

    return Rules(
        superclasses=freeze(supc),
        superproperties=freeze(supp),
        domains=freeze(domains),
        ranges=freeze(ranges),
        inverses={k: frozenset(v) for k, v in inverses.items()},
        transitive=transitive,
        chains=tuple(sorted(chains, key=str)),
        some_values=dict(some_values),
        disjoint={k: frozenset(v) for k, v in disjoint.items()},
        ontology=ontology_triples,
        ontology_subjects=frozenset(nt(s) for s in closure.subjects() if not isinstance(s, BNode)),
    )


# ------------------------------------------------------------------ what data may say


def neutralise(triples: Iterable[Triple], rules: Rules | None = None) -> Iterator[Triple]:
    """The data triples inference takes into account; the others could only act as schema.

    Ignored: any predicate in the OWL namespace (owl:sameAs chains included), rdfs:subClassOf,
    rdfs:subPropertyOf, rdfs:domain and rdfs:range; types whose class is an OWL or RDFS term
    (owl:Class, owl:TransitiveProperty, rdfs:Class...) or rdf:Property; triples whose subject is
    a term of the ontology or the vocabularies (or of the owl, rdf, rdfs, xsd, skos namespaces);
    and edges of transitive properties and their sub-properties (skos:broader): the vocabulary
    hierarchy comes from the vocabularies only.
    """
    rules = rules or compile_rules()
    hierarchy = set(rules.transitive)
    for prop, supers in rules.superproperties.items():
        if supers & rules.transitive:
            hierarchy.add(prop)
    owl, meta = f"<{OWL}", (f"<{OWL}", f"<{RDFS}")
    rdf_property = nt(RDF.Property)
    for triple in triples:
        s, p, o = triple
        if p.startswith(owl):
            continue
        if p in _SCHEMA_PREDICATES or p in hierarchy:
            continue
        if s in rules.ontology_subjects or reserved(s) or is_literal(s):
            continue
        if p == TYPE and (o.startswith(meta) or o == rdf_property):
            continue
        yield triple
