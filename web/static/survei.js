/* Suara public survey: small enhancements only; every page works without this script.
   - progress counter of answered unsur (form[data-survey])
   - one submission per page view (form[data-once]); the server also ignores repeats
   - kiosk: empty the form after idle time ([data-idle-reset]) and return after thanks ([data-countdown])
   - print button ([data-print]) */
(function () {
  "use strict";
  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  var survey = document.querySelector("form[data-survey]");
  var bar = document.querySelector("[data-progress]");
  if (survey && bar) {
    var meter = bar.querySelector("progress");
    var text = bar.querySelector("[data-progress-text]");
    var codes = all("fieldset[data-unsur]", survey).map(function (f) { return f.getAttribute("data-unsur"); });
    var update = function () {
      var done = codes.filter(function (code) {
        return survey.querySelector('input[name="' + code + '"]:checked');
      }).length;
      meter.value = done;
      text.textContent = text.getAttribute("data-template").replace("{n}", String(done));
    };
    survey.addEventListener("change", update);
    update();
    bar.hidden = false;
  }

  var summary = document.getElementById("ringkasan");
  if (summary) { summary.focus(); }

  all("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
    });
    // Coming back with the browser's back button must not leave the form stuck.
    window.addEventListener("pageshow", function () { form.removeAttribute("data-sent"); });
  });

  var idle = document.querySelector("[data-idle-reset]");
  if (idle) {
    var limit = Number(idle.getAttribute("data-idle-reset")) * 1000;
    var target = idle.getAttribute("data-reset-url");
    var warning = document.getElementById("idle-warning");
    var resetTimer, warnTimer;
    var arm = function () {
      clearTimeout(resetTimer);
      clearTimeout(warnTimer);
      if (warning) { warning.hidden = true; }
      warnTimer = setTimeout(function () { if (warning) { warning.hidden = false; } }, Math.max(limit - 15000, 0));
      resetTimer = setTimeout(function () { window.location.replace(target); }, limit);
    };
    ["input", "change", "keydown", "pointerdown", "touchstart", "scroll"].forEach(function (name) {
      window.addEventListener(name, arm, { passive: true, capture: true });
    });
    arm();
  }

  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var left = Number(countdown.getAttribute("data-countdown"));
    var shown = countdown.querySelector("[data-seconds]");
    var back = countdown.getAttribute("data-return-url");
    var tick = setInterval(function () {
      left -= 1;
      if (shown) { shown.textContent = String(Math.max(left, 0)); }
      if (left <= 0) { clearInterval(tick); window.location.replace(back); }
    }, 1000);
  }

  all("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
