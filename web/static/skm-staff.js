/* Staff SKM pages: small conveniences only; every page works without this script. */
(function () {
  "use strict";
  // "Salin" buttons next to read-only links (hidden until scripting is known to work).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-done"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
  // Paper entry: after typing 1–4 in an unsur box, move on to the next box (Tab still works).
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-advance]"));
  boxes.forEach(function (box, index) {
    box.addEventListener("input", function () {
      if (!/^[1-4]$/.test(box.value)) return;
      var next = boxes[index + 1] || document.querySelector(".profile-grid select, .profile-grid input");
      if (next) {
        next.focus();
        if (next.select) next.select();
      }
    });
  });
})();
