/* Survey results map: grid cells with at least 5 markings as rectangles (the same cells are
 * listed in a table beside the map). Data from json_script blocks named in data- attributes. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function init(el) {
    if (typeof L === "undefined") return;
    var all = readJSON(el.dataset.cells) || {};
    var cells = all[el.dataset.key] || [];
    var bounds = readJSON(el.dataset.bounds);
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = document.body.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.attribution || "" }).addTo(map);
    }
    var max = cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
    var group = L.featureGroup();
    cells.forEach(function (c) {
      var rect = L.rectangle([c[0], c[1]], {
        color: "#07402a", weight: 1, fillColor: "#a4161a", fillOpacity: 0.15 + 0.6 * c[2] / max
      });
      // Text, never HTML: Leaflet would parse a string as markup.
      var label = document.createElement("span");
      label.textContent = c[2] + " markeringar";
      rect.bindTooltip(label);
      group.addLayer(rect);
    });
    group.addTo(map);
    if (cells.length) map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 17 });
    else if (bounds) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
    else map.setView([62.0, 15.0], 5);
  }

  document.querySelectorAll(".js-results-map").forEach(init);
})();
