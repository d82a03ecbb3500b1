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
