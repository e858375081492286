// desk.js — the help desk's small progressive enhancements (no framework, no
// inline script, CSP 'self'): search-as-you-type over POST /api/v1/persons/search, and
// keyboard shortcuts on the consultation form. Without JavaScript every page
// works through its server-rendered form.
(function () {
  'use strict';
  var input = document.getElementById('desk-search');
  var box = document.getElementById('desk-results');
  if (input && box) {
    var timer = null, seq = 0;
    var render = function (items, q) {
      box.textContent = '';
      var ul = document.createElement('ul');
      ul.className = 'li-results';
      ul.id = 'search-results';
      items.forEach(function (p) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '/desk/persons/' + p.id;
        a.textContent = p.family_name + ' ' + p.given_name;
        li.appendChild(a);
        li.appendChild(document.createTextNode(' · ' + (p.birth_date || '') + ' · ' + (p.citizenship || '')));
        ul.appendChild(li);
      });
      var count = document.createElement('p');
      count.id = 'result-count';
      count.textContent = items.length ? (document.documentElement.lang === 'it' ? 'Risultati: ' : 'Results: ') + items.length
        : (document.documentElement.lang === 'it' ? 'Nessuna persona trovata per ' : 'No person found for ') + '"' + q + '"';
      box.appendChild(count);
      if (items.length) box.appendChild(ul);
    };
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { box.textContent = ''; return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        var token = input.form && input.form.elements._csrf ? input.form.elements._csrf.value : '';
        fetch('/api/v1/persons/search', { // POST: the name stays out of addresses and logs
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
          body: JSON.stringify({ q: q, limit: 20 }),
        })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (j) { if (mine === seq) render(j.items || [], q); })
          .catch(function () { /* the form still works */ });
      }, 150);
    });
  }
  var form = document.getElementById('consultation-form');
  if (form) {
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); return; }
      var t = e.target;
      var typing = t && (t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && t.type !== 'checkbox' && t.type !== 'radio') || t.tagName === 'SELECT');
      if (typing || e.ctrlKey || e.altKey || e.metaKey) return;
      if (e.key >= '1' && e.key <= '9') {
        var box2 = form.querySelector('input[data-n="' + e.key + '"]');
        if (box2) { box2.checked = !box2.checked; box2.focus(); e.preventDefault(); }
      }
    });
  }
})();
// The import page: a chosen file is read into the text area (the form posts text).
(function () {
  'use strict';
  var file = document.getElementById('import-file');
  var area = document.getElementById('import-csv');
  if (!file || !area) return;
  file.addEventListener('change', function () {
    var f = file.files && file.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () { area.value = String(reader.result).replace(/^\uFEFF/, ''); };
    reader.readAsText(f, 'utf-8');
  });
})();
