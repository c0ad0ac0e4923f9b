/* Live updates of the cabinet's pages over one WebSocket (/ws/notifications/).
   The socket is only a doorbell: on an event the page re-fetches its own region (the same
   URL it was loaded from), and after a reconnect it does so once more, since events sent
   while it was away are lost. Without JavaScript or with the socket down, a reload is right. */
(function () {
  "use strict";
  var regions = document.querySelectorAll("[data-live]");
  if (!regions.length || !("WebSocket" in window)) {
    return;
  }
  var selectors = Array.prototype.map.call(regions, function (region) {
    return region.getAttribute("data-live-refresh");
  });
  var status = document.querySelector("[data-live-status]");
  var delay = 1000;
  var connectedBefore = false;

  function refresh() {
    if (!window.htmx) {
      return;
    }
    selectors.forEach(function (selector) {
      if (document.querySelector(selector)) {
        window.htmx.ajax("GET", window.location.href, {
          target: selector,
          select: selector,
          swap: "outerHTML",
        });
      }
    });
  }

  function announce(text) {
    if (!status || !text) {
      return;
    }
    // Emptied first, so the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var socket = new WebSocket(scheme + "//" + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () {
      // Says whether the page is live (tests wait for it; styles may use it).
      document.body.setAttribute("data-live-socket", "open");
      if (connectedBefore) {
        refresh();
      }
      connectedBefore = true;
      delay = 1000;
    });
    socket.addEventListener("message", function (message) {
      var event;
      try {
        event = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (event.kind === "notification" || event.kind === "status") {
        refresh();
        announce(event.data && event.data.title);
      }
    });
    socket.addEventListener("close", function (closed) {
      document.body.setAttribute("data-live-socket", "closed");
      // 4001: signed out or not signed in; reconnecting would not help.
      if (closed.code === 4001) {
        return;
      }
      window.setTimeout(connect, delay + Math.floor(Math.random() * 500));
      delay = Math.min(delay * 2, 30000);
    });
  }

  connect();
})();
