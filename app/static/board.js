// The dispatch board: drag a visit (or a work order waiting for one) onto a technician's day
// and the board's form is filled in and sent, as if typed. Without JavaScript the same form
// is there to fill by hand. Day view: the drop point picks the company's arrival window
// there; week view: the visit keeps its times on the new day.
(function () {
  "use strict";
  var board = document.querySelector("table.board");
  var form = document.querySelector("form.board-form");
  if (!board || !form) {
    return;
  }
  var field = function (name) { return form.elements.namedItem(name); };
  var windows = (board.dataset.windows || "").split(",").filter(Boolean).map(function (text) {
    var bounds = text.split("-");
    return { starts: bounds[0], ends: bounds[1] };
  });
  var trackStart = Number(board.dataset.trackStart) * 60;
  var trackMinutes = Number(board.dataset.trackHours) * 60;
  var dayView = board.classList.contains("board-day");

  var clock = function (minutes) {
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    return (hours < 10 ? "0" : "") + hours + ":" + (rest < 10 ? "0" : "") + rest;
  };
  var minutesOf = function (text) {
    var parts = text.split(":");
    return Number(parts[0]) * 60 + Number(parts[1]);
  };

  // The arrival window at a point of the day's track: the company window there, else the
  // hour there with the dragged visit's window length.
  var windowAt = function (track, clientX, length) {
    var box = track.getBoundingClientRect();
    var minute = trackStart + Math.round(((clientX - box.left) / box.width) * trackMinutes);
    for (var i = 0; i < windows.length; i += 1) {
      if (minutesOf(windows[i].starts) <= minute && minute < minutesOf(windows[i].ends)) {
        return windows[i];
      }
    }
    var starts = Math.floor(minute / 60) * 60;
    return { starts: clock(starts), ends: clock(Math.min(starts + length, 24 * 60 - 1)) };
  };

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest("[data-visit], [data-work-order]") : null;
    if (!item || item.getAttribute("draggable") !== "true") {
      return;
    }
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.visit || item.dataset.workOrder);
  });
  document.addEventListener("dragend", function () {
    dragged = null;
  });
  board.querySelectorAll(".board-track").forEach(function (track) {
    track.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        track.classList.add("board-drop");
      }
    });
    track.addEventListener("dragleave", function () {
      track.classList.remove("board-drop");
    });
    track.addEventListener("drop", function (event) {
      event.preventDefault();
      track.classList.remove("board-drop");
      if (!dragged) {
        return;
      }
      var isVisit = Boolean(dragged.dataset.visit);
      var length = isVisit
        ? minutesOf(dragged.dataset.ends) - minutesOf(dragged.dataset.starts)
        : 120;
      var place;
      if (dayView || !isVisit) {
        place = dayView ? windowAt(track, event.clientX, length) : windows[0] || { starts: "08:00", ends: "10:00" };
      } else {
        place = { starts: dragged.dataset.starts, ends: dragged.dataset.ends };
      }
      field("visit_id").value = isVisit ? dragged.dataset.visit : "";
      field("work_order_id").value = isVisit ? "" : dragged.dataset.workOrder;
      field("technician").value = track.dataset.technician;
      field("day").value = track.dataset.day;
      field("starts").value = place.starts;
      field("ends").value = place.ends;
      if (isVisit) {
        field("duration").value = dragged.dataset.duration;
      }
      form.submit();
    });
  });
  // The window buttons under the form fill in its times.
  form.querySelectorAll(".board-window").forEach(function (button) {
    button.addEventListener("click", function () {
      field("starts").value = button.dataset.starts;
      field("ends").value = button.dataset.ends;
    });
  });
}());
