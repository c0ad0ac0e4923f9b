/* How much is left in every long field (a textarea with data-char-count), while typing.

   The count under the field (includes/char_count.html) changes on every key; screen readers
   hear it through a polite live region only once typing pauses, and at once when the text
   goes over the limit. The field keeps whatever is typed or pasted: the count says how much
   is over, and the form's own check refuses it with the text kept. Input events are
   delegated, so fields that htmx or the chat put on the page later are counted too; a
   script that changes a field's value or puts new fields in fires "charcount:refresh". */
(function () {
  "use strict";

  var PAUSE = 1200;
  var timers = {};

  function parts(area) {
    var id = area.id;
    return {
      shown: document.querySelector('[data-char-count-for="' + id + '"]'),
      live: document.querySelector('[data-char-count-live="' + id + '"]'),
    };
  }

  function message(shown, left, max) {
    return left >= 0
      ? shown.dataset.msgLeft.replace("%s", left).replace("%s", max)
      : shown.dataset.msgOver.replace("%s", -left).replace("%s", max);
  }

  function update(area, speak) {
    var max = parseInt(area.dataset.charCount, 10);
    var found = parts(area);
    if (!found.shown || !max) return;
    var left = max - area.value.length;
    var text = message(found.shown, left, max);
    var wasOver = found.shown.classList.contains("char-count--over");
    found.shown.textContent = text;
    found.shown.classList.toggle("char-count--over", left < 0);
    if (left < 0) {
      area.setAttribute("aria-invalid", "true");
    } else if (area.dataset.charCountInvalid !== "server") {
      area.removeAttribute("aria-invalid");
    }
    if (!speak || !found.live) return;
    clearTimeout(timers[area.id]);
    var say = function () {
      // Emptied first, so the same words said twice are said twice.
      found.live.textContent = "";
      window.setTimeout(function () { found.live.textContent = text; }, 50);
    };
    if (left < 0 && !wasOver) {
      say();
    } else {
      timers[area.id] = window.setTimeout(say, PAUSE);
    }
  }

  function setup(scope) {
    scope = scope || document;
    var areas = Array.prototype.slice.call(scope.querySelectorAll("textarea[data-char-count]"));
    if (scope.matches && scope.matches("textarea[data-char-count]")) areas.push(scope);
    areas.forEach(function (area) {
      // An error the server found (e.g. "required") is not the count's to clear.
      if (area.getAttribute("aria-invalid") === "true" && !area.dataset.charCountInvalid) {
        area.dataset.charCountInvalid = "server";
      }
      // An empty field keeps the server's "up to N characters".
      if (area.value) update(area, false);
    });
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area && area.matches && area.matches("textarea[data-char-count]")) update(area, true);
  });
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setup(event.detail.target); });
  document.addEventListener("charcount:refresh", function (event) { setup(event.target); });
})();
