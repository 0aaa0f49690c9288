(function () {
  "use strict";
  // The page's only script. It never reads document text as markup: it reorders, hides and
  // pages rows that the server already escaped, and writes plain text into its own counters.
  // Its state lives in the URL fragment (#sort=score&dir=desc&risk=unsupported&q=text&page=2,
  // other lists prefixed: #sources.state=lost) so a view can be shared.
  var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  var collate = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" }).compare;

  function setup(root) {
    var name = root.getAttribute("data-list");
    var prefix = name === "claims" ? "" : name + ".";
    var noun = root.getAttribute("data-noun") || "rows";
    var size = parseInt(root.getAttribute("data-page-size"), 10) || 100;
    var table = root.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var position = new Map(rows.map(function (row, i) { return [row, i]; }));
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var controls = root.querySelector(".controls");
    var text = root.querySelector(".filter-text");
    var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-filter]"));
    var shown = root.querySelector(".shown");
    var pagers = Array.prototype.slice.call(root.querySelectorAll(".pager"));
    var order = rows;
    var keys = {};
    var haystack = null;
    var state = { sort: "", dir: "asc", page: 1 };

    function column(key) {
      for (var i = 0; i < headers.length; i++) {
        if (headers[i].getAttribute("data-key") === key) { return i; }
      }
      return -1;
    }

    function values(key, index) {
      if (!keys[key]) {
        var numeric = headers[index].getAttribute("data-type") === "number";
        keys[key] = rows.map(function (row) {
          var cell = row.cells[index];
          var value = cell.getAttribute("data-sort");
          if (value === null) { value = cell.textContent.trim(); }
          return numeric ? (parseFloat(value) || 0) : value;
        });
      }
      return keys[key];
    }

    function sortBy(key, dir) {
      var index = column(key);
      if (index < 0 || !headers[index].querySelector("button")) { return; }
      var vals = values(key, index);
      var ids = rows.map(function (_, i) { return i; });
      ids.sort(function (a, b) {
        var x = vals[a];
        var y = vals[b];
        var o = typeof x === "number" ? x - y : collate(x, y);
        // Ties keep the rendered order (claims: worst risk first) whichever way it is sorted.
        return (dir === "desc" ? -o : o) || a - b;
      });
      order = ids.map(function (i) { return rows[i]; });
      var fragment = document.createDocumentFragment();
      order.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      headers[index].setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      table.setAttribute("data-sort-key", key);
      table.setAttribute("data-sort-dir", dir);
      state.sort = key;
      state.dir = dir;
    }

    function matching() {
      var query = text ? text.value.trim().toLowerCase() : "";
      var wanted = selects.filter(function (s) { return s.value; });
      if (query && haystack === null) {
        // Links are searched whole: a long URL's text is cut in the middle, its href is not.
        haystack = rows.map(function (row) {
          var hrefs = Array.prototype.map.call(row.querySelectorAll("a[href]"), function (a) {
            return a.getAttribute("href");
          });
          return (row.textContent + " " + hrefs.join(" ")).toLowerCase();
        });
      }
      return order.filter(function (row) {
        for (var i = 0; i < wanted.length; i++) {
          if (row.getAttribute("data-" + wanted[i].getAttribute("data-filter")) !==
              wanted[i].value) { return false; }
        }
        return !query || haystack[position.get(row)].indexOf(query) >= 0;
      });
    }

    function show() {
      var match = matching();
      var pages = Math.max(1, Math.ceil(match.length / size));
      state.page = Math.min(Math.max(1, state.page), pages);
      var start = (state.page - 1) * size;
      var visible = new Set(match.slice(start, start + size));
      rows.forEach(function (row) {
        var hide = !visible.has(row);
        if (row.hidden !== hide) { row.hidden = hide; }
      });
      table.setAttribute("data-matching-rows", String(match.length));
      table.setAttribute("data-visible-rows", String(visible.size));
      table.setAttribute("data-page", String(state.page));
      table.setAttribute("data-pages", String(pages));
      var words = match.length + " of " + rows.length + " " + noun + " shown";
      if (pages > 1) {
        words += " (" + (start + 1) + "\u2013" + (start + visible.size) + " on this page)";
      }
      shown.textContent = words;
      pagers.forEach(function (pager) {
        pager.hidden = pages <= 1;
        pager.querySelector(".page-of").textContent = "page " + state.page + " of " + pages;
        pager.querySelectorAll("button").forEach(function (button) {
          var go = button.getAttribute("data-go");
          button.disabled = (go === "first" || go === "prev") ? state.page <= 1 :
            state.page >= pages;
        });
      });
    }

    function save() {
      var params = new URLSearchParams(location.hash.replace(/^#/, ""));
      function put(key, value) {
        if (value) { params.set(prefix + key, value); } else { params.delete(prefix + key); }
      }
      put("q", text ? text.value.trim() : "");
      selects.forEach(function (s) { put(s.getAttribute("data-filter"), s.value); });
      put("sort", state.sort);
      put("dir", state.sort ? state.dir : "");
      put("page", state.page > 1 ? String(state.page) : "");
      try {
        history.replaceState(null, "", "#" + params.toString());
      } catch (e) {
        // Some viewers forbid history changes on files; the view still works, unshared.
      }
    }

    function changed() {
      state.page = 1;
      show();
      save();
    }

    headers.forEach(function (header) {
      var button = header.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var key = header.getAttribute("data-key");
        var again = state.sort === key && state.dir === "asc";
        sortBy(key, again ? "desc" : "asc");
        changed();
      });
    });
    if (text) { text.addEventListener("input", changed); }
    selects.forEach(function (s) { s.addEventListener("change", changed); });
    pagers.forEach(function (pager) {
      pager.addEventListener("click", function (event) {
        var go = event.target.closest ? event.target.closest("button") : null;
        if (!go) { return; }
        var step = go.getAttribute("data-go");
        state.page = step === "first" ? 1 : step === "prev" ? state.page - 1 :
          step === "next" ? state.page + 1 : Infinity;
        show();
        save();
        if (pager.classList.contains("bottom")) { root.scrollIntoView({ block: "start" }); }
      });
    });

    if (text && hash.get(prefix + "q")) { text.value = hash.get(prefix + "q"); }
    selects.forEach(function (s) {
      var value = hash.get(prefix + s.getAttribute("data-filter"));
      var known = Array.prototype.some.call(s.options, function (o) { return o.value === value; });
      if (value && known) { s.value = value; }
    });
    if (hash.get(prefix + "sort")) {
      sortBy(hash.get(prefix + "sort"), hash.get(prefix + "dir") === "desc" ? "desc" : "asc");
    }
    state.page = parseInt(hash.get(prefix + "page"), 10) || 1;
    controls.hidden = false;
    show();
  }

  Array.prototype.forEach.call(document.querySelectorAll("div.list"), setup);
  document.body.setAttribute("data-ready", "1");
  document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
})();
