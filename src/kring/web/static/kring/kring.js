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
  // A table wider than the screen scrolls inside its own box, never the page; a box that
  // scrolls takes the keyboard focus so that it can be scrolled without a mouse.
  const wrapTables = (root) => {
    for (const table of root.querySelectorAll("main table")) {
      if (table.parentElement.classList.contains("table-scroll")) continue;
      const box = document.createElement("div");
      box.className = "table-scroll";
      table.replaceWith(box);
      box.appendChild(table);
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    }
  };
  wrapTables(document);
  document.body.addEventListener("htmx:load", (event) => wrapTables(event.target.parentElement || document));
});
