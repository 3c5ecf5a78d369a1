// Progress of a report being rendered: poll its JSON status every 2 s and reload when it is
// ready or has failed, or when it gets stuck or unstuck (the page then says why and offers a
// retry). Without JavaScript the page has an "Uppdatera" link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-report-status-url");
  var label = document.getElementById("report-status");
  var stuck = box.getAttribute("data-stuck") === "1";
  var timer = window.setInterval(function () {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (label) { label.textContent = data.label; }
        if (data.finished || Boolean(data.stuck) !== stuck) {
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }, 2000);
})();
