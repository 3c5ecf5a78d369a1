/* The public answering page: one submission id per page load, kept in the page's history
 * entry, and the optional map. The server puts a fresh id in every page it sends; before the
 * form is sent the id is written into this history entry, so Back and Send again (even when the
 * browser loads the page anew) sends the same id and the answer is stored once.
 * Everything works without JavaScript (the map question is skipped).
 * Leaflet is loaded only when someone opens the map, to keep the first load small. */
(function () {
  "use strict";

  var KEY = "trygga-submission-id";

  function fillSubmissionId() {
    var input = document.querySelector("input[name=submission_id]");
    if (!input) return;
    var state = window.history.state;
    if (state && state[KEY]) {
      input.value = state[KEY]; // back on a page already sent: the same answer, the same id
    } else if (!input.value && window.crypto && typeof window.crypto.randomUUID === "function") {
      input.value = window.crypto.randomUUID();
    }
    var form = input.form;
    if (form && !form.dataset.keepsId) {
      form.dataset.keepsId = "1";
      form.addEventListener("submit", function () {
        var next = {};
        var current = window.history.state || {};
        Object.keys(current).forEach(function (k) { next[k] = current[k]; });
        next[KEY] = input.value;
        try { window.history.replaceState(next, ""); } catch (e) { /* no history API */ }
      });
    }
  }

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  var leaflet = null;
  function loadLeaflet(box) {
    if (!leaflet) {
      leaflet = load("link", { rel: "stylesheet", href: box.dataset.leafletCss })
        .then(function () { return load("script", { src: box.dataset.leafletJs }); })
        .then(function () { return load("script", { src: box.dataset.mapJs }); });
    }
    return leaflet;
  }

  function initMap(box) {
    var show = box.querySelector(".js-survey-map-show");
    var map = box.querySelector(".js-map-editor");
    var clear = box.querySelector(".js-survey-map-clear");
    var status = box.querySelector(".js-survey-map-status");
    var input = document.getElementById(map.dataset.input);

    function update() {
      var chosen = !!input.value;
      clear.hidden = !chosen;
      status.textContent = chosen ? status.dataset.chosen : "";
    }

    show.hidden = false;
    show.addEventListener("click", function (event) {
      show.hidden = true;
      map.hidden = false; // Leaflet needs a visible box to measure
      // The button is gone: keyboard focus moves to the map that replaced it, not to the page
      // (only when the user pressed it; the page itself opens a map that holds an answer).
      if (event.isTrusted) {
        if (map.tabIndex < 0) { map.tabIndex = 0; }
        map.focus();
      }
      loadLeaflet(box).catch(function () { map.hidden = true; show.hidden = false; show.focus(); });
    });
    clear.addEventListener("click", function () {
      input.value = "";
      input.dispatchEvent(new Event("input")); // map.js redraws from the input
      update();
    });
    input.addEventListener("change", update);
    if (input.value) show.click();
    update();
  }

  function init() {
    fillSubmissionId();
    // After a failed send, start at the list of what to correct (each item links to its question).
    var errors = document.getElementById("fel");
    if (errors) errors.focus();
    Array.prototype.forEach.call(document.querySelectorAll(".js-survey-map"), initMap);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // Restored from the back/forward cache: the form still holds the id it was sent with.
  window.addEventListener("pageshow", function (event) { if (event.persisted) fillSubmissionId(); });
})();
