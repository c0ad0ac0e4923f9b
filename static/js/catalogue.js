/* The service catalogue's small extras on top of htmx: a box that narrows the
   long region list, hiding the "apply" button once filters apply themselves,
   and moving focus to the results after a page change. Without JavaScript the
   form works as a plain GET form. */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().replace(/ё/g, "е").trim();
  }

  function setupRegionFilter(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var field = box.closest(".field");
    var select = field ? field.querySelector("select") : null;
    var input = box.querySelector("input");
    var status = box.querySelector("[data-region-filter-status]");
    if (!select || !input) return;
    box.hidden = false;

    function matching() {
      return Array.prototype.filter.call(select.options, function (option) {
        return !option.hidden && option.value;
      });
    }
    function announce(count) {
      window.announceCount(status, input, status, count);
    }
    input.addEventListener("input", function () {
      var wanted = normalise(input.value);
      Array.prototype.forEach.call(select.options, function (option) {
        // "Все регионы" and the chosen region always stay reachable.
        var keep = !option.value || option.selected || !wanted ||
          normalise(option.text).indexOf(wanted) !== -1;
        option.hidden = !keep;
      });
      announce(matching().filter(function (o) { return !o.selected; }).length);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      // Enter picks the first region that matches instead of submitting the words.
      event.preventDefault();
      var wanted = normalise(input.value);
      var first = matching().filter(function (option) {
        return normalise(option.text).indexOf(wanted) !== -1;
      })[0];
      if (first && wanted) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    });
  }

  function setup(root) {
    if (!root || !root.querySelectorAll) return;
    var boxes = root.matches && root.matches("[data-region-filter]") ? [root] : [];
    boxes = boxes.concat(Array.prototype.slice.call(root.querySelectorAll("[data-region-filter]")));
    boxes.forEach(setupRegionFilter);
    // With htmx the filters apply as they change; the button is for pages without it.
    if (window.htmx) {
      Array.prototype.forEach.call(root.querySelectorAll("[data-apply-filters]"), function (el) {
        el.hidden = true;
      });
    }
  }

  // Browsers that cannot show a closed <details>' content keep the fold on wide
  // screens too (the stylesheet leaves its summary there): open it for them.
  function unfoldWhereWide() {
    var fold = document.querySelector("[data-catalogue-fold]");
    if (!fold || fold.open || (window.CSS && CSS.supports("selector(::details-content)"))) return;
    if (window.matchMedia("(min-width: 48em)").matches) fold.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    setup(document);
    unfoldWhereWide();
  });
  document.addEventListener("htmx:load", function (event) {
    setup(event.detail.elt);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-focus-results")) {
      var title = document.getElementById("catalogue-results-title");
      if (title) {
        title.focus();
        title.scrollIntoView({ block: "start" });
      }
    }
  });
})();
