// Progressive enhancement: every page works without this script.
(function () {
  "use strict";
  // Seats left, read from registration's public API (each service keeps its own data).
  document.querySelectorAll("[data-seats-url]").forEach(function (el) {
    fetch(el.dataset.seatsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || data.seats_left === null || data.seats_left === undefined) return;
        el.textContent = data.seats_left > 0 ? el.dataset.seatsText.replace("{n}", data.seats_left) : el.dataset.fullText;
        el.setAttribute("aria-live", "polite");
      })
      .catch(function () {});
  });
  // Focus the error summary of a form sent back with errors; its links move the focus
  // to their field (a plain fragment link only scrolls).
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (e) {
      var link = e.target.closest("a[href^='#']");
      var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      if (field) {
        e.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }
})();
