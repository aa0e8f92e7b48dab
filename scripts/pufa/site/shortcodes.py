"""Shortcodes for legal elements in Markdown, expanded before Markdown is rendered.

    [[劳动合同法第82条]]          inline citation -> link to the quoted article
    [[劳动合同法第八十二条第1款]]  the same, naming one paragraph (款)
    [[劳动合同法]]                link to the statute page
    [[> 劳动合同法第82条]]        on its own line: the quoted article with its 解读
    [[rule:id]]                   a figure from the register of legal facts, linked to its basis
    [[!name args]]                a directive (site.directives registry); unknown ones fail

Plain functions over strings, so any Markdown engine can call them. Directives are looked up in
the registry: import the modules that register (site.pages does) before expanding.
"""

from __future__ import annotations

import re

from ..content.citations import (
    CITATION,
    SHORTCODE,
    Context,
    _error,
    citation_link,
    embed,
    resolve_citation,
    statute_page,
)
from ..content.clock import today
from ..content.rules import RULE_SHORTCODE, resolve, rule_link
from .directives import DIRECTIVES

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def expand(markdown: str, ctx: Context) -> str:
    """Expand every shortcode outside code; raise PufaError naming file and line."""
    out: list[str] = []
    fence: str | None = None
    for lineno, line in enumerate(markdown.split("\n"), start=1):
        fence_match = FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            out.append(line)
            continue
        if fence is not None:
            out.append(line)
            continue
        out.append(_expand_line(line, ctx, lineno))
    return "\n".join(out)


def _expand_line(line: str, ctx: Context, lineno: int) -> str:
    stripped = line.strip()
    whole = SHORTCODE.fullmatch(stripped)
    if whole and whole.group("body").startswith(">"):
        return embed(ctx, whole.group("body")[1:].strip(), lineno)
    if whole and whole.group("body").startswith("!"):
        name, *args = whole.group("body")[1:].split()
        if name not in DIRECTIVES:
            raise _error(
                ctx,
                lineno,
                f"unknown directive [[!{name}]]",
                f"use one of: {', '.join(sorted(DIRECTIVES))}",
            )
        return DIRECTIVES[name](ctx, args, lineno)

    # Inline: leave code spans alone.
    parts = re.split(r"(`+[^`]*`+)", line)
    for i, part in enumerate(parts):
        if part.startswith("`"):
            continue
        parts[i] = SHORTCODE.sub(lambda m: _inline(ctx, m.group("body"), lineno), part)
    return "".join(parts)


def _inline(ctx: Context, body: str, lineno: int) -> str:
    if body.startswith((">", "!")):
        raise _error(
            ctx,
            lineno,
            f"[[{body}]] must stand on a line of its own",
            "put block shortcodes on their own line",
        )
    if CITATION.match(body.strip()):
        return citation_link(ctx, resolve_citation(ctx, body, lineno))
    rule = RULE_SHORTCODE.match(body.strip())
    if rule:
        return rule_link(ctx, resolve(ctx, rule.group("id"), lineno, today()))
    statute = ctx.lib.statute_by_name(body)
    if statute is None:
        raise _error(
            ctx,
            lineno,
            f"unknown statute or shortcode [[{body}]]",
            "use a statute name from data/statutes.yml, or 名称第N条",
        )
    suffix = "（已废止）" if statute.status == "已废止" else ""
    return f"[《{statute.title}》{suffix}]({ctx.link(statute_page(statute.slug))})"
