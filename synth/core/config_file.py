"""The config file ``synth.toml``: read it with every key and value checked (a problem is
one line naming the file, the line and the key), and set one key in it, written atomically.

It works over a table of the settings' fields (a dotted key such as ``verify.threshold``
-> its pydantic field), so it knows nothing of the settings class that reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import NoneType
from typing import Annotated, Any, get_args

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from synth.core.errors import BadInput, NotFound
from synth.core.files import write_atomic

CONFIG_NAME = "synth.toml"
Fields = Mapping[str, FieldInfo]

_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]\s*(#.*)?")
_KEY = re.compile(r"([^=#\[]+?)\s*=")
_AT_LINE = re.compile(r"at line (\d+)")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WORDS = {int: "an integer", float: "a number", str: "text", bool: "true or false", Path: "a path"}
_BOUNDS = (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="))


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables as dotted keys: ``{"verify": {"threshold": 0.4}}`` ->
    ``{"verify.threshold": 0.4}``.

    Args:
        values: The nested values.
        prefix: Put before every key (used when recursing).

    Returns:
        The leaves by dotted key.
    """
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted keys back into nested tables (the inverse of :func:`flatten`).

    Args:
        flat: Values by dotted key.

    Returns:
        The nested values.
    """
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        table = nested
        *sections, name = key.split(".")
        for section in sections:
            table = table.setdefault(section, {})
        table[name] = value
    return nested


def describe(info: FieldInfo) -> str:
    """The values a setting takes, in words: ``a number > 0 and < 1``, ``text``.

    Args:
        info: The setting's field.

    Returns:
        The description.
    """
    kinds = get_args(info.annotation) or (info.annotation,)
    words = " or ".join(_WORDS.get(k, getattr(k, "__name__", str(k))) for k in kinds
                        if k is not NoneType)  # fmt: skip
    bounds = [f"{sign} {getattr(m, name)}" for m in info.metadata for name, sign in _BOUNDS
              if getattr(m, name, None) is not None]  # fmt: skip
    return words + (" " + " and ".join(bounds) if bounds else "")


def check_value(key: str, value: Any, fields: Fields, where: str) -> Any:
    """``value`` as the setting ``key`` takes it (pydantic's conversion, so the text
    ``"0.5"`` is the number 0.5), its type and bounds checked.

    Args:
        key: A dotted key (``verify.threshold``) or a top-level one (``home``).
        value: The value as given (text from the command line, a TOML value).
        fields: Every setting the file takes, by dotted key.
        where: Where the value came from, to start the error message (a file, a line).

    Returns:
        The converted value.

    Raises:
        BadInput: the key is not a setting, or the value is not one it takes.
    """
    info = fields.get(key)
    if info is None:
        raise BadInput(f"{where}: unknown key {key!r}", _valid_keys(key, fields))
    form: Any = Annotated[info.annotation, info]  # the field's type with its bounds
    try:
        return TypeAdapter(form).validate_python(value)
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
        raise BadInput(f"{where}: {key} = {value!r}: {problem}",
                       f"{key} takes {describe(info)}") from exc  # fmt: skip


def _valid_keys(key: str, fields: Fields) -> str:
    """The keys of ``key``'s section when it has one, else the sections and top-level keys."""
    section = key.rpartition(".")[0]
    inside = sorted(k.rpartition(".")[2] for k in fields if k.rpartition(".")[0] == section)
    if section and inside:
        return f"valid keys in [{section}]: {', '.join(inside)}"
    sections = sorted({k.split(".")[0] for k in fields if "." in k})
    top = sorted(k for k in fields if "." not in k)
    return f"valid sections: {', '.join(sections)}; top-level keys: {', '.join(top)}"


def _keys(text: str) -> Iterator[tuple[int, str]]:
    """(line from 1, dotted key) of each ``key = value`` line of TOML ``text``, its
    ``[section]`` header put before the key."""
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _HEADER.fullmatch(stripped)
        if header:
            section = _unquote(header.group(1))
        elif match := _KEY.match(stripped):
            name = _unquote(match.group(1))
            yield number, f"{section}.{name}" if section else name


def key_line(text: str, key: str) -> int | None:
    """The line (from 1) of TOML ``text`` that sets the dotted ``key``: under its
    ``[section]`` header, as a dotted key, or else the inline table holding it.

    Args:
        text: The file's text.
        key: The dotted key.

    Returns:
        The line number, or None when no line names it.
    """
    lines = {name: number for number, name in reversed(list(_keys(text)))}
    return lines.get(key) or lines.get(key.rpartition(".")[0])


def _unquote(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _where(path: Path, text: str, key: str) -> str:
    line = key_line(text, key)
    return f"{path}, line {line}" if line else str(path)


def parse(path: Path, must_exist: bool) -> tuple[str, dict[str, Any]]:
    """A config file's text and its values by dotted key, not yet checked against the
    settings.

    Args:
        path: The file.
        must_exist: Whether a missing file is an error (one named with ``--config``)
            rather than no settings at all.

    Returns:
        The text ("" when there is no file) and the values.

    Raises:
        NotFound: ``must_exist`` and there is no file.
        BadInput: the file cannot be read or is not TOML (the message names its line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if must_exist:
            hint = "create it: synth config set KEY VALUE; or name another (--config, SYNTH_CONFIG)"
            raise NotFound(f"config file {path} not found", hint) from None
        return "", {}
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read config file {path}: {exc}",
                       "it must be a UTF-8 TOML file") from exc  # fmt: skip
    try:
        return text, flatten(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        at = _AT_LINE.search(str(exc))
        line = int(at.group(1)) if at else None
        named = next((f" (key {k!r})" for n, k in _keys(text) if n == line), "")
        where = f"{path}, line {line}" if line else str(path)
        hint = 'write key = value lines under [section] headers, text in "quotes"'
        raise BadInput(f"{where}: not valid TOML{named}: {exc}", hint) from exc


def read_config(path: Path, fields: Fields, must_exist: bool = False) -> dict[str, Any]:
    """The settings a config file sets, each checked against its field.

    Args:
        path: The file.
        fields: Every setting the file takes, by dotted key.
        must_exist: Whether a missing file is an error.

    Returns:
        The converted values by dotted key ({} when there is no file).

    Raises:
        NotFound, BadInput: see :func:`parse` and :func:`check_value`.
    """
    text, values = parse(path, must_exist)
    return {key: check_value(key, value, fields, _where(path, text, key))
            for key, value in values.items()}  # fmt: skip


def set_value(path: Path, key: str, value: str, fields: Fields) -> Any:
    """Set ``key`` to ``value`` in a config file (created when missing), keeping its other
    keys; written whole or not at all.

    Args:
        path: The file.
        key: The dotted key.
        value: The value as text; converted to the setting's type first.
        fields: Every setting the file takes, by dotted key.

    Returns:
        The converted value that was written.

    Raises:
        BadInput: an unknown key, a value of the wrong type, or a file that does not parse.
    """
    checked = check_value(key, value, fields, str(path))
    _, values = parse(path, must_exist=False)
    values[key] = str(checked) if isinstance(checked, Path) else checked
    write_atomic(path, dumps(values))
    return checked


def dumps(values: Mapping[str, Any]) -> str:
    """TOML for values by dotted key: the top-level keys, then one ``[section]`` each.

    Args:
        values: The values (text, numbers, booleans, dates, lists, tables).

    Returns:
        The TOML text.
    """
    sections: dict[str, list[str]] = {}
    for key, value in values.items():
        section, _, name = key.rpartition(".")
        sections.setdefault(section, []).append(f"{_toml_key(name)} = {_toml_value(value)}")
    blocks = ["\n".join(sections.pop(""))] if "" in sections else []
    blocks += [f"[{'.'.join(map(_toml_key, name.split('.')))}]\n" + "\n".join(lines)
               for name, lines in sorted(sections.items())]  # fmt: skip
    return "\n\n".join(blocks) + "\n"


def _toml_key(name: str) -> str:
    return name if _BARE.fullmatch(name) else _toml_value(name)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # inf and nan are TOML too
    if isinstance(value, str):  # a JSON string is a TOML basic string, once DEL is escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise BadInput(f"cannot write {value!r} to a config file", "give text, a number or true/false")
