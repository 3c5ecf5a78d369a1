/* The public answering page: a submission id made in the browser, and the optional map.
 * Everything works without JavaScript (the server makes an id; the map question is skipped).
 * Leaflet is loaded only when someone opens the map, to keep the first load small. */
(function () {
  "use strict";

  function fillSubmissionId() {
    var input = document.querySelector("input[name=submission_id]");
    if (!input || input.value) return; // keep the id of a form shown again after an error
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      input.value = window.crypto.randomUUID();
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
    show.addEventListener("click", function () {
      show.hidden = true;
      map.hidden = false; // Leaflet needs a visible box to measure
      loadLeaflet(box).catch(function () { map.hidden = true; });
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
})();
