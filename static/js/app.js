/* app.js — the little behaviour the pages need; everything works without it.
 * Loaded from /static (the CSP allows no inline script).
 *
 * The staff menu: on narrow screens it folds behind a "Menu" button (a
 * disclosure: aria-expanded on the button, the list shown or hidden). Without
 * JavaScript the button stays hidden and the menu is always shown.
 *
 * Form errors: the server re-renders a form with an alert naming the field
 * (data-li-invalid="<id of the field>"); the field is marked aria-invalid and
 * described by the alert, and the alert takes the focus so that a screen
 * reader starts from it. */
(function () {
  'use strict';
  var alertBox = document.querySelector('[data-li-focus]');
  if (alertBox) {
    var fieldId = alertBox.getAttribute('data-li-invalid');
    var field = fieldId && document.getElementById(fieldId);
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (described.indexOf(alertBox.id) < 0) described.unshift(alertBox.id);
      field.setAttribute('aria-describedby', described.join(' '));
    }
    alertBox.focus();
  }
  var buttons = document.querySelectorAll('.li-nav-toggle');
  if (!buttons.length) return;
  document.documentElement.classList.add('li-js');
  Array.prototype.forEach.call(buttons, function (btn) {
    var list = document.getElementById(btn.getAttribute('aria-controls'));
    if (!list) return;
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var open = btn.getAttribute('aria-expanded') !== 'true';
      btn.setAttribute('aria-expanded', open ? 'true' : 'false');
      list.classList.toggle('li-open', open);
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && btn.getAttribute('aria-expanded') === 'true') {
        btn.setAttribute('aria-expanded', 'false');
        list.classList.remove('li-open');
        btn.focus();
      }
    });
  });
}());
