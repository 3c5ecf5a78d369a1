/* Maps for Trygga platser: display GeoJSON and draw polygons, lines and points.
 * No inline scripts: data comes from json_script blocks named in data- attributes.
 * Everything shown on a map is also in a table or a text field, so the map only enhances. */
(function () {
  "use strict";

  var SWEDEN_VIEW = { center: [62.0, 15.0], zoom: 5 };

  function readJSON(id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  // Tiles come only from our own origin (the tile proxy, platser/tiles.py). Without them the
  // map is a plain background with a scale bar, the place's outline and its name, and says so.
  function noBackground(map, el) {
    if (el.classList.contains("map--no-tiles")) { return; }
    el.classList.add("map--no-tiles");
    var Notice = L.Control.extend({
      onAdd: function () {
        var p = L.DomUtil.create("p", "map-notice");
        p.textContent = "Bakgrundskartan saknas – platsens gräns visas ändå.";
        return p;
      }
    });
    new Notice({ position: "bottomleft" }).addTo(map);
  }

  function baseMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = document.body.dataset.tiles;
    if (tiles && tiles.charAt(0) === "/" && tiles.charAt(1) !== "/") {
      var failed = 0;
      L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.attribution || "" })
        .on("tileerror", function () { failed += 1; if (failed >= 4) { noBackground(map, el); } })
        .addTo(map);
    } else {
      noBackground(map, el);
    }
    L.control.scale({ imperial: false }).addTo(map);
    map.setView(SWEDEN_VIEW.center, SWEDEN_VIEW.zoom);
    return map;
  }

  // The place's name on its outline (a permanent label), from a json_script "<id>-label".
  function labelOutline(map, layer, id) {
    var name = readJSON(id && id + "-label");
    if (!name || !layer.getLayers().length) { return; }
    L.tooltip({ permanent: true, direction: "center", className: "map-label" })
      .setLatLng(layer.getBounds().getCenter()).setContent(textElement(name)).addTo(map);
  }

  var STYLE = { color: "#0b5d3b", weight: 3, fillColor: "#f2b705", fillOpacity: 0.25 };

  // Leaflet puts a string given to bindTooltip/bindPopup in as HTML. Names and descriptions are
  // what users typed, so they go in as text: an element whose textContent is the name.
  function textElement(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function initDisplay(el) {
    var map = baseMap(el);
    var bounds = readJSON(el.dataset.bounds);
    // No animation: a layer added while the map still zooms in would place its labels wrongly.
    if (bounds) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17, animate: false });
    if (el.dataset.featuresUrl) {
      // A large map (the county dashboard) comes as a request of its own, which the browser
      // can keep: the page is not held up by, nor made to carry, 1,450 places' data.
      fetch(el.dataset.featuresUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) draw(map, data, bounds); })
        .catch(function () { /* the same figures are in the table below the map */ });
      return;
    }
    draw(map, readJSON(el.dataset.features) || readJSON(el.dataset.geometry), bounds);
    drawZones(map, readJSON(el.dataset.zones));
  }

  // A place's drawn zones: dashed outlines named by a label (text, not HTML).
  function drawZones(map, zones) {
    if (!zones || !zones.features || !zones.features.length) return;
    L.geoJSON(zones, {
      interactive: false,
      style: { color: "#1a4fd6", weight: 2, dashArray: "5 5", fillColor: "#1a4fd6", fillOpacity: 0.08 },
      onEachFeature: function (feature, lyr) {
        var name = (feature.properties || {}).zone;
        if (name) {
          L.tooltip({ permanent: true, direction: "center", className: "map-label map-label--zone" })
            .setLatLng(lyr.getBounds().getCenter()).setContent(textElement(name)).addTo(map);
        }
      }
    }).addTo(map);
  }

  function draw(map, data, bounds) {
    if (data) {
      var layer = L.geoJSON(data, {
        // Findings carry their category colour; everything else keeps the default style.
        style: function (feature) {
          var colour = feature && (feature.properties || {}).colour;
          return colour ? { color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 } : STYLE;
        },
        onEachFeature: function (feature, lyr) {
          var props = feature.properties || {};
          if (props.name) {
            var link = document.createElement("a");
            link.href = props.url || "#";
            link.textContent = props.name;
            var popup = link;
            if (props.summary) {  // a line of figures under the name (the dashboard map)
              popup = document.createElement("div");
              popup.appendChild(link);
              var summary = document.createElement("p");
              summary.className = "map-popup__summary";
              summary.textContent = props.summary;
              popup.appendChild(summary);
            }
            lyr.bindPopup(popup);
            lyr.bindTooltip(textElement(props.name));
            // A region-wide map shows a town centre as a speck: mark its centre so it can be
            // seen and clicked at any zoom.
            if (feature.geometry && feature.geometry.type === "Polygon") {
              var centre = L.circleMarker(lyr.getBounds().getCenter(), {
                radius: 9, color: "#0b5d3b", weight: 2, fillColor: "#f2b705", fillOpacity: 0.95
              });
              centre.bindPopup(popup.cloneNode(true));
              // Names stay on the map where there is room for them; on a phone they would run
              // off its edge, so there the name shows on touch (and is in the table anyway).
              if (map.getContainer().clientWidth >= 480) {
                centre.bindTooltip(textElement(props.name), { permanent: true, direction: "right", className: "map-label" });
              } else {
                centre.bindTooltip(textElement(props.name));
              }
              centre.addTo(map);
            }
          }
        },
        pointToLayer: function (feature, latlng) {
          var colour = (feature.properties || {}).colour;
          return L.circleMarker(latlng, colour
            ? { radius: 10, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 }
            : { radius: 8, color: "#0b5d3b", fillColor: "#f2b705", fillOpacity: 0.9 });
        }
      }).addTo(map);
      if (!bounds && layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17, animate: false });
      }
    }
  }

  function initEditor(el) {
    var input = document.getElementById(el.dataset.input);
    var kind = el.dataset.geometry; // Polygon, LineString or Point
    var tools = el.parentNode.querySelector(".js-map-tools");
    var status = el.parentNode.querySelector(".js-map-status");
    var map = baseMap(el);
    // Drawing needs zooming in: the wheel zooms here (not on the display maps, where it would
    // catch the page's scrolling). Quick taps add points; they must not be taken for a double
    // tap that zooms in.
    map.scrollWheelZoom.enable();
    map.doubleClickZoom.disable();
    var points = [];
    var shape = null;
    var handles = L.layerGroup().addTo(map);
    var done = false;
    // The select whose choice moves an empty map (the place's municipality), and its centres.
    var follow = el.dataset.follow ? document.getElementById(el.dataset.follow) : null;
    var centres = readJSON(el.dataset.centres);
    // Optional context underneath (the place's boundary); clicks go through it to the map.
    var context = readJSON(el.dataset.context);
    if (context) {
      var outline = L.geoJSON(context, { style: STYLE, interactive: false }).addTo(map);
      labelOutline(map, outline, el.dataset.context);
    }
    drawZones(map, readJSON("other-zones"));

    function latlngs() { return points.map(function (p) { return [p[1], p[0]]; }); }

    function redraw() {
      if (shape) { map.removeLayer(shape); shape = null; }
      handles.clearLayers();
      if (!points.length) return;
      if (kind === "Point") {
        shape = L.circleMarker(latlngs()[0], { radius: 9, color: "#0b5d3b", fillColor: "#f2b705", fillOpacity: 0.9 });
      } else if (kind === "Polygon" && done) {
        shape = L.polygon(latlngs(), STYLE);
      } else {
        shape = L.polyline(latlngs(), { color: "#0b5d3b", weight: 3, dashArray: kind === "Polygon" ? "6 6" : null });
      }
      shape.addTo(map);
      if (kind !== "Point") points.forEach(function (p, i) { handle(i); });
    }

    // Each corner is a handle: dragged (or moved with the arrow keys while it has focus) it
    // moves without drawing the shape again; Delete removes it.
    function handle(i) {
      var label = (kind === "Polygon" ? "Hörn " : "Punkt ") + (i + 1) + " av " + points.length;
      var marker = L.marker([points[i][1], points[i][0]], {
        draggable: true,
        keyboard: true,
        title: label,
        icon: L.divIcon({ className: "map-vertex", iconSize: [18, 18] })
      }).addTo(handles);
      var icon = marker.getElement();
      if (icon) icon.setAttribute("aria-label", label + ". Flytta med piltangenterna, ta bort med Delete.");
      function moveTo(latlng) {
        points[i] = [Math.round(latlng.lng * 1e6) / 1e6, Math.round(latlng.lat * 1e6) / 1e6];
        if (shape && shape.setLatLngs) shape.setLatLngs(latlngs());
      }
      marker.on("drag", function (e) { moveTo(e.target.getLatLng()); });
      marker.on("dragend", function (e) {
        moveTo(e.target.getLatLng()); write(); say(label.split(" av ")[0] + " flyttat.");
      });
      if (icon) icon.addEventListener("keydown", function (e) {
        var step = { ArrowLeft: [-4, 0], ArrowRight: [4, 0], ArrowUp: [0, -4], ArrowDown: [0, 4] }[e.key];
        if (step) {
          e.preventDefault(); e.stopPropagation();
          var at = map.latLngToContainerPoint(marker.getLatLng()).add(step);
          var latlng = map.containerPointToLatLng(at);
          marker.setLatLng(latlng); moveTo(latlng); write();
        } else if (e.key === "Delete" || e.key === "Backspace") {
          e.preventDefault(); e.stopPropagation();
          points.splice(i, 1);
          if (kind === "Polygon" && points.length < 3) done = false;
          redraw(); write();
          say(points.length + (kind === "Polygon" ? " hörn kvar." : " punkter kvar."));
          var next = handles.getLayers()[Math.min(i, points.length - 1)];
          if (next && next.getElement()) next.getElement().focus();
        }
      });
    }

    function jump(announce) {
      if (!follow || !centres || points.length) return;
      var c = centres[follow.value];
      if (!c) return;
      map.setView(c, 13);
      if (announce) say("Kartan visar " + follow.options[follow.selectedIndex].text + ".");
    }
    if (follow) follow.addEventListener("change", function () { jump(true); });

    function write() {
      var geometry = null;
      if (kind === "Point" && points.length) {
        geometry = { type: "Point", coordinates: points[0] };
      } else if (kind === "LineString" && points.length >= 2) {
        geometry = { type: "LineString", coordinates: points };
      } else if (kind === "Polygon" && done && points.length >= 3) {
        geometry = { type: "Polygon", coordinates: [points.concat([points[0]])] };
      }
      input.value = geometry ? JSON.stringify(geometry) : "";
      input.dispatchEvent(new Event("change"));
    }

    function say(text) { if (status) status.textContent = text; }

    function load() {
      var value = null;
      try { value = input.value ? JSON.parse(input.value) : null; } catch (e) { value = null; }
      if (value && value.type === "Feature") value = value.geometry;
      points = [];
      done = false;
      if (value && value.type === "Polygon" && value.coordinates && value.coordinates[0]) {
        points = value.coordinates[0].slice(0, -1);
        done = true;
      } else if (value && value.type === "LineString") {
        points = value.coordinates.slice();
      } else if (value && value.type === "Point") {
        points = [value.coordinates];
      }
      redraw();
      if (shape && shape.getBounds) {
        map.fitBounds(shape.getBounds(), { padding: [20, 20], maxZoom: 17 });
      } else if (shape) {
        map.setView(shape.getLatLng(), 16);
      } else if (el.dataset.center) {
        var c = readJSON(el.dataset.center);
        if (c) map.fitBounds(c, { padding: [20, 20], maxZoom: 17 });
      } else {
        jump(false);
      }
    }

    function place(latlng) {
      var p = [Math.round(latlng.lng * 1e6) / 1e6, Math.round(latlng.lat * 1e6) / 1e6];
      if (kind === "Point") {
        points = [p];
      } else if (done) {
        // A finished boundary is not lost to a stray click: its corners are moved instead.
        say("Avgränsningen är klar. Dra ett hörn för att flytta det, eller välj ”Rensa” för att rita om.");
        return;
      } else {
        points.push(p);
      }
      redraw();
      write();
      if (kind === "Polygon") {
        say(points.length < 3 ? "Sätt ut minst tre hörn." : points.length + " hörn. Välj ”Klar” för att stänga ytan.");
      } else if (kind === "LineString") {
        say(points.length + " punkter.");
      } else {
        say("Position vald.");
      }
    }

    map.on("click", function (e) { place(e.latlng); });

    // Without a pointer: the arrow keys pan (Leaflet's own keyboard handler), and Enter or Space
    // marks the centre of the map, shown by a crosshair while the map has keyboard focus.
    var container = map.getContainer();
    container.classList.add("map--keyboard");
    container.addEventListener("keydown", function (e) {
      if (e.target !== container || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      place(map.getCenter());
    });

    if (tools) {
      tools.hidden = false;
      var locate = tools.querySelector(".js-map-locate");
      if (locate) locate.addEventListener("click", function () {
        if (!navigator.geolocation) {
          say("Din webbläsare kan inte visa din position. Tryck på kartan i stället.");
          return;
        }
        say("Hämtar din position …");
        navigator.geolocation.getCurrentPosition(function (pos) {
          var latlng = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(latlng);
          map.setView(latlng, Math.max(map.getZoom(), 17));
        }, function (err) {
          say(err.code === 1
            ? "Positionen är blockerad. Tillåt platsåtkomst eller tryck på kartan i stället."
            : "Det gick inte att hämta din position. Tryck på kartan i stället.");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    if (tools && tools.querySelector(".js-map-finish")) {
      tools.querySelector(".js-map-finish").addEventListener("click", function () {
        if (kind === "Polygon" && points.length >= 3) { done = true; redraw(); write(); say("Avgränsningen är klar."); }
        else if (kind === "Polygon") { say("Sätt ut minst tre hörn först."); }
        else { write(); say("Klart."); }
      });
      tools.querySelector(".js-map-undo").addEventListener("click", function () {
        points.pop(); done = false; redraw(); write(); say(points.length + " punkter kvar.");
      });
    }
    if (tools) {
      tools.querySelector(".js-map-clear").addEventListener("click", function () {
        points = []; done = false; redraw(); write(); say("Rensat.");
      });
    }
    input.addEventListener("input", load);
    load();
  }

  function init() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll(".js-map"), initDisplay);
    Array.prototype.forEach.call(document.querySelectorAll(".js-map-editor"), initEditor);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
