// The job page (admin/templates/admin/job/page.html), made nicer where JavaScript runs; every
// form works without it. A weak signal loses nothing:
// - what is typed in the note and line forms is kept on the phone as it is typed (localStorage);
// - a note, a line or a photo sent goes to an outbox on the phone first (IndexedDB, photos as
//   Blobs), and leaves it only when the office has answered; the outbox is sent again when the
//   signal is back, a little later after a failure, and when the page is opened again, so a
//   reload or a closed page loses nothing; each send has its key, so one sent again after its
//   answer was lost is not saved twice;
// - a send that meets the sign-in page (the sign-in ended) keeps everything and asks the
//   technician to sign in again, which brings them back here to send it;
// - the banner (#job-pending) says what is not saved yet and why, and, once sent, that it is.
(function () {
  "use strict";

  var page = document.querySelector(".job[data-job]");
  if (!page) { return; }
  var banner = document.getElementById("job-pending");
  // What is kept on the phone belongs to this job and to the person signed in: another
  // person signing in on the same phone neither sees nor sends it (it waits for its owner).
  var mine = page.getAttribute("data-job") + "@" + page.getAttribute("data-who");
  var signIn = banner.getAttribute("data-sign-in");
  // The job page's own address: this page may be the answer to a refused plain form (its
  // address the form's), which must not be posted again by a reload.
  var here = banner.getAttribute("data-page");
  var SAVED_KEY = "job-saved:" + mine;
  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];
  var forms = {};
  var defaults = {};
  var queued = [];
  var refusals = [];
  var saved = null;
  var state = { sending: false, again: false, signedOut: false, failed: false, attempt: 0, timer: null };

  document.querySelectorAll("form[data-queue]").forEach(function (form) {
    forms[form.getAttribute("data-queue")] = form;
  });

  // The outbox: {id, job, kind, fields: [[name, value], ...], file, fileName} records in
  // IndexedDB; in memory where IndexedDB cannot be opened (then a reload does lose them).
  var outbox = (function () {
    var memory = { items: [], next: 1 };
    var inMemory = {
      all: function () { return Promise.resolve(memory.items.slice()); },
      add: function (item) { item.id = memory.next++; memory.items.push(item); return Promise.resolve(); },
      remove: function (id) {
        memory.items = memory.items.filter(function (item) { return item.id !== id; });
        return Promise.resolve();
      }
    };
    function inDatabase(database) {
      function run(mode, work) {
        return new Promise(function (resolve, reject) {
          var tx = database.transaction("outbox", mode);
          var request = work(tx.objectStore("outbox"));
          tx.oncomplete = function () { resolve(request.result); };
          tx.onerror = tx.onabort = function () { reject(tx.error); };
        });
      }
      return {
        all: function () { return run("readonly", function (s) { return s.getAll(); }); },
        add: function (item) { return run("readwrite", function (s) { return s.add(item); }); },
        remove: function (id) { return run("readwrite", function (s) { return s.delete(id); }); }
      };
    }
    var ready = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open("tuffops-job", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(inDatabase(request.result)); };
      request.onerror = function () { reject(request.error); };
    }).catch(function () { return inMemory; });
    return {
      all: function () {
        return ready.then(function (s) { return s.all(); }).then(function (items) {
          return items.filter(function (item) { return item.job === mine; });
        });
      },
      add: function (item) { return ready.then(function (s) { return s.add(item); }); },
      remove: function (id) { return ready.then(function (s) { return s.remove(id); }); }
    };
  })();

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
    function filter(words) {
      var first = null;
      options.forEach(function (option) {
        var text = option.text.toLowerCase();
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && option.value && first === null) { first = option; }
      });
      return first;
    }
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var first = filter(words);
      if (first && words.length) { select.value = first.value; }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.form.addEventListener("reset", function () { filter([]); });
  }

  // A form's fields as the browser would send them, without its CSRF token or files.
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") { fields.push([name, value]); }
    });
    return fields;
  }

  function fill(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox") { el.checked = false; }
    });
    fields.forEach(function (field) {
      var el = form.elements.namedItem(field[0]);
      if (!el) { return; }
      if (el.type === "checkbox") { el.checked = true; } else { el.value = field[1]; }
    });
  }

  // Drafts: what is typed in a form and not sent yet (none while it is as the page gave it).
  function draftKey(form) { return "job-draft:" + mine + ":" + form.getAttribute("data-draft"); }

  function draftOf(form) {
    try { return JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { return null; }
  }

  function keepDraft(form) {
    var fields = fieldsOf(form);
    if (JSON.stringify(fields) === defaults[draftKey(form)]) {
      localStorage.removeItem(draftKey(form));
    } else {
      localStorage.setItem(draftKey(form), JSON.stringify(fields));
    }
    show();
  }

  function plural(kind, n) {
    return banner.getAttribute("data-" + kind + (n === 1 ? "" : "s")).replace("{n}", n);
  }

  function summary(counts) {
    return ["note", "line", "photo"].filter(function (kind) { return counts[kind] > 0; })
      .map(function (kind) { return plural(kind, counts[kind]); }).join(", ");
  }

  function unsent() {
    var counts = { note: 0, line: 0, photo: 0 };
    queued.forEach(function (item) { counts[item.kind] += 1; });
    ["note", "line"].forEach(function (kind) {
      if (forms[kind] && draftOf(forms[kind])) { counts[kind] += 1; }
    });
    return summary(counts);
  }

  function say(text, link) {
    var p = document.createElement("p");
    p.className = "mb-0";
    p.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.className = "btn btn-primary job-sign-in";
      a.href = signIn;
      a.textContent = banner.getAttribute("data-sign-in-label");
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    banner.appendChild(p);
  }

  // Each section lists what of its kind waits in the outbox, above its form, marked as not
  // saved yet: a note's words, a line's item (or description) and quantity, a photo's name.
  function valueOf(fields, name) {
    var field = fields.filter(function (f) { return f[0] === name; })[0];
    return field ? field[1] : "";
  }

  function described(item) {
    if (item.kind === "note") { return valueOf(item.fields, "body"); }
    if (item.kind === "photo") { return [item.fileName, valueOf(item.fields, "caption")].filter(Boolean).join(" · "); }
    var select = forms.line.elements.namedItem("item");
    var option = select && Array.prototype.filter.call(select.options, function (o) {
      return o.value && o.value === valueOf(item.fields, "item");
    })[0];
    return (option ? option.text : valueOf(item.fields, "description")) + " × " + valueOf(item.fields, "quantity");
  }

  function showWaiting() {
    Object.keys(forms).forEach(function (kind) {
      var form = forms[kind];
      var list = form.previousElementSibling;
      if (!list || !list.classList.contains("job-waiting")) {
        list = document.createElement("ul");
        list.className = "list-unstyled job-waiting";
        form.parentNode.insertBefore(list, form);
      }
      list.textContent = "";
      queued.filter(function (item) { return item.kind === kind; }).forEach(function (item) {
        var entry = document.createElement("li");
        var badge = document.createElement("span");
        badge.className = "badge badge-warning";
        badge.textContent = banner.getAttribute("data-waiting");
        entry.textContent = described(item) + " ";
        entry.appendChild(badge);
        list.appendChild(entry);
      });
    });
  }

  function show() {
    showWaiting();
    var waiting = unsent();
    banner.textContent = "";
    if (waiting) {
      say(banner.getAttribute("data-unsent") + " " + waiting);
      if (state.sending) { say(banner.getAttribute("data-sending")); }
      if (state.failed && navigator.onLine) { say(banner.getAttribute("data-unreachable")); }
    }
    if (!navigator.onLine) { say(banner.getAttribute("data-offline")); }
    if (state.signedOut) { say(banner.getAttribute("data-signed-out"), true); }
    refusals.forEach(function (r) { say(banner.getAttribute("data-refused") + " " + r); });
    var done = !waiting && !refusals.length && !state.signedOut && navigator.onLine && saved;
    if (done) { say(banner.getAttribute("data-saved") + " " + saved + "."); }
    banner.classList.toggle("job-pending-done", Boolean(done));
    banner.hidden = !banner.firstChild;
  }

  // What waits in the outbox, read again, and the page told.
  function refresh() {
    return outbox.all().then(function (items) { queued = items; show(); });
  }

  // Sending. The answer to a send: JSON from the job page ({ok, errors}); the sign-in page, a
  // 401 or a 403 (signed out); a 400 page (the CSRF check: the page's token no longer matches
  // the session, so a fresh one is read from the page and the send tried once more); anything
  // else is no answer (tried again later).
  function atSignIn(response) {
    return response.redirected && new URL(response.url).pathname === new URL(signIn, location.href).pathname;
  }

  function answerOf(response) {
    if (response.status === 401 || response.status === 403 || atSignIn(response)) { return { signedOut: true }; }
    if (response.status === 413) { return { ok: false, errors: [forms.photo.getAttribute("data-too-big")] }; }
    if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) { return response.json(); }
    if (response.status === 400) { return { stale: true }; }
    throw new Error("no answer");
  }

  function freshToken() {
    return fetch(here, { credentials: "same-origin" }).then(function (response) {
      if (atSignIn(response) || !response.ok) { return null; }
      return response.text().then(function (html) {
        var input = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrf_token]");
        if (!input) { return null; }
        document.querySelectorAll("input[name=csrf_token]").forEach(function (el) { el.value = input.value; });
        return input.value;
      });
    });
  }

  function deliver(item, again) {
    var form = forms[item.kind];
    var body = new FormData();
    if (form.elements.csrf_token) { body.append("csrf_token", form.elements.csrf_token.value); }
    item.fields.forEach(function (field) { body.append(field[0], field[1]); });
    if (item.key) { body.append("sent_key", item.key); }
    if (item.file) { body.append("photo", item.file, item.fileName); }
    return fetch(form.action, {
      method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(answerOf).then(function (answer) {
      if (!answer.stale) { return answer; }
      if (again) { return { signedOut: true }; }
      return freshToken().then(function (token) { return token ? deliver(item, true) : { signedOut: true }; });
    });
  }

  // A refused note or line goes back into its form, to be put right; a refused photo is dropped.
  function refuse(item, errors) {
    refusals = refusals.concat(errors);
    var form = forms[item.kind];
    if (form.hasAttribute("data-draft")) {
      fill(form, item.fields);
      keepDraft(form);
    }
  }

  // Send the outbox, oldest first, one at a time (one tab at a time too, so nothing is sent
  // twice); stop at a send without an answer (tried again later) or at the sign-in page.
  function flush() {
    if (!navigator.onLine) { return; }
    if (state.sending) { state.again = true; return; }
    clearTimeout(state.timer);
    state.again = false;
    state.sending = true;
    show();
    var counts = { note: 0, line: 0, photo: 0 };
    function next() {
      return outbox.all().then(function (items) {
        if (!items.length) { return true; }
        return deliver(items[0]).then(function (answer) {
          if (answer.signedOut) { state.signedOut = true; return false; }
          state.signedOut = false;
          return outbox.remove(items[0].id).then(function () {
            if (answer.ok) { counts[items[0].kind] += 1; } else { refuse(items[0], answer.errors || []); }
            return next();
          });
        });
      });
    }
    var run = navigator.locks ? navigator.locks.request("tuffops-job-outbox", next) : next();
    run.then(function (emptied) {
      state.failed = false;
      state.attempt = 0;
      if (emptied && summary(counts) && !refusals.length) {
        sessionStorage.setItem(SAVED_KEY, summary(counts));
        location.replace(here);
      }
    }, function () {
      state.failed = true;
      state.timer = setTimeout(flush, RETRY_MS[Math.min(state.attempt, RETRY_MS.length - 1)]);
      state.attempt += 1;
    }).then(function () {
      state.sending = false;
      // Asked again while sending (the signal came back meanwhile): again at once.
      if (state.again) { flush(); }
      return refresh();
    });
  }

  // Each send's own key: sent again after its answer was lost, the office knows it has it.
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  function enqueue(form, file) {
    var item = { job: mine, kind: form.getAttribute("data-queue"), fields: fieldsOf(form), key: newKey() };
    if (file) {
      item.file = file;
      item.fileName = file.name || "photo.jpg";
    }
    refusals = [];
    saved = null;
    return outbox.add(item).then(function () {
      form.reset();
      if (form.hasAttribute("data-draft")) { localStorage.removeItem(draftKey(form)); }
      return refresh();
    }).then(flush);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    defaults[draftKey(form)] = JSON.stringify(fieldsOf(form));
    var draft = draftOf(form);
    if (draft) { fill(form, draft); }
    form.addEventListener("input", function () { keepDraft(form); });
    form.addEventListener("change", function () { keepDraft(form); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      enqueue(form, null);
    });
  });

  // Photos: checked here first (a picture, not too large), then into the outbox.
  if (forms.photo) {
    forms.photo.addEventListener("submit", function (event) {
      var form = forms.photo;
      var file = form.elements.photo.files[0];
      if (!file) { return; }
      event.preventDefault();
      refusals = [];
      if (file.type && file.type.indexOf("image/") !== 0) {
        refusals.push(form.getAttribute("data-not-picture"));
      } else if (file.size > Number(form.getAttribute("data-max-bytes"))) {
        refusals.push(form.getAttribute("data-too-big"));
      } else {
        enqueue(form, file);
        return;
      }
      show();
    });
  }

  document.querySelectorAll("select.job-item").forEach(searchable);
  saved = sessionStorage.getItem(SAVED_KEY);
  sessionStorage.removeItem(SAVED_KEY);
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { flush(); }
  });
  refresh().then(flush);
})();
