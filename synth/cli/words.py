"""Help that names values with words (``ID``, ``PATH``, ``N``, ``TEXT``), never a Python
type such as ``<list[str]>`` or ``<bool>``. Commands take it as ``cls=Worded`` and groups
as ``cls=WordedGroup``; an argument names its word with ``metavar=``."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, get_args

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def _word(param: TyperOption | TyperArgument) -> str:
    """The word for a value of the parameter's type: PATH, N, NUMBER or TEXT."""
    desc = param.type_descriptor
    annotation = desc.annotation
    base = (get_args(annotation) or (annotation,))[0] if desc.is_list else annotation
    if desc.is_path or (isinstance(base, type) and issubclass(base, PurePath)):
        return "PATH"
    return {int: "N", float: "NUMBER"}.get(base, "TEXT")


def worded(params: list[Any]) -> list[Any]:
    """``params`` with a word for every value: a flag shows none, an option without a
    ``metavar`` gets the word of its type, and an argument is shown by its name (its
    ``metavar``, or its type's word) with no type beside it."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = _word(param)
        elif isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = _word(param)
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
    return params


class Worded(TyperCommand):
    """A command whose help names values with words."""

    def get_params(self, ctx: Any) -> list[Any]:
        return worded(super().get_params(ctx))


class WordedGroup(TyperGroup):
    """A group whose own options (``--help``) are shown without a type."""

    def get_params(self, ctx: Any) -> list[Any]:
        return worded(super().get_params(ctx))
