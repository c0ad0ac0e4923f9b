/* The chat over a WebSocket: resumes from the last number seen after any loss, resends
   what had no acknowledgement under the same client id (the server stores it once), and
   reconnects with backoff. Without JavaScript every control is a plain form or link. */
(function () {
  "use strict";

  var FRAGMENT = { "HX-Request": "true" };

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // A value set by the script is news for the character count (static/js/char-count.js).
  function changed(textarea) {
    textarea.dispatchEvent(new Event("charcount:refresh", { bubbles: true }));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // always text: never parsed as HTML
    return node;
  }

  function messageItem(m, root) {
    var li = el("li", "chat__message chat__message--" + m.sender + (m.staff_only ? " chat__message--note" : ""));
    li.dataset.seq = m.seq;
    li.dataset.clientId = m.client_id || "";
    var meta = el("p", "chat__meta");
    meta.appendChild(el("span", "chat__sender", m.sender_name));
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("time", "", m.at));
    li.appendChild(meta);
    if (m.text) {
      var p = el("p", "chat__text");
      m.text.split("\n").forEach(function (line, i) {
        if (i) p.appendChild(document.createElement("br"));
        p.appendChild(document.createTextNode(line));
      });
      li.appendChild(p);
    }
    if (m.file) {
      var fp = el("p");
      var a = el("a", "", m.file.name);
      a.href = m.file.url;
      a.setAttribute("download", "");
      fp.appendChild(a);
      li.appendChild(fp);
    }
    if (m.articles && m.articles.length) {
      var ul = el("ul", "chat__articles");
      m.articles.forEach(function (article) {
        var item = el("li");
        // An article not yet translated is in Russian: screen readers must read it so.
        if (article.lang) item.setAttribute("lang", article.lang);
        var link = el("a", "", article.title);
        link.href = article.url;
        item.appendChild(link);
        if (article.answer) {
          item.appendChild(document.createElement("br"));
          item.appendChild(el("span", "hint", article.answer));
        }
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    return li;
  }

  /* One socket per page: the page holds the one chat that is running, and a fragment
     (a step's answer, a refresh after a status change) replaces it only if no later one
     was asked for. Whatever was typed and not acknowledged moves to the next chat. */
  var page = { chat: null, asked: 0, applied: 0 };

  /* Reconnecting: the first retry at once, then a short jittered back-off (at most 1 s), so
     a page is back within 2 s of its server without all pages knocking in step. A refused
     connection costs the server next to nothing; a page offline longer costs the citizen. */
  function backoff(attempt) {
    if (attempt <= 0) return 0;
    return Math.min(1000, 250 * Math.pow(2, attempt - 1)) * (0.5 + Math.random() / 2);
  }

  function fetchFragment(url, options) {
    var ticket = ++page.asked;
    var init = Object.assign({ headers: FRAGMENT, credentials: "same-origin" }, options || {});
    return fetch(url, init).then(function (r) {
      return r.text().then(function (html) { return { ok: r.ok, html: html, ticket: ticket }; });
    });
  }

  function Chat(root, carried) {
    this.root = root;
    this.staff = root.hasAttribute("data-staff");
    this.conversation = root.dataset.conversation;
    this.lastSeq = parseInt(root.dataset.lastSeq || "0", 10);
    this.status = root.dataset.status;
    this.rateMessages = parseInt(root.dataset.rateMessages || "10", 10);
    this.rateSeconds = parseFloat(root.dataset.rateSeconds || "10");
    this.pingSeconds = parseFloat(root.dataset.pingSeconds || "20");
    // Messages typed and not yet stored: [{id, text, state: queued|sent|failed}], in order.
    this.outbox = [];
    this.firstSent = []; // [time, id] of first transmissions, mirroring the server's limit
    this.blockedUntil = 0;
    this.attempt = 0;
    this.stopped = false;
    this.lastTyping = 0;
    this.log = root.querySelector("[data-chat-log]");
    this.logBox = root.querySelector("#chat-log") || this.log;
    this.connection = root.querySelector("[data-chat-connection]");
    var self = this;
    (carried || this.stored()).forEach(function (entry) {
      if (root.querySelector('[data-client-id="' + entry.id + '"]')) return; // stored already
      self.enqueue(entry.id, entry.text, entry.state === "failed" ? entry : null);
    });
    this.toBottom();
    this.bind();
    this.connect();
  }

  Chat.prototype.storageKey = function () {
    return "chat-outbox:" + (this.staff ? "staff:" : "") + this.conversation;
  };

  Chat.prototype.stored = function () {
    try {
      return JSON.parse(window.sessionStorage.getItem(this.storageKey()) || "[]");
    } catch (e) { return []; }
  };

  Chat.prototype.remember = function () {
    // A reload does not lose what was typed either: the server stores each id once.
    try {
      var keep = this.outbox.map(function (e) { return { id: e.id, text: e.text, state: e.state, error: e.error }; });
      if (keep.length) window.sessionStorage.setItem(this.storageKey(), JSON.stringify(keep));
      else window.sessionStorage.removeItem(this.storageKey());
    } catch (e) { /* private mode: the page still keeps them */ }
  };

  Chat.prototype.say = function (text) {
    if (this.connection) this.connection.textContent = text || "";
  };

  Chat.prototype.toBottom = function () {
    this.logBox.scrollTop = this.logBox.scrollHeight;
  };

  Chat.prototype.send = function (frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  };

  Chat.prototype.connect = function () {
    var self = this;
    if (self.stopped) return;
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(scheme + "//" + location.host + self.root.dataset.wsPath);
    self.ws = ws;
    ws.onopen = function () {
      if (self.attempt) self.say(self.root.dataset.msgOnline);
      self.attempt = 0;
      self.root.dataset.connected = "true";
      ws.send(JSON.stringify({ type: "hello", after: self.lastSeq }));
      // Whatever had no answer goes again, under the same ids, at the pace of the limit.
      self.outbox.forEach(function (entry) { if (entry.state === "sent") entry.state = "queued"; });
      self.pump();
      clearInterval(self.pinger);
      self.pinger = setInterval(function () { self.ping(); }, self.pingSeconds * 1000);
    };
    ws.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (ws !== self.ws) return;
      self.receive(data);
    };
    ws.onclose = function (event) {
      if (ws !== self.ws) return;
      clearInterval(self.pinger);
      clearTimeout(self.pongTimer);
      delete self.root.dataset.connected;
      if (self.stopped) return;
      if (event.code === 4401 || event.code === 4403) {
        self.stopped = true;
        // Signed out, or no longer this person's chat: the page says why (once, not a loop).
        page.refusals = (page.refusals || 0) + 1;
        if (page.refusals <= 2) self.refresh();
        return;
      }
      self.say(self.root.dataset.msgOffline);
      var delay = backoff(self.attempt);
      self.attempt += 1;
      clearTimeout(self.retryTimer);
      self.retryTimer = setTimeout(function () { self.connect(); }, delay);
    };
  };

  Chat.prototype.ping = function () {
    var self = this;
    if (!self.send({ type: "ping" })) return;
    // No answer in time: the connection is dead without knowing it; start again.
    clearTimeout(self.pongTimer);
    self.pongTimer = setTimeout(function () {
      if (self.ws && self.ws.readyState === WebSocket.OPEN) self.ws.close();
    }, 10000);
  };

  Chat.prototype.stop = function () {
    this.stopped = true;
    clearInterval(this.pinger);
    clearTimeout(this.pongTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.pumpTimer);
    if (this.ws) this.ws.close();
  };

  /* The outbox ------------------------------------------------------------------- */

  Chat.prototype.enqueue = function (id, text, failed) {
    var entry = { id: id, text: text, state: failed ? "failed" : "queued", error: failed ? failed.error : "" };
    this.outbox.push(entry);
    this.draw(entry);
    this.remember();
    return entry;
  };

  Chat.prototype.entry = function (id) {
    for (var i = 0; i < this.outbox.length; i++) if (this.outbox[i].id === id) return this.outbox[i];
    return null;
  };

  Chat.prototype.draw = function (entry) {
    var self = this;
    var item = self.log.querySelector('[data-pending="' + entry.id + '"]');
    var fresh = !item;
    if (fresh) {
      item = el("li", "chat__message chat__message--pending");
      item.dataset.pending = entry.id;
      item.appendChild(el("p", "chat__text", entry.text));
    }
    Array.prototype.forEach.call(item.querySelectorAll(".chat__pending-state"), function (n) { n.remove(); });
    item.classList.toggle("chat__message--failed", entry.state === "failed");
    var note = el("div", "chat__pending-state");
    if (entry.state === "failed") {
      note.appendChild(el("p", "field__error", entry.error || self.root.dataset.msgFailed));
      var again = el("button", "link-button", self.root.dataset.msgResend);
      again.type = "button";
      again.addEventListener("click", function () {
        entry.state = "queued";
        entry.error = "";
        self.draw(entry);
        self.remember();
        self.pump();
      });
      var edit = el("button", "link-button", self.root.dataset.msgEdit);
      edit.type = "button";
      edit.addEventListener("click", function () {
        var textarea = self.root.querySelector("[data-chat-form] textarea");
        if (!textarea) return;
        textarea.value = textarea.value ? textarea.value + "\n" + entry.text : entry.text;
        changed(textarea);
        self.drop(entry.id);
        textarea.focus();
      });
      note.appendChild(again);
      note.appendChild(document.createTextNode(" "));
      note.appendChild(edit);
    } else {
      // Held back by the limit (the page's own pacing or the server's word): said so.
      var waiting = entry.state === "queued" && Date.now() < Math.max(self.blockedUntil, self.waitingUntil || 0);
      note.appendChild(el("p", "hint", waiting ? self.root.dataset.msgQueued : self.root.dataset.msgSending));
    }
    item.appendChild(note);
    if (fresh) {
      self.log.appendChild(item);
      self.toBottom();
    }
  };

  Chat.prototype.drop = function (id) {
    this.outbox = this.outbox.filter(function (e) { return e.id !== id; });
    var item = this.log.querySelector('[data-pending="' + id + '"]');
    if (item) item.remove();
    this.remember();
  };

  // Send what is queued one at a time and in order (the next when the last is answered, so
  // a refusal never lets a later message overtake it), no faster than the limit the page
  // was told: an id sent within the window is not counted again (nor by the server).
  Chat.prototype.pump = function () {
    var self = this;
    clearTimeout(self.pumpTimer);
    if (!self.ws || self.ws.readyState !== WebSocket.OPEN) return;
    if (self.outbox.some(function (e) { return e.state === "sent"; })) return; // one in flight
    var now = Date.now();
    var windowMs = self.rateSeconds * 1000;
    self.firstSent = self.firstSent.filter(function (s) { return now - s[0] < windowMs; });
    var wait = 0;
    var entry = null;
    for (var i = 0; i < self.outbox.length; i++) {
      if (self.outbox[i].state === "queued") { entry = self.outbox[i]; break; }
    }
    if (entry) {
      var counted = self.firstSent.some(function (s) { return s[1] === entry.id; });
      if (now < self.blockedUntil) {
        wait = self.blockedUntil - now;
      } else if (!counted && self.firstSent.length >= self.rateMessages) {
        wait = windowMs - (now - self.firstSent[0][0]) + 50;
      } else {
        if (!counted) self.firstSent.push([now, entry.id]);
        entry.state = "sent";
        self.send({ type: "message", client_id: entry.id, text: entry.text });
      }
    }
    self.waitingUntil = now + wait;
    self.outbox.forEach(function (e) { if (e.state === "queued") self.draw(e); });
    if (wait > 0) self.pumpTimer = setTimeout(function () { self.pump(); }, wait);
  };

  Chat.prototype.receive = function (data) {
    var self = this;
    if (data.type === "message") {
      if (data.client_id && self.entry(data.client_id)) self.drop(data.client_id);
      if (data.seq <= self.lastSeq) return; // seen already: exactly once on screen
      var stale = data.client_id && self.log.querySelector('[data-pending="' + data.client_id + '"]');
      if (stale) stale.remove();
      self.lastSeq = data.seq;
      self.log.appendChild(messageItem(data, self.root));
      self.toBottom();
      // A read mark for what the other side wrote (one's own needs none).
      var own = self.staff ? data.sender === "operator" : data.sender === "citizen";
      if (!own && document.visibilityState === "visible") self.send({ type: "read", seq: data.seq });
    } else if (data.type === "ack") {
      var acked = self.entry(data.client_id);
      if (acked && data.seq <= self.lastSeq) self.drop(data.client_id); // on screen already
      else if (acked) acked.state = "acked"; // its copy is on the way
      self.remember();
      self.pump(); // the next one
    } else if (data.type === "error") {
      var refused = data.client_id && self.entry(data.client_id);
      if (refused && data.code === "rate") {
        // Not refused for good: sent again when the server says the limit allows.
        refused.state = "queued";
        self.blockedUntil = Math.max(self.blockedUntil, Date.now() + (data.retry_after || 1) * 1000);
        self.pump();
      } else if (refused) {
        // Refused for good: it stays on screen with why, and a way to send it again.
        refused.state = "failed";
        refused.error = data.message;
        self.draw(refused);
        self.remember();
        self.pump(); // the rest go on: the refused one was never stored
      }
      var box = self.root.querySelector("[data-chat-error]");
      if (box && refused && data.code !== "rate") box.textContent = data.message;
    } else if (data.type === "pong") {
      clearTimeout(self.pongTimer);
    } else if (data.type === "typing") {
      var typing = self.root.querySelector("[data-chat-typing]");
      if (typing) {
        typing.textContent = self.root.dataset.msgTyping;
        clearTimeout(self.typingTimer);
        self.typingTimer = setTimeout(function () { typing.textContent = ""; }, 3000);
      }
    } else if (data.type === "state") {
      var mine = self.staff ? "operator" : "citizen";
      Array.prototype.forEach.call(self.log.querySelectorAll(".chat__message--" + mine), function (li) {
        if (parseInt(li.dataset.seq, 10) <= data.read_seq && !li.querySelector(".chat__read")) {
          li.appendChild(el("p", "chat__read hint", self.root.dataset.msgRead));
        }
      });
      if (data.more) self.send({ type: "hello", after: self.lastSeq }); // the next page
      if (data.status !== self.status) {
        self.status = data.status;
        self.refresh();
      } else if (data.place && !self.staff) {
        self.showPlace(data.place);
      }
    }
  };

  Chat.prototype.showPlace = function (place) {
    var node = this.root.querySelector("[data-chat-place]");
    if (!node || !place) return;
    node.textContent = this.root.dataset.msgPlace
      .replace("{position}", place.position)
      .replace("{minutes}", place.minutes);
  };

  Chat.prototype.refresh = function () {
    if (page.leaving || this !== page.chat) return;
    if (this.staff) {
      window.location.reload();
      return;
    }
    fetchFragment(this.root.dataset.pageUrl).then(apply);
  };

  Chat.prototype.bind = function () {
    var self = this;
    var form = self.root.querySelector("[data-chat-form]");
    if (form) {
      var textarea = form.querySelector("textarea");
      var file = form.querySelector("input[type=file]");
      form.addEventListener("submit", function (event) {
        if (file && file.files.length) {
          // Files go over HTTP (the same checks as the appeals); the message then comes by socket.
          event.preventDefault();
          var body = new FormData(form);
          body.set("client_id", newId());
          fetchFragment(form.action, { method: "POST", body: body }).then(function (result) {
            if (!result.ok) { apply(result); return; }
            file.value = "";
            textarea.value = "";
            changed(textarea);
            textarea.focus();
          });
          return;
        }
        var text = textarea.value.trim();
        if (!text || self.stopped) {
          if (!text) event.preventDefault();
          return; // without a chat running the form posts as without JavaScript
        }
        event.preventDefault();
        self.enqueue(newId(), text);
        var box = self.root.querySelector("[data-chat-error]");
        if (box) box.textContent = "";
        self.pump(); // else: sent when the socket is back, under the same id
        textarea.value = "";
        changed(textarea);
        textarea.focus();
      });
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      textarea.addEventListener("input", function () {
        var now = Date.now();
        if (now - self.lastTyping > 2000 && self.send({ type: "typing" })) self.lastTyping = now;
      });
      var canned = form.querySelector("[data-canned]");
      if (canned) {
        canned.addEventListener("change", function () {
          if (!canned.value) return;
          textarea.value = textarea.value ? textarea.value + "\n" + canned.value : canned.value;
          canned.value = "";
          changed(textarea);
          textarea.focus();
        });
      }
    }
    if (!self.staff) bindSteps(self.root);
  };

  // A step (hand-off, end, rate, leave a message, start) posts its form and puts the
  // fragment it answers with in the chat's place.
  function bindSteps(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-chat-step]"), function (step) {
      step.addEventListener("submit", function (event) {
        event.preventDefault();
        fetchFragment(step.action, { method: "POST", body: new FormData(step) }).then(apply);
      });
    });
  }

  // A redraw (a status change heard on the socket, a step's answer) must not undo what
  // the citizen has begun to fill in a form that is still there: the message being
  // typed, a rating being chosen. What they chose or typed is carried over.
  var KEPT_FORMS = "form[data-chat-step], form[data-chat-form]";
  function keepChoices(old, fresh) {
    var twins = {};
    Array.prototype.forEach.call(fresh.querySelectorAll(KEPT_FORMS), function (form) {
      twins[form.getAttribute("action")] = form;
    });
    Array.prototype.forEach.call(old.querySelectorAll(KEPT_FORMS), function (form) {
      var twin = twins[form.getAttribute("action")];
      if (!twin) return;
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "hidden" || field.type === "file") return;
        Array.prototype.forEach.call(twin.elements, function (other) {
          if (other.name !== field.name || other.type !== field.type) return;
          if (field.type === "radio" || field.type === "checkbox") {
            if (field.checked && other.value === field.value) other.checked = true;
          } else if (field.value && !other.value && "value" in other) {
            other.value = field.value;
          }
        });
      });
    });
  }

  function apply(result) {
    // An answer to an earlier request than the one shown is out of date: dropped.
    if (result.ticket < page.applied) return;
    var box = document.createElement("div");
    box.innerHTML = result.html; // the server's own escaped template, not user text
    var fresh = box.querySelector("#chat");
    if (!fresh) return;
    page.applied = result.ticket;
    var old = page.chat ? page.chat.root : document.getElementById("chat");
    if (!old || !old.isConnected) old = document.getElementById("chat");
    if (!old) return;
    var carried = null;
    if (page.chat) {
      carried = page.chat.outbox;
      page.chat.stop();
    }
    var hadFocus = old.contains(document.activeElement);
    keepChoices(old, fresh);
    old.replaceWith(fresh);
    fresh.dispatchEvent(new Event("charcount:refresh", { bubbles: true }));
    start(fresh, carried);
    if (hadFocus) {
      var target = fresh.querySelector(".error-summary, [data-chat-notice], [data-chat-form] textarea, [data-chat-focus], button, a");
      if (target) target.focus();
    }
  }

  function start(root, carried) {
    if (page.chat) page.chat.stop();
    page.chat = null;
    if (root.hasAttribute("data-chat")) {
      page.chat = new Chat(root, carried);
      return page.chat;
    }
    // Not a conversation yet (the start button): its form swaps in the fragment.
    bindSteps(root);
    return null;
  }

  // A form that really navigates (take, close, transfer): no reload may race with it.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) page.leaving = true;
  });

  function launcher(box) {
    var open = box.querySelector("[data-chat-open]");
    var panel = box.querySelector("#chat-panel");
    var body = panel.querySelector("[data-chat-panel-body]");
    var close = panel.querySelector("[data-chat-close]");
    function hide() {
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
      open.focus();
    }
    open.setAttribute("aria-expanded", "false");
    open.addEventListener("click", function (event) {
      event.preventDefault();
      if (!panel.hidden) { hide(); return; }
      panel.hidden = false;
      open.setAttribute("aria-expanded", "true");
      if (body.querySelector("#chat")) { panel.querySelector("h2").focus(); return; }
      fetch(open.href, { headers: FRAGMENT, credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          body.innerHTML = html; // the server's template
          var root = body.querySelector("#chat");
          if (root) start(root);
          panel.querySelector("h2").focus();
        });
    });
    close.addEventListener("click", hide);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  function operatorHome(box) {
    var attempt = 0;
    function connect() {
      var scheme = location.protocol === "https:" ? "wss:" : "ws:";
      var ws = new WebSocket(scheme + "//" + location.host + box.dataset.wsPath);
      var pinger;
      ws.onopen = function () {
        attempt = 0;
        // The beat keeps the operator "online"; without it they stop counting.
        var beat = parseFloat(box.dataset.pingSeconds || "20") * 1000;
        pinger = setInterval(function () { ws.send(JSON.stringify({ type: "ping" })); }, beat);
      };
      ws.onmessage = function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (data.type !== "queue") return;
        fetch(box.dataset.refreshUrl, { headers: FRAGMENT, credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var fresh = holder.querySelector("#operator-chats");
            var old = box.querySelector("#operator-chats");
            if (fresh && old && !old.contains(document.activeElement)) old.replaceWith(fresh);
            else if (fresh && old) {
              // Keep the operator's focus: swap everything but the focused control's row.
              old.replaceWith(fresh);
              var first = fresh.querySelector("button, a");
              if (first) first.focus();
            }
          });
      };
      ws.onclose = function (event) {
        clearInterval(pinger);
        if (event.code === 4401 || event.code === 4403) return;
        setTimeout(connect, backoff(attempt));
        attempt += 1;
      };
    }
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("chat");
    if (root) start(root);
    var box = document.querySelector("[data-chat-launcher]");
    if (box) launcher(box);
    var home = document.querySelector("[data-operator-home]");
    if (home) operatorHome(home);
  });
})();
