/* offline.js — registers the portal's service worker (static/info/sw.js,
 * scope /info), so that the materials a person opened stay readable
 * without a connection. Without it (or without JavaScript) the portal works
 * as before, online. */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/static/info/sw.js', { scope: '/info' }).catch(function () {});
}());
