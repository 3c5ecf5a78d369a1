/* Drafts kept on the phone (IndexedDB), per user: a draft never leaves under another login.
 *
 * A draft is {id (the form's client id), user, kind, url, fields, photo (Blob), photoName,
 * label, state ("waiting" | "refused"), messages, saved}. send() posts it with
 * X-Trygga-Draft: 1; the server answers JSON (partnerships/drafts.py):
 *   2xx {stored: true}  -> confirmed: the draft is removed;
 *   422 {messages: []}  -> refused: the draft stays, marked with the server's messages;
 *   anything else       -> not reached (login page, 403, 500, no signal): it stays "waiting".
 */
(function () {
  "use strict";
  var DB = "trygga-platser", STORE = "drafts";
  var opening = null;

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "id" });
        store.createIndex("user", "user");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opening;
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        var store = t.objectStore(STORE);
        result = work(store);
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function put(draft) { return tx("readwrite", function (s) { s.put(draft); }); }
  function remove(id) { return tx("readwrite", function (s) { s["delete"](id); }); }
  function get(id) { return tx("readonly", function (s) { return s.get(id); }); }
  function list(user, kind) {
    return tx("readonly", function (s) { return s.index("user").getAll(String(user)); })
      .then(function (all) {
        return (all || []).filter(function (d) { return !kind || d.kind === kind; })
          .sort(function (a, b) { return a.saved < b.saved ? -1 : 1; });
      });
  }

  function token() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function formData(draft) {
    var data = new FormData();
    Object.keys(draft.fields).forEach(function (k) {
      var value = draft.fields[k];
      (Array.isArray(value) ? value : [value]).forEach(function (v) { data.append(k, v); });
    });
    data.set("csrfmiddlewaretoken", token());
    if (draft.photo) { data.append(draft.photoField || "photo", draft.photo, draft.photoName || "foto.jpg"); }
    return data;
  }

  // Resolves "stored", "refused" or "waiting"; the draft in IndexedDB is updated to match.
  // now: the user is on the form and waits (the server then also says so on the next page).
  function send(draft, now) {
    var headers = { "X-Trygga-Draft": "1", "Accept": "application/json" };
    if (now) { headers["X-Trygga-Draft-Now"] = "1"; }
    return fetch(draft.url, {
      method: "POST", body: formData(draft), credentials: "same-origin", redirect: "manual",
      headers: headers
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) { return "waiting"; }
      return response.json().then(function (body) {
        if (response.ok && body.stored) {
          draft.storedUrl = body.url;
          return remove(draft.id).then(function () { return "stored"; });
        }
        if (response.status === 422) {
          draft.state = "refused";
          draft.messages = body.messages || [];
          draft.fieldErrors = body.fields || {};
          return put(draft).then(function () { return "refused"; });
        }
        return "waiting";
      });
    }, function () { return "waiting"; });
  }

  // One round at a time ("online" can fire twice in a row); a refused draft is not re-sent
  // until it has been corrected (saved again as "waiting").
  var flushing = null;
  function flush(user) {
    if (flushing) { return flushing.then(function () { return flush(user); }); }
    if (!navigator.onLine || !user) { return Promise.resolve({ stored: 0, refused: 0, waiting: 0 }); }
    var counts = { stored: 0, refused: 0, waiting: 0 };
    flushing = list(user).then(function (all) {
      var chain = Promise.resolve();
      all.forEach(function (draft) {
        if (draft.state === "refused") { counts.refused += 1; return; }
        chain = chain.then(function () {
          return send(draft).then(function (result) { counts[result] += 1; });
        });
      });
      return chain;
    }).then(function () { flushing = null; return counts; },
            function (error) { flushing = null; throw error; });
    return flushing;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function currentUser() { return document.body.dataset.user || ""; }

  // Pages without a draft form of their own still send this user's drafts when the signal
  // returns; a page's form script sets TryggaDrafts.handled and shows what happened.
  function auto() {
    if (!window.TryggaDrafts.handled && currentUser()) { flush(currentUser())["catch"](function () {}); }
  }
  window.addEventListener("online", auto);
  window.addEventListener("load", auto);

  window.TryggaDrafts = {
    put: put, remove: remove, get: get, list: list, send: send, flush: flush, uuid: uuid,
    user: currentUser
  };
})();
