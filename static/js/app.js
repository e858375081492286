/* app.js — the little behaviour the pages need; everything works without it.
 * Loaded from /static (the CSP allows no inline script).
 *
 * The staff menu: on narrow screens it folds behind a "Menu" button (a
 * disclosure: aria-expanded on the button, the list shown or hidden). Without
 * JavaScript the button stays hidden and the menu is always shown. */
(function () {
  'use strict';
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
