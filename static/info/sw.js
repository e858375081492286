/* sw.js — the portal's service worker (scope /info): keeps readable offline
 * the pages of /info a person has opened, with the styles they need.
 *
 * Pages: network first; each successful GET of a public /info page (the
 * portal, a material, its leaflet, its attachments) is stored, and served
 * from the store when the network fails. Editors' and translators' pages
 * (/info/editor, /info/translate) are never stored. Styles and scripts of
 * /static: from the store, refreshed in the background. Nothing is fetched
 * ahead: only what the person opened is kept, so nothing is sent about
 * what they read. */
'use strict';
var PAGES = 'li-info-pages-v1';
var ASSETS = 'li-info-assets-v1';

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== PAGES && k !== ASSETS; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* True for a public page of the portal that may be kept. */
function keepable(url) {
  if (url.origin !== self.location.origin) return false;
  var p = url.pathname;
  if (p !== '/info' && p.indexOf('/info/') !== 0) return false;
  return !/^\/info\/(editor|translate|newsletter)(\/|$)/.test(p) && p !== '/info/sw.js';
}

function pageFromNetwork(request) {
  return fetch(request).then(function (res) {
    if (res.ok && res.type === 'basic') {
      var copy = res.clone();
      caches.open(PAGES).then(function (c) { c.put(request, copy); });
    }
    return res;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(request).then(function (hit) {
        return hit || c.match('/info').then(function (home) {
          return home || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
        });
      });
    });
  });
}

function assetFromCache(request) {
  return caches.open(ASSETS).then(function (c) {
    return c.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (res) {
        if (res.ok) c.put(request, res.clone());
        return res;
      });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin === self.location.origin && url.pathname.indexOf('/static/') === 0) {
    event.respondWith(assetFromCache(req));
  } else if (keepable(url)) {
    event.respondWith(pageFromNetwork(req));
  }
});
