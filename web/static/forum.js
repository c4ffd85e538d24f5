/* Forum form: show the SKM cycle only for a follow-up forum, and only cycles of the chosen units.
   Without JavaScript every closed cycle stays selectable and core checks the choice. */
(function () {
  var purpose = document.getElementById("f-purpose");
  var units = document.getElementById("f-units");
  var cycle = document.getElementById("f-cycle");
  var field = document.getElementById("cycle-field");
  if (!purpose || !units || !cycle || !field) return;
  function chosenUnits() {
    var out = [];
    for (var i = 0; i < units.options.length; i++) if (units.options[i].selected) out.push(units.options[i].value);
    return out;
  }
  function update() {
    var followUp = purpose.value === "tindak_lanjut_skm";
    field.hidden = !followUp;
    var chosen = chosenUnits();
    for (var i = 0; i < cycle.options.length; i++) {
      var option = cycle.options[i];
      var unit = option.getAttribute("data-unit");
      if (!unit) continue;
      var show = chosen.length === 0 || chosen.indexOf(unit) !== -1;
      option.hidden = !show;
      option.disabled = !show;
      if (!show && option.selected) cycle.value = "";
    }
  }
  purpose.addEventListener("change", update);
  units.addEventListener("change", update);
  update();
})();
