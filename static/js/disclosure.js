/* The header's fold-away search and menu on narrow screens.

   Loaded in <head> without "defer": the "js" class must be on <html> before the
   first paint, or the folded header would flash open on every page. Clicks are
   handled by delegation on the document, so nothing waits for the page to load.
   Without JavaScript the buttons stay hidden and the search and menu stay open. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  function panels(button) {
    return (button.getAttribute("aria-controls") || "")
      .split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panels(button).forEach(function (panel) {
      panel.classList.toggle("is-open", open);
    });
  }

  function others(button) {
    var group = button.closest("[data-disclosure-group]") || button.parentNode;
    return Array.prototype.filter.call(
      group.querySelectorAll("[data-disclosure]"),
      function (other) { return other !== button; }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-disclosure]") : null;
    if (!button) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    // One panel at a time: the search and the menu together would fill a phone's screen.
    if (open) others(button).forEach(function (other) { setOpen(other, false); });
    setOpen(button, open);
    var target = open && button.dataset.disclosureFocus;
    if (target && document.getElementById(target)) document.getElementById(target).focus();
  });

  // Escape inside an open panel folds it and returns to the button that opened it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var panel = event.target.closest ? event.target.closest("[data-foldable].is-open") : null;
    if (!panel) return;
    var button = document.querySelector('[data-disclosure][aria-controls~="' + panel.id + '"]');
    if (!button || button.offsetParent === null) return;
    setOpen(button, false);
    button.focus();
  });
})();
