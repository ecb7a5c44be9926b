// Shows the crisis panel the moment an answer that calls for it is chosen
// (inputs marked data-crisis="calm" or "strong" by intake/forms.py and clinical_forms.py).  The server shows the
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
// JavaScript the server shows the same step again instead (intake/clinical_forms.py).
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

// A phone may be shared, so the form closes in this browser after a while without activity
// (the server enforces the same limit, INTAKE_IDLE_SECONDS).  Before it does, "Still there?"
// (a modal dialog, WCAG 2.2.1) offers Continue (or Escape), which tells the server and starts
// the time again; left alone, the answers on the page are saved to the draft (unsent, shown
// again on this step after resuming) and the form closes.  The Back link saves them too before
// leaving.  Without JavaScript none of this runs: the server closes the draft itself and
// keeps what was sent.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  var form = document.querySelector(".intake-form");
  if (!dialog || !form || typeof dialog.showModal !== "function" || !window.fetch) return;
  // The time left as the server counts it (it notes activity every 30 seconds at most).
  var idle = Number(dialog.getAttribute("data-idle-seconds")) * 1000;
  var warning = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
  var saveUrl = dialog.getAttribute("data-save-url");
  var closedUrl = dialog.getAttribute("data-closed-url");
  var margin = 15000; // saved this long before the server's own limit, to arrive in time
  var deadline = Date.now() + idle;
  var busy = false;
  var returnFocus = null;

  var save = function (end) {
    var data = new FormData(form);
    if (end) data.append("end", "1");
    return fetch(saveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  };
  var leave = function (url) {
    busy = true;
    window.location.assign(url);
  };
  var check = function () {
    if (busy) return;
    var left = deadline - Date.now();
    if (left <= margin) {
      busy = true;
      save(true).then(function () { leave(closedUrl); }, function () { leave(closedUrl); });
    } else if (left <= warning && !dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
  };
  var stillHere = function () {
    if (busy) return;
    busy = true;
    dialog.close();
    save(false).then(function (response) {
      if (response.status === 410) return leave(closedUrl);
      if (!response.ok) throw new Error(String(response.status));
      return response.json().then(function (answer) {
        deadline = Date.now() + Number(answer.seconds) * 1000;
        busy = false;
      });
    }).catch(function () { busy = false; }); // the warning comes back at the next check
  };
  dialog.querySelector("[data-continue]").addEventListener("click", stillHere);
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stillHere();
  });
  dialog.addEventListener("close", function () {
    if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
  });
  window.setInterval(check, 1000);

  document.querySelectorAll("a[data-save-first]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      var go = function () { leave(link.href); };
      save(false).then(go, go);
    });
  });
})();
