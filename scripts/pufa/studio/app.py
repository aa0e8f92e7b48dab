"""The studio web app (Flask): login, forms, live checks and previews, drafts, review, publish.

Safe by default: sessions in signed Secure/HttpOnly/SameSite=Strict cookies, a CSRF token on
every POST (Flask-WTF) plus an Origin check, login attempts limited per address and per name,
a strict Content-Security-Policy (scripts only from here), writes only under data/ and docs/.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import threading
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup

from ..errors import PufaError, PufaErrors
from . import store
from .checks import check_change
from .i18n import translate
from .kinds import FAQ_TOPICS, KINDS, form_schema, item_ids, item_title, load_form, parse_form
from .preview import IMAGES
from .publish import Publisher

HERE = Path(__file__).parent
LOGIN_LIMIT = 5  # failed attempts ...
LOGIN_WINDOW = 600  # ... per this many seconds, per address and per user name

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; "
    "frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
# The built site under /site/ carries the theme's own inline scripts (hash-listed in production
# by pufa deploy); the studio only shows it to staff on this machine.
SITE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self'; frame-ancestors 'self'; object-src 'none'"
)


class LoginLimiter:
    def __init__(self, limit: int = LOGIN_LIMIT, window: float = LOGIN_WINDOW) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        q = self.failures[key]
        while q and q[0] < time.monotonic() - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        with self.lock:
            return any(len(self._recent(k)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self._recent(k).append(time.monotonic())

    def clear(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.failures.pop(k, None)


def create_app(root: Path, *, testing: bool = False) -> Flask:
    root = Path(root).resolve()
    app = Flask(
        "pufa.studio",
        root_path=str(HERE),
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    app.config.update(
        SECRET_KEY=store.secret_key(root),
        SESSION_COOKIE_NAME="pufa_studio",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=False,  # same-origin is checked below, by Origin and Sec-Fetch-Site
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        TESTING=testing,
    )
    CSRFProtect(app)
    limiter = LoginLimiter()
    publisher = Publisher(root)
    app.extensions["pufa_root"] = root
    app.extensions["pufa_limiter"] = limiter

    # --- request guards ---------------------------------------------------------------------

    @app.before_request
    def same_origin_only() -> Any:
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            origin = request.headers.get("Origin")
            if request.headers.get("Sec-Fetch-Site") == "cross-site" or (
                origin and origin.rstrip("/") != request.host_url.rstrip("/")
            ):
                return _refuse(403, "拒绝跨站请求")
        return None

    @app.before_request
    def load_user() -> None:
        g.user = None
        name = session.get("user")
        if name:
            g.user = store.load_users(root).get(name)

    @app.after_request
    def headers(resp: Response) -> Response:
        site = request.path.startswith("/site/")
        resp.headers["Content-Security-Policy"] = SITE_CSP if site else CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.path.startswith("/theme/"):  # the sandboxed page preview loads these
            resp.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if not site and not request.path.startswith("/static/"):
            resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return _refuse(400, "页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试")

    def _refuse(code: int, message: str) -> Any:
        if request.path.startswith("/api/") or request.is_json:
            return jsonify({"error": message}), code
        return render_template("message.html", message=message), code

    def login_required(role: str | None = None):  # noqa: ANN202
        def wrap(view):  # noqa: ANN001, ANN202
            @functools.wraps(view)
            def inner(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                if g.user is None:
                    if request.path.startswith("/api/") or request.method != "GET":
                        return _refuse(401, "请先登录")
                    return redirect(url_for("login", next=request.path))
                if role and not g.user.can(role):
                    return _refuse(403, f"需要“{role}”权限")
                return view(*args, **kwargs)

            return inner

        return wrap

    @app.context_processor
    def globals_() -> dict:
        return {"user": g.get("user"), "kinds": KINDS, "ROLES": store.ROLES}

    # --- login ------------------------------------------------------------------------------

    @app.get("/login")
    def login() -> Any:
        return render_template("login.html", error=None)

    @app.post("/login")
    def login_post() -> Any:
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        keys = (f"ip:{request.remote_addr}", f"user:{name}")
        if limiter.blocked(*keys):
            return render_template("login.html", error="登录失败次数过多，请 10 分钟后再试"), 429
        user = store.authenticate(root, name, password)
        if user is None:
            limiter.fail(*keys)
            return render_template("login.html", error="用户名或密码不对"), 401
        limiter.clear(f"user:{name}")
        session.clear()
        session["user"] = user.name
        session.permanent = True
        target = request.args.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "/")

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login"))

    # --- home -------------------------------------------------------------------------------

    @app.get("/")
    @login_required()
    def home() -> Any:
        items = {k.name: item_ids(root, k) for k in KINDS.values()}
        drafts = store.list_drafts(root)
        return render_template("home.html", items=items, drafts=drafts)

    # --- forms ------------------------------------------------------------------------------

    def _kind(name: str):  # noqa: ANN202
        kind = KINDS.get(name)
        if kind is None:
            abort(404)
        return kind

    @app.get("/edit/<kind_name>/new")
    @login_required(store.EDITOR)
    def new_item(kind_name: str) -> Any:
        kind = _kind(kind_name)
        if kind.single:
            abort(404)
        return _form_page(kind, None, load_form(kind, root, None), new=True)

    @app.get("/edit/<kind_name>")
    @app.get("/edit/<kind_name>/<path:item_id>")
    @login_required(store.EDITOR)
    def edit_item(kind_name: str, item_id: str | None = None) -> Any:
        kind = _kind(kind_name)
        if kind.folder and item_id not in item_ids(root, kind):
            abort(404)
        data = load_form(kind, root, item_id)
        draft_id = request.args.get("draft")
        if draft_id:
            draft = store.load_draft(root, draft_id)
            if draft and draft.kind == kind.name:
                data = draft.form
        return _form_page(kind, item_id, data, new=False)

    @app.get("/edit/<kind_name>/new/from/<draft_id>")
    @login_required(store.EDITOR)
    def new_from_draft(kind_name: str, draft_id: str) -> Any:
        kind = _kind(kind_name)
        draft = store.load_draft(root, draft_id)
        if draft is None or draft.kind != kind.name:
            abort(404)
        return _form_page(kind, None, draft.form, new=True)

    def _form_page(kind, item_id, data, *, new: bool) -> Any:  # noqa: ANN001
        from ..content.library import load_library

        try:
            lib = load_library(root)
        except (PufaError, PufaErrors) as exc:
            return _refuse(500, f"项目数据有错误，请先修复：{exc}")
        schema = form_schema(kind, root, lib, new=new)
        if kind.name == "faq":
            schema["properties"].pop("body")
        page = {
            "kind": kind.name,
            "new": new,
            "item": item_id,
            "schema": schema,
            "data": data,
            "topics": FAQ_TOPICS,
        }
        return render_template(
            "edit.html",
            kind=kind,
            item_id=item_id,
            new=new,
            page_json=Markup(_script_json(page)),
        )

    def _form_body() -> tuple[Any, dict, bool]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            abort(400)
        return body, body["data"], bool(body.get("new"))

    @app.post("/api/check/<kind_name>")
    @login_required()  # reviewers see the same previews
    def api_check(kind_name: str) -> Any:
        kind = _kind(kind_name)
        _, data, new = _form_body()
        parsed = parse_form(kind, root, data, new=new)
        if parsed.errors:
            return jsonify({"ok": False, "errors": [e.as_json() for e in parsed.errors]})
        result = check_change(root, kind, parsed.item_id, parsed.files, preview=True)
        return jsonify(
            {
                "ok": result.ok,
                "errors": [e.as_json() for e in result.errors],
                "preview": result.previews,
                "page": result.page,
            }
        )

    @app.post("/api/submit/<kind_name>")
    @login_required(store.EDITOR)
    def api_submit(kind_name: str) -> Any:
        kind = _kind(kind_name)
        _, data, new = _form_body()
        parsed = parse_form(kind, root, data, new=new)
        errors = parsed.errors
        if not errors:
            errors = check_change(root, kind, parsed.item_id, parsed.files).errors
        if errors:
            return jsonify({"ok": False, "errors": [e.as_json() for e in errors]}), 422
        user = g.user
        draft = store.Draft(
            id=store.new_draft_id(root),
            kind=kind.name,
            item_id=parsed.item_id,
            title=item_title(kind, data),
            author=user.name,
            author_display=user.display,
            new=new,
            form=data,
            files=parsed.files,
            base={rel: store.file_hash(root / rel) for rel in parsed.files},
            created=store.now(),
            history=[{"at": store.now(), "who": user.display, "what": "提交审核"}],
        )
        store.save_draft(root, draft)
        return jsonify(
            {"ok": True, "draft": draft.id, "url": url_for("draft_page", draft_id=draft.id)}
        )

    @app.get("/preview-img/<key>.png")
    @login_required()
    def preview_img(key: str) -> Any:
        data = IMAGES.get(key)
        if data is None:
            abort(404)
        return Response(
            data, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"}
        )

    # --- drafts and review ------------------------------------------------------------------

    def _draft(draft_id: str) -> store.Draft:
        draft = store.load_draft(root, draft_id)
        if draft is None:
            abort(404)
        return draft

    @app.get("/drafts/<draft_id>")
    @login_required()
    def draft_page(draft_id: str) -> Any:
        draft = _draft(draft_id)
        diffs = []
        for rel, text in draft.files.items():
            old = (root / rel).read_text(encoding="utf-8") if (root / rel).is_file() else ""
            if draft.state == store.APPROVED:
                old = ""
            diff = difflib.unified_diff(
                old.splitlines(), text.splitlines(), f"a/{rel}", f"b/{rel}", lineterm=""
            )
            diffs.append((rel, "\n".join(diff) if draft.state != store.APPROVED else text))
        kind = KINDS[draft.kind]
        page = {
            "kind": kind.name,
            "new": draft.new,
            "item": draft.item_id,
            "data": draft.form,
            "state": draft.state,
        }
        return render_template(
            "draft.html",
            draft=draft,
            diffs=diffs,
            kind=kind,
            page_json=Markup(_script_json(page)),
        )

    @app.post("/drafts/<draft_id>/approve")
    @login_required(store.REVIEWER)
    def approve(draft_id: str) -> Any:
        draft = _draft(draft_id)
        if draft.state != store.SUBMITTED:
            return _refuse(409, f"这份草稿的状态是“{draft.state}”，不能再批准")
        if draft.author == g.user.name:
            return _refuse(403, "不能审核自己提交的草稿，请另一位审核人员批准")
        changed = [rel for rel, h in draft.base.items() if store.file_hash(root / rel) != h]
        if changed:
            return _refuse(
                409, f"提交后这些文件已被修改：{'、'.join(changed)}。请退回，让编辑重新提交"
            )
        kind = KINDS[draft.kind]
        result = check_change(root, kind, draft.item_id, draft.files)
        if not result.ok:
            msgs = "；".join(e.message for e in result.errors)
            return _refuse(409, f"现在检查不通过，未写入任何文件：{msgs}")
        author = store.load_users(root).get(draft.author) or store.User(
            draft.author, draft.author_display, [], ""
        )
        verb = "新建" if draft.new else "修改"
        message = (
            f"编辑台：{verb}{kind.label}《{draft.title}》\n\n"
            f"编辑：{author.display}\n审核：{g.user.display}（批准）\n草稿：{draft.id}"
        )
        backups = {
            store.safe_target(root, rel): (root / rel).read_bytes()
            if (root / rel).is_file()
            else None
            for rel in draft.files
        }
        try:
            store.write_files(root, draft.files)
            commit = store.git_commit(root, list(draft.files), message, author, g.user)
        except (PufaError, OSError) as exc:
            store.restore(backups)
            import subprocess

            subprocess.run(
                ["git", "reset", "-q", "--", *draft.files], cwd=root, capture_output=True
            )
            text = exc.message if isinstance(exc, PufaError) else str(exc)
            return _refuse(500, f"保存失败，文件已恢复原样：{text}")
        draft.state = store.APPROVED
        draft.reviewer = g.user.display
        draft.commit = commit
        draft.history.append({"at": store.now(), "who": g.user.display, "what": "批准"})
        store.save_draft(root, draft)
        return redirect(url_for("draft_page", draft_id=draft.id))

    @app.post("/drafts/<draft_id>/return")
    @login_required(store.REVIEWER)
    def send_back(draft_id: str) -> Any:
        draft = _draft(draft_id)
        if draft.state != store.SUBMITTED:
            return _refuse(409, f"这份草稿的状态是“{draft.state}”")
        comment = request.form.get("comment", "").strip()
        if not comment:
            return _refuse(400, "退回时请写明原因")
        draft.state = store.RETURNED
        draft.comment = comment[:2000]
        draft.reviewer = g.user.display
        draft.history.append({"at": store.now(), "who": g.user.display, "what": f"退回：{comment}"})
        store.save_draft(root, draft)
        return redirect(url_for("draft_page", draft_id=draft.id))

    # --- publish ----------------------------------------------------------------------------

    @app.get("/publish")
    @login_required(store.REVIEWER)
    def publish_page() -> Any:
        drafts = [
            d for d in store.list_drafts(root) if d.state == store.APPROVED and not d.published
        ]
        pending = sorted({d.item_id for d in drafts if d.kind == "campaign" and d.item_id})
        campaigns = item_ids(root, KINDS["campaign"])
        return render_template("publish.html", campaigns=campaigns, pending=pending, drafts=drafts)

    @app.post("/api/publish")
    @login_required(store.REVIEWER)
    def api_publish() -> Any:
        body = request.get_json(silent=True) or {}
        wanted = [c for c in body.get("campaigns", []) if isinstance(c, str)]
        known = item_ids(root, KINDS["campaign"])
        if any(c not in known for c in wanted):
            return jsonify({"error": "没有这个宣传活动"}), 400
        job = publisher.start(wanted, g.user.display)
        if job is None:
            return jsonify({"error": "正在发布，请稍候"}), 409
        for d in store.list_drafts(root):
            if d.state == store.APPROVED and not d.published:
                d.published = True
                store.save_draft(root, d)
        return jsonify(job.as_json())

    @app.get("/api/publish/<job_id>")
    @login_required(store.REVIEWER)
    def api_publish_status(job_id: str) -> Any:
        job = publisher.jobs.get(job_id)
        if job is None:
            abort(404)
        return jsonify(job.as_json())

    @app.get("/download/<campaign_id>.zip")
    @login_required()
    def download(campaign_id: str) -> Any:
        if campaign_id not in item_ids(root, KINDS["campaign"]):
            abort(404)
        path = root / "build" / "campaigns" / campaign_id / f"{campaign_id}.zip"
        if not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=f"{campaign_id}.zip")

    @app.get("/site/")
    @app.get("/site/<path:rel>")
    @login_required()
    def site(rel: str = "") -> Any:
        base = root / "site"
        if not rel or rel.endswith("/"):
            rel += "index.html"
        return send_from_directory(base, rel)

    @app.get("/theme/<path:rel>")
    def theme(rel: str) -> Any:
        """The site's stylesheets (public files), for the sandboxed page preview."""
        import material

        if rel == "pufa.css":
            return send_from_directory(root / "overrides" / "assets" / "stylesheets", "pufa.css")
        folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
        if rel != "main.css":
            abort(404)
        main = next(iter(sorted(folder.glob("main.*.min.css"))), None)
        if main is None:
            abort(404)
        return send_from_directory(folder, main.name)

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> Any:
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return _refuse(exc.code or 500, exc.description or "请求出错")
        if isinstance(exc, PufaErrors | PufaError):
            errors = exc.errors if isinstance(exc, PufaErrors) else [exc]
            return _refuse(422, "；".join(f"{e.path}：{translate(e.message)}" for e in errors))
        app.logger.exception("studio: unexpected error")
        return _refuse(500, f"编辑台内部错误（已记录）：{type(exc).__name__}")

    @app.errorhandler(404)
    def not_found(exc: Exception) -> Any:
        return _refuse(404, "没有这个页面")

    @app.errorhandler(400)
    def bad_request(exc: Exception) -> Any:
        return _refuse(400, "请求格式不对")

    return app


def _script_json(value: object) -> str:
    """JSON safe inside <script type=application/json>: no '<' can close the tag."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def friendly(exc: PufaError) -> str:
    return translate(exc.message)
