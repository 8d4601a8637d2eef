// Reload the page when a file of the workspace changes (server-sent events from /events).
"use strict";
(function () {
  if (!window.EventSource) {
    return;
  }
  var source = new EventSource("/events");
  source.addEventListener("change", function () {
    source.close();
    window.location.reload();
  });
})();
