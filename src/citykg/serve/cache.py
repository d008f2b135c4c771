"""Answers kept per store generation. A generation never changes once it is live, so an answer
read from it stays right for as long as it is live; when a build or submit makes another one
live, the key (which holds the generation's name) no longer matches and the old answers are
dropped. Nothing has to be told to forget anything."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from citykg.serve.worker import Answer


class AnswerCache:
    """At most `size` answers (least recently used first out), all of one generation."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._generation: str | None = None
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, generation: str, key: Hashable) -> Answer | None:
        if generation != self._generation:
            self._forget(generation)
        found = self._answers.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._answers.move_to_end(key)
        return found

    def put(self, key: Hashable, answer: Answer) -> None:
        """Keep `answer` (under the generation it was read from)."""
        if self.size == 0:
            return
        if answer.generation != self._generation:
            self._forget(answer.generation)
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)

    def _forget(self, generation: str) -> None:
        self._generation = generation
        self._answers.clear()
