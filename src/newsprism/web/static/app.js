/* newsprism web app: "add another article" on the form, and live progress on a story's page.
   Loaded as a file (the CSP allows no inline script); the pages work without it. */
(function () {
  "use strict";

  // The form: clone the last article box on demand.
  var add = document.querySelector("[data-add-article]");
  if (add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var boxes = document.querySelectorAll("[data-article-box]");
      var last = boxes[boxes.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input, textarea").forEach(function (f) { f.value = ""; });
      var label = copy.querySelector("textarea") ? copy.querySelector("textarea").previousSibling : null;
      if (label && label.nodeType === 3) { label.textContent = "Article " + (boxes.length + 1) + " text"; }
      last.parentNode.insertBefore(copy, add);
      var first = copy.querySelector("input");
      if (first) { first.focus(); }
    });
  }

  // A story being analysed: poll its status, reload when it is done or failed.
  var box = document.querySelector("[data-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { window.setTimeout(poll, 3000); return; }
        if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
        var status = field("status"), stage = field("stage"), count = field("count"), bar = field("bar");
        if (status) { status.textContent = s.status; status.className = "app-status app-" + s.status; }
        if (stage) { stage.textContent = s.stage_label || s.stage; }
        if (count) { count.textContent = s.total ? s.done + " / " + s.total : ""; }
        if (bar) { bar.max = Math.max(1, s.total); bar.value = s.done; }
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (!box.querySelector(".app-error")) { window.setTimeout(poll, 300); }
}());
