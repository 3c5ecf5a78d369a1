/* Trygga platser service worker, version {{ version }} (partnerships/pwa.py renders it). */
"use strict";
var VERSION = "{{ version }}";
var STATIC = "trygga-static-" + VERSION, PAGES = "trygga-pages-" + VERSION;
var PRECACHE = {{ precache|safe }};
var STATIC_PREFIX = {{ static_prefix|safe }};
var FIELD_PAGES = new RegExp({{ field_pages|safe }});

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("trygga-") === 0 && k !== STATIC && k !== PAGES;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page asks to keep a field form for offline use (it was opened by the signed-in user).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && FIELD_PAGES.test(new URL(data.url).pathname)) {
    event.waitUntil(fetch(data.url, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.ok && response.type === "basic") {
          return caches.open(PAGES).then(function (c) { return c.put(data.url, response); });
        }
      })["catch"](function () {}));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(caches.match(request, { cacheName: STATIC }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (request.mode === "navigate" && FIELD_PAGES.test(url.pathname) && !url.search) {
    // Network first (fresh CSRF token, fresh lists); the kept copy only without signal.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(PAGES).then(function (c) { return c.put(url.href, copy); });
      } else if (response.redirected || response.status === 403 || response.status === 404) {
        caches.open(PAGES).then(function (c) { return c["delete"](url.href); });
      }
      return response;
    }, function () {
      return caches.match(url.href, { cacheName: PAGES }).then(function (hit) {
        return hit || Response.error();
      });
    }));
  }
});
