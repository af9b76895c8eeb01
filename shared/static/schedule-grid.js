// Drag a session to another cell of the schedule grid: fills the session's own
// "Sposta" form (day and room; the times stay) and sends it. Without this
// script the form does the same by hand.
(function () {
  "use strict";
  var grid = document.querySelector("[data-move-grid]");
  if (!grid) return;
  grid.addEventListener("dragstart", function (e) {
    var card = e.target.closest("[data-session]");
    if (card) e.dataTransfer.setData("text/plain", card.dataset.session);
  });
  grid.querySelectorAll("td[data-day]").forEach(function (cell) {
    cell.addEventListener("dragover", function (e) { e.preventDefault(); cell.classList.add("drop-target"); });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
    cell.addEventListener("drop", function (e) {
      e.preventDefault();
      cell.classList.remove("drop-target");
      var card = document.getElementById("session-" + e.dataTransfer.getData("text/plain"));
      if (!card) return;
      var form = card.querySelector("form.move");
      form.elements.day.value = cell.dataset.day;
      form.elements.room_id.value = cell.dataset.room;
      form.submit();
    });
  });
})();
