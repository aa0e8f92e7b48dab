"""Load YAML keeping the line of every key, so schema errors can point at the line to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import PufaError, PufaErrors

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
# libyaml's parser where installed (several times faster); the same nodes, marks and values.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located:
    """Parsed YAML data plus a map from key path to line number."""

    def __init__(self, path: Path, data: Any, lines: dict[Loc, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line_of(self, loc: Loc) -> int | None:
        # Walk up the path until a recorded position is found.
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: Path) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise PufaError(
                    path,
                    f"duplicate key '{key}' (first at line {seen[key]})",
                    line=line,
                    key=_dotted(loc + (key,)),
                    fix="remove or rename one of the two entries",
                )
            seen[key] = line
            lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _walk(item, loc + (i,), lines, path)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path) -> Located:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PufaError(path, f"not UTF-8: {exc}", fix="save the file as UTF-8") from exc
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PufaError(
            path,
            f"broken YAML: {problem}",
            line=line,
            fix="check indentation and quoting near this line",
        ) from exc
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines, path)
    return Located(path, data, lines)


def validate(located: Located, model: type[M], *, loc_prefix: Loc = ()) -> M:
    """Validate with pydantic; turn every error into one naming file, line and key."""
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = loc_prefix + tuple(err["loc"])
            errors.append(
                PufaError(
                    located.path,
                    _message(err),
                    line=located.line_of(loc),
                    key=_dotted(loc) or "(top level)",
                    fix=_fix(err),
                )
            )
        raise PufaErrors(errors) from None


def _message(err: dict[str, Any]) -> str:
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    return str(err["msg"])


def _fix(err: dict[str, Any]) -> str | None:
    if err["type"] == "missing":
        return "add this field (see the other entries in the file for the format)"
    if err["type"] == "extra_forbidden":
        return "remove it or correct its spelling"
    return None
