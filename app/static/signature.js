/* The signature pad of every signing form (a quote's approval, a work order's sign-off; the
 * markup is app/templates/_signature_pad.html): pointer events (finger, pen or mouse),
 * sharp on high-density screens, kept across a resize or a turn of the phone, posted as a PNG
 * data URL in the form's "signature" field. Without this script the pad stays hidden and the
 * typed full name is the signature.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function signaturePad(form) {
    var pad = form.querySelector("[data-signature-pad]");
    var canvas = pad.querySelector("canvas");
    var field = form.querySelector("input[name=signature]");
    var typedNote = form.querySelector("[data-typed-note]");
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
      var message = form.querySelector("[data-pad-problem]");
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

    form.addEventListener("submit", function (event) {
      if (typedOnly || field.value) return;
      event.preventDefault();
      var message = form.querySelector("[data-pad-problem]");
      if (!message) {
        message = document.createElement("p");
        message.className = "flash flash-error";
        message.setAttribute("role", "alert");
        message.dataset.padProblem = "";
        pad.insertBefore(message, canvas);
      }
      message.textContent = form.dataset.emptySignature;
      canvas.focus();
    });

    if (field.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.onload = function () { restored = image; redraw(); };
      image.src = field.value;
    }
    window.addEventListener("resize", resize);
    resize();
  }

  document.querySelectorAll("form[data-signature-form]").forEach(signaturePad);
})();
