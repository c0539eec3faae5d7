// The job page (admin/templates/admin/job/page.html), made nicer where JavaScript runs; every
// form works without it. A weak signal loses nothing: notes and lines are kept on the phone as
// they are typed (localStorage) and sent when the signal is back, photo uploads are retried,
// and the banner (#job-pending) says what has not been saved yet.
(function () {
  "use strict";

  var page = document.querySelector(".job[data-job]");
  if (!page) { return; }
  var banner = document.getElementById("job-pending");
  var job = page.getAttribute("data-job");
  var refusals = [];
  var photosWaiting = 0;
  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];

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
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // Drafts: the typed fields of a form (never its CSRF token), and whether it was sent and
  // not answered (queued until the signal is back).
  function key(form) { return "job-draft:" + job + ":" + form.getAttribute("data-draft"); }

  function read(form) {
    try { return JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { return null; }
  }

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "hidden") { return; }
      fields[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return fields;
  }

  function typed(form) {
    var draft = read(form);
    if (!draft) { return false; }
    var text = form.getAttribute("data-draft") === "note" ? draft.fields.body : draft.fields.item || draft.fields.description;
    return Boolean(text && String(text).trim());
  }

  function save(form, queued) {
    localStorage.setItem(key(form), JSON.stringify({ fields: fieldsOf(form), queued: queued }));
    show();
  }

  function restore(form) {
    var draft = read(form);
    if (!draft) { return; }
    Object.keys(draft.fields).forEach(function (name) {
      var el = form.elements[name];
      if (!el) { return; }
      if (el.type === "checkbox") { el.checked = draft.fields[name]; } else { el.value = draft.fields[name]; }
    });
  }

  function show() {
    var unsent = [];
    drafts.forEach(function (form) {
      if (typed(form)) { unsent.push(banner.getAttribute("data-" + form.getAttribute("data-draft"))); }
    });
    for (var i = 0; i < photosWaiting; i += 1) { unsent.push(banner.getAttribute("data-photo")); }
    var lines = [];
    if (!navigator.onLine) { lines.push(banner.getAttribute("data-offline")); }
    if (unsent.length) { lines.push(banner.getAttribute("data-unsent") + " " + unsent.join(", ")); }
    refusals.forEach(function (r) { lines.push(banner.getAttribute("data-refused") + " " + r); });
    banner.textContent = "";
    lines.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "mb-0";
      p.textContent = text;
      banner.appendChild(p);
    });
    banner.hidden = lines.length === 0;
  }

  // Sending: the form as the browser would post it, answered in JSON. A network failure
  // rejects (try again later); a refusal resolves with its reasons.
  function send(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) { return response.json(); });
  }

  function sendDraft(form) {
    save(form, true);
    return send(form).then(function (answer) {
      if (answer.ok) {
        localStorage.removeItem(key(form));
        return true;
      }
      save(form, false);
      refusals = refusals.concat(answer.errors || []);
      show();
      return false;
    }, function () { show(); return false; });
  }

  function sendQueued() {
    var queued = drafts.filter(function (form) { var d = read(form); return d && d.queued; });
    if (!queued.length || !navigator.onLine) { return; }
    var sent = 0;
    queued.reduce(function (chain, form) {
      return chain.then(function () { return sendDraft(form).then(function (ok) { if (ok) { sent += 1; } }); });
    }, Promise.resolve()).then(function () {
      if (sent === queued.length && photosWaiting === 0) { location.reload(); }
    });
  }

  var drafts = Array.prototype.slice.call(document.querySelectorAll("form[data-draft]"));
  drafts.forEach(function (form) {
    restore(form);
    form.addEventListener("input", function () { save(form, false); });
    form.addEventListener("change", function () { save(form, false); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refusals = [];
      sendDraft(form).then(function (ok) { if (ok) { location.reload(); } });
    });
  });

  // Photos: checked here first (a picture, not too large), then sent, and sent again after a
  // failure (a few seconds later, and as soon as the signal is back) until it goes through.
  document.querySelectorAll("form.job-photo-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var file = form.elements.photo.files[0];
      if (!file) { return; }
      event.preventDefault();
      refusals = [];
      if (file.type && file.type.indexOf("image/") !== 0) {
        refusals.push(form.getAttribute("data-not-picture"));
        show();
        return;
      }
      if (file.size > Number(form.getAttribute("data-max-bytes"))) {
        refusals.push(form.getAttribute("data-too-big"));
        show();
        return;
      }
      var body = new FormData(form);
      var attempt = 0;
      photosWaiting += 1;
      show();
      function upload() {
        fetch(form.action, {
          method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          if (response.status === 413) { return { ok: false, errors: [form.getAttribute("data-too-big")] }; }
          return response.json();
        }).then(function (answer) {
          photosWaiting -= 1;
          if (answer.ok) { location.reload(); return; }
          refusals = refusals.concat(answer.errors || []);
          show();
        }, function () {
          // No answer: try again a little later, or at once when the signal is back.
          var wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
          var timer = null;
          attempt += 1;
          function again() {
            window.removeEventListener("online", again);
            clearTimeout(timer);
            upload();
          }
          timer = setTimeout(again, wait);
          window.addEventListener("online", again);
        });
      }
      upload();
    });
  });

  document.querySelectorAll("select.job-item").forEach(searchable);
  window.addEventListener("online", function () { show(); sendQueued(); });
  window.addEventListener("offline", show);
  show();
  sendQueued();
})();
