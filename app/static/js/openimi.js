/* The only script of OpenIMI besides htmx: focus and busy state for htmx swaps. */
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
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.querySelector(".error-summary[data-autofocus]");
    if (el) { el.focus(); }
  });
})();
