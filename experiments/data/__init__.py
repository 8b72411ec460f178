"""Where the experiments' examples come from: one interface, two sources.

``LocalData`` reads a folder laid out like the offline XTREME pack (``SYNTH_EXPERIMENTS_DATA_DIR``)
and states every stand-in it uses (SNLI for MNLI, TyDiQA for SQuAD, dev sets for test sets).
``HubData`` loads the real splits from the Hugging Face hub with ``datasets``. Both return a
``Split`` that names its source, so results can say what they were computed on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from experiments.tasks import Example, Kind, RetrievalSet, Role, Task
from synth.core.errors import SynthError
from synth.core.settings import ExperimentsSettings


@dataclass(frozen=True)
class Split:
    """Examples of one task in one language, and where they came from."""

    examples: list[Example] | RetrievalSet
    source: str  # "local: <path>" or "hub: <dataset> <config> <split>"
    stand_in: str = ""  # the substitute used in place of the paper's data, "" when none
    labels: tuple[str, ...] = ()  # label names read from the data (CCG), else ()


class DataSource(ABC):
    where = "XTREME"  # for messages: whose evaluation sets these are
    elsewhere = ""  # a hint to the other source, for languages this one lacks

    def split(self, task: Task, language: str, train: bool) -> Split:
        """``train=True``: the task's English training data (``language`` is ignored);
        otherwise the labelled evaluation set of ``language``."""
        if train:
            if task.kind is Kind.RETRIEVE:
                raise SynthError(
                    f"{task.title} has no training data: it is scored by sentence retrieval",
                    "use it as a target task only",
                )
            return self.training_data(task)
        if task.role is Role.INTERMEDIATE:
            raise SynthError(
                f"{task.title} is an intermediate task: it is trained on, not evaluated",
                "evaluate a target task",
            )
        held = self.languages(task)
        if language not in held:
            raise SynthError(
                f"{self.where} has no labelled {task.title} evaluation set for {language!r}",
                f"choose among {', '.join(held)}{self.elsewhere}",
            )
        return self.evaluation_data(task, language)

    @abstractmethod
    def training_data(self, task: Task) -> Split:
        """The task's English training data (or its stated stand-in)."""

    @abstractmethod
    def evaluation_data(self, task: Task, language: str) -> Split:
        """The labelled evaluation set of a target task in one of ``languages(task)``."""

    def languages(self, task: Task) -> tuple[str, ...]:
        """The evaluation languages this source holds for ``task``."""
        return task.languages


def open_data(settings: ExperimentsSettings, cache: Path) -> DataSource:
    """The local folder when ``settings.data_dir`` is set (``cache`` keeps the SNLI archive
    that stands in for MNLI), else the hub (which caches where ``datasets`` is told to)."""
    if settings.data_dir is not None:
        from experiments.data.local import LocalData

        return LocalData(settings.data_dir, snli_cache=cache)
    from experiments.data.hub import HubData

    return HubData()
