// The job page (admin/templates/admin/job/page.html), made nicer where JavaScript runs; every
// form works without it.
(function () {
  "use strict";

  // Search as you type over the price book select: a box above it that keeps only the
  // options whose words contain what was typed (the blank choice always stays).
  function searchable(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control job-search";
    box.setAttribute("aria-label", select.getAttribute("data-search-label"));
    box.placeholder = select.getAttribute("data-search-label");
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      options.forEach(function (option) {
        var text = option.text.toLowerCase();
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && option.value && first === null) { first = option; }
      });
      if (first && words.length) { select.value = first.value; }
      select.dispatchEvent(new Event("change"));
    });
  }

  document.querySelectorAll("select.job-item").forEach(searchable);
})();
