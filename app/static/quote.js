/* The portal's quote page: totals that follow the chosen options, and the signature pad.
 *
 * Without this script the page still works: "Update total" reloads it with the choices, and
 * the typed full name is the signature. Totals are worked out in whole cents with the same
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
    var chosen = [];
    rows.forEach(function (row) {
      var input = choiceOf(row);
      var included = !input || input.checked;
      row.classList.toggle("unchosen", !included);
      if (included) {
        subtotal += parseInt(row.dataset.amountCents, 10);
        chosen.push(row);
      }
    });
    var tax = halfUp(subtotal * rateMilli, 100000);
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

  /* The signature pad: pointer events (finger, pen or mouse), sharp on high-density screens,
     kept across a resize or a turn of the phone, posted as a PNG data URL. */
  var pad = approveForm.querySelector("[data-signature-pad]");
  var canvas = pad.querySelector("canvas");
  var field = approveForm.querySelector("input[name=signature]");
  var typedNote = approveForm.querySelector("[data-typed-note]");
  var context = canvas.getContext("2d");
  var strokes = [];
  var current = null;
  var restored = null;
  var typedOnly = false;

  pad.hidden = false;
  typedNote.hidden = true;

  function resize() {
    var box = canvas.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    redraw();
  }

  function drawStroke(points) {
    context.beginPath();
    context.moveTo(points[0].x, points[0].y);
    if (points.length === 1) context.lineTo(points[0].x + 0.1, points[0].y + 0.1);
    for (var i = 1; i < points.length; i++) context.lineTo(points[i].x, points[i].y);
    context.stroke();
  }

  function redraw() {
    var box = canvas.getBoundingClientRect();
    context.clearRect(0, 0, box.width, box.height);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1d2733";
    if (restored) context.drawImage(restored, 0, 0, box.width, box.height);
    strokes.forEach(drawStroke);
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  function save() {
    field.value = strokes.length || restored ? canvas.toDataURL("image/png") : "";
  }

  canvas.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    drawStroke(current);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!current) return;
    event.preventDefault();
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    (events.length ? events : [event]).forEach(function (each) { current.push(point(each)); });
    drawStroke(current.slice(-events.length - 1));
  });
  function finish() {
    if (!current) return;
    current = null;
    save();
    var message = approveForm.querySelector("[data-pad-problem]");
    if (message) message.remove();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  pad.querySelector("[data-clear]").addEventListener("click", function () {
    strokes = [];
    restored = null;
    field.value = "";
    redraw();
  });
  pad.querySelector("[data-type-instead]").addEventListener("click", function () {
    typedOnly = true;
    strokes = [];
    restored = null;
    field.value = "";
    pad.hidden = true;
    typedNote.hidden = false;
  });

  approveForm.addEventListener("submit", function (event) {
    if (typedOnly || field.value) return;
    event.preventDefault();
    var message = approveForm.querySelector("[data-pad-problem]");
    if (!message) {
      message = document.createElement("p");
      message.className = "flash flash-error";
      message.setAttribute("role", "alert");
      message.dataset.padProblem = "";
      pad.insertBefore(message, canvas);
    }
    message.textContent = approveForm.dataset.emptySignature;
    canvas.focus();
  });

  if (field.value.indexOf("data:image/png;base64,") === 0) {
    var image = new Image();
    image.onload = function () { restored = image; redraw(); };
    image.src = field.value;
  }
  window.addEventListener("resize", resize);
  resize();
})();
