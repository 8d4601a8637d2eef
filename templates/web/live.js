// Reload the page when a file of the workspace changes (server-sent events from the
// address in the script tag's data-events: the run's capability is part of it).
"use strict";
(function () {
  var script = document.currentScript;
  var events = script && script.getAttribute("data-events");
  if (!window.EventSource || !events) {
    return;
  }
  var source = new EventSource(events);
  source.addEventListener("change", function () {
    source.close();
    window.location.reload();
  });
})();
