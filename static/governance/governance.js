// governance.js — the budget page: an expense's document goes to the API as
// the raw body (its name in X-Filename), with the session's CSRF token. With
// a file chosen in the expense form, the expense is created through the API
// and its document attached, then the page reloads; without script the form
// posts as usual and the document is attached after, from the table.
(function () {
  'use strict';
  var status = document.getElementById('upload-status');
  var say = function (t) { if (status) status.textContent = t; };
  var it = document.documentElement.lang === 'it';
  var token = function () {
    var f = document.querySelector('input[name="_csrf"]');
    return f ? f.value : '';
  };
  var upload = function (id, file) {
    return fetch('/api/v1/expenses/' + id + '/document', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': token(), 'X-Filename': encodeURIComponent(file.name) },
      body: file,
    }).then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error((j.error && j.error.message) || r.status); return j; }); });
  };
  document.querySelectorAll('.li-doc-upload').forEach(function (input) {
    input.addEventListener('change', function () {
      if (!input.files.length) return;
      say(it ? 'Caricamento…' : 'Uploading…');
      upload(input.getAttribute('data-expense'), input.files[0])
        .then(function () { window.location.reload(); })
        .catch(function (e) { say(e.message); });
    });
  });
  var form = document.getElementById('expense-form');
  var file = document.getElementById('e-file');
  if (!form || !file) return;
  form.addEventListener('submit', function (ev) {
    if (!file.files.length) return; // no document: the plain form post
    ev.preventDefault();
    var amount = form.elements.amount.value.replace(/[.\s']/g, function (c, i, s) { return s.indexOf(',') >= 0 ? '' : c; }).replace(',', '.');
    var body = {
      budget_line_id: parseInt(form.elements.budget_line_id.value, 10), date: form.elements.date.value,
      amount_cents: Math.round(parseFloat(amount) * 100), description: form.elements.description.value, supplier: form.elements.supplier.value,
    };
    say(it ? 'Salvataggio…' : 'Saving…');
    fetch('/api/v1/expenses', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token() }, body: JSON.stringify(body),
    })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error((j.error && j.error.message) || r.status); return j; }); })
      .then(function (j) { return upload(j.id, file.files[0]); })
      .then(function () { window.location.reload(); })
      .catch(function (e) { say(e.message); });
  });
})();
