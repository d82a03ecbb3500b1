// Kring's own few lines of script (no inline scripts: the pages work without them).
document.addEventListener("DOMContentLoaded", () => {
  // The menu button shows and hides the menu on a phone.
  const nav = document.querySelector("nav.top");
  const toggle = nav && nav.querySelector(".menu-toggle button");
  if (toggle) {
    nav.classList.add("collapsible");
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // A table wider than the screen becomes one card per row on a phone, each value under
  // its column's name; one that still does not fit (a table without a header)
  // scrolls inside its own box, never the page, and takes the keyboard focus so that it
  // can be scrolled without a mouse.
  const phone = window.matchMedia("(max-width: 768px)");
  const asCards = (table) => {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    const names = [...head.cells].map((cell) => cell.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        for (const [i, cell] of [...row.cells].entries()) {
          if (cell.colSpan > 1) break;
          if (names[i] && !cell.dataset.label) cell.dataset.label = names[i];
        }
      }
    }
    table.classList.add("as-cards");
  };
  const wrapTables = (root) => {
    for (const table of root.querySelectorAll("main table")) {
      if (table.parentElement.classList.contains("table-scroll")) continue;
      const box = document.createElement("div");
      box.className = "table-scroll";
      table.replaceWith(box);
      box.appendChild(table);
      if (phone.matches && box.scrollWidth > box.clientWidth) asCards(table);
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    }
  };
  wrapTables(document);
  document.body.addEventListener("htmx:load", (event) => {
    const cards = event.target.closest && event.target.closest("table.as-cards");
    if (cards) asCards(cards);  // a row swapped in: name its cells too
    else wrapTables(event.target.parentElement || document);
  });
});

// A select marked data-autosubmit sends its form when it changes (language, role, sharing
// level); a form marked data-confirm asks first. Here, not in on* attributes: the
// Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const question = event.target instanceof HTMLFormElement && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// The seating dial says in words what each setting does (clubs/meeting.html).
(() => {
  const dial = document.getElementById("policy");
  const out = document.querySelector("#dial-meaning small");
  const words = [...document.querySelectorAll("#dial-words li")];
  if (!dial || !out || !words.length) return;
  dial.addEventListener("input", () => {
    const v = parseFloat(dial.value);
    const hit = words.find((li) => v <= parseFloat(li.dataset.upto) + 1e-9) || words[words.length - 1];
    out.textContent = hit.textContent;
  });
})();
