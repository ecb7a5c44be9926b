// Progressive enhancement for the booking forms; everything works without it.
// 1. Move focus to the error summary so screen-reader users hear what to fix.
// 2. Show each time in the visitor's own time zone too, when it differs from the location's.
// 3. Turn the long list of days into day buttons that show one day's times at a time.
(function () {
  "use strict";

  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  var picker = document.querySelector(".slot-picker");
  if (!picker) return;

  var visitorZone = "";
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    visitorZone = "";
  }
  var locationZone = picker.getAttribute("data-zone");
  var offsetOf = function (zone, when) {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit", weekday: "short" }).format(when);
  };
  if (visitorZone && locationZone && visitorZone !== locationZone) {
    var sample = new Date();
    if (offsetOf(visitorZone, sample) !== offsetOf(locationZone, sample)) {
      var formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: visitorZone, weekday: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short"
      });
      picker.querySelectorAll("input[data-utc]").forEach(function (input) {
        var label = picker.querySelector('label[for="' + input.id + '"]');
        if (!label) return;
        var own = document.createElement("span");
        own.className = "own-time";
        own.textContent = " (" + formatter.format(new Date(input.getAttribute("data-utc"))) + " your time)";
        label.appendChild(own);
      });
      var hint = picker.querySelector(".zone-hint");
      if (hint) {
        hint.textContent = "Your device is set to " + visitorZone + "; your own time is shown in brackets.";
        hint.hidden = false;
      }
    }
  }

  var days = Array.prototype.slice.call(picker.querySelectorAll(".slot-day:not(.nearest)"));
  if (days.length < 2) return;
  var nav = document.createElement("div");
  nav.className = "day-buttons mb-3";
  nav.setAttribute("role", "group");
  nav.setAttribute("aria-label", "Days with open times");
  var buttons = [];
  var show = function (index) {
    days.forEach(function (day, i) { day.hidden = i !== index; });
    buttons.forEach(function (button, i) {
      button.setAttribute("aria-pressed", i === index ? "true" : "false");
      button.classList.toggle("btn-primary", i === index);
      button.classList.toggle("btn-outline-primary", i !== index);
    });
  };
  days.forEach(function (day, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-primary";
    button.textContent = day.getAttribute("data-short") || day.querySelector("legend").textContent;
    button.addEventListener("click", function () { show(index); });
    buttons.push(button);
    nav.appendChild(button);
  });
  days[0].parentNode.insertBefore(nav, days[0]);
  var checked = picker.querySelector(".slot-day:not(.nearest) input:checked");
  var start = checked ? days.indexOf(checked.closest(".slot-day")) : 0;
  show(start < 0 ? 0 : start);
})();
