// Refuse an oversized plan document in the browser, before it is sent.
// The server refuses such an upload from its Content-Length alone, without
// reading the form, so the name, year and issuing body typed beside the file
// would come back empty; checked here, nothing typed is lost.
(function () {
  "use strict";
  function tooBig(input) {
    var limit = Number(input.dataset.maxBytes);
    var files = Array.prototype.slice.call(input.files || []);
    return files.filter(function (f) { return limit && f.size > limit; })[0];
  }
  function show(input, file) {
    var field = input.closest(".field") || input.parentNode;
    var list = field.querySelector("ul.upload-limit");
    if (!file) {
      if (list) list.remove();
      field.classList.remove("has-error");
      return;
    }
    if (!list) {
      list = document.createElement("ul");
      list.className = "errorlist upload-limit";
      list.setAttribute("role", "alert");
      field.appendChild(list);
    }
    var size = (file.size / 1024 / 1024).toFixed(1);
    list.innerHTML = "";
    var item = document.createElement("li");
    item.textContent = input.dataset.tooBig.replace("{name}", file.name).replace("{size}", size);
    list.appendChild(item);
    field.classList.add("has-error");
  }
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { show(input, tooBig(input)); });
    input.form.addEventListener("submit", function (event) {
      var file = tooBig(input);
      show(input, file);
      if (file) { event.preventDefault(); input.focus(); }
    });
  });
})();
