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

  function Chat(root, onReplace) {
    this.root = root;
    this.onReplace = onReplace;
    this.staff = root.hasAttribute("data-staff");
    this.lastSeq = parseInt(root.dataset.lastSeq || "0", 10);
    this.status = root.dataset.status;
    this.pending = {}; // client id -> text, until acknowledged
    this.attempt = 0;
    this.stopped = false;
    this.lastTyping = 0;
    this.log = root.querySelector("[data-chat-log]");
    this.logBox = root.querySelector("#chat-log") || this.log;
    this.connection = root.querySelector("[data-chat-connection]");
    var self = this;
    // A form that really navigates (take, close, transfer): no reload may race with it.
    document.addEventListener("submit", function (event) {
      if (!event.defaultPrevented) self.leaving = true;
    });
    this.bind();
    this.connect();
  }

  Chat.prototype.say = function (text) {
    if (this.connection) this.connection.textContent = text || "";
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
      ws.send(JSON.stringify({ type: "hello", after: self.lastSeq }));
      Object.keys(self.pending).forEach(function (id) {
        ws.send(JSON.stringify({ type: "message", client_id: id, text: self.pending[id] }));
      });
      clearInterval(self.pinger);
      self.pinger = setInterval(function () {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
      }, 30000);
    };
    ws.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      self.receive(data);
    };
    ws.onclose = function (event) {
      clearInterval(self.pinger);
      if (self.stopped) return;
      if (event.code === 4401 || event.code === 4403) {
        self.stopped = true;
        return;
      }
      self.say(self.root.dataset.msgOffline);
      var delay = Math.min(10000, 500 * Math.pow(2, self.attempt)) * (0.75 + Math.random() / 2);
      self.attempt += 1;
      setTimeout(function () { self.connect(); }, delay);
    };
  };

  Chat.prototype.stop = function () {
    this.stopped = true;
    clearInterval(this.pinger);
    if (this.ws) this.ws.close();
  };

  Chat.prototype.receive = function (data) {
    var self = this;
    if (data.type === "message") {
      if (data.seq <= self.lastSeq) return; // seen already: exactly once on screen
      self.lastSeq = data.seq;
      var waiting = data.client_id && self.log.querySelector('[data-pending="' + data.client_id + '"]');
      if (waiting) waiting.remove();
      self.log.appendChild(messageItem(data, self.root));
      self.logBox.scrollTop = self.logBox.scrollHeight;
      if (document.visibilityState === "visible" && self.ws.readyState === WebSocket.OPEN) {
        self.ws.send(JSON.stringify({ type: "read", seq: data.seq }));
      }
    } else if (data.type === "ack") {
      delete self.pending[data.client_id];
    } else if (data.type === "error") {
      delete self.pending[data.client_id];
      var item = self.log.querySelector('[data-pending="' + data.client_id + '"]');
      var textarea = self.root.querySelector("[data-chat-form] textarea");
      if (item && textarea && !textarea.value) {
        textarea.value = item.dataset.text || "";
        changed(textarea);
      }
      if (item) item.remove();
      var box = self.root.querySelector("[data-chat-error]");
      if (box) box.textContent = data.message;
      if (textarea) textarea.focus();
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
    var self = this;
    if (self.leaving) return;
    if (self.staff) {
      window.location.reload();
      return;
    }
    fetch(self.root.dataset.pageUrl, { headers: FRAGMENT, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { self.replace(html); });
  };

  Chat.prototype.replace = function (html) {
    var box = document.createElement("div");
    box.innerHTML = html; // the server's own escaped template, not user text
    var fresh = box.querySelector("#chat");
    if (!fresh) return;
    this.stop();
    var hadFocus = this.root.contains(document.activeElement);
    var draft = this.root.querySelector("[data-chat-form] textarea");
    var freshDraft = fresh.querySelector("[data-chat-form] textarea");
    if (draft && freshDraft && !freshDraft.value) freshDraft.value = draft.value;
    this.root.replaceWith(fresh);
    fresh.dispatchEvent(new Event("charcount:refresh", { bubbles: true }));
    var next = this.onReplace(fresh);
    if (next) {
      // Whatever had no acknowledgement is resent by the new socket, under the same ids.
      next.pending = this.pending;
    }
    if (hadFocus) {
      var target = fresh.querySelector(".error-summary, [data-chat-form] textarea, button, a");
      if (target) target.focus();
    }
    return next;
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
          fetch(form.action, { method: "POST", body: body, headers: FRAGMENT, credentials: "same-origin" })
            .then(function (r) { return r.text().then(function (t) { return [r.ok, t]; }); })
            .then(function (result) {
              if (!result[0]) { self.replace(result[1]); return; }
              file.value = "";
              textarea.value = "";
              changed(textarea);
              textarea.focus();
            });
          return;
        }
        var text = textarea.value.trim();
        if (!text || !self.ws || self.stopped) {
          if (!text) event.preventDefault();
          return; // without a socket the form posts as without JavaScript
        }
        event.preventDefault();
        var id = newId();
        self.pending[id] = text;
        var item = el("li", "chat__message chat__message--pending");
        item.dataset.pending = id;
        item.dataset.text = text;
        item.appendChild(el("p", "chat__text", text));
        item.appendChild(el("p", "hint", self.root.dataset.msgSending));
        self.log.appendChild(item);
        self.logBox.scrollTop = self.logBox.scrollHeight;
        var box = self.root.querySelector("[data-chat-error]");
        if (box) box.textContent = "";
        if (self.ws.readyState === WebSocket.OPEN) {
          self.ws.send(JSON.stringify({ type: "message", client_id: id, text: text }));
        } // else: sent on reconnect, under the same id
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
        if (now - self.lastTyping > 2000 && self.ws && self.ws.readyState === WebSocket.OPEN) {
          self.lastTyping = now;
          self.ws.send(JSON.stringify({ type: "typing" }));
        }
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
    if (!self.staff) {
      Array.prototype.forEach.call(self.root.querySelectorAll("[data-chat-step]"), function (step) {
        step.addEventListener("submit", function (event) {
          event.preventDefault();
          fetch(step.action, { method: "POST", body: new FormData(step), headers: FRAGMENT, credentials: "same-origin" })
            .then(function (r) { return r.text(); })
            .then(function (html) { self.replace(html); });
        });
      });
    }
  };

  function start(root) {
    if (root.hasAttribute("data-chat")) return new Chat(root, start);
    // Not a conversation yet (the start button): its form swaps in the fragment.
    var form = root.querySelector("[data-chat-step]");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        fetch(form.action, { method: "POST", body: new FormData(form), headers: FRAGMENT, credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var box = document.createElement("div");
            box.innerHTML = html;
            var fresh = box.querySelector("#chat");
            if (!fresh) return;
            root.replaceWith(fresh);
            fresh.dispatchEvent(new Event("charcount:refresh", { bubbles: true }));
            start(fresh);
            var target = fresh.querySelector("[data-chat-form] textarea");
            if (target) target.focus();
          });
      });
    }
    return null;
  }

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
        pinger = setInterval(function () { ws.send(JSON.stringify({ type: "ping" })); }, 30000);
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
        attempt += 1;
        setTimeout(connect, Math.min(10000, 500 * Math.pow(2, attempt)));
      };
    }
    connect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.getElementById("chat");
    if (page) start(page);
    var box = document.querySelector("[data-chat-launcher]");
    if (box) launcher(box);
    var home = document.querySelector("[data-operator-home]");
    if (home) operatorHome(home);
  });
})();
