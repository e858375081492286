// directory-map.js — the map of /mappa (pages_map.c): draws the points the
// page lists (its data-points attribute) on Leaflet with the site's tile
// server. The list on the page is the same content without JavaScript.
(function () {
  'use strict';
  function start() {
    var el = document.getElementById('map');
    if (!el || !window.L) return;
    var data;
    try { data = JSON.parse(el.getAttribute('data-points')); } catch (e) { return; }
    var map = window.L.map(el, { scrollWheelZoom: false }).setView([data.lat, data.lon], data.zoom);
    window.L.tileLayer(el.getAttribute('data-tiles'), {
      maxZoom: 18, attribution: el.getAttribute('data-attribution'),
    }).addTo(map);
    var bounds = [];
    data.markers.forEach(function (m, i) {
      // Points of one comune fan out a little so each one can be clicked.
      var k = i % 8, r = Math.floor(i / 8) % 3;
      var lat = m.lat + (k ? 0.01 * (r + 1) * Math.sin(k) : 0), lon = m.lon + (k ? 0.014 * (r + 1) * Math.cos(k) : 0);
      var mark = window.L.circleMarker([lat, lon], {
        radius: 8, weight: 2, color: m.kind === 'service' ? '#0066cc' : '#b35900',
        fillColor: m.kind === 'service' ? '#3d8bfd' : '#ffb366', fillOpacity: 0.9,
      }).addTo(map);
      var box = document.createElement('div');
      var kind = document.createElement('p');
      kind.className = 'mb-1 small';
      kind.textContent = el.getAttribute(m.kind === 'service' ? 'data-label-service' : 'data-label-event');
      var a = document.createElement('a');
      a.href = m.href;
      a.textContent = m.name;
      var where = document.createElement('p');
      where.className = 'mb-0 small';
      where.textContent = m.where;
      box.appendChild(kind);
      box.appendChild(a);
      box.appendChild(where);
      mark.bindPopup(box);
      bounds.push([lat, lon]);
    });
    if (bounds.length > 1 && data.zoom < 10) map.fitBounds(bounds, { padding: [24, 24] });
    el.classList.add('li-map-ready');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
