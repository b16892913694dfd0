// A button marked data-print prints the page (the Content-Security-Policy allows no inline
// onclick handlers: behaviour lives in static files).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
