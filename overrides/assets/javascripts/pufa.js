/* pufa: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // 律师接访: show today's duty lawyer first (the table lists the whole week without JS).
  function showTodaysLawyer() {
    var box = document.querySelector("[data-pufa-today]");
    var table = document.querySelector("table.pufa-rota");
    if (!box || !table) return;
    var iso = ((new Date().getDay() + 6) % 7) + 1; // 1 = Monday ... 7 = Sunday
    var row = table.querySelector('tr[data-weekday="' + iso + '"]');
    if (!row) {
      box.textContent = "今天没有安排律师接访，请看下面的轮值表。";
    } else {
      row.classList.add("pufa-rota__today");
      row.setAttribute("aria-current", "date");
      var cells = row.querySelectorAll("th, td");
      var text = [];
      for (var i = 0; i < cells.length; i++) text.push(cells[i].textContent.trim());
      if ((text[1] + text[2]).indexOf("待核实") >= 0) {
        box.textContent = "今天（" + text[0] + "）安排了律师接访；律师姓名和时间待核实，来访前请先电话确认。";
      } else {
        box.textContent = "今天（" + text[0] + "）接访：" + text[2] + "（" + text[3] + "），" + text[1] + "。";
      }
      row.parentNode.insertBefore(row, row.parentNode.firstChild);
    }
    box.hidden = false;
  }

  // 依法分类练习: keep each case's feedback visible and count the score. The first choice per
  // case counts. Kept in memory only: nothing is stored or sent anywhere.
  function setupPractice() {
    var root = document.querySelector(".pufa-practice");
    var score = document.querySelector("[data-pufa-score]");
    if (!root || !score) return;
    var total = Number(score.getAttribute("data-total"));
    var perClass = document.querySelector("[data-pufa-score-classes]");
    var first = {}, classOf = {};
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-case]");
      if (!link) return;
      var id = link.getAttribute("data-case");
      var shown = root.querySelectorAll('[id^="p-' + id + '-"].pufa-feedback.is-shown');
      for (var i = 0; i < shown.length; i++) shown[i].classList.remove("is-shown");
      var box = document.getElementById("p-" + id + "-" + link.getAttribute("data-channel"));
      if (box) box.classList.add("is-shown");
      if (!(id in first)) {
        first[id] = link.getAttribute("data-correct") === "true";
        classOf[id] = link.getAttribute("data-class");
      }
      var answered = 0, right = 0, byClass = {};
      for (var key in first) {
        answered++; if (first[key]) right++;
        var c = byClass[classOf[key]] || (byClass[classOf[key]] = [0, 0]);
        c[1]++; if (first[key]) c[0]++;
      }
      if (perClass) {
        perClass.hidden = false;
        var rows = perClass.querySelectorAll("tr[data-class]");
        for (var r = 0; r < rows.length; r++) {
          var counts = byClass[rows[r].getAttribute("data-class")] || [0, 0];
          rows[r].querySelector("[data-right]").textContent = counts[0];
          rows[r].querySelector("[data-answered]").textContent = counts[1];
        }
      }
      score.hidden = false;
      score.textContent = answered < total
        ? "已答 " + answered + " 题，答对 " + right + " 题（共 " + total + " 题，每题以第一次选择计分）"
        : "全部完成：答对 " + right + " / " + total + " 题。";
    });
  }

  // --- Reading tools, 长辈版, kiosk -------------------------------------------------------

  var root = document.documentElement;
  var store = {
    get: function (area, key) { try { return window[area].getItem(key); } catch (e) { return null; } },
    set: function (area, key, value) { try { window[area].setItem(key, value); } catch (e) {} },
    remove: function (area, key) { try { window[area].removeItem(key); } catch (e) {} }
  };

  function config() {
    var own = document.getElementById("pufa-config");
    var theme = document.getElementById("__config");
    var data = { idle: 90, countdown: 20, base: ".", start: "kiosk/" };
    try { Object.assign(data, JSON.parse(own.textContent)); } catch (e) {}
    try { data.base = JSON.parse(theme.textContent).base || "."; } catch (e) {}
    // Test builds only (the build writes "testing": true when PUFA_TEST_BUILD=1): tests shorten
    // the times for this session with {"idle": 5, "countdown": 3}. Production ignores the key.
    if (data.testing === true) {
      try {
        var times = JSON.parse(store.get("sessionStorage", "pufa-kiosk-times") || "{}");
        if (times.idle > 0) data.idle = times.idle;
        if (times.countdown > 0) data.countdown = times.countdown;
      } catch (e) {}
    }
    return data;
  }

  function isKiosk() { return root.classList.contains("pufa-kiosk"); }

  function setupTools() {
    var tools = document.querySelector("[data-pufa-tools]");
    if (!tools) return;
    tools.hidden = false;
    var elder = tools.querySelector("[data-pufa-elder]");
    elder.setAttribute("aria-pressed", String(root.classList.contains("pufa-elder")));
    elder.hidden = isKiosk();  // the kiosk is always in 长辈版
    elder.addEventListener("click", function () {
      var on = root.classList.toggle("pufa-elder");
      elder.setAttribute("aria-pressed", String(on));
      if (on) store.set("localStorage", "pufa-elder", "1");
      else store.remove("localStorage", "pufa-elder");
    });
    var zoom = tools.querySelector("[data-pufa-zoom]");
    zoom.hidden = !isKiosk();
    // One value, one unit: "pufa-zoom" is a unitless factor (0.7 ... 1.6) that the head script in
    // main.html and this code both apply as the CSS variable --pufa-zoom, on every page.
    function setZoom(step) {
      var z = Number(store.get("sessionStorage", "pufa-zoom")) || 1;
      z = Math.round(Math.max(0.7, Math.min(1.6, z + step * 0.15)) * 100) / 100;
      store.set("sessionStorage", "pufa-zoom", String(z));
      root.style.setProperty("--pufa-zoom", String(z));
    }
    tools.querySelector("[data-pufa-smaller]").addEventListener("click", function () { setZoom(-1); });
    tools.querySelector("[data-pufa-larger]").addEventListener("click", function () { setZoom(1); });
    setupReadAloud(tools);
  }

  // 朗读: the browser's own speech synthesis in zh-CN; hidden where there is no Chinese voice.
  function setupReadAloud(tools) {
    var synth = window.speechSynthesis;
    var read = tools.querySelector("[data-pufa-read]");
    var pause = tools.querySelector("[data-pufa-pause]");
    var stop = tools.querySelector("[data-pufa-stop]");
    if (!synth || typeof SpeechSynthesisUtterance === "undefined") return;
    function voice() {
      var voices = synth.getVoices() || [];
      for (var i = 0; i < voices.length; i++) {
        if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) return voices[i];
      }
      return null;
    }
    function update() { read.hidden = !voice(); }
    update();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", update);
    function chunks() {
      var article = document.querySelector("article.md-content__inner");
      var copy = article.cloneNode(true);
      var skip = copy.querySelectorAll(".pufa-tools, .pufa-qr, .headerlink, .pufa-flow .pufa-step:not(:target), script, style, svg");
      for (var i = 0; i < skip.length; i++) skip[i].remove();
      var text = (copy.innerText || copy.textContent || "").replace(/\s+/g, " ");
      return text.match(/[^。！？；\n]{1,180}[。！？；]?/g) || [];
    }
    function done() { pause.hidden = true; stop.hidden = true; read.hidden = !voice(); }
    read.addEventListener("click", function () {
      synth.cancel();
      var parts = chunks(), v = voice();
      parts.forEach(function (part, i) {
        var u = new SpeechSynthesisUtterance(part);
        u.lang = "zh-CN";
        if (v) u.voice = v;
        if (i === parts.length - 1) u.onend = done;
        synth.speak(u);
      });
      read.hidden = true; pause.hidden = false; stop.hidden = false;
      pause.textContent = "暂停";
    });
    pause.addEventListener("click", function () {
      if (synth.paused) { synth.resume(); pause.textContent = "暂停"; }
      else { synth.pause(); pause.textContent = "继续"; }
    });
    stop.addEventListener("click", function () { synth.cancel(); done(); });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  // --- Search loader (search owner; see adr/0004-search.md) ---------------------------------
  // No search bytes on first view: search.js and the index shards it needs are fetched only when
  // a person starts a search (focus or tap on the search box, the header button, ?q= from the
  // kiosk's topic buttons). "正在载入…" shows at once.
  function setupSearchLoader() {
    var dialog = document.querySelector("[data-pufa-search]");
    if (!dialog) return;
    var input = dialog.querySelector("[data-pufa-search-input]");
    var meta = dialog.querySelector(".md-search-result__meta");
    var loading = false;
    function load() {
      if (loading) return;
      loading = true;
      if (meta) meta.textContent = "正在载入…";
      var base = ".";
      try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) {}
      var script = document.createElement("script");
      script.src = new URL(base.replace(/\/?$/, "/") + "assets/javascripts/search.js", location.href).href;
      script.async = true;
      document.head.appendChild(script);
    }
    input.addEventListener("focus", load);
    input.addEventListener("pointerdown", load);
    var toggle = document.getElementById("__search");
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) load(); });
    var openers = document.querySelectorAll("[data-pufa-search-open]");
    for (var i = 0; i < openers.length; i++) openers[i].addEventListener("pointerdown", load, { passive: true });
    if (/[?&]q=/.test(location.search)) load();
  }

  function overlay(className, html) {
    var box = document.createElement("div");
    box.className = "pufa-overlay " + className;
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.innerHTML = html;
    document.body.appendChild(box);
    var focus = box.querySelector("button");
    if (focus) focus.focus();
    return box;
  }

  function setupKiosk() {
    if (document.querySelector("[data-pufa-kiosk-start]")) {
      store.set("sessionStorage", "pufa-kiosk", "1");
      root.classList.add("pufa-kiosk", "pufa-elder");
    }
    if (!isKiosk()) return;
    var cfg = config();

    // Never leave the page by the browser's own ways: no context menu (open in new window,
    // search for...), no dragging links or images out, no selecting text to search it, no
    // shortcuts that go back, open windows or tabs, reload, print, save, or leave full screen.
    function block(event) { event.preventDefault(); event.stopPropagation(); }
    function inField(target) {
      return target && target.closest && target.closest("input, textarea, [contenteditable]");
    }
    document.addEventListener("contextmenu", block, true);
    document.addEventListener("dragstart", block, true);
    document.addEventListener("selectstart", function (event) {
      if (!inField(event.target)) block(event);
    }, true);
    document.addEventListener("auxclick", block, true);
    document.addEventListener("keydown", function (event) {
      var key = event.key || "";
      var ctrl = event.ctrlKey || event.metaKey;
      if ((event.altKey && /^(ArrowLeft|ArrowRight|Home|Left|Right)$/.test(key)) ||
          (ctrl && /^[a-zA-Z0-9]$/.test(key) && !(inField(event.target) && /^[acvxzyACVXZY]$/.test(key))) ||
          /^F([1-9]|1[0-2])$/.test(key) || key === "BrowserBack" || key === "BrowserForward" ||
          key === "BrowserHome" || key === "BrowserSearch" ||
          (key === "Backspace" && !inField(event.target))) {
        block(event);
      }
    }, true);

    // Never leave the site: show the address as a QR code to scan instead.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link) return;
      var url = new URL(link.getAttribute("href"), location.href);
      if (url.origin === location.origin) {
        // Our own pages open here: never in a new window or tab.
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0 ||
            link.target === "_blank") {
          event.preventDefault();
          location.assign(url.href);
        }
        return;
      }
      event.preventDefault();
      var qr = link.getAttribute("data-pufa-qr");
      var box = overlay("pufa-overlay--qr",
        '<div class="pufa-overlay__panel"><h2>请用手机扫码打开</h2>' +
        (qr ? '<img class="pufa-overlay__qr" alt="网址二维码" src="' + qr + '">' : "") +
        '<p class="pufa-overlay__url"></p><button type="button" class="pufa-tool">关闭</button></div>');
      box.querySelector(".pufa-overlay__url").textContent = url.href;
      box.querySelector("button").addEventListener("click", function () { box.remove(); });
    }, true);

    // Idle reset.
    var idleTimer = null, tickTimer = null, warning = null;
    // The start screen named by `start` in data/kiosk.yml.
    function start() {
      return new URL(cfg.base.replace(/\/?$/, "/") + cfg.start, location.href).href;
    }
    // A page cannot empty the browser's back history, so the reset asks for the start page with
    // ?pufa-reset=1: the kiosk launcher (`pufa kiosk`) sees that request in nginx's log and
    // restarts the browser with a fresh profile, whose history is empty. In any other browser
    // the start page replaces the current one and the session's storage is cleared.
    function reset() {
      try { sessionStorage.clear(); } catch (e) {}
      store.set("sessionStorage", "pufa-kiosk", "1");
      var inputs = document.querySelectorAll("input, textarea");
      for (var i = 0; i < inputs.length; i++) inputs[i].value = "";
      if (window.speechSynthesis) window.speechSynthesis.cancel();
      window.scrollTo(0, 0);
      var url = new URL(start());
      url.searchParams.set("pufa-reset", "1");
      location.replace(url.href);
    }
    if (/[?&]pufa-reset=1/.test(location.search)) {
      var clean = new URL(location.href);
      clean.searchParams.delete("pufa-reset");
      history.replaceState(null, "", clean.href);
    }
    function cancelWarning() {
      if (warning) { warning.remove(); warning = null; }
      clearInterval(tickTimer);
    }
    function warn() {
      var left = cfg.countdown;
      warning = overlay("pufa-overlay--idle",
        '<div class="pufa-overlay__panel"><h2>还在看吗？</h2><p><span data-pufa-left>' + left +
        '</span> 秒后回到首页，并清除刚才的浏览记录。</p><button type="button" class="pufa-tool">继续看</button></div>');
      tickTimer = setInterval(function () {
        left -= 1;
        var el = warning && warning.querySelector("[data-pufa-left]");
        if (el) el.textContent = String(left);
        if (left <= 0) { clearInterval(tickTimer); reset(); }
      }, 1000);
    }
    function activity() {
      cancelWarning();
      clearTimeout(idleTimer);
      idleTimer = setTimeout(warn, cfg.idle * 1000);
    }
    ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (type) {
      document.addEventListener(type, activity, { capture: true, passive: true });
    });
    activity();
  }


  // What the theme's own script did for our pages, in a few lines: the theme's 34 KB bundle is
  // not loaded (adr/0010). The page title in the header once the heading has scrolled away, the
  // back-to-top button when scrolling up, the table of contents following the reader, a tap on
  // a menu link closing the menu, and "/" or "s" opening search.
  function setupTheme() {
    root.classList.remove("no-js");
    root.classList.add("js");
    var header = document.querySelector("[data-md-component=header]");
    var title = document.querySelector("[data-md-component=header-title]");
    var heading = document.querySelector(".md-content h1");
    var top = document.querySelector("[data-md-component=top]");
    var links = [], targets = [];
    var tocLinks = document.querySelectorAll(".md-sidebar--secondary .md-nav__link[href^='#']");
    for (var i = 0; i < tocLinks.length; i++) {
      var target = document.getElementById(decodeURIComponent(tocLinks[i].hash.slice(1)));
      if (target) { links.push(tocLinks[i]); targets.push(target); }
    }
    var lastY = window.pageYOffset, queued = false, active = -2;
    function update() {
      queued = false;
      var y = window.pageYOffset;
      var offset = header ? header.getBoundingClientRect().bottom : 0;
      if (title && heading) {
        title.classList.toggle("md-header__title--active",
          heading.getBoundingClientRect().bottom <= offset);
      }
      if (top && y !== lastY) top.hidden = !(y < lastY && y > 400);
      lastY = y;
      if (!links.length) return;
      var now = -1;
      for (var k = 0; k < targets.length; k++) {
        if (targets[k].getBoundingClientRect().top <= offset + 8) now = k; else break;
      }
      if (now === active) return;
      active = now;
      for (var j = 0; j < links.length; j++) {
        links[j].classList.toggle("md-nav__link--passed", j < now);
        links[j].classList.toggle("md-nav__link--active", j === now);
      }
      var link = links[now], wrap = link && link.closest(".md-sidebar__scrollwrap");
      if (wrap && wrap.offsetParent) {
        var box = link.getBoundingClientRect(), frame = wrap.getBoundingClientRect();
        if (box.top < frame.top || box.bottom > frame.bottom) {
          wrap.scrollTop += box.top - frame.top - frame.height / 2;
        }
      }
    }
    function queue() {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue, { passive: true });
    update();
    if (top) {
      top.addEventListener("click", function () {
        top.blur();
        window.scrollTo({ top: 0 });
      });
    }
    var drawer = document.getElementById("__drawer");
    var menu = document.querySelector(".md-sidebar--primary");
    if (drawer && menu) {
      menu.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest("a[href]")) drawer.checked = false;
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      var target = event.target;
      if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      var search = document.getElementById("__search");
      if (search && (event.key === "/" || event.key === "s")) {
        event.preventDefault();
        search.checked = true;
        search.dispatchEvent(new Event("change"));
        var input = document.querySelector("[data-pufa-search-input]");
        if (input) input.focus();
      }
    });
  }

  function init() {
    setupTheme();
    setupKiosk();
    setupTools();
    setupSearchLoader();
    showTodaysLawyer();
    setupPractice();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
