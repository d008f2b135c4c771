"""Exit 1 when modules of a package import each other in a circle (make lint).

import-linter's contracts in pyproject.toml fail on an import that runs up the layers and on a
circle between sibling packages or modules, but not on a circle between a package's
`__init__` and a module inside it (`citykg.cli` importing `citykg.cli.submit`, which imports
`citykg.cli`). This looks at the module graph itself: every strongly connected component of
it must be one module.

    python .ci/import_cycles.py [PACKAGE]     (default: citykg)
"""

from __future__ import annotations

import sys

import grimp


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The sets of two or more modules that import each other in a circle (Tarjan's strongly
    connected components), each sorted, in sorted order."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(found)


def describe(graph: grimp.ImportGraph, circle: list[str]) -> list[str]:
    """The imports that make up a circle, one line each: importer -> imported (line)."""
    members = set(circle)
    lines = []
    for importer in circle:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"  {importer} -> {imported} (line {detail['line_number']})")
    return lines


def main(argv: list[str]) -> int:
    package = argv[0] if argv else "citykg"
    graph = grimp.build_graph(package, cache_dir=None)
    found = circles(graph)
    for circle in found:
        print(f"import circle among {', '.join(circle)}:", file=sys.stderr)
        print("\n".join(describe(graph, circle)), file=sys.stderr)
    if found:
        return 1
    print(f"no import circles among the {len(graph.modules)} modules of {package}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
