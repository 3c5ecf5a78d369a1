/* A field form kept as a draft when there is no signal (the finding form; the activity form
 * has its own, measures/activity.js). <form class="js-draft-form" data-kind="finding"
 * data-label-field="description" data-queue-message="…" data-sent-message="…"> and a
 * <section class="js-drafts" data-…> list on the page. The plain POST works without this file.
 * - online: the form is posted as usual (the server shows its messages beside the fields);
 * - offline (or the post cannot reach the server): kept in IndexedDB (static/js/drafts.js),
 *   per user, with its client id and the resized photo, and sent when the signal returns;
 * - a refused draft stays, marked with the server's message, and can be opened and corrected.
 */
(function () {
  "use strict";
  var D = window.TryggaDrafts;
  var form = document.querySelector(".js-draft-form");
  if (!form || !D) { return; }
  D.handled = true; // this page sends and shows the drafts itself
  var kind = form.dataset.kind, user = D.user();
  var status = document.querySelector(".js-offline-status");
  var box = document.querySelector(".js-drafts");
  var clientId = form.querySelector("[name=client_id]");
  if (clientId && !clientId.value) { clientId.value = D.uuid(); }
  var editing = null;
  // A finding made on a walk still kept on the phone: the walk form links here with
  // #vandring-utkast=<the walk's client id> (a fragment: the page is the one the worker keeps).
  var waitingWalk = form.querySelector("[name=walk_client_id]");
  function applyWalk() {
    var match = /vandring-utkast=([0-9a-f-]{36})/.exec(window.location.hash);
    if (!waitingWalk || !match) { return; }
    waitingWalk.value = match[1];
    var note = document.querySelector(".js-waiting-walk");
    if (note) { note.hidden = false; }
  }
  applyWalk();

  function say(text) { if (status) { status.textContent = text; status.hidden = !text; } }

  function fill(fields) {
    Object.keys(fields).forEach(function (name) {
      form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
        if (input.type === "file") { return; }
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = input.value === fields[name];
        } else {
          input.value = fields[name];
          input.dispatchEvent(new Event("input")); // the map redraws a route or a point
        }
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function render() {
    if (!box) { return Promise.resolve(); }
    return D.list(user, kind).then(function (drafts) {
      var list = box.querySelector("ul");
      list.textContent = "";
      drafts.forEach(function (draft) {
        var li = document.createElement("li");
        li.className = "draft draft--" + draft.state;
        var title = document.createElement("strong");
        title.textContent = draft.label;
        li.appendChild(title);
        li.appendChild(document.createTextNode(" "));
        var state = document.createElement("span");
        state.className = "draft__state";
        state.textContent = draft.state === "refused" ? box.dataset.refused : box.dataset.waiting;
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
          edit.addEventListener("click", function () {
            fill(draft.fields); editing = draft; say(box.dataset.editing);
          });
          li.appendChild(edit);
        }
        list.appendChild(li);
      });
      box.hidden = !drafts.length;
    }, function () { box.hidden = true; });
  }

  function flush() {
    return D.flush(user).then(function (counts) {
      if (counts.stored && !counts.refused && !counts.waiting) { say(form.dataset.sentMessage); }
      return render();
    }, function () {});
  }

  function keep() {
    var fields = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") { fields[key] = value; }
    });
    var photo = form.querySelector("input[type=file][data-resize]");
    var ready = window.TryggaPhoto ? TryggaPhoto.ready(photo) : Promise.resolve(photo && photo.files[0]);
    return ready.then(function (file) {
      var labelField = fields[form.dataset.labelField] || "";
      var draft = {
        id: fields.client_id || D.uuid(), user: String(user), kind: kind,
        url: form.action || window.location.href.split("#")[0], fields: fields,
        label: (form.dataset.kindLabel || "") + ": " + labelField.slice(0, 60),
        state: "waiting", messages: [], saved: new Date().toISOString()
      };
      if (!file && editing && editing.photo) { file = editing.photo; draft.photoName = editing.photoName; }
      if (file) { draft.photo = file; draft.photoField = photo.name; draft.photoName = draft.photoName || file.name; }
      return D.put(draft).then(function () { return draft; });
    });
  }

  function kept() {
    var walkLink = kind === "walk" && document.querySelector(".js-walk-findings");
    if (walkLink && clientId) {  // findings made next belong to the walk just kept
      var a = walkLink.querySelector("a");
      a.href = a.href.split("#")[0] + "#vandring-utkast=" + clientId.value;
      walkLink.hidden = false;
    }
    form.reset();
    editing = null;
    form.querySelectorAll(".js-map-clear").forEach(function (b) { b.click(); });
    form.querySelectorAll("input[type=hidden]:not([name=csrfmiddlewaretoken])").forEach(function (i) {
      i.value = "";
      i.dispatchEvent(new Event("change", { bubbles: true }));
    });
    if (clientId) { clientId.value = D.uuid(); }
    applyWalk();
    say(form.dataset.queueMessage);
    window.scrollTo(0, 0);
    return render();
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting || !user || !window.fetch) { return; }
    event.preventDefault();
    keep().then(function (draft) {
      if (!navigator.onLine) { return kept(); }
      return D.send(draft, true).then(function (result) {
        if (result === "waiting") { return kept(); }
        if (result === "stored") {
          window.location.assign(draft.storedUrl || form.dataset.after || window.location.href);
          return;
        }
        // Refused: post the form as usual, so that the server's messages stand by the fields.
        submitting = true;
        return D.remove(draft.id).then(function () { form.submit(); });
      });
    }, function () { submitting = true; form.submit(); });
  });

  window.addEventListener("online", flush);
  render().then(flush);
})();
