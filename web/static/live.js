// The web view's one script (served by the hub; the CSP allows no other): follow the page's
// server-sent events. The screen swaps in the fragment it is sent; other pages reload.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-events");
  if (!url || !window.EventSource) { return; }
  var source = new EventSource(url);
  source.addEventListener("screen", function (event) {
    var data = JSON.parse(event.data);
    var live = document.getElementById("live");
    if (live) { live.innerHTML = data.html; }  // server-rendered, every value escaped there
    body.setAttribute("data-version", String(data.version));
  });
  source.addEventListener("changed", function () { window.location.reload(); });
  source.addEventListener("gone", function () {
    source.close();
    document.getElementById("gone").hidden = false;
  });
  source.onerror = function () {
    // A rotated key answers 404 on reconnect: EventSource gives up (CLOSED) and the page says so.
    if (source.readyState === EventSource.CLOSED) { document.getElementById("gone").hidden = false; }
  };
}());
