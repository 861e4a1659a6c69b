// Drag a post to another day of the calendar: htmx posts the move and swaps the calendar.
// No inline script (CSP); cards carry their move address and revision in data attributes.
(function () {
  "use strict";
  let dragged = null;

  function dayOf(event) {
    return event.target instanceof Element ? event.target.closest("#calendar [data-day]") : null;
  }

  document.addEventListener("dragstart", (event) => {
    const card = event.target instanceof Element ? event.target.closest("[data-move]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.move);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll("#calendar .drop").forEach((day) => day.classList.remove("drop"));
  });

  document.addEventListener("dragover", (event) => {
    const day = dayOf(event);
    if (!day || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    day.classList.add("drop");
  });

  document.addEventListener("dragleave", (event) => {
    const day = dayOf(event);
    if (day && !day.contains(event.relatedTarget)) day.classList.remove("drop");
  });

  document.addEventListener("drop", (event) => {
    const day = dayOf(event);
    if (!day || !dragged) return;
    event.preventDefault();
    const calendar = document.getElementById("calendar");
    const query = calendar.dataset.query;
    const card = dragged;
    dragged = null;
    if (card.closest("[data-day]") === day) {
      day.classList.remove("drop");
      return;
    }
    window.htmx.ajax("POST", card.dataset.move + (query ? "?" + query : ""), {
      target: "#calendar", swap: "outerHTML",
      values: { day: day.dataset.day, revision: card.dataset.revision },
    });
  });
})();
