// Follows the progress of annual report runs on the runs page: asks the status endpoint every
// three seconds and reloads the page once a run has finished (its files then appear).
(function () {
  "use strict";
  function start() {
    var table = document.querySelector("table[data-status-url]");
    if (!table) { return; }
    var rows = table.querySelectorAll("tr[data-run]");
    if (!rows.length) { return; }
    var ids = Array.prototype.map.call(rows, function (row) { return row.getAttribute("data-run"); });
    var url = table.getAttribute("data-status-url") + "?ids=" + ids.join(",");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { window.setTimeout(poll, 10000); return; }
          var finished = false;
          data.runs.forEach(function (run) {
            var bar = document.getElementById("run-" + run.id + "-progress");
            var label = document.getElementById("run-" + run.id + "-status");
            if (bar) { bar.value = run.progress; bar.textContent = run.progress + " %"; }
            if (label) {
              label.textContent = run.status_label.charAt(0).toUpperCase() +
                run.status_label.slice(1) + ", " + run.progress + " %";
            }
            if (run.status === "done" || run.status === "failed") { finished = true; }
          });
          if (finished) { window.location.reload(); } else { window.setTimeout(poll, 3000); }
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    }
    window.setTimeout(poll, 1500);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
