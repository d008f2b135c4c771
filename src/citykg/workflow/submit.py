"""`citykg submit`: check one file's submissions against the shapes and the current graph, show
what would change, and commit them in one step that either happens completely or not at all.

The commit writes a new store generation that starts as a checkpoint of the live one (see
store.branch_generation), replaces the submission graphs in it, and makes it live by an atomic
rename. The version a resubmission replaces is kept in the history first (history.keep).

The checks read the live generation without holding the build lock (a dry run never takes
it). The commit, under the lock, first makes sure the live generation is still the one checked
against; if another submit or build has landed meanwhile, the checks run again against the new
state, so no commit replaces a version its checks (and the history) never saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citykg.errors import StoreError
from citykg.mapping.labels import promote_label
from citykg.model.ontology import ontology_graph
from citykg.rdf.iris import IRIs
from citykg.sources import Submission, read_file
from citykg.store.folder import check_store_folder
from citykg.store.generations import (
    branch_generation,
    live_generation,
    open_store,
    store_exists,
    store_iris,
)
from citykg.store.graphs import GraphStore, OxigraphStore
from citykg.store.history import keep
from citykg.store.locks import DEFAULT_WAIT
from citykg.validation.report import Report
from citykg.workflow.check import Checked, build_time, check, combine, one_preferred_label
from citykg.workflow.diff import Change

if TYPE_CHECKING:
    from citykg.store.remote.locator import RemoteLocation
from citykg.workflow.review import (
    StoredVersion,
    changes,
    conflicts,
    orphaned_labels,
    similar_cities,
    stored_labels,
    stored_version,
)


@dataclass
class Review:
    """One submission of the file: its report (shapes and store checks) and its diff."""

    checked: Checked
    stored: StoredVersion | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def report(self) -> Report:
        return self.checked.report

    @property
    def title(self) -> str:
        data = self.checked.submission.document.data
        city = data.get("city") if isinstance(data.get("city"), dict) else {}
        survey = data.get("survey") if isinstance(data.get("survey"), dict) else {}
        name, country = (city or {}).get("name", "?"), (city or {}).get("country", "?")
        return f"{name} ({country}), {(survey or {}).get('wave', '?')} wave"


@dataclass
class SubmitResult:
    store: Path
    reviews: list[Review]
    dry_run: bool
    committed: bool = False
    kept: list[Path | str] = field(default_factory=list)  # files, or a remote store's graphs

    @property
    def conforms(self) -> bool:
        return all(r.report.conforms for r in self.reviews)


#: times the checks are run again when other commits keep landing while they run
ATTEMPTS = 3


class _StoreChanged(Exception):
    """Another commit landed between the checks and this commit."""


def submit(
    source: Path | list[Submission],
    *,
    store_path: Path,
    iris: IRIs | None = None,
    dry_run: bool = False,
    new_city: bool = False,
    wait: float = DEFAULT_WAIT,
    remote: RemoteLocation | None = None,
) -> SubmitResult:
    """Check the submissions in the file `source` (or those already read: an upload's,
    sources.read_data) against the shapes and the store; commit them unless `dry_run` or a
    problem is found. `new_city` accepts a city whose name is close to a stored one in the
    same country (a warning instead of an error). The commit waits up to `wait` seconds for
    another build or submit to finish. With `remote`, the store is that remote store
    (workflow/remote_submit.py) and `store_path` only names it in the result."""
    if remote is None:
        check_store_folder(store_path)  # refuse a folder that is not a store before any work
    submissions = read_file(source) if isinstance(source, Path) else source
    iris = iris or store_iris(store_path)  # without one: the store's own base
    checked = check(submissions, iris=iris)
    shape_problems = [list(item.report.problems) for item in checked]
    for _ in range(ATTEMPTS):
        for item, problems in zip(checked, shape_problems, strict=True):
            item.report.problems[:] = problems
        if remote is None:
            generation: Path | str | None = live_generation(store_path) if store_exists(store_path) else None
            live: GraphStore | None = open_store(store_path) if store_exists(store_path) else None
            labelled, reviews = _review(checked, live, new_city=new_city)
            del live  # lets go of its readers' lock: the commit may remove that generation
        else:
            from citykg.workflow.remote_submit import open_lookups

            lookups, generation = open_lookups(remote)
            try:
                labelled, reviews = _review(checked, lookups, new_city=new_city)
            finally:
                if lookups is not None:
                    lookups.close()
        result = SubmitResult(store_path, reviews, dry_run)
        if dry_run or not result.conforms:
            return result
        try:
            if remote is None:
                assert not isinstance(generation, str)
                _commit(result, labelled, generation, iris=iris, wait=wait)
            else:
                assert not isinstance(generation, Path)
                _commit_remote(result, labelled, generation, location=remote, iris=iris, wait=wait)
        except _StoreChanged:
            continue
        return result
    raise StoreError(
        f"other commits kept landing while this submission was checked ({ATTEMPTS} times)",
        where=str(store_path),
        hint="run citykg submit again",
    )


def _review(
    checked: list[Checked], live: GraphStore | None, *, new_city: bool
) -> tuple[list[Checked], list[Review]]:
    """Each submission's checks against the live store, and its diff against the stored version;
    with the submissions as they will be stored (a free-text answer the store already spells
    otherwise keeps the store's spelling as its preferred label)."""
    mapped = [item.mapped for item in checked if item.mapped is not None]
    checked = one_preferred_label(checked, stored_labels(live, mapped) if live is not None else None)
    reviews = []
    for item in checked:
        review = Review(item)
        if item.mapped is not None:
            if live is not None:
                review.stored = stored_version(live, item.mapped.graph_iri)
                item.report.problems.extend(similar_cities(live, item.mapped, new_city=new_city))
                item.report.problems.extend(conflicts(live, item.mapped))
            review.changes = changes(review.stored, item.mapped)
        reviews.append(review)
    return checked, reviews


def _commit_remote(
    result: SubmitResult,
    checked: list[Checked],
    generation: str | None,
    *,
    location: RemoteLocation,
    iris: IRIs,
    wait: float,
) -> None:
    """As `_commit`, on a remote store: a new generation sharing the live one's unchanged graphs."""
    import tempfile

    from citykg.workflow.remote_submit import StoreChanged, commit_remote

    groups, _ = combine(checked, iris=iris)
    built = build_time()
    graphs = {group.mapped.graph_iri: group.graph(built=built, iris=iris) for group in groups}
    stored = [r.stored for r in result.reviews if r.stored is not None]
    try:
        with tempfile.TemporaryDirectory(prefix="citykg-stage-") as folder:
            staging = Path(folder) / "store"

            def first() -> Path:  # a store's first generation: the embedded submit, then uploaded
                _commit(SubmitResult(staging, result.reviews, False), checked, None, iris=iris, wait=wait)
                return staging

            kept = commit_remote(
                graphs,
                stored,
                location=location,
                checked_against=generation,
                iris=iris,
                wait=wait,
                first=first,
            )
    except StoreChanged as exc:
        raise _StoreChanged from exc
    result.kept.extend(kept)
    result.committed = True


def _commit(
    result: SubmitResult, checked: list[Checked], generation: Path | None, *, iris: IRIs, wait: float
) -> None:
    """A new generation with the submission graphs replaced, made live; raises _StoreChanged
    (and leaves the store as it was) when the live generation is not the one checked against."""
    from citykg.inference.materialise import materialise, refresh, resources_of  # start-up: not for --dry-run

    groups, _ = combine(checked, iris=iris)
    built = build_time()
    store_path = result.store

    def change(store: OxigraphStore) -> None:
        if live_generation(store_path) != generation:
            raise _StoreChanged
        for review in result.reviews:
            if review.stored is not None:  # the version it replaces, into the history first
                result.kept.append(keep(store_path, store, review.stored.graph_iri, iris=iris))
        graphs = {group.mapped.graph_iri: group.graph(built=built, iris=iris) for group in groups}
        replaced = {r.stored.graph_iri: r.stored.graph for r in result.reviews if r.stored is not None}
        for graph_iri, labels in orphaned_labels(store, replaced, graphs).items():
            promoted = store.graph(graph_iri)  # another city's spelling becomes the preferred label
            for concept, label in labels:
                promoted = promote_label(promoted, concept, label)
            graphs[graph_iri] = promoted
        first = not store.has_graph(iris.ontology_graph)  # a store without the ontology yet
        if first:
            graphs[iris.ontology_graph] = ontology_graph()
        changed = set() if first else resources_of(store, graphs, graphs.values())
        store.replace_graphs(graphs, derived=frozenset({iris.inferred_graph}))
        if first:
            materialise(store, iris=iris)
        else:
            refresh(store, iris=iris, changed=changed)

    branch_generation(store_path, change, wait=wait)
    result.committed = True
