// Kring's own few lines of script (no inline scripts: the pages work without them).
// The menu button shows and hides the menu on a phone.
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector("nav.top");
  const toggle = nav && nav.querySelector(".menu-toggle button");
  if (!toggle) return;
  nav.classList.add("collapsible");
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
