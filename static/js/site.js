/* Small behaviour htmx cannot do alone: the suggestions combobox (WAI-ARIA
   combobox with a listbox popup), focusing the error summary, and unfolding the part of a
   page a link points to. */
(function () {
  "use strict";

  // How many options match what is typed, said in the live region `status` in the words
  // `words` carries (data-msg-count with %s for the number, data-msg-none); nothing said
  // while the box is empty. Shared with catalogue.js, which loads after this file.
  window.announceCount = function (status, input, words, count) {
    if (!status) return;
    if (!input.value.trim()) {
      status.textContent = "";
    } else if (count) {
      status.textContent = (words.dataset.msgCount || "%s").replace("%s", count);
    } else {
      status.textContent = words.dataset.msgNone || "";
    }
  };

  function setupCombobox(root) {
    var input = root.querySelector('[role="combobox"]');
    var listbox = root.querySelector('[role="listbox"]');
    var form = root.closest("form");
    var status = form ? form.querySelector("[data-combobox-status]") : null;
    var active = -1;
    if (!input || !listbox) return;

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
    }
    function setActive(index) {
      var opts = options();
      opts.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && opts[index]) {
        input.setAttribute("aria-activedescendant", opts[index].id);
        opts[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function setOpen(show) {
      listbox.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) setActive(-1);
    }
    function announce(count) {
      window.announceCount(status, input, root, count);
    }
    function follow(option) {
      if (option && option.dataset.href) window.location.assign(option.dataset.href);
    }

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== listbox) return;
      var count = options().length;
      active = -1;
      setOpen(count > 0 && input.value.trim().length > 0 && document.activeElement === input);
      announce(count);
    });

    input.addEventListener("input", function () {
      if (!input.value.trim()) {
        listbox.innerHTML = "";
        setOpen(false);
        announce(0);
      }
    });

    input.addEventListener("keydown", function (event) {
      var opts = options();
      switch (event.key) {
        case "ArrowDown":
          if (!opts.length) return;
          event.preventDefault();
          if (listbox.hidden) setOpen(true);
          setActive(active + 1 >= opts.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!opts.length) return;
          event.preventDefault();
          if (listbox.hidden) setOpen(true);
          setActive(active <= 0 ? opts.length - 1 : active - 1);
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) {
            event.preventDefault();
            follow(opts[active]);
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            setOpen(false);
          }
          break;
        case "Tab":
          setOpen(false);
          break;
        default:
          break;
      }
    });

    // mousedown, not click: the input would lose focus (and close the list) first.
    listbox.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) {
        event.preventDefault();
        follow(option);
      }
    });
    input.addEventListener("blur", function () {
      setOpen(false);
    });
  }

  function focusErrorSummary(scope) {
    var summary = (scope || document).querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // A link to one part of a page (the hub's channel card → #channel-3 on the contacts page)
  // unfolds what that part keeps folded, so the reader lands on its details.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    target.querySelectorAll("details").forEach(function (details) { details.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-combobox]").forEach(setupCombobox);
    focusErrorSummary(document);
    openTarget();
  });
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.target);
  });
  // After htmx pushes a new URL, the header's "return here" fields must say so too.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll("input[data-follows-location]").forEach(function (input) {
      input.value = here;
    });
  });
})();
