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
  var only = root.querySelector(".np-only");
  var onlyBox = only ? only.querySelector("input") : null;
  var slice = function (list) { return Array.prototype.slice.call(list); };

  // the reader shows only the articles that state the selected thing, unless the reader unticks it
  function syncOnly() {
    root.classList.toggle("np-onlyhits", !!(onlyBox && onlyBox.checked));
  }
  if (onlyBox) { onlyBox.addEventListener("change", syncOnly); syncOnly(); }

  // the numbers of the articles that state the selection, each a button to that article's column
  var hitsBar = root.querySelector(".np-hits");
  function showHits(hitCols) {
    if (!hitsBar) { return; }
    while (hitsBar.firstChild) { hitsBar.removeChild(hitsBar.firstChild); }
    hitsBar.hidden = hitCols.length < 3;
    hitCols.forEach(function (col) {
      var heading = col.querySelector("h3");
      var name = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
      var b = document.createElement("button");
      b.type = "button";
      b.className = "np-hitbtn";
      b.textContent = col.id.replace("np-a-", "");
      b.title = name;
      b.setAttribute("aria-label", "Go to article " + name);
      b.addEventListener("click", function () {
        col.scrollIntoView({ block: "nearest", inline: "start" });
        var text = col.querySelector(".np-text");
        if (text) { text.focus({ preventScroll: true }); }
      });
      hitsBar.appendChild(b);
    });
  }

  function clear() {
    root.querySelectorAll(".np-hl").forEach(function (el) { el.classList.remove("np-hl"); });
    root.querySelectorAll('[data-hl][aria-pressed="true"]').forEach(function (el) {
      el.setAttribute("aria-pressed", "false");
    });
    cols.forEach(function (c) { c.classList.remove("np-hit", "np-miss"); });
    if (status) { status.textContent = initial; }
    if (only) { only.hidden = true; }
    showHits([]);
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
    if (only) { only.hidden = hits === 0 || hits === cols.length; }
    showHits(cols.filter(function (c) { return c.classList.contains("np-hit"); }));
    var strip = root.querySelector(".np-cols");
    if (strip) { strip.scrollLeft = 0; }
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

  // the claim matrix: filter by support level, outlet and words, and sort
  var form = root.querySelector(".np-filters");
  var table = root.querySelector(".np-matrix");
  var applyFilters = function () { return 0; };
  if (form && table) {
    var rows = slice(table.querySelectorAll("tr.np-row"));
    var bodies = slice(table.tBodies);
    var count = form.querySelector(".np-count");
    var nomatch = root.querySelector(".np-nomatch");
    var num = function (tr, name) { return parseInt(tr.getAttribute("data-" + name), 10) || 0; };
    var orders = {
      "": function (a, b) { return num(a, "order") - num(b, "order"); },
      indep: function (a, b) { return num(b, "indep") - num(a, "indep") || num(b, "n") - num(a, "n") || num(a, "order") - num(b, "order"); },
      outlets: function (a, b) { return num(b, "n") - num(a, "n") || num(a, "order") - num(b, "order"); },
      few: function (a, b) { return num(a, "n") - num(b, "n") || num(a, "order") - num(b, "order"); }
    };
    var matches = function (tr, level, outlet, words, without) {
      if (level === "disputed" && tr.getAttribute("data-disputed") !== "1") { return false; }
      if (level === "partial" && tr.getAttribute("data-partial") !== "1") { return false; }
      if ((level === "multi" || level === "single") && tr.getAttribute("data-kind") !== level) { return false; }
      if (outlet && ((tr.getAttribute("data-in") || "").indexOf(" " + outlet + " ") < 0) !== without) { return false; }
      var claim = tr.querySelector(".np-claim");
      var text = (claim ? claim.textContent : tr.textContent).toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    };
    applyFilters = function () {
      var f = form.elements;
      var level = f.level.value, outlet = f.outlet.value, sort = f.sort.value;
      var words = f.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (tr) {
        var ok = matches(tr, level, outlet, words, f.how.value === "out");
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      bodies.forEach(function (tb) {
        slice(tb.querySelectorAll("tr.np-row")).sort(orders[sort] || orders[""]).forEach(function (tr) { tb.appendChild(tr); });
        tb.hidden = !tb.querySelector("tr.np-row:not([hidden])");
      });
      table.querySelectorAll("th[data-col]").forEach(function (th) {
        th.classList.toggle("np-colsel", th.getAttribute("data-col") === outlet);
      });
      if (count) {
        count.textContent = shown === rows.length ? rows.length + " claims" : "showing " + shown + " of " + rows.length + " claims";
      }
      if (nomatch) { nomatch.hidden = shown > 0; }
      return shown;
    };
    form.hidden = false;
    form.addEventListener("input", applyFilters);
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(applyFilters, 0); });
    applyFilters();
    // the brief's counts filter the matrix to what they count
    root.querySelectorAll("[data-np-filter]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        form.reset();
        form.elements.level.value = a.getAttribute("data-np-filter");
        applyFilters();
        var section = root.querySelector("#np-claims");
        if (section) { section.scrollIntoView({ block: "start" }); }
        form.elements.level.focus({ preventScroll: true });
      });
    });
  }

  // jump to one article in the reader
  var goto = root.querySelector(".np-goto");
  if (goto) {
    goto.hidden = false;
    var pick = goto.querySelector("select");
    pick.addEventListener("change", function () {
      var col = root.querySelector("#np-a-" + pick.value);
      if (!col) { return; }
      if (col.classList.contains("np-miss") && onlyBox && onlyBox.checked) { onlyBox.checked = false; syncOnly(); }
      col.scrollIntoView({ block: "nearest", inline: "start" });
      var text = col.querySelector(".np-text");
      if (text) { text.focus({ preventScroll: true }); }
      pick.value = "";
    });
  }

  // a permalink to a claim or a contradiction (#np-claim-c3, #np-x-x1) highlights it too
  function fromHash() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (!/^np-(claim|x)-[A-Za-z0-9_-]+$/.test(id)) { return; }
    var target = document.getElementById(id);
    var el = target && root.contains(target) ? target.querySelector("[data-hl]") : null;
    if (!el) { return; }
    if (target.hidden && form) { form.reset(); applyFilters(); }  // a filter hid it: show every claim
    highlight(el.getAttribute("data-hl"), el.getAttribute("data-label") || el.textContent || "");
    origin = el;
    target.scrollIntoView({ block: "center" });
  }
  fromHash();
  window.addEventListener("hashchange", fromHash);
  // paper shows everything: open folded details for printing, and fold them again after
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = slice(root.querySelectorAll("details:not([open])"));
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && root.hasAttribute("data-active")) { clear(); }
  });
}());
