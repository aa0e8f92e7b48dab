"""A second office reuses pufa: its folder holds only what differs (office data, its own pages,
campaigns) and names a base project whose statutes, FAQs and data it inherits.

    examples/second-office/pufa.yml     base: ../..
    examples/second-office/mkdocs.yml   INHERIT: ../../mkdocs.yml  (+ its own settings)
    examples/second-office/data/...     files here replace the base's files of the same name
    examples/second-office/docs/...     pages here replace or add to the base's pages

Before checking or building, the two are merged into ``.cache/merged/`` (base first, then the
office on top), so every other part of pufa sees one ordinary project.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from ..errors import PufaError

LAYERS = ("data", "docs", "overrides", "scripts")


def overlay_base(root: Path) -> Path | None:
    """The base project of an overlay (None for a plain project), for watching its files."""
    config = root / "pufa.yml"
    if not config.is_file():
        return None
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    base = data.get("base") if isinstance(data, dict) else None
    return (root / base).resolve() if isinstance(base, str) else None


def resolve_project(root: Path) -> Path:
    """The folder to build: ``root`` itself, or the merge of ``root`` over its base."""
    config = root / "pufa.yml"
    if not config.is_file():
        return root
    # Its schema is loaded only here: every command resolves the project first, and pydantic
    # took a tenth of a second to import (`pufa build` starts drawing page codes after this).
    from .models import OverlayConfig

    try:
        overlay = OverlayConfig.model_validate(yaml.safe_load(config.read_text(encoding="utf-8")))
    except Exception as exc:  # noqa: BLE001 - reported with file and fix
        raise PufaError(
            config,
            f"invalid overlay config: {exc}",
            key="base",
            fix="write base: <path to the project this office builds on>",
        ) from None
    base = (root / overlay.base).resolve()
    if not (base / "mkdocs.yml").is_file():
        raise PufaError(
            config,
            f"base project not found at {base}",
            key="base",
            fix="point base at the folder that holds the shared mkdocs.yml",
        )
    merged = root / ".cache" / "merged"
    shutil.rmtree(merged, ignore_errors=True)
    for layer in LAYERS:
        if (base / layer).is_dir():
            shutil.copytree(
                base / layer, merged / layer, ignore=shutil.ignore_patterns("__pycache__")
            )
    for own in overlay.own:
        target = merged / own
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    for layer in LAYERS:
        if (root / layer).is_dir():
            shutil.copytree(
                root / layer,
                merged / layer,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if not re.search(r"(?m)^INHERIT:", text):
        raise PufaError(
            root / "mkdocs.yml",
            "an office's mkdocs.yml must INHERIT the base one",
            key="INHERIT",
            fix=f"add: INHERIT: {Path(overlay.base) / 'mkdocs.yml'}",
        )
    text = re.sub(r"(?m)^INHERIT:.*$", f"INHERIT: {base / 'mkdocs.yml'}", text)
    if not re.search(r"(?m)^docs_dir:", text):
        text += "\ndocs_dir: docs\n"
    (merged / "mkdocs.yml").write_text(text, encoding="utf-8")
    return merged
