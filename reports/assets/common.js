// Helpers of stormlog's HTML reports, shared by the run page (run.js) and the suite page (suite.js).
// Every element is made with createElement and filled with textContent: the report's strings come
// from scenario files and must never be parsed as HTML. This file runs before Chart.js is loaded,
// so that an error anywhere later is caught and shown in #render-status (which tests read).
"use strict";

var SL = (function () {
  var DASH = "\u2014";
  var statusEl = document.getElementById("render-status");
  var drawn = [];  // every chart made, in page order: {id, chart}
  var firstError = null;

  function fail(message) {
    if (firstError !== null) return;
    firstError = String(message);
    statusEl.setAttribute("data-status", "error: " + firstError);
    statusEl.hidden = false;
    statusEl.textContent = "The report could not be drawn: " + firstError;
  }

  // Returning false keeps the browser's own report of the error (the console), which the tests
  // also read.
  window.onerror = function (message, source, line, column) {
    fail(message + " (line " + line + ", column " + column + ")");
    return false;
  };

  // el("td", {className: "num", text: "12"}, [child, "text", ...])
  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (key) {
      if (key === "text") node.textContent = props.text;
      else if (key === "className") node.className = props.className;
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function isNum(x) { return typeof x === "number" && isFinite(x); }

  // Numbers with a fixed number of decimals; null/undefined/non-numbers are a dash.
  function num(x, digits) { return isNum(x) ? x.toFixed(digits === undefined ? 0 : digits) : DASH; }
  function seconds(x, ifNull) { return isNum(x) ? x.toFixed(x >= 100 ? 1 : 2) + " s" : (ifNull || DASH); }
  function percent(x, ifNull) { return isNum(x) ? (100 * x).toFixed(1) + " %" : (ifNull || DASH); }
  function text(x) { return x === null || x === undefined ? DASH : String(x); }
  function list(x) { return Array.isArray(x) ? x : []; }

  // A titled section of the page; `note` is a line of explanation under the title.
  function section(parent, title, note) {
    var sec = el("section", {className: "card"}, [el("h2", {text: title})]);
    if (note) sec.appendChild(el("p", {className: "note", text: note}));
    parent.appendChild(sec);
    return sec;
  }

  // The line a section shows instead of an empty chart or table.
  function empty(parent, message) {
    parent.appendChild(el("p", {className: "empty", text: message}));
  }

  // headers: ["kind", ...]; rows: arrays of cells (strings, numbers or nodes). Columns whose
  // header is in `numeric` are right-aligned.
  function table(parent, headers, rows, numeric) {
    numeric = numeric || [];
    var head = el("tr", {}, headers.map(function (h, i) {
      return el("th", {text: h, className: numeric.indexOf(i) >= 0 ? "num" : ""});
    }));
    var body = el("tbody", {}, rows.map(function (row) {
      return el("tr", {}, row.map(function (cell, i) {
        var td = el("td", {className: numeric.indexOf(i) >= 0 ? "num" : ""});
        if (cell !== null && typeof cell === "object") td.appendChild(cell);
        else td.textContent = cell === null || cell === undefined ? DASH : String(cell);
        return td;
      }));
    }));
    var wrap = el("div", {className: "table-wrap"}, [el("table", {}, [el("thead", {}, [head]), body])]);
    parent.appendChild(wrap);
    return wrap;
  }

  // A command in a <code> with a button that copies it.
  function command(parent, cmd) {
    var code = el("code", {text: cmd});
    var button = el("button", {type: "button", text: "copy", className: "copy"});
    button.addEventListener("click", function () {
      var selectIt = function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(cmd).then(function () { button.textContent = "copied"; }, selectIt);
      } else {
        selectIt();
      }
    });
    var box = el("div", {className: "command"}, [code, button]);
    parent.appendChild(box);
    return box;
  }

  // A canvas of the given height in `parent`, drawn by Chart.js with `config`.
  function chart(parent, id, height, config) {
    var canvas = el("canvas", {id: id});
    parent.appendChild(el("div", {className: "chart", style: "height:" + height + "px"}, [canvas]));
    var c = new Chart(canvas, config);
    drawn.push({id: id, chart: c});
    return c;
  }

  // Data points a chart holds, nulls (gaps) left out: what tests check was drawn.
  function points(c) {
    var n = 0;
    c.data.datasets.forEach(function (ds) {
      ds.data.forEach(function (p) {
        if (p === null || p === undefined) return;
        if (typeof p === "object" && !Array.isArray(p) && p.y === null) return;
        n += 1;
      });
    });
    return n;
  }

  function finish() {
    if (firstError !== null) return;
    var charts = drawn.map(function (d) { return {id: d.id, points: points(d.chart)}; });
    statusEl.textContent = JSON.stringify({charts: charts});
    statusEl.setAttribute("data-status", "ok");
  }

  // Reads the page's data and runs `render(data, app)`; a thrown error is shown, then rethrown so
  // that the console reports it as well.
  function start(render) {
    try {
      Chart.defaults.animation = false;
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = "#3a4250";
      Chart.defaults.maintainAspectRatio = false;
      var data = JSON.parse(document.getElementById("report-data").textContent);
      var app = document.getElementById("app");
      app.textContent = "";
      render(data, app);
      finish();
    } catch (e) {
      fail(e && e.message ? e.message : e);
      throw e;
    }
  }

  // A relative link target, or null: anything with a scheme (javascript:, data:, http:), an
  // absolute path, a backslash or a control character is refused.
  function relativeHref(path) {
    if (typeof path !== "string" || path === "") return null;
    if (/[\u0000-\u001f\\\u007f]/.test(path) || /^\s|\s$/.test(path)) return null;
    if (path.charAt(0) === "/") return null;
    var firstSegment = path.split(/[\/?#]/)[0];
    if (firstSegment.indexOf(":") >= 0) return null;
    return path;
  }

  return {
    DASH: DASH, el: el, isNum: isNum, num: num, seconds: seconds, percent: percent, text: text,
    list: list, section: section, empty: empty, table: table, command: command, chart: chart,
    start: start, relativeHref: relativeHref
  };
})();
