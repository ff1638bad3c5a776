/* The only script of OpenIMI besides htmx: focus and busy state for htmx swaps, the
   header's menu button on narrow screens, and print buttons. */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (e) {
    var t = e.detail.target; if (t) { t.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var t = e.detail.target; if (t) { t.removeAttribute("aria-busy"); }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var el = e.detail.target && e.detail.target.querySelector("[data-autofocus]");
    if (el) { el.focus(); }
  });

  /* GOV.UK header pattern: below 40rem the menu folds behind a "Menu" button
     (aria-expanded, aria-controls); wider, or without this script, the menu shows. */
  function headerMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 40rem)");
    var header = button.closest("header");
    var open = false;
    function sync() {
      var fold = narrow.matches;
      header.classList.toggle("js-menu", fold);
      button.hidden = !fold;
      if (fold) {
        button.removeAttribute("aria-hidden");
        button.setAttribute("aria-expanded", String(open));
      } else {
        button.setAttribute("aria-hidden", "true");
        button.removeAttribute("aria-expanded");
      }
      menu.hidden = fold && !open;
    }
    button.addEventListener("click", function () { open = !open; sync(); });
    narrow.addEventListener("change", sync);
    sync();
  }

  /* A "Print" button (data-print) is shown only where this script can print. */
  function printButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.querySelector(".error-summary[data-autofocus]");
    if (el) { el.focus(); }
    headerMenu();
    printButtons();
  });
})();
