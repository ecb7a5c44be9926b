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
