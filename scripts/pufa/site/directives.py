"""The directive registry: ``[[!name args]]`` on a line of its own expands to what the function
registered under ``name`` returns. Modules register themselves; nothing imports them back from here,
so the registry sits below every module that renders."""

from __future__ import annotations

from collections.abc import Callable

from ..content.citations import Context

Directive = Callable[[Context, list[str], int], str]

DIRECTIVES: dict[str, Directive] = {}


def directive(name: str) -> Callable[[Directive], Directive]:
    """Register ``func`` as ``[[!name ...]]``; a second registration of one name is a bug."""

    def register(func: Directive) -> Directive:
        if name in DIRECTIVES and DIRECTIVES[name] is not func:
            raise RuntimeError(f"directive [[!{name}]] registered twice")
        DIRECTIVES[name] = func
        return func

    return register
