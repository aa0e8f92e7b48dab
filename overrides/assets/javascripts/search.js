/* pufa search: loaded by pufa.js only when a person starts a search (see adr/0004-search.md).
   Fetches search/meta.json, then for each query only the term shards it needs (t<k>.json) and
   the document chunks of the results shown (d<k>.json); everything fetched is kept for the visit.
   Terms are CJK character pairs, exactly as scripts/pufa/site/searchindex.py cuts the pages, so
   no dictionary is needed here and IME input needs no special segmentation. */
(function () {
  "use strict";
  if (window.pufaSearch) return;

  var dialog = document.querySelector("[data-pufa-search]");
  if (!dialog) return;
  var input = dialog.querySelector("[data-pufa-search-input]");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var SHOWN = 10;

  var base = ".";
  try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) {}
  var root = new URL(base.replace(/\/?$/, "/") + "search/", location.href);

  var cache = {};
  function fetchJSON(name) {
    if (!cache[name]) {
      cache[name] = fetch(new URL(name, root).href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }

  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var CJK = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  // Question words and particles stand apart (no pair across them), as in searchindex.py.
  var FUNCTION = /(怎么样|怎么办|为什么|怎么|怎样|什么|如何|[吗呢吧啊呀嘛])/g;
  function tokens(text) {
    var out = [], seen = {};
    text = (text.normalize ? text.normalize("NFKC") : text).toLowerCase().replace(FUNCTION, " $1 ");
    var runs = text.match(RUN) || [];
    runs.forEach(function (run) {
      var parts = [];
      if (CJK.test(run) && run.length > 1) {
        for (var i = 0; i < run.length - 1; i++) parts.push(run.slice(i, i + 2));
      } else {
        parts.push(run);
      }
      parts.forEach(function (t) { if (!seen[t]) { seen[t] = 1; out.push(t); } });
    });
    return out;
  }

  function hash(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h = Math.imul((h ^ term.charCodeAt(i)) >>> 0, 0x01000193) >>> 0;
    }
    return h;
  }

  function rank(m, terms, shards) {
    var scores = {}, hits = {};
    terms.forEach(function (term, n) {
      var flat = shards[n][term];
      if (!flat) return;
      var doc = 0;
      for (var j = 0; j < flat.length; j += 2) {
        doc += flat[j];
        scores[doc] = (scores[doc] || 0) + flat[j + 1];
        hits[doc] = (hits[doc] || 0) + 1;
      }
    });
    var docs = Object.keys(scores).map(Number);
    function value(d) { return scores[d] * (1 + hits[d] / terms.length); }
    docs.sort(function (a, b) { return value(b) - value(a) || a - b; });
    return docs;
  }

  function status(text) { meta.textContent = text; }

  function render(q, docs, rows) {
    list.textContent = "";
    if (!docs.length) {
      status("没有找到符合条件的结果，换个说法试试，例如：工资、拆迁、物业");
      return;
    }
    status("找到 " + docs.length + " 个结果" + (docs.length > SHOWN ? "，显示前 " + SHOWN + " 个" : ""));
    rows.forEach(function (row) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = new URL(row[0], new URL(base.replace(/\/?$/, "/"), location.href)).href;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      h.textContent = row[1];
      var p = document.createElement("p");
      p.textContent = row[2];
      article.appendChild(h);
      article.appendChild(p);
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  var seq = 0;
  function run(query) {
    var mine = ++seq;
    var terms = tokens(query);
    if (!terms.length) { list.textContent = ""; status("输入要查的事，例如：工资、拆迁、物业"); return; }
    status("正在载入…");
    fetchJSON("meta.json").then(function (m) {
      return Promise.all(terms.map(function (t) {
        return fetchJSON("t" + (hash(t) % m.shards) + ".json");
      })).then(function (shards) {
        var docs = rank(m, terms, shards);
        var top = docs.slice(0, SHOWN);
        var chunks = {};
        top.forEach(function (d) { chunks[Math.floor(d / m.chunk)] = 1; });
        var names = Object.keys(chunks);
        return Promise.all(names.map(function (k) { return fetchJSON("d" + k + ".json"); }))
          .then(function (loaded) {
            var byChunk = {};
            names.forEach(function (k, i) { byChunk[k] = loaded[i]; });
            var rows = top.map(function (d) { return byChunk[Math.floor(d / m.chunk)][d % m.chunk]; });
            if (mine === seq) render(query, docs, rows);
          });
      });
    }).catch(function () {
      if (mine === seq) status("搜索暂时无法使用，请稍后再试，或从上方菜单查找。");
    });
  }

  // IME-safe: nothing runs while a composition is open; its end delivers the finished text.
  var timer = null;
  function schedule(event) {
    if (event && event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 120);
  }
  input.addEventListener("input", schedule);
  input.addEventListener("compositionend", schedule);
  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
    input.blur();
  });
  dialog.querySelector("form").addEventListener("reset", function () {
    setTimeout(function () { run(""); input.focus(); }, 0);
  });
  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    input.focus();
  }
  if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && toggle.checked) { toggle.checked = false; input.blur(); }
  });

  window.pufaSearch = { run: run, tokens: tokens, hash: hash, open: open };
  // ?q=... (the kiosk's topic buttons, shared links) opens search; an empty ?q= opens it empty.
  var params = new URLSearchParams(location.search);
  if (params.has("q")) {
    input.value = params.get("q");
    open();
  }
  // Text typed while this file was loading is searched once the index answers.
  status("正在载入…");
  fetchJSON("meta.json").then(function () {
    if (input.value) run(input.value);
    else if (!seq) status("输入要查的事，例如：工资、拆迁、物业");
  }, function () {
    status("搜索暂时无法使用，请稍后再试，或从上方菜单查找。");
  });
})();
