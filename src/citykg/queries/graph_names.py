"""`GRAPH <iri>` constants of ad hoc SPARQL, renamed for a remote store, where each of citykg's
graphs has a physical name of its generation (docs/decisions/1601): the query must reach the
server naming the physical graph, and answer as the embedded store does.

The text is read by a tokenizer of SPARQL's terminals (comments, the four kinds of strings,
IRIs, prefixed names, variables, blank node labels, words), so that a `GRAPH <...>` inside a
string, an IRI or a comment is left alone; a constant is resolved as SPARQL resolves it (its
`PREFIX` or `BASE`) and only the token after the keyword `GRAPH` is replaced. Then it is
checked against the parsed query (queries/safety.py, rdflib's parser): the constants the
tokenizer found must be exactly those of the query's algebra, and the renamed text, parsed
again, must name exactly the renamed constants. Any difference refuses the query (QueryError)
rather than sending something else than what was asked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import urljoin

from citykg.errors import QueryError

_LOCAL_CHAR = r"(?:[\w\-.:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:[\w\-.]*)
  | (?P<pname>(?:[^\W\d_][\w\-.]*)?:"""
    + _LOCAL_CHAR
    + r"""*)
  | (?P<word>\w+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None and match.lastgroup is not None  # `other` takes any character
        kind, value = match.lastgroup, match.group()
        if kind == "pname" and value.endswith(".") and len(value) > 1:  # a dot ends the triple
            value = value.rstrip(".")
        out.append((kind, value))
        position += len(value)
    return out


def _significant(tokens: list[tuple[str, str]], index: int) -> int:
    """The index of the first token from `index` on that is not space or a comment."""
    while index < len(tokens) and tokens[index][0] in ("space", "comment"):
        index += 1
    return index


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


def graph_constants(text: str) -> list[tuple[int, str]]:
    """The GRAPH constants of a query: (token index, the absolute IRI it names)."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    found: list[tuple[int, str]] = []
    for index, (kind, value) in enumerate(tokens):
        if kind != "word":
            continue
        word = value.upper()
        at = _significant(tokens, index + 1)
        if at >= len(tokens):
            continue
        next_kind, next_value = tokens[at]
        if word == "BASE" and next_kind == "iri":
            base = urljoin(base, next_value[1:-1])
        elif word == "PREFIX" and next_kind == "pname" and next_value.endswith(":"):
            iri_at = _significant(tokens, at + 1)
            if iri_at < len(tokens) and tokens[iri_at][0] == "iri":
                prefixes[next_value[:-1]] = urljoin(base, tokens[iri_at][1][1:-1])
        elif word == "GRAPH" and next_kind == "iri":
            found.append((at, urljoin(base, next_value[1:-1])))
        elif word == "GRAPH" and next_kind == "pname":
            prefix, _, local = next_value.partition(":")
            if prefix in prefixes:  # else the parser refuses the query (no such prefix)
                found.append((at, prefixes[prefix] + _unescape_local(local)))
    return found


def rename_graphs(text: str, rename: Callable[[str], str], parsed: Callable[[str], list[str]]) -> str:
    """`text` with each GRAPH constant `iri` written as `<rename(iri)>`.

    :param parsed: the GRAPH constants of a text as the query's parser reads them (to check
        this reading of the text against; queries/safety.py's `check_query(...).graphs`).
    :raises QueryError: when the two readings differ (the query is refused, not guessed at).
    """
    constants = graph_constants(text)
    if Counter(iri for _, iri in constants) != Counter(parsed(text)):
        raise _unsure()
    if not constants:
        return text
    tokens = [value for _, value in _tokens(text)]
    for index, iri in constants:
        tokens[index] = f"<{rename(iri)}>"
    renamed = "".join(tokens)
    if Counter(parsed(renamed)) != Counter(rename(iri) for _, iri in constants):
        raise _unsure()
    return renamed


def _unsure() -> QueryError:
    return QueryError(
        "the GRAPH names of this query could not be read for certain, and on a remote store "
        "each must be given the name it has there",
        where="query",
        hint="write each GRAPH name as a plain <IRI>, or use FROM NAMED <IRI> with GRAPH ?g",
    )
