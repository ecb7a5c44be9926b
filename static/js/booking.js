// Progressive enhancement for the booking forms; everything works without it.
// 1. Move focus to the error summary (or the "send again" notice) so screen-reader users
//    hear what to do.
// 2. Under each time, the visitor's own time, in words, when their zone differs.
// 3. A day chooser: the days as one radio group (one Tab stop, arrow keys between days)
//    that shows one day's times at a time, the first day with free times chosen at first.
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
  var clock = function (zone) {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit" });
  };
  var weekday = function (zone) {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "long" });
  };
  var zoneWords = function (zone) {
    try {
      var parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longGeneric" })
        .formatToParts(new Date());
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].type === "timeZoneName") return parts[i].value;
      }
    } catch (error) { /* an older browser: say it plainly below */ }
    return "";
  };
  if (visitorZone && locationZone && visitorZone !== locationZone) {
    var theirs = clock(visitorZone), ours = clock(locationZone);
    var theirDay = weekday(visitorZone), ourDay = weekday(locationZone);
    var inputs = Array.prototype.slice.call(picker.querySelectorAll("input[data-utc]"));
    var differs = inputs.some(function (input) {
      var when = new Date(input.getAttribute("data-utc"));
      return theirs.format(when) !== ours.format(when);
    });
    if (differs) {
      inputs.forEach(function (input) {
        var label = picker.querySelector('label[for="' + input.id + '"]');
        if (!label) return;
        var when = new Date(input.getAttribute("data-utc"));
        var own = document.createElement("span");
        own.className = "own-time";
        var day = theirDay.format(when) !== ourDay.format(when) ? " " + theirDay.format(when) : "";
        own.textContent = theirs.format(when) + day + " your time";
        label.appendChild(own);
      });
      var hint = picker.querySelector(".zone-hint");
      if (hint) {
        var words = zoneWords(visitorZone);
        hint.textContent = "Your device is set to " + (words || "another time zone") +
          ": your own time is shown under each time.";
        hint.hidden = false;
      }
    }
  }

  var days = Array.prototype.slice.call(picker.querySelectorAll(".slot-day:not(.nearest)"));
  if (days.length < 2) return;
  var chooser = document.createElement("fieldset");
  chooser.className = "day-choice mb-3";
  var legend = document.createElement("legend");
  legend.className = "h6";
  legend.textContent = "Days with open times";
  chooser.appendChild(legend);
  var options = document.createElement("div");
  options.className = "day-options";
  chooser.appendChild(options);
  var radios = [];
  var show = function (index) {
    days.forEach(function (day, i) { day.hidden = i !== index; });
    radios[index].checked = true;
  };
  days.forEach(function (day, index) {
    var option = document.createElement("div");
    option.className = "form-check day-option";
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.className = "form-check-input";
    radio.name = "day-choice";  // not a field of the form: the server ignores it
    radio.id = "choose-" + day.id;
    radio.value = day.id.replace("day-", "");
    radio.addEventListener("change", function () { if (radio.checked) show(index); });
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = radio.id;
    label.textContent = day.getAttribute("data-short") || day.querySelector("legend").textContent;
    option.appendChild(radio);
    option.appendChild(label);
    options.appendChild(option);
    radios.push(radio);
  });
  days[0].parentNode.insertBefore(chooser, days[0]);
  var checked = picker.querySelector(".slot-day:not(.nearest) input:checked");
  var start = checked ? days.indexOf(checked.closest(".slot-day")) : 0;
  show(start < 0 ? 0 : start);
})();
