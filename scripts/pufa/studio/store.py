"""Studio state kept beside the project in ``.studio/`` (git-ignored, never published):
accounts (argon2 hashes), the session secret and drafts. Approval writes the files all at once
and records a git commit whose author is the editor and whose message names the approver.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import subprocess
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import PufaError

EDITOR = "编辑"
REVIEWER = "审核"
ROLES = (EDITOR, REVIEWER)
STATE_DIR = ".studio"

_hasher = PasswordHasher()
_lock = threading.RLock()


def state_dir(root: Path) -> Path:
    path = root / STATE_DIR
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def secret_key(root: Path) -> bytes:
    path = state_dir(root) / "secret"
    with _lock:
        if not path.is_file():
            path.write_bytes(secrets.token_bytes(32))
            os.chmod(path, 0o600)
        return path.read_bytes()


# --- accounts -------------------------------------------------------------------------------


@dataclass
class User:
    name: str
    display: str
    roles: list[str]
    hash: str

    def can(self, role: str) -> bool:
        return role in self.roles


def load_users(root: Path) -> dict[str, User]:
    path = state_dir(root) / "users.json"
    if not path.is_file():
        return {}
    return {k: User(name=k, **v) for k, v in json.loads(path.read_text("utf-8")).items()}


def add_user(root: Path, name: str, password: str, roles: list[str], display: str = "") -> User:
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise PufaError(
            ".studio/users.json",
            f"user name '{name}' must be letters, digits, - or _",
            fix="choose a login name such as zhangsan",
        )
    bad = [r for r in roles if r not in ROLES]
    if bad or not roles:
        raise PufaError(".studio/users.json", f"unknown role {bad}", fix="use 编辑 and/or 审核")
    if len(password) < 10:
        raise PufaError(
            ".studio/users.json", "password is shorter than 10 characters", fix="use a longer one"
        )
    with _lock:
        users = load_users(root)
        user = User(name, display or name, roles, _hasher.hash(password))
        users[name] = user
        _write_json(
            state_dir(root) / "users.json",
            {u.name: {k: v for k, v in asdict(u).items() if k != "name"} for u in users.values()},
        )
    return user


def authenticate(root: Path, name: str, password: str) -> User | None:
    user = load_users(root).get(name)
    if user is None:
        _hasher.hash(password)  # same work either way: no hint which names exist
        return None
    try:
        _hasher.verify(user.hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


# --- drafts ---------------------------------------------------------------------------------

SUBMITTED, RETURNED, APPROVED = "待审核", "已退回", "已批准"


@dataclass
class Draft:
    id: str
    kind: str
    item_id: str | None
    title: str
    author: str  # user name
    author_display: str
    new: bool
    form: dict  # what the editor filled in, to reopen the form
    files: dict[str, str]  # repo-relative path -> new text
    base: dict[str, str | None]  # path -> sha256 of the file when the draft was made
    created: str
    state: str = SUBMITTED
    comment: str = ""
    reviewer: str = ""
    commit: str = ""
    published: bool = False
    history: list[dict] = field(default_factory=list)


def _drafts_dir(root: Path) -> Path:
    path = state_dir(root) / "drafts"
    path.mkdir(exist_ok=True)
    return path


def file_hash(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def save_draft(root: Path, draft: Draft) -> Draft:
    with _lock:
        _write_json(_drafts_dir(root) / f"{draft.id}.json", asdict(draft))
    return draft


def new_draft_id(root: Path) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


def load_draft(root: Path, draft_id: str) -> Draft | None:
    if not all(c.isalnum() or c == "-" for c in draft_id):
        return None
    path = _drafts_dir(root) / f"{draft_id}.json"
    if not path.is_file():
        return None
    return Draft(**json.loads(path.read_text("utf-8")))


def list_drafts(root: Path) -> list[Draft]:
    out = [Draft(**json.loads(p.read_text("utf-8"))) for p in _drafts_dir(root).glob("*.json")]
    return sorted(out, key=lambda d: d.created, reverse=True)


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


# --- writing and committing -----------------------------------------------------------------


def safe_target(root: Path, rel: str) -> Path:
    """The file a change may write: only under data/ or docs/, never through a link or '..'."""
    parts = Path(rel).parts
    if not parts or parts[0] not in {"data", "docs"} or ".." in parts or Path(rel).is_absolute():
        raise PufaError(rel, "studio writes only under data/ and docs/", fix="a bug: report it")
    target = (root / rel).resolve()
    for base in (root / "data", root / "docs"):
        if target.is_relative_to(base.resolve()):
            return root / rel
    raise PufaError(rel, "path leaves data/ and docs/", fix="a bug: report it")


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write every file or none: temporary files first, then renames; undo on failure."""
    targets = {rel: safe_target(root, rel) for rel in files}
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, bytes | None] = {}
    try:
        for rel, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.studio-tmp")
            tmp.write_text(files[rel], encoding="utf-8")
            staged.append((tmp, target))
        for tmp, target in staged:
            backups[target] = target.read_bytes() if target.is_file() else None
            tmp.replace(target)
    except OSError:
        restore(backups)
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


def restore(backups: dict[Path, bytes | None]) -> None:
    for target, old in backups.items():
        if old is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(old)


def git_commit(root: Path, paths: list[str], message: str, author: User, approver: User) -> str:
    """Commit exactly ``paths``: author = the editor, committer = the approver."""
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": approver.display,
        "GIT_COMMITTER_EMAIL": f"{approver.name}@studio.local",
    }
    run = dict(cwd=root, env=env, capture_output=True, text=True, check=False)
    proc = subprocess.run(["git", "add", "--", *paths], **run)  # type: ignore[call-overload]
    if proc.returncode == 0:
        proc = subprocess.run(  # type: ignore[call-overload]
            [
                "git",
                "commit",
                "-q",
                "--no-verify",
                f"--author={author.display} <{author.name}@studio.local>",
                "-m",
                message,
                "--",
                *paths,
            ],
            **run,
        )
    if proc.returncode != 0:
        raise PufaError("git", f"git commit failed: {proc.stderr.strip()}", fix="check git status")
    head = subprocess.run(["git", "rev-parse", "HEAD"], **run)  # type: ignore[call-overload]
    return head.stdout.strip()
