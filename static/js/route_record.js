/* Record a walk's route from the phone's position (Geolocation watchPosition).
 * <div class="js-route-recorder" data-input="<id of the route's GeoJSON textarea>"> with start,
 * pause, resume and stop buttons and a status line (role=status). The route is written into the
 * textarea as a GeoJSON LineString and an "input" event lets the map (map.js) draw it. Points
 * closer than 5 m to the last kept one, or less accurate than 50 m, are dropped here; the server
 * thins the line again (platser.geo.thin_line). Without geolocation the block stays hidden and
 * the route is drawn on the map as before. */
(function () {
  "use strict";
  var MIN_SPACING_M = 5, MAX_ACCURACY_M = 50;

  function metres(a, b) {
    var k = Math.PI / 180, x = (b[0] - a[0]) * k * Math.cos((a[1] + b[1]) * k / 2), y = (b[1] - a[1]) * k;
    return Math.sqrt(x * x + y * y) * 6371000;
  }

  function init(box) {
    var input = document.getElementById(box.dataset.input);
    if (!input || !navigator.geolocation) { return; }
    box.hidden = false;
    var state = box.querySelector(".js-record-state");
    var buttons = {
      start: box.querySelector(".js-record-start"), pause: box.querySelector(".js-record-pause"),
      resume: box.querySelector(".js-record-resume"), stop: box.querySelector(".js-record-stop")
    };
    var points = [], watch = null, mode = "idle";

    function show(next, text) {
      mode = next;
      box.classList.toggle("route-recorder--recording", mode === "recording");
      box.classList.toggle("route-recorder--paused", mode === "paused");
      buttons.start.hidden = mode === "recording" || mode === "paused";
      buttons.pause.hidden = mode !== "recording";
      buttons.resume.hidden = mode !== "paused";
      buttons.stop.hidden = mode !== "recording" && mode !== "paused";
      state.textContent = text;
    }

    function count() { return points.length === 1 ? "1 punkt" : points.length + " punkter"; }

    function write() {
      input.value = points.length >= 2 ? JSON.stringify({ type: "LineString", coordinates: points }) : "";
      input.dispatchEvent(new Event("input"));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function onPosition(pos) {
      if (mode !== "recording") { return; }
      if (pos.coords.accuracy && pos.coords.accuracy > MAX_ACCURACY_M) { return; }
      var p = [Math.round(pos.coords.longitude * 1e6) / 1e6, Math.round(pos.coords.latitude * 1e6) / 1e6];
      if (!points.length || metres(points[points.length - 1], p) >= MIN_SPACING_M) {
        points.push(p);
        write();
      }
      show("recording", "Spelar in – " + count());
    }

    function onError(err) {
      if (err.code !== 1) {
        // No fix for a while (a tunnel, a moment without signal): keep recording and say so.
        if (mode === "recording") { state.textContent = "Spelar in – väntar på position … (" + count() + ")"; }
        return;
      }
      stopWatch();
      show(points.length ? "paused" : "idle",
        "Positionen är blockerad. Tillåt platsåtkomst eller rita rutten på kartan.");
    }

    function startWatch() {
      watch = navigator.geolocation.watchPosition(onPosition, onError,
        { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
    }

    function stopWatch() {
      if (watch !== null) { navigator.geolocation.clearWatch(watch); watch = null; }
    }

    buttons.start.addEventListener("click", function () {
      points = [];
      write();
      show("recording", "Spelar in – väntar på position …");
      startWatch();
    });
    buttons.pause.addEventListener("click", function () {
      stopWatch();
      show("paused", "Pausad – " + count());
    });
    buttons.resume.addEventListener("click", function () {
      show("recording", "Spelar in – " + count());
      startWatch();
    });
    buttons.stop.addEventListener("click", function () {
      stopWatch();
      write();
      show("idle", points.length >= 2
        ? "Inspelningen är klar – " + count() + "."
        : "Inspelningen stoppad – för få punkter för en rutt.");
      buttons.start.textContent = "Spela in på nytt";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".js-route-recorder"), init);
})();
