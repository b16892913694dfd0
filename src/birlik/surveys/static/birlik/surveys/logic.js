// Skip logic on the phone: when a question is shown. A faithful port of surveys/logic.py (the
// server's evaluator is authoritative: it drops answers to hidden questions and requires only
// visible required ones); tests/surveys/logic_cases.json is run against both.
//
// A condition is a small JSON tree over earlier questions:
//   {"all": [c, ...]}  every condition holds (an empty list holds)
//   {"any": [c, ...]}  at least one holds (an empty list does not)
//   {"not": c}
//   {"q": "Q3", "op": "eq" | "ne" | "in" | "gte" | "lte" | "answered", "v": value}
// eq/ne/in compare answers as text (3 and "3" are equal; a multiple choice matches when any
// chosen option does); gte/lte compare numbers ("7,5" reads as 7.5) and fail on a missing or
// non-numeric answer. A hidden question counts as unanswered for the questions after it.
//
// Python's own rules are kept where they differ from JavaScript's: what counts as empty
// (None, "", [], {}), str() of a number (3.0 is "3") or of True/None, float() of a text
// ("1_000", "inf" read; "0x10" and "" not).
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  root.BirlikLogic = api;
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var OPERATORS = ["eq", "ne", "in", "gte", "lte", "answered"];
  var FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
  var SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

  function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // Python's truth of a value: None, False, 0, "", [] and {} are false.
  function truthy(value) {
    if (value === null || value === undefined || value === false) { return false; }
    if (typeof value === "number") { return value !== 0 && !isNaN(value); }
    if (typeof value === "string" || Array.isArray(value)) { return value.length > 0; }
    if (typeof value === "object") { return Object.keys(value).length > 0; }
    return true;
  }

  // What Python's iteration over ``x or []`` gives for the parts of "all"/"any".
  function parts(value) {
    if (!truthy(value)) { return []; }
    if (Array.isArray(value)) { return value; }
    if (typeof value === "string") { return Array.from(value); }
    if (isMapping(value)) { return Object.keys(value); }
    return [];
  }

  // Python's str() of a JSON value, for the cases that matter here.
  function pyStr(value) {
    if (value === null || value === undefined) { return "None"; }
    if (value === true) { return "True"; }
    if (value === false) { return "False"; }
    if (typeof value === "number") {
      if (Number.isInteger(value)) { return String(value); }
      if (value === Infinity) { return "inf"; }
      if (value === -Infinity) { return "-inf"; }
      if (isNaN(value)) { return "nan"; }
      return String(value);
    }
    return String(value);
  }

  // Python's str.strip(): whitespace at both ends (JavaScript's trim knows the same set).
  function strip(text) {
    return text.trim();
  }

  function answered(value) {
    if (value === null || value === undefined) { return false; }
    if (typeof value === "string") { return strip(value) !== ""; }
    if (Array.isArray(value)) { return value.length > 0; }
    if (isMapping(value)) { return Object.keys(value).length > 0; }
    return true;
  }

  function text(value) {
    return strip(pyStr(value));
  }

  function texts(value) {
    if (Array.isArray(value)) { return value.map(text); }
    return [text(value)];
  }

  // float(str(value).replace(",", ".")), or null where Python refuses.
  function number(value) {
    if (value === null || value === undefined || typeof value === "boolean" ||
        Array.isArray(value) || isMapping(value)) {
      return null;
    }
    if (typeof value === "number") { return value; }
    var written = strip(pyStr(value).replace(/,/g, "."));
    var special = SPECIAL.exec(written);
    if (special) {
      if (special[2].toLowerCase() === "nan") { return NaN; }
      return special[1] === "-" ? -Infinity : Infinity;
    }
    if (!FLOAT.test(written)) { return null; }
    return Number(written.replace(/_/g, ""));
  }

  function get(mapping, key, fallback) {
    return Object.prototype.hasOwnProperty.call(mapping, key) ? mapping[key] : fallback;
  }

  // Whether ``condition`` holds for ``answers`` (null or {} always holds).
  function evaluate(condition, answers) {
    if (!truthy(condition)) { return true; }
    if (!isMapping(condition)) { return false; }
    answers = answers || {};
    if (Object.prototype.hasOwnProperty.call(condition, "all")) {
      return parts(condition.all).every(function (part) { return evaluate(part, answers); });
    }
    if (Object.prototype.hasOwnProperty.call(condition, "any")) {
      return parts(condition.any).some(function (part) { return evaluate(part, answers); });
    }
    if (Object.prototype.hasOwnProperty.call(condition, "not")) {
      return !evaluate(condition.not, answers);
    }
    var code = pyStr(get(condition, "q", ""));
    var value = get(answers, code, null);
    var op = get(condition, "op", "eq");
    var target = get(condition, "v", null);
    if (op === "answered") { return answered(value); }
    if (!answered(value)) { return false; }
    if (op === "eq" || op === "ne") {
      var hit = texts(value).indexOf(text(target)) !== -1;
      return op === "eq" ? hit : !hit;
    }
    if (op === "in") {
      var wanted = (Array.isArray(target) ? target : [target]).map(text);
      var given = texts(value);
      return wanted.some(function (item) { return given.indexOf(item) !== -1; });
    }
    var found = number(value);
    var bound = number(target);
    if (found === null || bound === null) { return false; }
    return op === "gte" ? found >= bound : found <= bound;
  }

  // The codes of the questions shown, in order; a hidden question's answer is ignored by the
  // conditions after it. ``questions``: [{code, show_if}, ...] in the questionnaire's order.
  function visibleCodes(questions, answers) {
    var seen = {};
    var shown = [];
    answers = answers || {};
    questions.forEach(function (question) {
      if (evaluate(question.show_if, seen)) {
        shown.push(question.code);
        if (Object.prototype.hasOwnProperty.call(answers, question.code)) {
          seen[question.code] = answers[question.code];
        }
      }
    });
    return shown;
  }

  // --- A server-rendered answer form (the public link, paper entry) ---------------------------
  // Its questions are fieldsets with data-question="<code>" and, when they have a condition,
  // data-show-if="<JSON>"; its inputs are named by the code (a matrix row: "<code>__<row>").
  // Questions whose condition fails are hidden as the respondent answers; the server decides
  // anyway (it drops answers to hidden questions), so without this script nothing is lost.

  function formAnswers(boxes) {
    var answers = {};
    boxes.forEach(function (box) {
      var code = box.getAttribute("data-question");
      var rows = {};
      var chosen = [];
      var single = null;
      var multiple = false;
      box.querySelectorAll("input, select, textarea").forEach(function (field) {
        var name = field.name || "";
        if (!name || field.disabled) { return; }
        var row = name.indexOf(code + "__") === 0 ? name.slice(code.length + 2) : null;
        var value = null;
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.type === "checkbox" && name === code) { multiple = true; }
          if (!field.checked) { return; }
          value = field.value;
        } else if (field.value && field.value.trim()) {
          value = field.value.trim();
        }
        if (value === null) { return; }
        if (row !== null) { rows[row] = value; } else if (name === code) {
          if (field.type === "checkbox") { chosen.push(value); } else { single = value; }
        }
      });
      if (Object.keys(rows).length) { answers[code] = rows; }
      if (multiple && chosen.length) { answers[code] = chosen; }
      if (!multiple && single !== null) { answers[code] = single; }
    });
    return answers;
  }

  function enhance(form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    if (!boxes.some(function (box) { return box.hasAttribute("data-show-if"); })) { return; }
    var questions = boxes.map(function (box) {
      var condition = null;
      try {
        condition = JSON.parse(box.getAttribute("data-show-if") || "null");
      } catch (error) {
        condition = null; // not understood here: shown, and the server decides
      }
      return { code: box.getAttribute("data-question"), show_if: condition, box: box };
    });
    function apply() {
      var shown = visibleCodes(questions, formAnswers(boxes));
      questions.forEach(function (question) {
        var hidden = shown.indexOf(question.code) === -1;
        question.box.hidden = hidden;
        question.box.style.display = hidden ? "none" : ""; // CSSOM: allowed by the CSP
      });
    }
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    apply();
  }

  if (typeof document !== "undefined" && document.querySelectorAll) {
    var start = function () {
      var forms = [];
      document.querySelectorAll("[data-question]").forEach(function (box) {
        var form = box.closest("form");
        if (form && forms.indexOf(form) === -1) { forms.push(form); }
      });
      forms.forEach(enhance);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  return {
    OPERATORS: OPERATORS,
    evaluate: evaluate,
    visibleCodes: visibleCodes,
    answered: answered,
    formAnswers: formAnswers,
    enhance: enhance
  };
}));
