// Progressive enhancement of pages with a link to keep (the appeal receipt): elements marked
// data-js-only are shown once this script runs; a button marked data-copy="<id>" copies the
// text of that element and says so in the live region named by data-copy-done="<id>" (its
// data-message). Without JavaScript the link stays selectable by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-js-only]").forEach(function (element) {
    element.hidden = false;
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function told(button) {
    var region = document.getElementById(button.getAttribute("data-copy-done") || "");
    if (region) {
      region.textContent = "";
      window.setTimeout(function () {
        region.textContent = region.getAttribute("data-message") || "";
      }, 50);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { told(button); }, function () {
        selectText(source);
      });
    } else {
      // Older browsers: select the link so that the phone's own "Copy" is one tap away.
      selectText(source);
      try {
        if (document.execCommand("copy")) { told(button); }
      } catch (error) {
        // The selection stays: copying by hand still works.
      }
    }
  });
})();
