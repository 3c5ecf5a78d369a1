/* The phone activity form, progressively enhanced (the plain POST works without this file):
 * - a client id for every submission (the server stores a re-sent one only once);
 * - "Använd min position" fills the hidden GeoJSON point;
 * - the photo is resized on the phone (static/js/photo.js);
 * - offline: a submission that cannot reach the server is kept as a draft in IndexedDB, per
 *   user (static/js/drafts.js), and sent when the phone is back online. "Skickad" is said only
 *   for what the server confirmed; a refused draft stays, with the server's message, and can be
 *   opened in the form, corrected and sent again.
 */
(function () {
  "use strict";
  var form = document.querySelector(".js-activity-form");
  var D = window.TryggaDrafts;
  if (!form || !D) { return; }
  D.handled = true; // this page sends and shows the drafts itself
  var status = document.querySelector(".js-offline-status");
  var box = document.querySelector(".js-drafts");
  var user = D.user();
  var KIND = "activity";

  function field(name) { return form.querySelector("[name='" + name + "']"); }
  function say(text) { status.textContent = text; status.hidden = !text; }

  var clientId = field("client_id");
  if (clientId && !clientId.value) { clientId.value = D.uuid(); }

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

  // The drafts of this user on this phone, with their state.
  function render() {
    if (!box) { return Promise.resolve(); }
    return D.list(user, KIND).then(function (drafts) {
      var list = box.querySelector("ul");
      list.textContent = "";
      drafts.forEach(function (draft) {
        var li = document.createElement("li");
        li.className = "draft draft--" + draft.state;
        var title = document.createElement("strong");
        title.textContent = draft.label || "Aktivitet";
        li.appendChild(title);
        var state = document.createElement("span");
        state.className = "draft__state";
        state.textContent = draft.state === "refused" ? box.dataset.refused : box.dataset.waiting;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(state);
        (draft.messages || []).forEach(function (m) {
          var p = document.createElement("p");
          p.className = "field__error";
          p.textContent = m;
          li.appendChild(p);
        });
        if (draft.state === "refused") {
          var edit = document.createElement("button");
          edit.type = "button";
          edit.className = "button button--secondary button--small";
          edit.textContent = box.dataset.edit;
          edit.addEventListener("click", function () { openDraft(draft); });
          li.appendChild(edit);
        }
        list.appendChild(li);
      });
      box.hidden = !drafts.length;
    }, function () { box.hidden = true; });
  }

  // A refused draft back in the form: same client id, so correcting and saving replaces it.
  function openDraft(draft) {
    Object.keys(draft.fields).forEach(function (name) {
      var input = field(name);
      if (input && input.type !== "file" && input.type !== "hidden" || name === "client_id" || name === "point") {
        if (input) { input.value = draft.fields[name]; }
      }
    });
    editing = draft;
    say(box.dataset.editing);
    var first = field("description");
    if (first) { first.focus(); }
  }
  var editing = null;

  function flush() {
    return D.flush(user).then(function (counts) {
      if (counts.stored && !counts.refused && !counts.waiting) { say(form.dataset.sentMessage); }
      else if (counts.stored || counts.refused) {
        say(form.dataset.partialMessage.replace("%(sent)s", counts.stored)
          .replace("%(left)s", counts.refused + counts.waiting));
      }
      return render();
    }, function () {});
  }

  function keep() {
    var fields = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") { fields[key] = value; }
    });
    var photoInput = field("photo");
    return TryggaPhotoReady(photoInput).then(function (file) {
      var draft = {
        id: fields.client_id || D.uuid(), user: String(user), kind: KIND,
        url: form.action || window.location.href.split("#")[0], fields: fields,
        label: (fields.description || "").slice(0, 60) + (fields.date ? " · " + fields.date : ""),
        state: "waiting", messages: [], saved: new Date().toISOString()
      };
      if (!file && editing && editing.photo) { file = editing.photo; draft.photoName = editing.photoName; }
      if (file) { draft.photo = file; draft.photoName = draft.photoName || file.name || "foto.jpg"; }
      return D.put(draft).then(function () { return draft; });
    });
  }
  function TryggaPhotoReady(input) {
    return window.TryggaPhoto ? window.TryggaPhoto.ready(input) : Promise.resolve(input && input.files[0]);
  }

  function fresh() {
    form.reset();
    editing = null;
    if (clientId) { clientId.value = D.uuid(); }
    if (point) { point.value = ""; }
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting || !box || !window.fetch || !window.FormData || !user) { return; }
    event.preventDefault();
    keep().then(function (draft) {
      if (!navigator.onLine) {
        fresh(); say(form.dataset.queueMessage); window.scrollTo(0, 0); return render();
      }
      return D.send(draft).then(function (result) {
        if (result === "stored") {
          // Load the form again (a GET) to show a fresh form; the message is ours.
          fresh(); say(form.dataset.savedMessage); return render();
        }
        if (result === "refused") {
          // The form stays filled in (photo too) with the server's messages; the draft stays
          // on the phone, marked refused, until a corrected one is stored.
          return D.get(draft.id).then(function (kept) {
            editing = kept;
            say(box.dataset.refusedNow + " " + (kept.messages || []).join(" "));
            return render();
          });
        }
        fresh(); say(form.dataset.queueMessage); window.scrollTo(0, 0); return render();
      });
    }, function () {
      // IndexedDB is unavailable (private mode): post the form as before.
      submitting = true; form.submit();
    });
  });

  window.addEventListener("online", flush);
  render().then(flush);
})();
