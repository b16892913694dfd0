// The interview pages' service worker (served by surveys:interview_sw, its scope the interview
// prefix): keeps the page, the questionnaire, the scripts and the styles, so that an interview
// page opened once opens again without a connection.
//
// - The page asks it to keep its own address, its form-<version>.json and its scripts and
//   styles (a message {type: "keep", urls}); it answers {cached: true} on the port given.
// - Versioned addresses (form-<version>.json; static files with a content hash in their name, as
//   the production storage writes them) never change: cache first.
// - Everything else it keeps (the page, static files without a hash): network first, the kept
//   copy when the network fails. A redirect (a signed-out session) or an error is never kept.
// - POST (the sync) and other addresses go to the network untouched.
"use strict";

var CACHE = "birlik-interview-v1";
var VERSIONED = [/\/form-\d+\.json$/, /\.[0-9a-f]{12}\.[a-z0-9]+$/];

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("birlik-interview-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function fetchAndKeep(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!keepable(response)) { throw new Error("not kept: " + url); }
    return cache.put(url, response);
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var urls = data.urls.filter(function (url) { return typeof url === "string" && sameOrigin(url); });
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) { return fetchAndKeep(cache, url); }));
    }).then(function () {
      if (port) { port.postMessage({ cached: true }); }
    }, function () {
      if (port) { port.postMessage({ cached: false }); }
    })
  );
});

function versioned(url) {
  var path = new URL(url).pathname;
  return VERSIONED.some(function (pattern) { return pattern.test(path); });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      if (kept) { return kept; }
      return fetch(request).then(function (response) {
        if (keepable(response)) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

function networkFirst(request, keep) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (keep && keepable(response)) { cache.put(request, response.clone()); }
      return response;
    }, function (error) {
      return cache.match(request, { ignoreVary: true, ignoreSearch: request.mode === "navigate" })
        .then(function (kept) {
          if (kept) { return kept; }
          throw error;
        });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) { return; }
  if (versioned(request.url)) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, true));
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    }).then(function (kept) {
      // Only what the page asked to keep is refreshed here; anything else goes as it would.
      return kept ? networkFirst(request, true) : fetch(request);
    })
  );
});
