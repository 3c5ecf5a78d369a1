/* Installs the field app's service worker (partnerships/pwa.py) for a signed-in user, keeps
 * the field form this page is for offline use, and clears the kept pages on logout and when
 * another user signs in on this browser, so no one is shown another user's pages. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var user = document.body.dataset.user || "";
  var KEY = "trygga-platser:user";
  function forget() {
    if (window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf("trygga-pages-") === 0) { caches.delete(k); } });
      });
    }
  }
  var previous = null;
  try { previous = localStorage.getItem(KEY); localStorage.setItem(KEY, user); } catch (e) { /* private mode */ }
  if (previous !== null && previous !== user) { forget(); }
  document.querySelectorAll("form[action$='/konto/logout/']").forEach(function (form) {
    form.addEventListener("submit", forget);
  });
  if (!user) { return; }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (document.body.dataset.offline === "1" && registration.active) {
      registration.active.postMessage({ type: "keep", url: window.location.href.split("#")[0] });
    }
  })["catch"](function () {});
})();
