// Interviews saved on the phone (IndexedDB) and their sending, one per request, to the survey's
// sync address (surveys/interview_views.py). A record is deleted only after the server took it
// (201 created, 200 already there); 409 keeps it marked "conflict", 400 keeps it marked
// "invalid" with the server's messages; a session that ended (403, or a redirect to the sign-in
// page) keeps the whole queue and stops until the interviewer signs in again. Where IndexedDB
// is refused (some private modes) the records live in memory while the page is open.
//
//   BirlikQueue.put(record)          -> Promise        (record.client_uuid is the key)
//   BirlikQueue.list(survey)         -> Promise<[record]>, oldest first
//   BirlikQueue.remove(client_uuid)  -> Promise
//   BirlikQueue.send(options)        -> Promise<{state, sent}>: state "done" | "offline" |
//                                       "signin" | "later"
//   BirlikQueue.persistent           false while the memory fallback is used
(function (root) {
  "use strict";

  var DATABASE = "birlik-interviews";
  var STORE = "records";
  var WAITING = "waiting";
  var memory = {};
  var opening = null;

  var api = { persistent: true, WAITING: WAITING, CONFLICT: "conflict", INVALID: "invalid" };

  function request(operation) {
    return new Promise(function (resolve, reject) {
      operation.onsuccess = function () { resolve(operation.result); };
      operation.onerror = function () { reject(operation.error); };
    });
  }

  function database() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve) {
      var factory = root.indexedDB;
      if (!factory) { api.persistent = false; resolve(null); return; }
      var open;
      try {
        open = factory.open(DATABASE, 1);
      } catch (error) {
        api.persistent = false;
        resolve(null);
        return;
      }
      open.onupgradeneeded = function () {
        var store = open.result.createObjectStore(STORE, { keyPath: "client_uuid" });
        store.createIndex("survey", "survey", { unique: false });
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { api.persistent = false; resolve(null); };
      open.onblocked = function () { api.persistent = false; resolve(null); };
    });
    return opening;
  }

  function store(mode) {
    return database().then(function (db) {
      return db ? db.transaction(STORE, mode).objectStore(STORE) : null;
    });
  }

  api.put = function (record) {
    return store("readwrite").then(function (records) {
      if (!records) { memory[record.client_uuid] = JSON.parse(JSON.stringify(record)); return; }
      return request(records.put(record));
    });
  };

  api.remove = function (uuid) {
    return store("readwrite").then(function (records) {
      if (!records) { delete memory[uuid]; return; }
      return request(records.delete(uuid));
    });
  };

  // A phone may be shared: each interviewer sees and sends only the records they saved
  // (``interviewer`` is the signed-in account's id), so nobody sends another's interviews
  // under their own name.
  api.list = function (survey, interviewer) {
    return store("readonly").then(function (records) {
      var found;
      if (!records) {
        found = Object.keys(memory).map(function (key) { return memory[key]; })
          .filter(function (record) { return record.survey === survey; });
        return Promise.resolve(found);
      }
      return request(records.index("survey").getAll(survey));
    }).then(function (found) {
      if (interviewer !== undefined) {
        found = found.filter(function (record) { return record.interviewer === interviewer; });
      }
      return found.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
    });
  };

  // The body the server reads: {client_uuid, version, language, answers, duration}.
  function payload(record) {
    return JSON.stringify({
      client_uuid: record.client_uuid,
      version: record.version,
      language: record.language,
      answers: record.answers,
      duration: record.duration
    });
  }

  function post(options, record) {
    return root.fetch(options.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a signed-out session is sent to the sign-in page: see it as such
      cache: "no-store",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": options.csrf(),
        "X-Requested-With": "XMLHttpRequest"
      },
      body: payload(record)
    });
  }

  function body(response) {
    return response.json().catch(function () { return {}; });
  }

  var sending = null;

  // Send the survey's waiting records one by one.
  // options: {url, survey, interviewer, csrf: function}.
  api.send = function (options) {
    if (sending) { return sending; }
    var sent = 0;
    function next(records) {
      var record = records.shift();
      if (!record) { return Promise.resolve({ state: "done", sent: sent }); }
      if (record.state !== WAITING) { return next(records); }
      return post(options, record).then(function (response) {
        if (response.status === 200 || response.status === 201) {
          sent += 1;
          return api.remove(record.client_uuid).then(function () { return next(records); });
        }
        if (response.status === 409 || response.status === 400) {
          return body(response).then(function (data) {
            record.state = response.status === 409 ? api.CONFLICT : api.INVALID;
            record.errors = (data && data.errors) || {};
            return api.put(record);
          }).then(function () { return next(records); });
        }
        if (response.type === "opaqueredirect" || response.status === 401 ||
            response.status === 403 || response.redirected) {
          return { state: "signin", sent: sent };
        }
        return { state: "later", sent: sent };
      }, function () {
        return { state: root.navigator.onLine === false ? "offline" : "later", sent: sent };
      });
    }
    if (root.navigator.onLine === false) {
      return Promise.resolve({ state: "offline", sent: 0 });
    }
    sending = api.list(options.survey, options.interviewer).then(next).then(function (result) {
      sending = null;
      return result;
    }, function (error) {
      sending = null;
      throw error;
    });
    return sending;
  };

  root.BirlikQueue = api;
}(self));
