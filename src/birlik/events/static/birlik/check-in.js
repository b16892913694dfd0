// Check-in at the door on a phone (events/check_in.html).
//
// The banner: the result of the last check-in is fixed at the top of the screen; the page keeps
// its height free above the content (nothing stays hidden under it) and its close button
// removes it.
//
// The camera: "Scan with camera" shows the phone's rear camera in the page and reads QR codes,
// with the browser's own BarcodeDetector where it reads QR codes, otherwise with jsQR (our
// static copy, loaded only then) on frames drawn to a canvas. A code read is put into the
// ticket code field and the form is sent as typed (the server takes a bare code or the ticket's
// address). The form then carries scan=1, so the page after the check-in starts the camera
// again. Every text shown comes translated from the page's data- attributes.
(function () {
  "use strict";

  var SCAN_EVERY_MS = 150;
  var LARGEST_FRAME = 720; // pixels on the longer side given to jsQR: enough for a ticket
  // The same code read again within this time is ignored: the ticket just checked in is often
  // still in front of the camera when the page comes back.
  var SAME_CODE_MS = 30000;
  var LAST_CODE = "birlik.checkIn.lastCode";

  function banner() {
    var box = document.querySelector("[data-check-in-banner]");
    if (!box) { return; }
    var root = document.documentElement;
    var close = box.querySelector("[data-check-in-banner-close]");

    function reserve() {
      var height = box.isConnected ? box.getBoundingClientRect().height : 0;
      // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
      root.style.setProperty("--check-in-banner-height", Math.ceil(height) + "px");
    }

    reserve();
    window.addEventListener("resize", reserve);
    if (close) {
      close.hidden = false;
      reserve();
      close.addEventListener("click", function () {
        box.remove();
        reserve();
        var next = document.querySelector("[data-scan-toggle]:not([hidden])") ||
          document.querySelector("[data-check-in-form] input[name=code]") ||
          document.getElementById("content");
        if (next) { next.focus(); }
      });
    }
  }

  function scanner() {
    var box = document.querySelector("[data-check-in-scan]");
    var form = document.querySelector("[data-check-in-form]");
    if (!box || !form) { return; }
    var field = form.querySelector("input[name=code]");
    var toggle = box.querySelector("[data-scan-toggle]");
    var video = box.querySelector("video");
    var status = box.querySelector("[data-scan-status]");
    var text = box.dataset;
    var stream = null;
    var timer = null;
    var detector = null; // a function(video) -> Promise of the text read, or null
    var canvas = null;
    var sending = false;
    var wanted = false; // the camera is asked for or running

    box.hidden = false;

    function say(message) {
      status.textContent = message || "";
    }

    function supported() {
      return Boolean(window.isSecureContext !== false && navigator.mediaDevices &&
        navigator.mediaDevices.getUserMedia);
    }

    function remembered() {
      try {
        var last = JSON.parse(window.sessionStorage.getItem(LAST_CODE) || "null");
        return last && Date.now() - last.at < SAME_CODE_MS ? last.code : null;
      } catch (error) {
        return null; // storage refused (private mode): every read counts
      }
    }

    function remember(code) {
      try {
        window.sessionStorage.setItem(LAST_CODE, JSON.stringify({ code: code, at: Date.now() }));
      } catch (error) {
        // Without storage the same ticket may be sent twice; the server says it is checked in.
      }
    }

    function setScanFlag(on) {
      var flag = form.querySelector("input[name=scan]");
      if (on && !flag) {
        flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "scan";
        flag.value = "1";
        form.appendChild(flag);
      } else if (!on && flag) {
        flag.remove();
      }
      // The address follows, so that reloading the page does what the user last chose.
      if (window.history && window.history.replaceState) {
        var url = new URL(window.location.href);
        if (on) { url.searchParams.set("scan", "1"); } else { url.searchParams.delete("scan"); }
        window.history.replaceState(window.history.state, "", url.toString());
      }
    }

    function loadJsQR() {
      return new Promise(function (resolve, reject) {
        if (window.jsQR) { resolve(window.jsQR); return; }
        var script = document.createElement("script");
        script.src = text.decoder;
        script.onload = function () {
          if (window.jsQR) { resolve(window.jsQR); } else { reject(new Error("jsQR")); }
        };
        script.onerror = function () { reject(new Error("jsQR")); };
        document.head.appendChild(script);
      });
    }

    function withJsQR(jsQR) {
      canvas = canvas || document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (source) {
        var width = source.videoWidth;
        var height = source.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        var ratio = Math.min(1, LARGEST_FRAME / Math.max(width, height));
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        context.drawImage(source, 0, 0, canvas.width, canvas.height);
        var frame = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found && found.data ? found.data : null);
      };
    }

    function withBarcodeDetector() {
      var native = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (source) {
        if (!source.videoWidth) { return Promise.resolve(null); }
        return native.detect(source).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      };
    }

    function chooseDetector() {
      if (detector) { return Promise.resolve(detector); }
      var native = window.BarcodeDetector && window.BarcodeDetector.getSupportedFormats ?
        window.BarcodeDetector.getSupportedFormats().catch(function () { return []; }) :
        Promise.resolve([]);
      return native.then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) { return withBarcodeDetector(); }
        return loadJsQR().then(withJsQR);
      }).then(function (chosen) {
        detector = chosen;
        return chosen;
      });
    }

    function read(code) {
      var value = (code || "").trim();
      if (!value || sending || value === remembered()) { return false; }
      sending = true;
      remember(value);
      say(text.textFound);
      field.value = value;
      setScanFlag(true);
      stop(true);
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      return true;
    }

    function tick() {
      timer = null;
      if (!stream) { return; }
      detector(video).then(function (code) {
        if (stream && !read(code)) { timer = window.setTimeout(tick, SCAN_EVERY_MS); }
      }, function () {
        if (stream) { timer = window.setTimeout(tick, SCAN_EVERY_MS); }
      });
    }

    function failed(error) {
      if (!wanted) { return; } // stopped meanwhile: nothing went wrong
      stop(false);
      var name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError") {
        say(text.textDenied);
      } else if (name === "NotFoundError" || name === "OverconstrainedError") {
        say(text.textNoCamera);
      } else {
        say(text.textFailed);
      }
    }

    function start() {
      if (wanted) { return; }
      if (!supported()) { say(text.textUnsupported); return; }
      wanted = true;
      sending = false;
      say(text.textStarting);
      toggle.textContent = text.labelStop;
      navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: "environment" } }
      }).then(function (opened) {
        if (!wanted) {
          // Stopped while the browser was still asking: close what it opened.
          opened.getTracks().forEach(function (track) { track.stop(); });
          return;
        }
        stream = opened;
        video.srcObject = opened;
        video.hidden = false;
        setScanFlag(true);
        return video.play().then(chooseDetector);
      }).then(function () {
        if (!stream || !wanted) { return; }
        say(text.textScanning);
        video.scrollIntoView({ block: "nearest" });
        tick();
      }).catch(failed);
    }

    function stop(keepMessage) {
      wanted = false;
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
      }
      video.srcObject = null;
      video.hidden = true;
      toggle.textContent = text.labelStart;
      if (!keepMessage) { setScanFlag(false); }
    }

    toggle.addEventListener("click", function () {
      if (wanted) {
        stop(false);
        say(text.textStopped);
      } else {
        start();
      }
    });
    // Typed by hand while the camera is on: the camera comes back on the next page too.
    form.addEventListener("submit", function () {
      if (stream) { setScanFlag(true); }
    });
    window.addEventListener("pagehide", function () { stop(true); });
    window.addEventListener("pageshow", function (event) {
      // Back to this page from the browser's cache: the camera was closed when it was left.
      if (event.persisted && new URL(window.location.href).searchParams.get("scan") === "1") {
        start();
      }
    });

    if (text.autostart === "1") {
      if (supported()) { start(); } else { setScanFlag(false); }
    }
  }

  function ready() {
    banner();
    scanner();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
