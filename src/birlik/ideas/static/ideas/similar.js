// Similar ideas while typing (the idea submit form): on a form with data-similar-url, watches
// the title, problem and solution fields; 300 ms after the last keystroke asks the endpoint
// (the previous request, if still running, is aborted) and lists the similar published ideas
// in <section id="similar-ideas" aria-live="polite"> — a heading, links to the ideas and their
// supports — so that people support an idea instead of repeating it. Nothing is shown when
// there is none or the request fails. The wording comes from the server, in the page's
// language. The address stays short (proxies refuse very long ones): the text is cut.
(function () {
  "use strict";
  var DELAY_MS = 300;
  var MIN_CHARS = 8;
  var MAX_QUERY_BYTES = 3000;

  function value(form, name) {
    var field = form.querySelector("[name=" + name + "]");
    return field && typeof field.value === "string" ? field.value.trim() : "";
  }

  function queryOf(form) {
    var title = value(form, "title").slice(0, 200);
    var text = (value(form, "problem") + "\n" + value(form, "solution")).trim().slice(0, 2000);
    if ((title + text).length < MIN_CHARS) { return ""; }
    var query;
    for (;;) {
      query = "title=" + encodeURIComponent(title) + "&text=" + encodeURIComponent(text);
      if (query.length <= MAX_QUERY_BYTES) { return query; }
      if (text.length > 0) {
        text = text.slice(0, Math.floor(text.length / 2));
      } else {
        title = title.slice(0, Math.floor(title.length / 2));
      }
    }
  }

  function clear(section) {
    section.hidden = true;
    section.textContent = "";
    section.removeAttribute("data-shown");
  }

  function show(section, data) {
    var ideas = (data && data.ideas) || [];
    if (!ideas.length) { clear(section); return; }
    var shown = ideas.map(function (idea) { return idea.number + ":" + idea.supports; }).join(",");
    if (section.getAttribute("data-shown") === shown) { return; } // nothing new to announce
    var heading = document.createElement("h2");
    heading.textContent = data.heading || section.getAttribute("data-heading") || "";
    var list = document.createElement("ul");
    list.className = "results";
    ideas.forEach(function (idea) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = idea.url;
      link.textContent = idea.title;
      if (idea.language) { link.lang = idea.language; }
      var about = document.createElement("span");
      about.className = "kind";
      about.textContent = idea.number + " · " + (idea.supports_label || String(idea.supports));
      item.appendChild(link);
      item.appendChild(about);
      list.appendChild(item);
    });
    section.textContent = "";
    section.appendChild(heading);
    section.appendChild(list);
    section.setAttribute("data-shown", shown);
    section.hidden = false;
  }

  function watch(form) {
    var section = document.getElementById("similar-ideas");
    var url = form.getAttribute("data-similar-url");
    if (!section || !url || !window.fetch) { return; }
    if (!section.hasAttribute("aria-live")) { section.setAttribute("aria-live", "polite"); }
    clear(section);
    var timer = null;
    var running = null;
    var asked = "";

    function ask() {
      var query = queryOf(form);
      if (query === asked) { return; }
      asked = query;
      if (running) { running.abort(); running = null; }
      if (!query) { clear(section); return; }
      var controller = window.AbortController ? new AbortController() : null;
      running = controller;
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + query, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (running !== controller) { return; } // a newer request owns the section
          running = null;
          if (data) { show(section, data); } else { clear(section); }
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") { return; }
          if (running === controller) { running = null; asked = ""; clear(section); }
        });
    }

    form.addEventListener("input", function (event) {
      var name = event.target && event.target.name;
      if (name !== "title" && name !== "problem" && name !== "solution") { return; }
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(ask, DELAY_MS);
    });
    ask(); // a form shown again after an error already holds text
  }

  function start() {
    document.querySelectorAll("form[data-similar-url]").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
