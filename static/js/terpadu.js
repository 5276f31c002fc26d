// Terpadu's own small behaviours; htmx (from django-htmx) does the partial updates.
// The Content-Security-Policy allows no inline script, no style="" and no on*/hx-on handlers
// (tests/foundation/test_templates_inline.py): a template asks for a behaviour with a data-
// attribute and this file gives it.
//
//   data-nav-toggle          button: opens and closes the menu named by aria-controls
//   data-autosubmit          select: submits its form when the choice changes
//   data-confirm="question"  submit button or link: asks first, cancels on "no"
//   data-current-query       link: takes the address bar's querystring when clicked (lists
//                            whose results htmx swaps and whose URL it pushes)
//   data-drop-empty          htmx form: leaves empty fields out of the request (and the URL)
//   data-region-parent       htmx region picker: sends its value as `parent` ("-" when empty)
//   data-print               button: opens the browser's print dialog (letters)

document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    const nav = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  const confirming = event.target.closest("[data-confirm]");
  if (confirming && !window.confirm(confirming.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
  const link = event.target.closest("a[data-current-query]");
  if (link) link.search = window.location.search;
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

document.addEventListener("htmx:configRequest", (event) => {
  const element = event.detail.elt;
  const parameters = event.detail.parameters;
  if (element.closest("[data-drop-empty]")) {
    for (const [name, value] of [...parameters.entries()]) {
      if (value === "") delete parameters[name];
    }
  }
  if (element.hasAttribute("data-region-parent")) {
    parameters.parent = element.value || "-";
  }
});
