// The dashboard's one script, inlined in every page and allowed by its hash in the page's CSP. Without it
// every page still reads in full; with it: headers sort a table, a box filters it, the Matriks 2 folds by
// level, and a served page says when a newer publish is there. It reads the page's own DOM and asks
// nothing of the network but the server's version check (same origin, served pages only).
(function () {
  "use strict";

  function rows(table) {
    return Array.prototype.slice.call(table.tBodies[0].rows);
  }

  // A row's depth in the Matriks 2 tree: total, OPD, program, kegiatan, sub kegiatan, then the detail.
  var DEPTH = { "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "0": 5 };
  function depth(row) {
    return DEPTH[row.getAttribute("data-tingkat")] || 0;
  }

  // --- sorting: detail rows only; subtotal and total rows keep their place at the end -----------------
  function compare(a, b, column, numeric) {
    var x = a.cells[column], y = b.cells[column];
    if (numeric) {
      var u = x.getAttribute("data-v"), v = y.getAttribute("data-v");
      if (u === null || v === null) { return (u === null) - (v === null); }
      return parseFloat(u) - parseFloat(v);
    }
    return x.textContent.trim().localeCompare(y.textContent.trim(), "id", { numeric: true });
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var all = rows(table);
    var detail = all.filter(function (r) { return r.getAttribute("data-tingkat") === "0"; });
    var rest = all.filter(function (r) { return r.getAttribute("data-tingkat") !== "0"; });
    var numeric = detail.some(function (r) { return r.cells[column].hasAttribute("data-v"); });
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    detail.sort(function (a, b) {
      var order = compare(a, b, column, numeric);
      return ascending ? order : -order;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    detail.concat(rest).forEach(function (r) { body.appendChild(r); });
  }

  document.querySelectorAll("table[data-urut]").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, column, th); });
    });
  });

  // --- folding the tree: a parent row's button hides or shows every deeper row below it -----------------
  function below(all, i) {
    var found = [], d = depth(all[i]);
    for (var j = i + 1; j < all.length && depth(all[j]) > d; j++) { found.push(all[j]); }
    return found;
  }

  document.querySelectorAll("table.pohon").forEach(function (table) {
    var all = rows(table);
    all.forEach(function (row, i) {
      if (!below(all, i).length) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lipat";
      button.textContent = "\u2212";
      button.setAttribute("aria-expanded", "true");
      button.setAttribute("aria-label", "Lipat rincian");
      row.cells[0].insertBefore(button, row.cells[0].firstChild);
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "\u2212" : "+";
        below(rows(table), rows(table).indexOf(row)).forEach(function (r) {
          r.hidden = !open;
          var inner = r.querySelector("button.lipat");
          if (inner) { inner.setAttribute("aria-expanded", open ? "true" : "false"); inner.textContent = open ? "\u2212" : "+"; }
        });
      });
    });
  });

  // --- filtering: rows holding every word typed; in a tree, with the rows above them (their parents) ----
  document.querySelectorAll("input[data-saring]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-saring"));
    var output = document.getElementById(input.getAttribute("data-saring") + "-jumlah");
    var tree = table.classList.contains("pohon");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var all = rows(table);
      var hit = all.map(function (r) {
        var text = r.textContent.toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      var shown = hit.slice();
      if (tree && words.length) {
        all.forEach(function (r, i) {
          if (!hit[i]) { return; }
          for (var j = i - 1, d = depth(r); j >= 0 && d > 0; j--) {
            if (depth(all[j]) < d) { shown[j] = true; d = depth(all[j]); }
          }
        });
      }
      var count = 0;
      all.forEach(function (r, i) {
        var keep = !words.length || shown[i] || (!tree && r.getAttribute("data-tingkat") === "1");
        r.hidden = !keep;
        if (keep && r.getAttribute("data-tingkat") === "0") { count++; }
      });
      if (output) { output.textContent = words.length ? count + " baris rincian cocok" : ""; }
    });
  });

  // --- a newer publish: a served page asks the server now and then, and says so ---------------------
  var root = document.documentElement;
  var api = root.getAttribute("data-api");
  if (api && window.fetch) {
    var notice = document.getElementById("baru");
    var check = function () {
      window.fetch(api, { cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && data.versi && data.versi !== root.getAttribute("data-versi") && notice) {
            notice.classList.add("tampil");
          }
        })
        .catch(function () { /* the server is restarting or unreachable: ask again later */ });
    };
    window.setInterval(check, 10000);
  }
})();
