// The header menu is a <details> that works without this file.  With it, Escape closes the
// open menu (focus back on "Menu") and so does a tap or click outside it.
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu) return;
  var toggle = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();
