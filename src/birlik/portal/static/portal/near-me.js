// The search box's "Use my location" (portal/_near_me_button.html): shown only where the
// browser can tell a position; on a click, asks for it (coarse: a region is all the search
// needs), rounds it to two decimals (about 1 km) and opens the search near it, keeping the
// words typed. The position goes nowhere else. What it says comes from the button's data-
// attributes and goes to the live region its data-status names.
(function () {
  "use strict";
  if (!("geolocation" in navigator) || !window.isSecureContext) { return; }

  function say(button, text) {
    var status = document.getElementById(button.getAttribute("data-status") || "");
    if (status) { status.textContent = text || ""; }
  }

  function go(button, latitude, longitude) {
    var params = new URLSearchParams();
    var words = button.form ? button.form.querySelector("[name=q]") : null;
    if (words && words.value.trim()) { params.set("q", words.value.trim()); }
    params.set("near", latitude.toFixed(2) + "," + longitude.toFixed(2));
    window.location.assign(button.getAttribute("data-url") + "?" + params.toString());
  }

  document.querySelectorAll("button[data-near-me]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-busy") === "true") { return; }
      button.setAttribute("aria-busy", "true");
      say(button, button.getAttribute("data-waiting") + " " + button.getAttribute("data-note"));
      navigator.geolocation.getCurrentPosition(
        function (position) {
          go(button, position.coords.latitude, position.coords.longitude);
        },
        function (error) {
          button.removeAttribute("aria-busy");
          var refused = error && error.code === error.PERMISSION_DENIED;
          say(button, button.getAttribute(refused ? "data-refused" : "data-unavailable"));
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
      );
    });
  });
})();
