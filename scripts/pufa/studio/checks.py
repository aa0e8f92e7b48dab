"""Run the real checks on a proposed change without touching the project.

The change is laid over the project in a temporary folder (real folders, every unchanged file a
symlink), and the same loaders `pufa check` and `pufa campaign build` use run there: the library
(every data file), every page's citations and FAQ shape, and for a campaign its references and
the layout of every slide and cover. Errors in a changed file are mapped back to form fields.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..content.library import Library
from ..errors import PufaError, PufaErrors
from .i18n import translate
from .kinds import MODEL_RULE_FIELDS, FieldError, Kind

MIRRORED = ("data", "docs", "overrides", "mkdocs.yml", "pufa.yml")


@contextlib.contextmanager
def overlay(root: Path, changes: dict[str, str]) -> Iterator[Path]:
    """A throw-away project: ``root`` with ``changes`` (repo-relative path -> text) applied."""
    root = root.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="pufa-studio-"))
    try:
        for name in MIRRORED:
            src = root / name
            if src.is_dir():
                for dirpath, dirnames, filenames in os.walk(src):
                    rel = Path(dirpath).relative_to(root)
                    (tmp / rel).mkdir(parents=True, exist_ok=True)
                    dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                    for f in filenames:
                        (tmp / rel / f).symlink_to(Path(dirpath) / f)
            elif src.is_file():
                (tmp / name).symlink_to(src)
        for rel, text in changes.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            target.write_text(text, encoding="utf-8")
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class CheckResult:
    errors: list[FieldError] = field(default_factory=list)
    previews: dict | None = None  # campaigns: slides per screen, posts with covers and counts
    page: str | None = None  # the page as the site will show it (HTML)

    @property
    def ok(self) -> bool:
        return not self.errors


def _flatten(exc: BaseException) -> list[PufaError]:
    if isinstance(exc, PufaErrors):
        return list(exc.errors)
    if isinstance(exc, PufaError):
        return [exc]
    raise exc


def key_to_path(key: str | None) -> tuple[str | int, ...]:
    if not key or key.startswith("("):
        return ()
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        parts.append(int(index) if index else name)
    return tuple(parts)


def to_field_error(err: PufaError, changed: dict[str, str], tmp: Path) -> FieldError:
    """Map a check error to the form: by key when it is about a changed file, else whole-form."""
    where = Path(err.path)
    with contextlib.suppress(ValueError):
        where = where.relative_to(tmp)
    rel = where.as_posix()
    message = translate(err.message)
    if rel in changed:
        path = key_to_path(err.key)
        if rel.endswith(".md") and rel.startswith("docs/faq/"):
            path = path if path and path[0] in FAQ_META_FIELDS else ("body",)
            if err.line and path == ("body",):
                message += f"（第 {err.line} 行附近）"
        if not path:
            for pattern, name in MODEL_RULE_FIELDS:
                if re.search(pattern, err.message):
                    path = (name,)
        return FieldError(path, message)
    return FieldError((), f"{rel}：{message}")


FAQ_META_FIELDS = {"title", "answer", "asks", "reviewed", "cases", "description", "order"}


def check_change(
    root: Path, kind: Kind, item_id: str | None, files: dict[str, str], *, preview: bool = False
) -> CheckResult:
    """Every check that would run on these files, run on an overlay; optionally the previews."""
    from ..content.library import load_library
    from ..site.pages import check_pages

    root = root.resolve()
    result = CheckResult()
    baseline = {str(e) for e in _baseline(root)}
    with overlay(root, files) as tmp:
        errors: list[PufaError] = []
        lib = None
        try:
            if all(rel.startswith(LIBRARY_FREE) for rel in files):
                # Nothing the library reads changed: reuse the project's, rooted in the overlay.
                lib = dataclasses.replace(_library(root), root=tmp)
            else:
                lib = load_library(tmp)
        except (PufaError, PufaErrors) as exc:
            errors.extend(_flatten(exc))
        if lib is not None:
            errors.extend(check_pages(lib, tmp / "docs"))
        if lib is not None and kind.name == "campaign" and item_id:
            from .preview import campaign_preview

            try:
                result.previews = campaign_preview(tmp, item_id, lib, render=preview)
            except (PufaError, PufaErrors) as exc:
                errors.extend(_flatten(exc))
        fresh = [e for e in errors if _normal(str(e), tmp, root) not in baseline]
        seen: set[tuple[str, str]] = set()
        for err in (to_field_error(e, files, tmp) for e in fresh):
            if (err.schemapath, err.message) not in seen:  # a page and its index both report it
                seen.add((err.schemapath, err.message))
                result.errors.append(err)
        if preview and lib is not None and not result.errors:
            from .preview import page_for, page_html

            src = page_for(kind.name, item_id)
            if src and (tmp / "docs" / src).is_file():
                with contextlib.suppress(PufaError, PufaErrors):
                    result.page = page_html(tmp, src, lib)
    return result


def _normal(text: str, tmp: Path, root: Path) -> str:
    return text.replace(str(tmp), str(root))


# Files the content library does not read (campaign data is loaded by the campaign code, pages
# by the page checks): a change to only these can reuse the project's loaded library.
LIBRARY_FREE = ("data/campaigns/", "data/slogans.yml", "docs/")

_CACHE: dict[tuple[str, str, float], object] = {}
_cache_lock = threading.Lock()


def _stamp(root: Path, *folders: str) -> float:
    return max(
        (p.stat().st_mtime for d in folders for p in (root / d).rglob("*") if p.is_file()),
        default=0.0,
    )


def _library(root: Path) -> Library:
    """The project's library, loaded once per state of data/ (YAML parsing is the slow part)."""
    from ..content.library import load_library

    key = (str(root), "lib", _stamp(root, "data"))
    with _cache_lock:
        if key not in _CACHE:
            _CACHE[key] = load_library(root)
        return _CACHE[key]  # type: ignore[return-value]


def _baseline(root: Path) -> list[PufaError]:
    """Errors the project already has (not caused by this change); cached per data state."""
    from ..site.pages import check_pages

    key = (str(root), "baseline", _stamp(root, "data", "docs"))
    if key not in _CACHE:
        try:
            _CACHE[key] = check_pages(_library(root), root / "docs")
        except (PufaError, PufaErrors) as exc:
            _CACHE[key] = _flatten(exc)
    return _CACHE[key]  # type: ignore[return-value]
