// upload.js — the upload forms of the meetings pages (a file of the minutes,
// a document of the library): the chosen file is sent as the request body,
// the way the API takes documents (its title and name in headers,
// percent-encoded, never in the address), then the page is loaded again.
// Without JavaScript the forms stay hidden and the API remains.
(function () {
  'use strict';
  function header(form, name, field) {
    var el = form.querySelector('[name="' + field + '"]');
    return el && el.value ? [name, encodeURIComponent(el.value)] : null;
  }
  document.querySelectorAll('form.li-upload').forEach(function (form) {
    form.hidden = false;
    var status = form.querySelector('.li-upload-status');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var file = form.querySelector('input[type="file"]').files[0];
      if (!file) return;
      var headers = {
        'Content-Type': 'application/octet-stream',
        'X-CSRF-Token': form.querySelector('input[name="_csrf"]').value,
        'X-Filename': encodeURIComponent(file.name),
      };
      [header(form, 'X-Title', 'title'), header(form, 'X-Visibility', 'visibility'), header(form, 'X-Series', 'series')]
        .forEach(function (h) { if (h) headers[h[0]] = h[1]; });
      status.textContent = form.dataset.sending || '…';
      fetch(form.action, { method: 'POST', body: file, headers: headers, credentials: 'same-origin' })
        .then(function (r) {
          if (r.ok) return r.text().then(function () { window.location.reload(); });
          return r.json().then(function (j) { status.textContent = (j && j.error && j.error.message) || String(r.status); },
            function () { status.textContent = String(r.status); });
        }, function () { status.textContent = form.dataset.failed || 'Error'; });
    });
  });
}());
