/* Flask-Admin's templates use javascript:void(0) links for menus and the current page number;
 * the Content-Security-Policy (no inline script) forbids following them, so a click on one
 * never navigates. Their own click handlers still run. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[href^='javascript:']");
  if (link) event.preventDefault();
}, true);

/* Flask-Admin's row checkboxes carry only a title, which not every screen reader announces as
 * their name: give each the same words as an accessible label. */
document.querySelectorAll("input[type=checkbox][title]:not([aria-label])").forEach(function (box) {
  box.setAttribute("aria-label", box.title);
});

/* A list's search box is named by what it searches; Flask-Admin gives it only a placeholder. */
document.querySelectorAll("form[role=search] input[name=search]").forEach(function (box) {
  if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", box.getAttribute("placeholder"));
});
