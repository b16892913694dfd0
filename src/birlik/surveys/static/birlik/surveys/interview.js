// The face-to-face interview on a phone (surveys/interview/interview.html), online or not.
//
// Loads the questionnaire (form-<version>.json, kept by the service worker), renders it as one
// fieldset per question in the respondent's language (kk/ru/en, switched at any time without
// losing answers), hides the questions whose skip condition fails (logic.js, the port of
// surveys/logic.py), checks the visible required ones, and on "Save" keeps the interview in
// IndexedDB (queue.js) with a random client_uuid, then sends what is waiting whenever the phone
// is online: on load, on the "online" event, after each save and every half minute. Every text
// it shows comes translated from the page (data-texts). No inline script: CSP script-src 'self'.
(function () {
  "use strict";

  var RETRY_MS = 30000;
  var root = document.querySelector("[data-interview]");
  if (!root || !window.BirlikLogic || !window.BirlikQueue) { return; }
  var Logic = window.BirlikLogic;
  var Queue = window.BirlikQueue;
  var texts = JSON.parse(root.getAttribute("data-texts") || "{}");
  var survey = Number(root.getAttribute("data-survey"));
  var interviewer = root.getAttribute("data-interviewer") || "";
  var version = Number(root.getAttribute("data-version"));
  var syncUrl = root.getAttribute("data-sync-url");
  var loginUrl = root.getAttribute("data-login-url");
  var open = root.getAttribute("data-open") === "true";
  var form = root.querySelector("[data-interview-form]");
  var holder = root.querySelector("[data-questions]");
  var consentBox = root.querySelector("[data-consent]");
  var summary = root.querySelector("[data-error-summary]");
  var editingNote = root.querySelector("[data-editing]");
  var loading = root.querySelector("[data-loading]");
  var countLine = root.querySelector("[data-queue-count]");
  var stateLine = root.querySelector("[data-queue-state]");
  var readyLine = root.querySelector("[data-offline-ready]");
  var attention = root.querySelector("[data-attention]");
  var attentionHeading = root.querySelector("[data-attention-heading]");
  var attentionList = root.querySelector("[data-attention-list]");

  var questionnaire = null; // the form JSON
  var language = root.getAttribute("data-language") || "kk";
  var startedAt = Date.now();
  var editing = null; // the record being corrected, if any

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; } else { node.setAttribute(name, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function csrf() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(message) {
    stateLine.textContent = message || "";
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- Rendering -----------------------------------------------------------------------------

  function inLanguage(values) {
    if (!values) { return ""; }
    return values[language] || values.kk || values.ru || values.en || "";
  }

  function idOf(index) { return "iq" + index; }

  function choice(type, name, value, label, id) {
    var input = element("input", { type: type, name: name, value: value, id: id });
    return element("label", { "class": "interview-choice", "for": id }, [input, element("span", { text: label })]);
  }

  function legendFor(question) {
    var legend = element("legend", { text: inLanguage(question.text) });
    if (question.required) {
      legend.appendChild(document.createTextNode(" "));
      legend.appendChild(element("span", { "aria-hidden": "true", text: "*" }));
      legend.appendChild(element("span", { "class": "visually-hidden", text: texts.required_mark }));
    }
    return legend;
  }

  function scalePoints(question) {
    var points = [];
    var low = question.scale_min === null ? 0 : question.scale_min;
    var high = question.scale_max === null ? 10 : question.scale_max;
    for (var point = low; point <= high; point += 1) { points.push(point); }
    return points;
  }

  function pointChoices(question, name, id) {
    var box = element("div", { "class": "interview-scale" });
    scalePoints(question).forEach(function (point) {
      box.appendChild(choice("radio", name, String(point), String(point), id + "-p" + point));
    });
    var missing = element("div", { "class": "interview-choices interview-missing" });
    question.options.forEach(function (option, i) {
      missing.appendChild(choice("radio", name, option.code, inLanguage(option.label), id + "-m" + i));
    });
    return [box, question.options.length ? missing : null];
  }

  function renderQuestion(question, index) {
    var id = idOf(index);
    var help = inLanguage(question.help);
    var described = [id + "-error"];
    if (help) { described.push(id + "-help"); }
    var error = element("p", { "class": "errorlist", id: id + "-error", hidden: true });
    var helpText = help ? element("p", { "class": "helptext", id: id + "-help", text: help }) : null;
    var box;
    if (question.kind === "number" || question.kind === "text") {
      var label = element("label", { "for": id, text: inLanguage(question.text) });
      if (question.required) {
        label.appendChild(document.createTextNode(" "));
        label.appendChild(element("span", { "aria-hidden": "true", text: "*" }));
        label.appendChild(element("span", { "class": "visually-hidden", text: texts.required_mark }));
      }
      var input = question.kind === "text"
        ? element("textarea", { id: id, name: question.code, rows: "3" })
        : element("input", { id: id, name: question.code, type: "text", inputmode: "decimal", autocomplete: "off" });
      input.setAttribute("aria-describedby", described.join(" "));
      box = element("div", { "class": "interview-question field" }, [label, helpText, error, input]);
      if (question.kind === "number" && question.options.length) {
        var missing = element("div", { "class": "interview-choices interview-missing" });
        question.options.forEach(function (option, i) {
          missing.appendChild(choice("checkbox", question.code + "__missing", option.code, inLanguage(option.label), id + "-m" + i));
        });
        box.appendChild(missing);
      }
    } else {
      box = element("fieldset", { "class": "interview-question", id: id, "aria-describedby": described.join(" ") }, [legendFor(question), helpText, error]);
      if (question.kind === "single" || question.kind === "multiple") {
        var list = element("div", { "class": "interview-choices" });
        question.options.forEach(function (option, i) {
          list.appendChild(choice(question.kind === "single" ? "radio" : "checkbox", question.code, option.code, inLanguage(option.label), id + "-o" + i));
        });
        box.appendChild(list);
      } else if (question.kind === "scale") {
        var ends = inLanguage(question.label_min) || inLanguage(question.label_max)
          ? element("p", { "class": "helptext", text: fill(texts.scale_ends, {
            low: question.scale_min, low_label: inLanguage(question.label_min),
            high: question.scale_max, high_label: inLanguage(question.label_max)
          }) })
          : null;
        if (ends) { box.appendChild(ends); }
        pointChoices(question, question.code, id).forEach(function (node) { box.appendChild(node); });
      } else if (question.kind === "matrix") {
        question.rows.forEach(function (row, r) {
          var rowId = id + "-r" + r;
          var rowBox = element("fieldset", { "class": "interview-row" }, [element("legend", { text: inLanguage(row.label) })]);
          pointChoices(question, question.code + "__" + row.code, rowId).forEach(function (node) { rowBox.appendChild(node); });
          box.appendChild(rowBox);
        });
      }
    }
    box.setAttribute("data-code", question.code);
    return box;
  }

  function render(answers) {
    form.setAttribute("lang", language);
    consentBox.textContent = "";
    var consent = inLanguage(questionnaire.consent);
    if (consent) { consentBox.appendChild(element("p", { text: consent })); }
    holder.textContent = "";
    questionnaire.questions.forEach(function (question, index) {
      holder.appendChild(renderQuestion(question, index));
    });
    restore(answers || {});
    applyLogic();
  }

  // --- Answers ---------------------------------------------------------------------------------

  function boxOf(question) {
    return holder.querySelector("[data-code=\"" + CSS.escape(question.code) + "\"]");
  }

  function checkedValues(name) {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=\"" + CSS.escape(name) + "\"]:checked"),
      function (input) { return input.value; }
    );
  }

  // A point of the scale is a number; a missing option (88, 99) keeps its code.
  function point(question, value) {
    var missing = question.options.some(function (option) { return option.code === value; });
    return !missing && /^-?\d+$/.test(value) ? Number(value) : value;
  }

  function numberValue(text) {
    var written = text.replace(/\s/g, "").replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(written)) { return null; }
    return Number(written);
  }

  // The answers as the server reads them (contracts: single → code, multiple → [codes],
  // scale → int or a missing code, number → number, text → str, matrix → {row: int or code}).
  function collect() {
    var answers = {};
    questionnaire.questions.forEach(function (question) {
      var code = question.code;
      if (question.kind === "single") {
        var one = checkedValues(code);
        if (one.length) { answers[code] = one[0]; }
      } else if (question.kind === "multiple") {
        var many = checkedValues(code);
        if (many.length) { answers[code] = many; }
      } else if (question.kind === "scale") {
        var picked = checkedValues(code);
        if (picked.length) { answers[code] = point(question, picked[0]); }
      } else if (question.kind === "matrix") {
        var rows = {};
        question.rows.forEach(function (row) {
          var value = checkedValues(code + "__" + row.code);
          if (value.length) { rows[row.code] = point(question, value[0]); }
        });
        if (Object.keys(rows).length) { answers[code] = rows; }
      } else if (question.kind === "number") {
        var missing = checkedValues(code + "__missing");
        var field = form.querySelector("[name=\"" + CSS.escape(code) + "\"]");
        var typed = field ? field.value.trim() : "";
        if (missing.length) {
          answers[code] = missing[0];
        } else if (typed) {
          var parsed = numberValue(typed);
          answers[code] = parsed === null ? typed : parsed;
        }
      } else if (question.kind === "text") {
        var area = form.querySelector("[name=\"" + CSS.escape(code) + "\"]");
        if (area && area.value.trim()) { answers[code] = area.value.trim(); }
      }
    });
    return answers;
  }

  function setChecked(name, values) {
    form.querySelectorAll("input[name=\"" + CSS.escape(name) + "\"]").forEach(function (input) {
      input.checked = values.indexOf(input.value) !== -1;
    });
  }

  function restore(answers) {
    questionnaire.questions.forEach(function (question) {
      var code = question.code;
      var value = answers[code];
      if (value === undefined) { return; }
      if (question.kind === "matrix" && value && typeof value === "object") {
        Object.keys(value).forEach(function (row) { setChecked(code + "__" + row, [String(value[row])]); });
      } else if (question.kind === "number" || question.kind === "text") {
        var field = form.querySelector("[name=\"" + CSS.escape(code) + "\"]");
        if (question.kind === "number" && question.options.some(function (o) { return o.code === String(value); })) {
          setChecked(code + "__missing", [String(value)]);
        } else if (field) {
          field.value = String(value);
        }
      } else {
        setChecked(code, Array.isArray(value) ? value.map(String) : [String(value)]);
      }
    });
  }

  function applyLogic() {
    var shown = Logic.visibleCodes(questionnaire.questions, collect());
    questionnaire.questions.forEach(function (question) {
      var box = boxOf(question);
      if (box) { box.hidden = shown.indexOf(question.code) === -1; }
    });
    return shown;
  }

  // --- Checks ----------------------------------------------------------------------------------

  function problem(question, value) {
    var missingCode = question.options.some(function (o) { return o.code === String(value); });
    if (value === undefined) { return question.required ? texts.required : ""; }
    if (question.kind === "number" && !missingCode) {
      if (typeof value !== "number") { return texts.number; }
      var low = question.number_min;
      var high = question.number_max;
      if ((low !== null && value < low) || (high !== null && value > high)) {
        if (low !== null && high !== null) { return fill(texts.range, { low: low, high: high }); }
        return low !== null ? fill(texts.at_least, { low: low }) : fill(texts.at_most, { high: high });
      }
    }
    if (question.kind === "text" && value.length > questionnaire.text_max_length) {
      return fill(texts.too_long, { limit: questionnaire.text_max_length, count: value.length });
    }
    if (question.kind === "matrix" && question.required &&
        Object.keys(value).length < question.rows.length) {
      return texts.every_row;
    }
    return "";
  }

  function showErrors(errors) {
    var links = [];
    questionnaire.questions.forEach(function (question, index) {
      var box = boxOf(question);
      if (!box) { return; }
      var message = errors[question.code] || "";
      var line = box.querySelector("#" + idOf(index) + "-error");
      line.textContent = message;
      line.hidden = !message;
      var target = box.matches("fieldset") ? box : box.querySelector("#" + idOf(index));
      if (message) {
        target.setAttribute("aria-invalid", "true");
        links.push(element("li", {}, [element("a", { href: "#" + (box.id || idOf(index)), text: inLanguage(question.text) + ": " + message })]));
      } else {
        target.removeAttribute("aria-invalid");
      }
    });
    summary.textContent = "";
    if (errors[""]) { links.unshift(element("li", { text: errors[""] })); }
    summary.hidden = !links.length;
    if (links.length) {
      summary.appendChild(element("p", { text: texts.correct }));
      summary.appendChild(element("ul", {}, links));
      summary.focus();
    }
    return links.length === 0;
  }

  function check() {
    var all = collect();
    var shown = applyLogic();
    var answers = {};
    var errors = {};
    questionnaire.questions.forEach(function (question) {
      if (shown.indexOf(question.code) === -1) { return; }
      var message = problem(question, all[question.code]);
      if (message) { errors[question.code] = message; }
      if (all[question.code] !== undefined) { answers[question.code] = all[question.code]; }
    });
    return showErrors(errors) ? answers : null;
  }

  // --- The queue on the phone --------------------------------------------------------------------

  function renderQueue() {
    return Queue.list(survey, interviewer).then(function (records) {
      var waiting = records.filter(function (r) { return r.state === Queue.WAITING; });
      var others = records.filter(function (r) { return r.state !== Queue.WAITING; });
      countLine.textContent = fill(texts.waiting, { count: waiting.length });
      attention.hidden = !others.length;
      attentionHeading.textContent = fill(texts.attention, { count: others.length });
      attentionList.textContent = "";
      others.forEach(function (record) {
        var item = element("li", { "class": "interview-record" });
        item.appendChild(element("p", { text: fill(texts.saved_on, { date: new Date(record.saved_at).toLocaleString() }) }));
        item.appendChild(element("p", { text: record.state === Queue.CONFLICT ? texts.conflict : texts.invalid }));
        var details = Object.keys(record.errors || {}).map(function (code) {
          return element("li", { text: (code ? code + ": " : "") + record.errors[code] });
        });
        if (details.length) { item.appendChild(element("ul", {}, details)); }
        var actions = element("div", { "class": "interview-actions" });
        if (record.state === Queue.INVALID && questionnaire) {
          var edit = element("button", { type: "button", "class": "button secondary", text: texts.edit });
          edit.addEventListener("click", function () { startEditing(record); });
          actions.appendChild(edit);
        }
        var remove = element("button", { type: "button", "class": "button secondary", text: texts.remove });
        remove.addEventListener("click", function () {
          Queue.remove(record.client_uuid).then(renderQueue);
        });
        actions.appendChild(remove);
        item.appendChild(actions);
        attentionList.appendChild(item);
      });
      return waiting.length;
    });
  }

  function send() {
    if (!navigator.onLine) {
      say(texts.offline);
      return renderQueue();
    }
    return Queue.list(survey, interviewer).then(function (records) {
      if (!records.some(function (r) { return r.state === Queue.WAITING; })) { return null; }
      say(texts.sending);
      return Queue.send({ url: syncUrl, survey: survey, interviewer: interviewer, csrf: csrf });
    }).then(function (result) {
      return renderQueue().then(function (waiting) {
        if (!result) { return; }
        if (result.state === "signin") {
          stateLine.textContent = texts.signin + " ";
          stateLine.appendChild(element("a", { href: loginUrl, text: texts.signin_link }));
        } else if (result.state === "offline") {
          say(texts.offline);
        } else if (result.state === "later") {
          say(texts.later);
        } else {
          say(waiting ? "" : texts.sent);
        }
      });
    }).catch(function () {
      say(texts.later);
    });
  }

  function startEditing(record) {
    editing = record;
    language = record.language || language;
    var radio = form.querySelector("input[name=respondent_language][value=\"" + language + "\"]");
    if (radio) { radio.checked = true; }
    render(record.answers);
    editingNote.textContent = texts.editing;
    editingNote.hidden = false;
    form.scrollIntoView();
  }

  function reset() {
    editing = null;
    editingNote.hidden = true;
    startedAt = Date.now();
    render({});
    summary.hidden = true;
  }

  function save(event) {
    event.preventDefault();
    var answers = check();
    if (!answers) { return; }
    var record = {
      client_uuid: editing ? editing.client_uuid : uuid(),
      survey: survey,
      interviewer: interviewer,
      version: version,
      language: language,
      answers: answers,
      duration: editing ? editing.duration : Math.max(0, Math.round((Date.now() - startedAt) / 1000)),
      saved_at: editing ? editing.saved_at : new Date().toISOString(),
      state: Queue.WAITING,
      errors: {}
    };
    Queue.put(record).then(function () {
      reset();
      say(texts.saved);
      window.scrollTo(0, 0);
      return renderQueue();
    }).then(send);
  }

  // --- The worker: this page, its form and scripts kept for offline use -------------------------

  function worker() {
    if (!("serviceWorker" in navigator)) { return; }
    var scope = root.getAttribute("data-worker-scope");
    var urls = [window.location.pathname, root.getAttribute("data-form-url")];
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (node) {
      var url = node.getAttribute("src") || node.getAttribute("href");
      if (url && url.charAt(0) === "/" && url.charAt(1) !== "/") { urls.push(url); }
    });
    navigator.serviceWorker.register(root.getAttribute("data-worker-url"), { scope: scope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var active = registration.active;
        if (!active) { return; }
        var channel = new MessageChannel();
        channel.port1.onmessage = function (message) {
          if (message.data && message.data.cached) {
            readyLine.textContent = texts.offline_ready;
            readyLine.hidden = false;
            root.setAttribute("data-offline-ready", "true");
          }
        };
        active.postMessage({ type: "keep", urls: urls }, [channel.port2]);
      })
      .catch(function () { /* without a worker the page still sends while online */ });
  }

  // --- Start -------------------------------------------------------------------------------------

  renderQueue().then(function () {
    if (!Queue.persistent) {
      readyLine.textContent = texts.no_storage;
      readyLine.hidden = false;
    }
  }).then(send);
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { say(texts.offline); });
  window.setInterval(function () { if (navigator.onLine) { send(); } }, RETRY_MS);
  worker();

  if (!open || !form) { return; }
  fetch(root.getAttribute("data-form-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("form " + response.status); }
      return response.json();
    })
    .then(function (data) {
      questionnaire = data;
      loading.hidden = true;
      form.hidden = false;
      render({});
      renderQueue();
      form.addEventListener("change", function (event) {
        if (event.target.name === "respondent_language") {
          var answers = collect();
          language = event.target.value;
          render(answers);
          return;
        }
        if (/__missing$/.test(event.target.name) && event.target.checked) {
          // A missing code (don't know, refusal) is one answer: the others and the number go.
          setChecked(event.target.name, [event.target.value]);
          var typed = form.querySelector("[name=\"" + CSS.escape(event.target.name.replace(/__missing$/, "")) + "\"]");
          if (typed) { typed.value = ""; }
        }
        applyLogic();
      });
      form.addEventListener("input", function (event) {
        if (event.target.matches("input[type=text], textarea")) { applyLogic(); }
      });
      form.addEventListener("submit", save);
    })
    .catch(function () {
      loading.textContent = texts.load_failed;
    });
}());
