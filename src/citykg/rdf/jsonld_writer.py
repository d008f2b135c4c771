"""JSON-LD output that reads like the submission format, fast enough for the whole graph.

pyld's compaction takes seconds for a hundred cities (DESIGN.md), so flat JSON-LD is written
here directly: triples are grouped by subject and each property is written with the term of
citykg's context (`ontology/context.jsonld`) whose IRI and type coercion match the value, so a
team reads `"name": "Helsinki"`, `"staff": 25`, `"goals": ["vocab:goal/..."]`; values no term
fits fall back to compact IRIs with explicit `@type`/`@language`. Correctness does not rest on
this module: tests read every output back through pyld and pyoxigraph.

Framed documents (one nested document per city) go through pyld, one small city at a time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from citykg.rdf.canonical import sorted_triples
from citykg.rdf.jsonld import ContextReference, city_frame, context, context_reference, frame, options
from citykg.rdf.terms import RDF, XSD, PrefixMap

XSD_STRING = str(XSD.string)
XSD_INTEGER = str(XSD.integer)
XSD_BOOLEAN = str(XSD.boolean)
RDF_TYPE = str(RDF.type)

Node = ox.NamedNode | ox.BlankNode | ox.Literal
Kind = tuple[str, str]  # ("@id", "") | ("@type", datatype) | ("@language", tag) | ("@string", "")


@dataclass(frozen=True)
class _Term:
    name: str
    is_set: bool


class Compactor:
    """Writes RDF terms as compact JSON-LD values under citykg's context."""

    def __init__(self) -> None:
        ctx = context()
        # the context's own prefixes: a compact IRI must expand under the context it is written for
        self.prefixes = PrefixMap(
            {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))}
        )
        self.terms: dict[tuple[str, Kind], _Term] = {}
        self.classes: dict[str, str] = {}
        for name, definition in sorted(ctx.items()):
            if name.startswith("@"):
                continue
            if isinstance(definition, str):
                if definition.startswith("@"):
                    continue
                iri = self.expand(definition)
                if iri.endswith(("/", "#")):
                    continue
                self.classes.setdefault(iri, name)
                self.terms.setdefault((iri, ("@string", "")), _Term(name, False))
                continue
            iri = self.expand(definition["@id"])
            if "@type" in definition:
                coerced = definition["@type"]
                kind: Kind = ("@id", "") if coerced == "@id" else ("@type", self.expand(coerced))
            elif "@language" in definition:
                kind = ("@language", definition["@language"])
            else:
                kind = ("@string", "")
            self.terms.setdefault((iri, kind), _Term(name, definition.get("@container") == "@set"))
        self._prefixed: dict[str, str] = {}

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def iri(self, iri: str) -> str:
        """A compact IRI (`vocab:goal/...`) where a prefix of the context fits, else the IRI."""
        found = self._prefixed.get(iri)
        if found is not None:
            return found
        out = self.prefixes.compact(iri) or iri
        if len(self._prefixed) < 200_000:
            self._prefixed[iri] = out
        return out

    def node_id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return self.iri(term.value)

    def type_name(self, term: ox.NamedNode | ox.BlankNode) -> str:
        if isinstance(term, ox.NamedNode) and term.value in self.classes:
            return self.classes[term.value]
        return self.node_id(term)

    def property_value(self, predicate: str, value: Node) -> tuple[str, bool, Any]:
        """The key, whether it is a set, and the JSON value for one (predicate, object)."""
        if isinstance(value, ox.Literal):
            datatype = value.datatype.value
            if value.language:
                kind: Kind = ("@language", value.language)
            elif datatype == XSD_STRING:
                kind = ("@string", "")
            else:
                kind = ("@type", datatype)
        else:
            kind = ("@id", "")
        term = self.terms.get((predicate, kind))
        if term is not None:
            return term.name, term.is_set, self._coerced(value, kind)
        return self.iri(predicate), False, self._explicit(value)

    def _coerced(self, value: Node, kind: Kind) -> Any:
        if not isinstance(value, ox.Literal):
            return self.node_id(value)
        text = value.value
        if kind == ("@type", XSD_INTEGER) and _canonical_int(text):
            return int(text)
        if kind == ("@type", XSD_BOOLEAN) and text in ("true", "false"):
            return text == "true"
        return text

    def _explicit(self, value: Node) -> Any:
        if not isinstance(value, ox.Literal):
            return {"@id": self.node_id(value)}
        if value.language:
            return {"@value": value.value, "@language": value.language}
        if value.datatype.value == XSD_STRING:
            return value.value
        return {"@value": value.value, "@type": self.iri(value.datatype.value)}

    def nodes(self, triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
        """Node objects, one per subject, in the order of the (sorted) triples."""
        grouped: dict[str, dict[str, Any]] = {}
        sets: dict[str, set[str]] = defaultdict(set)
        for triple in triples:
            subject = self.node_id(triple.subject)  # type: ignore[arg-type]
            node = grouped.get(subject)
            if node is None:
                node = grouped[subject] = {"id": subject}
            if triple.predicate.value == RDF_TYPE and not isinstance(triple.object, ox.Literal):
                key, is_set, value = "type", False, self.type_name(triple.object)  # type: ignore[arg-type]
            else:
                key, is_set, value = self.property_value(triple.predicate.value, triple.object)  # type: ignore[arg-type]
            if is_set:
                sets[subject].add(key)
            node.setdefault(key, []).append(value)
        out = []
        for subject, node in grouped.items():
            tidy: dict[str, Any] = {}
            for key in ["id", "type", *sorted(k for k in node if k not in ("id", "type"))]:
                if key not in node:
                    continue
                values = node[key]
                if key == "id":
                    tidy[key] = values
                elif len(values) == 1 and key not in sets[subject]:
                    tidy[key] = values[0]
                else:
                    tidy[key] = values
            out.append(tidy)
        return out

    def compact_tree(
        self, node: dict[str, Any], literals: dict[str, list[ox.Triple]] | None = None
    ) -> dict[str, Any]:
        """An expanded node object (as pyld's framing returns it, nested) in compact form.

        `literals` (node id -> its triples with literal objects) are put back where a node is
        embedded, or at its first reference when it is never embedded: framing only needs the
        links between nodes, so pyld gets those alone.
        """
        return _Tree(self, literals or {}, node).compact(node)

    def _type_of(self, iri: str) -> str:
        if iri.startswith("_:"):
            return iri
        return self.classes.get(iri) or self.iri(iri)


class _Tree:
    """One framed tree being compacted, with the literals still to put back."""

    def __init__(self, compactor: Compactor, literals: dict[str, list[ox.Triple]], root: dict[str, Any]):
        self.c = compactor
        self.literals = literals
        self.pending = set(literals)
        self.embedded: set[str] = set()
        self._find_embedded(root)

    def _find_embedded(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._find_embedded(item)
        elif isinstance(node, dict):
            if "@id" in node and set(node) - {"@id"}:
                self.embedded.add(node["@id"])
            for key, value in node.items():
                if not key.startswith("@"):
                    self._find_embedded(value)

    def compact(self, node: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        sets: set[str] = set()
        values: dict[str, list[Any]] = {}

        def put(name: str, is_set: bool, value: Any) -> None:
            values.setdefault(name, []).append(value)
            if is_set:
                sets.add(name)

        identifier = node.get("@id")
        if identifier is not None:
            out["id"] = identifier if identifier.startswith("_:") else self.c.iri(identifier)
            if identifier in self.pending:
                self.pending.discard(identifier)
                for triple in self.literals[identifier]:
                    put(*self.c.property_value(triple.predicate.value, triple.object))  # type: ignore[arg-type]
        for key, items in node.items():
            if key == "@type":
                out["type"] = [self.c._type_of(i) for i in ([items] if isinstance(items, str) else items)]
            elif not key.startswith("@"):
                for item in items if isinstance(items, list) else [items]:
                    put(*self._value(key, item))
        if "type" in out and len(out["type"]) == 1:
            out["type"] = out["type"][0]
        for name in sorted(values):
            found = values[name]
            out[name] = found[0] if len(found) == 1 and name not in sets else found
        return out

    def _value(self, predicate: str, item: Any) -> tuple[str, bool, Any]:
        c = self.c
        if isinstance(item, str):
            return c.property_value(predicate, ox.Literal(item))
        if "@value" in item:
            raw = item["@value"]
            text = raw if isinstance(raw, str) else json.dumps(raw)
            if "@language" in item:
                literal = ox.Literal(text, language=item["@language"])
            else:
                literal = ox.Literal(text, datatype=ox.NamedNode(item.get("@type", XSD_STRING)))
            return c.property_value(predicate, literal)
        identifier = item.get("@id", "")
        term: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode(identifier[2:]) if identifier.startswith("_:") else ox.NamedNode(identifier)
        )
        name, is_set, value = c.property_value(predicate, term)
        bare = not (set(item) - {"@id"})
        if bare and (identifier not in self.pending or identifier in self.embedded):
            return name, is_set, value
        return name, is_set, self.compact(item)


def expanded_nodes(triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
    """Expanded JSON-LD node objects (no context needed), one per subject."""
    grouped: dict[str, dict[str, Any]] = {}
    for triple in triples:
        subject = _expanded_id(triple.subject)  # type: ignore[arg-type]
        node = grouped.setdefault(subject, {"@id": subject})
        if triple.predicate.value == RDF_TYPE and not isinstance(triple.object, ox.Literal):
            node.setdefault("@type", []).append(_expanded_id(triple.object))  # type: ignore[arg-type]
            continue
        value = triple.object
        if isinstance(value, ox.Literal):
            item: dict[str, Any] = {"@value": value.value}
            if value.language:
                item["@language"] = value.language
            elif value.datatype.value != XSD_STRING:
                item["@type"] = value.datatype.value
        else:
            item = {"@id": _expanded_id(value)}  # type: ignore[arg-type]
        node.setdefault(triple.predicate.value, []).append(item)
    return list(grouped.values())


def _expanded_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _canonical_int(text: str) -> bool:
    try:
        return str(int(text)) == text
    except ValueError:
        return False


def _triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """Distinct triples, sorted by subject, predicate, object."""
    return sorted_triples(list(quads))


def flat_document(
    quads: Iterable[ox.Quad],
    *,
    compactor: Compactor | None = None,
    context_ref: ContextReference | None = None,
) -> bytes:
    """The union of the quads as one JSON-LD document with a flat `@graph`; `@context` is
    `context_ref` (default: citykg's context inline, see jsonld.context_reference).

    One node per line, nodes sorted by subject, so a change shows as a small diff.
    """
    compactor = compactor or Compactor()
    nodes = compactor.nodes(_triples(quads))
    lines = [json.dumps(node, ensure_ascii=False, separators=(", ", ": ")) for node in nodes]
    body = ",\n    ".join(lines)
    head = '{\n  "@context": ' + _context_text(_or_inline(context_ref))
    if not lines:
        return (head + ',\n  "@graph": []\n}\n').encode("utf-8")
    return (head + ',\n  "@graph": [\n    ' + body + "\n  ]\n}\n").encode("utf-8")


def _or_inline(context_ref: ContextReference | None) -> ContextReference:
    return context_reference() if context_ref is None else context_ref


def _context_text(value: ContextReference) -> str:
    """The `@context` value, indented to sit inside the document (a term a line)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def framed_city(
    quads: Iterable[ox.Quad],
    city: str,
    *,
    compactor: Compactor | None = None,
    context_ref: ContextReference | None = None,
) -> dict[str, Any]:
    """One nested JSON-LD document for `city` (city -> profiles per wave -> teams, ...).

    What is reachable from the city is framed by pyld with `ontology/frame-city.jsonld`; the
    rest of the selection (provenance and evidence records, which point at the city's facts but
    are not reached from it) follows under `@included`, so framing drops nothing. `@context`
    is `context_ref` (default: citykg's context inline).
    """
    compactor = compactor or Compactor()
    triples = _triples(quads)
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[str(triple.subject)].append(triple)
    reached: set[str] = set()
    todo = [str(ox.NamedNode(city))]
    while todo:
        subject = todo.pop()
        if subject in reached or subject not in by_subject:
            continue
        reached.add(subject)
        for triple in by_subject[subject]:
            if not isinstance(triple.object, ox.Literal) and triple.predicate.value != RDF_TYPE:
                todo.append(str(triple.object))
    inner = [t for t in triples if str(t.subject) in reached]
    rest = [t for t in triples if str(t.subject) not in reached]
    shape = expanded_city_frame()
    shape["@id"] = city
    links = [t for t in inner if not isinstance(t.object, ox.Literal)]
    literals: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in inner:
        if isinstance(triple.object, ox.Literal):
            literals[_expanded_id(triple.subject)].append(triple)  # type: ignore[arg-type]
    framed = frame(expanded_nodes(links), shape, compactArrays=False)
    found = framed.get("@graph", [framed])
    root = found[0] if found and found[0] else {"@id": city}
    tree = compactor.compact_tree(root, literals)
    document: dict[str, Any] = {"@context": _or_inline(context_ref), **tree}
    if rest:
        document["@included"] = compactor.nodes(rest)
    return document


@cache
def _expanded_city_frame() -> str:
    from pyld import jsonld  # start-up time: PyLD loads only for a framed export

    expanded = jsonld.expand(city_frame(), options())
    return json.dumps(expanded[0])


def expanded_city_frame() -> dict[str, Any]:
    """`ontology/frame-city.jsonld` in expanded form (pyld then needs no context to frame)."""
    value: dict[str, Any] = json.loads(_expanded_city_frame())
    return value


def framed_document(documents: list[dict[str, Any]]) -> bytes:
    """Framed city documents as one JSON array (each document carries its own `@context`)."""
    return (json.dumps(documents, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
