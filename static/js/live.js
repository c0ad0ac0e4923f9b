/* Live updates of a signed-in citizen's pages over one WebSocket (/ws/notifications/): the
   header's «Уведомления (N)» on every page, the cabinet's lists and an appeal's timeline.
   The socket is only a doorbell: on an event the page re-fetches its own region (the same
   URL it was loaded from), and after a reconnect it does so once more, since events sent
   while it was away are lost. Without JavaScript or with the socket down, a reload is right. */
(function () {
  "use strict";
  // Included by the base template for a signed-in citizen, and by a page or two of its own:
  // one socket per page.
  if (window.liveStarted) {
    return;
  }
  window.liveStarted = true;
  var regions = document.querySelectorAll("[data-live]");
  if (!regions.length || !("WebSocket" in window)) {
    return;
  }
  // A region is re-read from its own URL (the header's count) or from the page's.
  var targets = Array.prototype.map.call(regions, function (region) {
    return {
      selector: region.getAttribute("data-live-refresh"),
      url: region.getAttribute("data-live-url") || null,
    };
  });
  var status = document.querySelector("[data-live-status]");
  var delay = 1000;
  var connectedBefore = false;

  function refresh() {
    if (!window.htmx) {
      return;
    }
    targets.forEach(function (target) {
      var region = document.querySelector(target.selector);
      if (region) {
        // Each region is its own source: two regions re-read at once must not cancel each other.
        window.htmx.ajax("GET", target.url || window.location.href, {
          source: region,
          target: target.selector,
          select: target.selector,
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
