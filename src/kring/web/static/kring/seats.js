// The meeting page's drag and drop of seats (an organiser's): a person dragged to another
// table is moved there and locked. A file of its own, not an inline script, so that the
// Content-Security-Policy can forbid inline scripts.
function kringSeats(root) {
  root.querySelectorAll("[data-seats]").forEach((list) => {
    Sortable.create(list, {
      group: "seats", animation: 150, filter: ".host, details", preventOnFilter: false,
      draggable: "li", forceFallback: true,
      onEnd: (event) => {
        if (event.from === event.to) return;
        const table = event.to.dataset.seats;
        htmx.ajax("POST", event.item.dataset.move, {
          target: "#tables", swap: "outerHTML",
          values: table ? {table: table, locked: "on"} : {table: ""},
        });
      },
    });
  });
}
kringSeats(document);
document.addEventListener("htmx:afterSwap", () => kringSeats(document.getElementById("tables")));
