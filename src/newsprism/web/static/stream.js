/* newsprism web app: the article store's pages refresh themselves. Each [data-poll-url] element
   is replaced by the HTML fragment at that address every data-poll-ms milliseconds (while the tab
   is visible), so stories and articles that `newsprism ingest` or `watch` add appear on their own.
   Loaded as a file (the CSP allows no inline script); without it the pages are plain snapshots. */
(function () {
  "use strict";
  document.querySelectorAll("[data-poll-url]").forEach(function (box) {
    var url = box.getAttribute("data-poll-url");
    var every = Math.max(1000, parseInt(box.getAttribute("data-poll-ms"), 10) || 5000);
    var last = null;
    function poll() {
      if (document.hidden) { window.setTimeout(poll, every); return; }
      fetch(url, { headers: { Accept: "text/html" }, cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          // replace only on a change: a button being pressed or text being selected is left alone otherwise
          if (html !== null && html !== last) {
            box.innerHTML = html;
            last = html;
          }
          window.setTimeout(poll, every);
        })
        .catch(function () { window.setTimeout(poll, every * 3); });
    }
    window.setTimeout(poll, 200);
  });
}());
