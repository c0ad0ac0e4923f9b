/* The feedback form: files upload as soon as they are chosen, each with its own
   <progress> and message (announced in a live region). The description's count is
   static/js/char-count.js, as for every long field. Without this script the form is a
   plain multipart POST. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setupUploads(form) {
    var input = form.querySelector("input[type=file][data-upload-url]");
    var list = form.querySelector("#appeal-file-list");
    var live = form.querySelector("[data-upload-live]");
    var token = form.querySelector("input[name=token]");
    if (!input || !list || !token || !window.FormData || !window.XMLHttpRequest) return;
    var room = parseInt(input.dataset.room || "5", 10);
    var active = 0;
    var submit = form.querySelector("[data-submit]");

    function announce(text) {
      if (live) live.textContent = text;
    }
    function busy(delta) {
      active += delta;
      if (submit) submit.disabled = active > 0;
    }

    function row(file) {
      var item = document.createElement("li");
      item.className = "file-list__item";
      var name = document.createElement("span");
      name.className = "file-list__name";
      name.textContent = file.name;
      var progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute("aria-label", input.dataset.msgUploading + ": " + file.name);
      var status = document.createElement("span");
      status.className = "hint file-list__status";
      status.textContent = input.dataset.msgUploading + "…";
      item.appendChild(name);
      item.appendChild(progress);
      item.appendChild(status);
      list.hidden = false;
      list.appendChild(item);
      return { item: item, progress: progress, status: status };
    }

    function fail(parts, file, message) {
      parts.progress.remove();
      parts.item.classList.add("file-list__item--error");
      parts.status.className = "field__error file-list__status";
      parts.status.textContent = message;
      announce(file.name + ": " + input.dataset.msgFailed + ". " + message);
    }

    // The server keeps 100 characters of a name anyway; a very long one would make the
    // whole request unreadable (each part's headers are capped), so it is cut here first.
    function shortName(name) {
      if (name.length <= 100) {
        return name;
      }
      var dot = name.lastIndexOf(".");
      var ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : "";
      return name.slice(0, 100 - ext.length) + ext;
    }

    function upload(file) {
      var parts = row(file);
      if (room <= 0) {
        fail(parts, file, input.dataset.msgTooMany);
        return;
      }
      room -= 1;
      busy(1);
      var data = new FormData();
      data.append("token", token.value);
      data.append("files", file, shortName(file.name));
      var xhr = new XMLHttpRequest();
      xhr.open("POST", input.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          parts.progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
      xhr.addEventListener("load", function () {
        busy(-1);
        var body = xhr.response || {};
        if (xhr.status === 201) {
          parts.progress.value = 100;
          parts.progress.remove();
          parts.status.textContent = body.size + " · " + input.dataset.msgDone;
          var remove = document.createElement("button");
          remove.type = "submit";
          remove.name = "remove_file";
          remove.value = body.key;
          remove.formNoValidate = true;
          remove.className = "link-button";
          remove.textContent = input.dataset.msgRemove;
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = " " + body.name;
          remove.appendChild(hidden);
          parts.item.appendChild(remove);
          // The form says which files it shows as attached: if the session that holds
          // them is lost before sending, the server asks for them again.
          var attached = document.createElement("input");
          attached.type = "hidden";
          attached.name = "attached";
          attached.value = body.key;
          parts.item.appendChild(attached);
          parts.item.querySelector(".file-list__name").textContent = body.name;
          announce(body.name + ": " + input.dataset.msgDone);
        } else {
          room += 1;
          fail(parts, file, body.error || input.dataset.msgNetwork);
        }
      });
      xhr.addEventListener("error", function () {
        busy(-1);
        room += 1;
        fail(parts, file, input.dataset.msgNetwork);
      });
      xhr.send(data);
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      files.forEach(upload);
      // The files now live on the server, tied to this form's token: the final
      // submit must not send them a second time.
      input.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-appeal-form]").forEach(function (form) {
      setupUploads(form);
    });
  });
})();
