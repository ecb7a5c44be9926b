// Shows the crisis panel the moment an answer that calls for it is chosen
// (inputs marked data-crisis="calm" or "strong" by intake/steps.py).  The server shows the
// same panel on the next page whether or not this ran.  It never blocks the form.
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();
  var panel = document.getElementById("crisis-panel");
  var form = document.querySelector(".intake-form");
  if (!panel || !form) return;
  var rank = { none: 0, calm: 1, strong: 2 };
  var serverLevel = panel.getAttribute("data-level") || "none";
  var update = function (event) {
    var level = serverLevel;
    form.querySelectorAll("input[data-crisis]:checked").forEach(function (input) {
      var own = input.getAttribute("data-crisis");
      if (rank[own] > rank[level]) level = own;
    });
    // Show it in place: right after the question just answered, where the patient is.
    var target = event && event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-crisis") && target.checked) {
      var question = target.closest("fieldset, .mb-3");
      if (question) question.after(panel);
    }
    panel.hidden = level === "none";
    var strong = panel.querySelector(".crisis-strong");
    if (strong) strong.hidden = level !== "strong";
  };
  form.addEventListener("change", update);
  update();
})();

// Questions asked only after a YES (the PC-PTSD-5's five, after its trauma question): a
// YES shows them in place and marks them shown (the hidden field the server reads); a NO
// hides them again and, if some were answered, clears those answers and says so.  Without
// JavaScript the server shows the same step again instead (intake/steps.py).
(function () {
  "use strict";
  var form = document.querySelector(".intake-form");
  if (!form) return;
  form.querySelectorAll("[data-gate]").forEach(function (group) {
    var gate = group.getAttribute("data-gate");
    var marker = form.querySelector('[name="' + group.getAttribute("data-shown-field") + '"]');
    var dropped = document.getElementById(group.getAttribute("data-dropped"));
    form.addEventListener("change", function (event) {
      if (!event.target || event.target.name !== gate) return;
      var yes = event.target.value === "1" && event.target.checked;
      if (yes) {
        group.hidden = false;
        if (dropped) dropped.hidden = true;
      } else {
        var answered = group.querySelectorAll("input:checked");
        answered.forEach(function (input) { input.checked = false; });
        if (dropped && answered.length) dropped.hidden = false;
        group.hidden = true;
      }
      if (marker) marker.value = yes ? "yes" : "";
    });
  });
})();
