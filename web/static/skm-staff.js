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
  // Paper entry: the page says "Tab atau Enter" — Tab moves on by itself; Enter in an unsur box
  // moves to the next box instead of saving. Typing a digit never moves the focus.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-advance]"));
  boxes.forEach(function (box, index) {
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey) return;
      event.preventDefault();
      var next = boxes[index + 1] || document.querySelector(".profile-grid select, .profile-grid input");
      if (next) {
        next.focus();
        if (next.select) next.select();
      }
    });
  });
  // Before saving a questionnaire with blank unsur: name them and ask for the confirmation.
  var form = document.querySelector("form[data-blank-check]");
  var confirmBox = document.getElementById("blank-confirm");
  var confirmed = document.getElementById("f-simpan-kosong");
  var list = document.getElementById("blank-list");
  if (form && confirmBox && confirmed && list) {
    form.addEventListener("submit", function (event) {
      var blank = boxes.filter(function (box) { return box.value.trim() === ""; });
      if (!blank.length || confirmed.checked) return;
      event.preventDefault();
      var names = blank.map(function (box) {
        var label = form.querySelector('label[for="' + box.id + '"]');
        return label ? label.getAttribute("data-unsur") : box.name;
      });
      list.textContent = form.getAttribute("data-blank-message") + " " + names.join("; ") + ". " +
        form.getAttribute("data-blank-advice");
      confirmBox.hidden = false;
      blank[0].focus();
    });
  }
})();
