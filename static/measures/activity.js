/* The phone activity form, progressively enhanced (the plain POST works without this file):
 * - a client id for every submission (the server stores a re-sent one only once);
 * - "Använd min position" fills the hidden GeoJSON point;
 * - offline: a submission that cannot reach the server is kept in localStorage (the photo as a
 *   data URL when it is small) and sent when the phone is back online.
 */
(function () {
  "use strict";
  var QUEUE_KEY = "trygga-platser:activity-queue";
  var MAX_PHOTO_BYTES = 1500000; // larger photos stay on the phone's camera roll, not in storage
  var form = document.querySelector(".js-activity-form");
  if (!form) { return; }
  var status = document.querySelector(".js-offline-status");

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function field(name) { return form.querySelector("[name='" + name + "']"); }
  function say(text) { status.textContent = text; status.hidden = !text; }
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(queue) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); return true; } catch (e) { return false; }
  }

  var clientId = field("client_id");
  if (clientId && !clientId.value) { clientId.value = uuid(); }

  // Position
  var position = document.querySelector(".js-position");
  var point = field("point");
  if (position && point && navigator.geolocation) {
    position.hidden = false;
    var posStatus = position.querySelector(".js-position-status");
    position.querySelector(".js-position-button").addEventListener("click", function () {
      posStatus.textContent = "Hämtar position …";
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lon = Math.round(pos.coords.longitude * 1e6) / 1e6;
        var lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
        point.value = JSON.stringify({ type: "Point", coordinates: [lon, lat] });
        posStatus.textContent = "Position sparad (" + lat + ", " + lon + ").";
      }, function () {
        posStatus.textContent = "Kunde inte hämta positionen. Aktiviteten kan sparas ändå.";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  function toBlob(dataUrl) {
    var parts = dataUrl.split(","), bytes = atob(parts[1]), array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { array[i] = bytes.charCodeAt(i); }
    return new Blob([array], { type: parts[0].split(":")[1].split(";")[0] });
  }

  function post(url, data) {
    // redirect: "manual": a saved activity answers with a redirect (opaque here), so the
    // success message stays for the next page instead of being used up by fetch.
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" });
  }

  function entryToFormData(entry) {
    var data = new FormData();
    Object.keys(entry.fields).forEach(function (k) { data.append(k, entry.fields[k]); });
    var token = field("csrfmiddlewaretoken");
    if (token) { data.set("csrfmiddlewaretoken", token.value); }
    if (entry.photo) { data.append("photo", toBlob(entry.photo), entry.photoName || "foto.jpg"); }
    return data;
  }

  // One sending at a time: "online" can fire twice in a row (a flapping network), and two
  // rounds at once would post every kept activity twice and race to rewrite the queue.
  var flushing = false, again = false;
  function flush() {
    if (flushing) { again = true; return; }
    var queue = readQueue();
    if (!queue.length || !navigator.onLine) { return; }
    flushing = true;
    var remaining = [], sent = 0;
    var chain = Promise.resolve();
    queue.forEach(function (entry) {
      chain = chain.then(function () {
        return post(entry.url, entryToFormData(entry)).then(function (response) {
          if (response.type === "opaqueredirect" || response.ok) { sent += 1; }
          else { remaining.push(entry); }
        }, function () { remaining.push(entry); });
      });
    });
    chain.then(function () {
      // Activities kept while this round was sending are still in storage: keep them too.
      var added = readQueue().slice(queue.length);
      writeQueue(remaining.concat(added));
      if (sent) { say(form.dataset.sentMessage); }
      else if (remaining.length) { say(form.dataset.queueMessage); }
      flushing = false;
      if (again) { again = false; flush(); }
    });
  }

  function keep(callback) {
    var fields = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") { fields[key] = value; }
    });
    var entry = { url: form.action || window.location.href, fields: fields };
    var file = field("photo") && field("photo").files[0];
    if (file && file.size <= MAX_PHOTO_BYTES && window.FileReader) {
      var reader = new FileReader();
      reader.onload = function () { entry.photo = reader.result; entry.photoName = file.name; callback(entry); };
      reader.onerror = function () { callback(entry); };
      reader.readAsDataURL(file);
    } else {
      callback(entry);
    }
  }

  function storeOffline() {
    keep(function (entry) {
      var queue = readQueue();
      queue.push(entry);
      if (!writeQueue(queue)) {
        delete entry.photo; queue[queue.length - 1] = entry; writeQueue(queue);
      }
      form.reset();
      if (clientId) { clientId.value = uuid(); }
      if (point) { point.value = ""; }
      say(form.dataset.queueMessage);
      window.scrollTo(0, 0);
    });
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting || !window.fetch || !window.FormData) { return; }
    event.preventDefault();
    if (!navigator.onLine) { storeOffline(); return; }
    post(form.action || window.location.href, new FormData(form)).then(function (response) {
      if (response.type === "opaqueredirect" || response.redirected) {
        // Saved: load the form again (a GET) to show the success message and a fresh form.
        window.location.assign(window.location.href.split("#")[0]);
      } else {
        // Form errors (or anything else): let the browser submit normally to show them; the
        // client id makes a second copy of an already stored activity harmless.
        submitting = true;
        form.submit();
      }
    }, function () { storeOffline(); });
  });

  window.addEventListener("online", flush);
  flush();
})();
