/* 编辑台 front end: JSON-Schema forms (json-editor), live checks and previews from the server
   (the same checks and renderers as the build), drafts and publishing. No third-party requests. */
(function () {
  'use strict';

  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var dataEl = document.getElementById('page-data');
  var page = dataEl ? JSON.parse(dataEl.textContent) : null;
  var touched = {};

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { j._status = r.status; return j; });
    });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---- Chinese strings for the form library ---- */
  if (window.JSONEditor) {
    JSONEditor.defaults.languages.zh = Object.assign({}, JSONEditor.defaults.languages.en, {
      button_add_row_title: '添加{{0}}',
      button_delete_row_title: '删除这项',
      button_delete_row_title_short: '删除',
      button_move_down_title: '下移',
      button_move_up_title: '上移',
      button_delete_all_title: '全部删除',
      button_collapse: '收起',
      button_expand: '展开',
      button_copy_row_title: '复制',
      button_copy_row_title_short: '复制',
      button_delete_node_warning: '确定删除吗？',
      error_notset: '必填',
      choices_placeholder_text: '请选择'
    });
    JSONEditor.defaults.language = 'zh';
    JSONEditor.defaults.options.show_errors = 'never'; // the server's checks are the only ones
  }

  /* ---- errors at the fields ---- */
  function clearErrors(root) {
    root.querySelectorAll('.field-error').forEach(function (n) { n.remove(); });
    root.querySelectorAll('[aria-invalid]').forEach(function (n) { n.removeAttribute('aria-invalid'); });
    root.querySelectorAll('.has-error').forEach(function (n) { n.classList.remove('has-error'); });
  }

  function findField(root, path) {
    var parts = path.split('.');
    while (parts.length > 1) {
      var node = root.querySelector('[data-schemapath="' + parts.join('.') + '"]');
      if (node) return node;
      parts.pop();
    }
    return null;
  }

  /* The label of a field, from the schema (the one source of labels). */
  function labelOf(path) {
    if (!page || !page.schema) return '';
    var node = page.schema;
    var names = [];
    path.split('.').slice(1).forEach(function (part) {
      if (!node) return;
      if (/^\d+$/.test(part)) {
        node = node.items;
        names.push('第' + (Number(part) + 1) + '项');
      } else {
        node = (node.properties || {})[part];
        if (node && node.title) names.push(node.title);
      }
    });
    return names.join(' › ');
  }

  var shownErrors = null;
  function showErrors(errors, onlyTouched) {
    var form = document.getElementById('studio-form');
    if (onlyTouched) {
      errors = errors.filter(function (e) {
        return Object.keys(touched).some(function (t) {
          return e.path === t || e.path.indexOf(t + '.') === 0 || t.indexOf(e.path + '.') === 0;
        });
      });
    }
    var summary = document.getElementById('summary');
    // The same errors again (a check finishing after a submit): leave them, so they neither
    // flicker nor get announced twice by screen readers.
    var key = JSON.stringify(errors);
    if (key === shownErrors) return;
    shownErrors = key;
    clearErrors(form);
    summary.textContent = '';
    summary.hidden = !errors.length;
    if (!errors.length) return;
    summary.appendChild(el('p', {}, '有 ' + errors.length + ' 处需要修改，未保存任何内容：'));
    var list = el('ul');
    errors.forEach(function (err) {
      var field = err.path === 'root' ? null : findField(form, err.path);
      var msg = el('p', { 'class': 'field-error', role: 'alert', 'data-for': err.path }, err.message);
      var label = labelOf(err.path);
      if (field) {
        field.classList.add('has-error');
        field.querySelectorAll('input, select, textarea').forEach(function (i) {
          i.setAttribute('aria-invalid', 'true');
        });
        field.appendChild(msg);
      }
      list.appendChild(el('li', {}, (label ? label + '：' : '') + err.message));
    });
    summary.appendChild(list);
  }

  /* ---- previews ---- */
  function showPreview(preview, html) {
    var box = document.getElementById('preview');
    if (preview) {
      box.textContent = '';
      preview.screens.forEach(function (s) {
        var sec = el('section', { 'class': 'screen', 'data-screen': s.id });
        sec.appendChild(el('h3', {}, s.name + '（' + s.size + (s.mono ? '，单色' : '') + '，共 ' + s.seconds + ' 秒）'));
        var grid = el('div', { 'class': 'slides' + (s.mono ? ' mono' : '') });
        s.slides.forEach(function (sl) {
          var fig = el('figure');
          var img = el('img', { src: '/preview-img/' + sl.img + '.png', alt: sl.text, 'class': 'slide' });
          fig.appendChild(img);
          fig.appendChild(el('figcaption', {}, sl.item + (sl.pages > 1 ? ' 第' + sl.page + '/' + sl.pages + '页' : '') + ' · ' + sl.seconds + '秒'));
          grid.appendChild(fig);
        });
        sec.appendChild(grid);
        box.appendChild(sec);
      });
      preview.posts.forEach(function (p) {
        var sec = el('section', { 'class': 'post', 'data-platform': p.id });
        sec.appendChild(el('h3', {}, p.name));
        var names = { title: '标题', digest: '摘要', text: '正文' };
        Object.keys(p.counts).forEach(function (k) {
          var c = p.counts[k];
          var ok = c.count >= c.min && c.count <= c.max;
          var line = el('p', { 'class': 'count ' + (ok ? 'ok' : 'over') },
            names[k] + '：' + c.count + ' / ' + c.max + ' 字');
          sec.appendChild(line);
          sec.appendChild(el('blockquote', {}, c.value));
        });
        var grid = el('div', { 'class': 'covers' });
        p.covers.forEach(function (c) {
          var fig = el('figure');
          fig.appendChild(el('img', { src: '/preview-img/' + c.img + '.png', alt: p.name + '封面 ' + c.size, 'class': 'cover' }));
          fig.appendChild(el('figcaption', {}, '封面 ' + c.size));
          grid.appendChild(fig);
        });
        sec.appendChild(grid);
        box.appendChild(sec);
      });
    } else if (preview === null && html === null) {
      box.textContent = '';
    }
    var frame = document.getElementById('page-preview');
    if (html) {
      frame.srcdoc = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
        '<link rel="stylesheet" href="/theme/main.css"><link rel="stylesheet" href="/theme/pufa.css">' +
        '</head><body><article class="md-content__inner md-typeset" style="margin:1rem">' + html +
        '</article></body></html>';
    }
  }

  /* ---- the edit page ---- */
  function editPage() {
    var holder = document.getElementById('editor');
    var editor = window.studioEditor = new JSONEditor(holder, {
      schema: page.schema,
      startval: page.data,
      theme: 'html',
      iconlib: null,
      disable_edit_json: true,
      disable_properties: true,
      disable_collapse: true,
      disable_array_delete_all_rows: true,
      disable_array_delete_last_row: true,
      prompt_before_delete: false,
      show_errors: 'never',
      no_additional_properties: true
    });
    var mde = null;
    var mdArea = document.getElementById('md-body');
    if (mdArea) {
      mdArea.value = page.data.body || '';
      var cite = {
        name: 'cite', text: '引用条文', title: '插入条文引用 [[法律第N条]]',
        action: function (ed) { ed.codemirror.replaceSelection('[[劳动合同法第82条]]'); }
      };
      var quote = {
        name: 'quote-article', text: '原文', title: '单独一行显示条文原文',
        action: function (ed) { ed.codemirror.replaceSelection('\n[[> 劳动合同法第82条]]\n'); }
      };
      mde = window.studioMarkdown = new EasyMDE({
        element: mdArea,
        autoDownloadFontAwesome: false,
        spellChecker: false,
        status: false,
        forceSync: true,
        toolbar: [
          { name: 'bold', action: EasyMDE.toggleBold, text: '加粗', title: '加粗' },
          { name: 'heading-2', action: EasyMDE.toggleHeading2, text: '小标题', title: '二级标题' },
          { name: 'unordered-list', action: EasyMDE.toggleUnorderedList, text: '列表', title: '列表' },
          cite, quote
        ]
      });
    }

    function formData() {
      var data = editor.getValue();
      if (mde) data.body = mde.value();
      return data;
    }

    // Until the editor asks for a check or submits, a new form shows only the errors of the
    // fields already filled in (not "required" on every empty field).
    var strict = !page.new;
    holder.addEventListener('input', touch, true);
    holder.addEventListener('change', touch, true);
    function touch(ev) {
      var f = ev.target.closest('[data-schemapath]');
      if (f) touched[f.getAttribute('data-schemapath')] = true;
    }
    var timer = null;
    var seq = 0;
    var status = document.getElementById('status');
    var inflight = false;
    var again = false;
    function check() {
      // One check at a time per page; a change made meanwhile is checked right after.
      if (inflight) { again = true; return; }
      inflight = true;
      var mine = ++seq;
      status.textContent = '正在检查……';
      post('/api/check/' + page.kind, { data: formData(), new: page.new }).then(function (res) {
        inflight = false;
        if (again) { again = false; check(); return; }
        if (mine !== seq) return;
        showErrors(res.errors || [], !strict);
        if (res.ok) showPreview(res.preview, res.page);
        status.textContent = res.ok ? '检查通过' : '有 ' + res.errors.length + ' 处需要修改';
      }, function () { inflight = false; status.textContent = '检查失败，请重试'; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(check, 700); }
    editor.on('ready', function () { if (!page.new) check(); });
    editor.on('change', later);
    if (mde) mde.codemirror.on('change', later);
    document.getElementById('check').addEventListener('click', function () { strict = true; check(); });
    document.getElementById('studio-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      strict = true;
      // A check still pending or under way would only repeat what the submit answers.
      clearTimeout(timer);
      again = false;
      seq++;
      status.textContent = '正在提交……';
      post('/api/submit/' + page.kind, { data: formData(), new: page.new }).then(function (res) {
        if (res.ok) { window.location = res.url; return; }
        showErrors(res.errors || [{ path: 'root', message: res.error || '提交失败' }]);
        status.textContent = '没有提交：请先修改标出的栏目';
      });
    });
  }

  /* ---- the draft page: previews of the proposed change ---- */
  function draftPage() {
    if (page.state === '已批准') { document.getElementById('preview').textContent = '已写入。'; return; }
    post('/api/check/' + page.kind, { data: page.data, new: page.new }).then(function (res) {
      if (res.ok) showPreview(res.preview, res.page);
      else document.getElementById('preview').textContent = (res.errors || []).map(function (e) { return e.message; }).join('；') || res.error || '';
    });
  }

  /* ---- the publish page ---- */
  function publishPage() {
    var form = document.getElementById('publish-form');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var chosen = Array.prototype.map.call(form.querySelectorAll('input[name=campaigns]:checked'), function (i) { return i.value; });
      document.getElementById('progress-box').hidden = false;
      document.getElementById('publish').disabled = true;
      post('/api/publish', { campaigns: chosen }).then(function (job) {
        if (job.error) { finish({ errors: [job.error], state: 'failed' }); return; }
        poll(job.id);
      });
    });
    function poll(id) {
      fetch('/api/publish/' + id, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (job) {
        document.getElementById('progress').value = job.percent;
        document.getElementById('percent').textContent = Math.round(job.percent) + '%';
        document.getElementById('step').textContent = job.step;
        if (job.state === 'running') setTimeout(function () { poll(id); }, 400);
        else finish(job);
      });
    }
    function finish(job) {
      document.getElementById('publish').disabled = false;
      var errs = document.getElementById('publish-errors');
      if (job.state !== 'done') {
        errs.hidden = false;
        errs.textContent = (job.errors || []).join('\n');
        return;
      }
      document.getElementById('result').hidden = false;
      var zips = document.getElementById('zips');
      zips.textContent = '';
      job.zips.forEach(function (c) {
        var li = el('li');
        li.appendChild(el('a', { href: '/download/' + c + '.zip', download: c + '.zip', 'class': 'zip' }, c + '.zip'));
        zips.appendChild(li);
      });
      var box = document.getElementById('changes');
      box.textContent = '';
      Object.keys(job.changes).forEach(function (k) {
        var pages = job.changes[k];
        if (!pages.length) return;
        var ul = el('ul', { 'data-change': k });
        var holder = box;
        if (pages.length > 12) {  // e.g. the first build: every page is new
          holder = el('details');
          holder.appendChild(el('summary', {}, k + '（' + pages.length + ' 个页面）'));
          box.appendChild(holder);
        } else {
          box.appendChild(el('h3', {}, k + '（' + pages.length + '）'));
        }
        pages.forEach(function (p) {
          var li = el('li');
          li.appendChild(el('a', { href: '/site' + p, target: '_blank' }, p));
          ul.appendChild(li);
        });
        holder.appendChild(ul);
      });
      if (!box.childNodes.length) box.textContent = '网站页面内容没有变化。';
    }
  }

  if (document.getElementById('editor')) editPage();
  else if (document.getElementById('page-preview') && page) draftPage();
  else if (document.getElementById('publish-form')) publishPage();
})();
