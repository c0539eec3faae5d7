/* Flask-Admin's templates put a few handlers in onclick attributes and use javascript: links,
 * both of which the Content-Security-Policy blocks (it allows no inline script). This file,
 * loaded with the page's nonce, does the same jobs with listeners before anyone can click:
 * "With selected" actions, the row "Delete" confirmation, the filter menu, inline-form "Add".
 */
(function () {
  "use strict";

  // Each known handler: the pattern of its onclick text, and what a click does instead.
  var handlers = [
    [/modelActions\.execute\('([^']*)'\)/, function (event, element, name) {
      event.preventDefault();
      window.modelActions.execute(name);
    }],
    [/faHelpers\.safeConfirm\('(.*)'\)/, function (event, element, message) {
      if (!window.faHelpers.safeConfirm(message)) event.preventDefault();
    }],
    [/faForm\.addInlineField\(this, '([^']*)'\)/, function (event, element, fieldId) {
      event.preventDefault();
      window.faForm.addInlineField(element, fieldId);
    }],
    [/^\s*return false;?\s*$/, function (event) {
      event.preventDefault();
    }]
  ];

  function adopt(element) {
    var code = element.getAttribute("onclick");
    element.removeAttribute("onclick");
    handlers.forEach(function (handler) {
      var match = handler[0].exec(code);
      if (!match) return;
      element.addEventListener("click", function (event) {
        handler[1](event, element, match[1]);
      });
    });
  }

  document.querySelectorAll("[onclick]").forEach(adopt);

  // javascript:void(0) links only carry a click handler (menus, the current page number);
  // following them would break the policy, so a click on one never navigates.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='javascript:']");
    if (link) event.preventDefault();
  }, true);
})();
