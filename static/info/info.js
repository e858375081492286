/* info.js — the editor's attachment upload (the file is the body of
 * POST /api/v1/materials/{id}/attachments/{lang}, as the desk's documents:
 * title and name in headers, percent-encoded), then the page reloads to
 * show it. The rest of the editor's pages work without it. */
(function () {
  'use strict';
  var form = document.getElementById('attachment-form');
  if (!form) return;
  var status = document.getElementById('attachment-status');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var file = document.getElementById('a-file').files[0];
    if (!file) return;
    var lang = document.getElementById('a-lang').value;
    var title = document.getElementById('a-title').value || file.name;
    status.textContent = '…';
    fetch('/api/v1/materials/' + form.getAttribute('data-material') + '/attachments/' + encodeURIComponent(lang), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'X-CSRF-Token': form.getAttribute('data-csrf'),
        'X-Title': encodeURIComponent(title),
        'X-Filename': encodeURIComponent(file.name.replace(/\.[^.]*$/, '')),
        'Content-Type': 'application/octet-stream'
      },
      body: file
    }).then(function (r) {
      if (r.ok) return r.text().then(function () { window.location.reload(); });
      return r.json().then(function (j) { status.textContent = (j.error && j.error.message) || String(r.status); });
    }).catch(function () { status.textContent = 'Error'; });
  });
}());
