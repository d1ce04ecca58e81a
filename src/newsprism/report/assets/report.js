/* newsprism report: click a claim, quote, citation or loaded phrase to highlight its spans in
   every article. Inlined into report.html (allowed by a CSP hash), served as /assets/report.js
   by the web app. No network, no eval, no inline handlers. */
(function () {
  "use strict";
  var root = document.querySelector(".np-report");
  if (!root) { return; }
  var reader = root.querySelector("#np-reader");
  var status = root.querySelector(".np-hlstatus");
  var back = root.querySelector(".np-back");
  var clearBtn = root.querySelector(".np-clear");
  var cols = Array.prototype.slice.call(root.querySelectorAll(".np-col"));
  var initial = status ? status.textContent : "";
  var origin = null;

  function clear() {
    root.querySelectorAll(".np-hl").forEach(function (el) { el.classList.remove("np-hl"); });
    root.querySelectorAll('[data-hl][aria-pressed="true"]').forEach(function (el) {
      el.setAttribute("aria-pressed", "false");
    });
    cols.forEach(function (c) { c.classList.remove("np-hit", "np-miss"); });
    if (status) { status.textContent = initial; }
    if (back) { back.hidden = true; }
    if (clearBtn) { clearBtn.hidden = true; }
    root.removeAttribute("data-active");
  }

  function visible(el) {
    var r = el.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  }

  function highlight(key, label) {
    clear();
    if (!/^t\d+$/.test(key)) { return 0; }
    var hits = 0;
    cols.forEach(function (col) {
      var segs = col.querySelectorAll('[data-t~="' + key + '"]');
      segs.forEach(function (s) { s.classList.add("np-hl"); });
      if (segs.length) {
        hits += 1;
        col.classList.add("np-hit");
        var box = col.querySelector(".np-text");
        if (box) { box.scrollTop = Math.max(0, segs[0].offsetTop - 40); }
      } else {
        col.classList.add("np-miss");
      }
    });
    root.querySelectorAll('[data-hl="' + key + '"]').forEach(function (el) {
      el.setAttribute("aria-pressed", "true");
    });
    root.setAttribute("data-active", key);
    if (status) {
      var text = label.length > 160 ? label.slice(0, 159) + "…" : label;
      status.textContent = "“" + text + "” — in " + hits + " of " + cols.length + " article" + (cols.length === 1 ? "" : "s");
    }
    if (clearBtn) { clearBtn.hidden = false; }
    return hits;
  }

  root.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-hl]") : null;
    if (!el || !root.contains(el)) { return; }
    ev.preventDefault();
    var key = el.getAttribute("data-hl");
    if (root.getAttribute("data-active") === key) { clear(); return; }
    highlight(key, el.getAttribute("data-label") || el.textContent || "");
    origin = el;
    if (reader && !reader.contains(el)) {
      if (back) { back.hidden = false; }
      if (!visible(reader.querySelector(".np-cols") || reader)) {
        reader.scrollIntoView({ block: "start" });
        reader.focus({ preventScroll: true });
      }
    }
  });

  if (back) {
    back.addEventListener("click", function () {
      if (origin) {
        origin.scrollIntoView({ block: "center" });
        origin.focus({ preventScroll: true });
      }
    });
  }
  if (clearBtn) { clearBtn.addEventListener("click", clear); }

  // a permalink to a claim or a contradiction (#np-claim-c3, #np-x-x1) highlights it too
  function fromHash() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (!/^np-(claim|x)-[A-Za-z0-9_-]+$/.test(id)) { return; }
    var target = document.getElementById(id);
    var el = target && root.contains(target) ? target.querySelector("[data-hl]") : null;
    if (!el) { return; }
    highlight(el.getAttribute("data-hl"), el.getAttribute("data-label") || el.textContent || "");
    origin = el;
  }
  fromHash();
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && root.hasAttribute("data-active")) { clear(); }
  });
}());
