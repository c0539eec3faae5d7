/* The portal's quote page: totals that follow the chosen options.
 *
 * Without this script the page still works: "Update total" reloads it with the choices (the
 * signature pad is signature.js). Totals are worked out in whole cents with the same
 * half-up rounding as the server, which checks them again anyway.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function money(cents, currency) {
    var sign = cents < 0 ? "-" : "";
    var whole = Math.floor(Math.abs(cents) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var amount = whole + "." + String(Math.abs(cents) % 100).padStart(2, "0");
    return currency === "USD" ? sign + "$" + amount : sign + amount + " " + currency;
  }

  function halfUp(numerator, denominator) {
    var sign = numerator < 0 ? -1 : 1;
    return sign * Math.floor((2 * Math.abs(numerator) + denominator) / (2 * denominator));
  }

  var options = document.getElementById("options");
  var approveForm = document.getElementById("approve-form");
  if (!options || !approveForm) return;

  var currency = options.dataset.currency;
  var rateMilli = parseInt(options.dataset.taxRateMilli, 10) || 0;
  var rows = Array.prototype.slice.call(options.querySelectorAll("tbody tr[data-line-id]"));

  function choiceOf(row) {
    return row.querySelector("input[type=radio], input[type=checkbox]");
  }

  function update() {
    var subtotal = 0;
    var taxed = 0;
    var chosen = [];
    rows.forEach(function (row) {
      var input = choiceOf(row);
      var included = !input || input.checked;
      row.classList.toggle("unchosen", !included);
      if (included) {
        var amount = parseInt(row.dataset.amountCents, 10);
        subtotal += amount;
        if (row.dataset.taxable === "1") taxed += amount;
        chosen.push(row);
      }
    });
    var tax = halfUp(taxed * rateMilli, 100000);
    var totals = { subtotal: subtotal, tax: tax, total: subtotal + tax };
    document.querySelectorAll("[data-total]").forEach(function (cell) {
      cell.textContent = money(totals[cell.dataset.total], currency);
    });
    var inputs = document.getElementById("chosen-inputs");
    var list = document.getElementById("approving");
    inputs.textContent = "";
    list.textContent = "";
    chosen.forEach(function (row) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "chosen";
      hidden.value = row.dataset.lineId;
      inputs.appendChild(hidden);
      var item = document.createElement("li");
      item.textContent = document.getElementById("line-" + row.dataset.lineId + "-description").textContent;
      list.appendChild(item);
    });
  }

  options.addEventListener("change", update);
  options.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  rows.forEach(function (row) {
    var input = choiceOf(row);
    if (!input) return;
    row.classList.add("selectable");
    row.addEventListener("click", function (event) {
      if (event.target !== input) input.click();
    });
  });
  update();
})();
