// The run page of stormlog's HTML reports: report.json (docs/report-schema.md) -> verdict, fault
// timeline, node states and leaders, throughput, latency, projections, breakers and tables. Times
// are simulated seconds on every x axis.
"use strict";

(function () {
  var el = SL.el, list = SL.list;

  var CATEGORY_COLORS = {
    network: "#3b82f6", node: "#dc2626", process: "#ea580c", disk: "#7c3aed", clock: "#0d9488",
    application: "#d97706", app: "#d97706"
  };
  var SPARE_COLORS = ["#db2777", "#65a30d", "#0891b2", "#9333ea", "#b45309", "#475569"];
  var STATE_COLORS = {
    up: "#bbf7d0", crashed: "#dc2626", paused: "#f59e0b",
    closed: "#bbf7d0", open: "#dc2626", half_open: "#f59e0b", forced_open: "#7f1d1d",
    disabled: "#cbd5e1"
  };
  var WHOLE_NETWORK = "(whole network)";

  function colorOf(table, key, used) {
    if (table[key]) return table[key];
    if (!used[key]) used[key] = SPARE_COLORS[Object.keys(used).length % SPARE_COLORS.length];
    return used[key];
  }

  // ---- chart configurations ----

  function timeAxis(end) {
    return {type: "linear", min: 0, max: end, title: {display: true, text: "simulated time (s)"}};
  }

  // Every chart's plot area spans the same pixels, so that one moment lines up down the page: the
  // left axis has a fixed width, and the right side keeps room for a second axis.
  var LEFT_AXIS = 120, RIGHT_AXIS = 70;
  function fixWidth(width) { return function (scale) { scale.width = width; }; }
  function align(config) {
    var scales = config.options.scales;
    scales.y.afterFit = fixWidth(LEFT_AXIS);
    if (scales.y1) scales.y1.afterFit = fixWidth(RIGHT_AXIS);
    else config.options.layout = {padding: {right: RIGHT_AXIS}};
    return config;
  }

  // A Gantt chart: one row per label, floating bars {x: [start, end], y: row, ...} grouped into
  // datasets (one colour each); tip(bar) gives a bar's tooltip lines.
  function ganttConfig(rows, datasets, end, tip) {
    return align({
      type: "bar",
      data: {labels: rows, datasets: datasets},
      options: {
        indexAxis: "y",
        datasets: {bar: {grouped: false, barPercentage: 0.7, categoryPercentage: 1, borderSkipped: false}},
        scales: {x: timeAxis(end), y: {type: "category", grid: {display: false}}},
        plugins: {
          legend: {position: "bottom"},
          tooltip: {callbacks: {label: function (ctx) { return tip(ctx.raw, ctx.dataset.label); }}}
        }
      }
    });
  }

  function ganttHeight(rows) { return 70 + 30 * Math.max(rows, 1); }

  // Shades the fault windows behind a time-series chart's lines.
  var faultShade = {
    id: "faultShade",
    beforeDatasetsDraw: function (chart, args, opts) {
      var windows = opts && opts.windows;
      if (!windows || !windows.length) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(220, 38, 38, 0.08)";
      windows.forEach(function (w) {
        var x0 = Math.max(area.left, x.getPixelForValue(w[0]));
        var x1 = Math.min(area.right, x.getPixelForValue(w[1]));
        if (x1 - x0 < 2) x1 = x0 + 2;
        if (x0 < area.right) ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
      });
      ctx.restore();
    }
  };

  // A line chart over the run's buckets; each line is {label, values, color}. stacked: areas.
  function seriesConfig(r, lines, yTitle, opts) {
    opts = opts || {};
    var t = list(r.series.t_s);
    var datasets = lines.map(function (line, i) {
      return {
        label: line.label,
        data: t.map(function (x, k) {
          var v = line.values[k];
          return {x: x, y: SL.isNum(v) ? v : null};
        }),
        borderColor: line.color,
        backgroundColor: opts.stacked ? line.color + "99" : line.color,
        fill: opts.stacked ? (i === 0 ? "origin" : "-1") : false,
        stepped: opts.stepped ? "before" : false,
        pointRadius: 0,
        borderWidth: opts.stacked ? 1 : 1.5,
        spanGaps: false
      };
    });
    var y = {beginAtZero: true, stacked: !!opts.stacked, title: {display: true, text: yTitle}};
    if (opts.yMax !== undefined) y.max = opts.yMax;
    return align({
      type: "line",
      data: {datasets: datasets},
      options: {
        parsing: {xAxisKey: "x", yAxisKey: "y"},
        interaction: {mode: "index", intersect: false},
        scales: {x: timeAxis(runEnd(r)), y: y},
        plugins: {legend: {position: "bottom"}, faultShade: {windows: faultWindows(r)}}
      },
      plugins: [faultShade]
    });
  }

  function runEnd(r) {
    if (SL.isNum(r.sim_time_s) && r.sim_time_s > 0) return r.sim_time_s;
    return SL.isNum(r.scenario.duration_s) ? r.scenario.duration_s : undefined;
  }

  function faultWindows(r) {
    var end = runEnd(r);
    return list(r.faults).map(function (f) {
      return [f.start_s, SL.isNum(f.heal_s) ? f.heal_s : end];
    });
  }

  // Bars too short to see (instant faults, sub-bucket spans) get a minimum visible width.
  function bar(start, end, r) {
    var min = Math.max((runEnd(r) || 1) * 0.004, 1e-3);
    return end - start < min ? [start, start + min] : [start, end];
  }

  // ---- sections ----

  function header(r, app) {
    var s = r.scenario;
    var title = "stormlog: " + SL.text(s.name) + " seed " + SL.text(r.seed);
    document.querySelector("title").textContent = title;
    var head = el("header", {}, [el("h1", {}, [el("span", {className: "muted", text: "run "}), SL.text(s.name)])]);
    if (s.description) head.appendChild(el("p", {className: "description", text: s.description}));
    var facts = [
      ["seed", r.seed], ["workload", s.workload], ["budget", s.budget],
      ["duration", SL.seconds(s.duration_s)], ["quiet from", SL.seconds(s.heal_all_at_s)],
      ["simulated", SL.seconds(r.sim_time_s)], ["events", r.events], ["hash", r.hash],
      ["acked writes lost", r.acked_writes_lost === null ? "unknown" : r.acked_writes_lost],
      ["nodes", list(s.nodes).concat(list(s.other_nodes)).join(", ")]
    ];
    head.appendChild(el("dl", {className: "facts"}, facts.map(function (f) {
      return el("div", {}, [el("dt", {text: f[0]}), el("dd", {text: SL.text(f[1])})]);
    })));
    app.appendChild(head);
  }

  function banner(r, app) {
    var v = r.verdict || {};
    var box = el("section", {className: "banner " + (v.ok ? "ok" : "bad")});
    var word = v.pass ? "PASS" : "FAIL";
    var expected = v.expected_pass ? "pass" : "fail";
    var headline = v.ok ? "as expected" : "expected " + expected;
    box.appendChild(el("div", {className: "verdict"}, [el("span", {className: "word", text: word}),
      el("span", {className: "expect", text: headline})]));
    var failures = list(v.failures);
    if (failures.length) {
      var ul = el("ul", {className: "failures"});
      failures.forEach(function (f) {
        ul.appendChild(el("li", {}, [el("strong", {text: f.property}),
          el("span", {className: "where", text: " at " + SL.seconds(f.at_s) + " on " + SL.text(f.node)}),
          el("div", {className: "evidence", text: SL.text(f.evidence)})]));
      });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", {text: "Every property held."}));
    }
    if (v.replay) {
      box.appendChild(el("div", {className: "label", text: "replay"}));
      SL.command(box, v.replay);
    }
    app.appendChild(box);
  }

  function faultTimeline(r, app) {
    var sec = SL.section(app, "Fault timeline",
      "One row per node plus one for faults of the whole network; a bar from the fault's start to its heal.");
    var faults = list(r.faults);
    if (!faults.length) return SL.empty(sec, "No fault was applied in this run.");
    var rows = list(r.scenario.nodes).slice();
    faults.forEach(function (f) {
      list(f.targets).forEach(function (t) { if (rows.indexOf(t) < 0) rows.push(t); });
    });
    rows.push(WHOLE_NETWORK);
    var byCategory = {}, order = [], used = {};
    faults.forEach(function (f) {
      var cat = f.category || "other";
      if (!byCategory[cat]) {
        var c = colorOf(CATEGORY_COLORS, cat, used);
        byCategory[cat] = {label: cat, data: [], backgroundColor: c, borderColor: c};
        order.push(cat);
      }
      var healed = SL.isNum(f.heal_s);
      var span = bar(f.start_s, healed ? f.heal_s : runEnd(r), r);
      var targets = list(f.targets).length ? f.targets : [WHOLE_NETWORK];
      targets.forEach(function (t) {
        byCategory[cat].data.push({x: span, y: t, fault: f, healed: healed});
      });
    });
    var tip = function (b) {
      var f = b.fault;
      var lines = [f.kind + " (" + (f.origin || "?") + ")",
        "from " + SL.seconds(f.start_s) + " to " + (b.healed ? SL.seconds(f.heal_s) : "never healed")];
      if (f.detail) lines.push(String(f.detail));
      return lines;
    };
    var datasets = order.map(function (k) { return byCategory[k]; });
    SL.chart(sec, "chart-faults", ganttHeight(rows.length), ganttConfig(rows, datasets, runEnd(r), tip));
  }

  // Spans (each {start_s, end_s, <key>}) of several tracks as a Gantt, one dataset per value of key.
  function spanGantt(r, sec, id, tracks, key) {
    var rows = [], sets = {}, order = [], used = {};
    tracks.forEach(function (track) {
      rows.push(track.name);
      track.spans.forEach(function (s) {
        var value = String(s[key]);
        if (!sets[value]) {
          var c = colorOf(STATE_COLORS, value, used);
          sets[value] = {label: value, data: [], backgroundColor: c, borderColor: c};
          order.push(value);
        }
        sets[value].data.push({x: bar(s.start_s, s.end_s, r), y: track.name, span: s});
      });
    });
    var tip = function (b, label) {
      return [label + " from " + SL.seconds(b.span.start_s) + " to " + SL.seconds(b.span.end_s)];
    };
    var datasets = order.map(function (k) { return sets[k]; });
    SL.chart(sec, id, ganttHeight(rows.length), ganttConfig(rows, datasets, runEnd(r), tip));
  }

  function nodeStates(r, app) {
    var sec = SL.section(app, "Node states", "Up, crashed or paused, per node.");
    var tracks = list(r.tracks && r.tracks.nodes).map(function (n) {
      return {name: n.node, spans: list(n.states)};
    });
    var any = tracks.some(function (t) { return t.spans.length > 0; });
    if (!any) return SL.empty(sec, "No node states were recorded.");
    spanGantt(r, sec, "chart-node-states", tracks, "state");
  }

  function leaders(r, app) {
    var sec = SL.section(app, "Leaders and terms", "Who led, in which term; the highest term and commit index over time.");
    var spans = list(r.leaders);
    if (!spans.length) {
      SL.empty(sec, "No node was ever leader (or the workload has no leaders).");
    } else {
      var rows = list(r.scenario.nodes).slice();
      spans.forEach(function (s) { if (rows.indexOf(s.node) < 0) rows.push(s.node); });
      var data = spans.map(function (s) {
        return {x: bar(s.start_s, s.end_s, r), y: s.node, span: s};
      });
      var colors = spans.map(function (s) { return s.term % 2 ? "#2563eb" : "#60a5fa"; });
      var datasets = [{label: "leader (alternating shades: term changes)", data: data,
        backgroundColor: colors, borderColor: colors}];
      var tip = function (b) {
        return ["leader in term " + b.span.term, SL.seconds(b.span.start_s) + " to " + SL.seconds(b.span.end_s)];
      };
      SL.chart(sec, "chart-leaders", ganttHeight(rows.length), ganttConfig(rows, datasets, runEnd(r), tip));
    }
    var s = r.series || {};
    if (!hasValues(s.term) && !hasValues(s.commit_index)) return SL.empty(sec, "No term or commit index was reported.");
    var cfg = seriesConfig(r, [{label: "term", values: list(s.term), color: "#7c3aed"}], "term", {stepped: true});
    cfg.data.datasets.push(seriesConfig(r, [{label: "commit index", values: list(s.commit_index), color: "#0d9488"}], "")
      .data.datasets[0]);
    cfg.data.datasets[1].yAxisID = "y1";
    cfg.options.scales.y1 = {position: "right", beginAtZero: true, grid: {drawOnChartArea: false},
      title: {display: true, text: "commit index"}};
    delete cfg.options.layout;
    SL.chart(sec, "chart-term", 240, align(cfg));
  }

  function hasValues(a) { return list(a).some(SL.isNum); }

  function perSecond(values, width) {
    return list(values).map(function (v) { return SL.isNum(v) ? v / width : null; });
  }

  function throughput(r, app) {
    var s = r.series || {};
    var sec = SL.section(app, "Throughput and availability",
      "Client operations completed per second, by outcome, and the share that succeeded in each bucket (" +
      SL.seconds(s.bucket_s) + " wide). Shaded: fault windows.");
    var some = function (a) { return list(a).some(function (v) { return v > 0; }); };
    if (!some(s.ops_ok) && !some(s.ops_fail) && !some(s.ops_unknown)) {
      return SL.empty(sec, "No client operation completed in this run.");
    }
    var w = s.bucket_s > 0 ? s.bucket_s : 1;
    SL.chart(sec, "chart-throughput", 260, seriesConfig(r, [
      {label: "ok", values: perSecond(s.ops_ok, w), color: "#16a34a"},
      {label: "failed", values: perSecond(s.ops_fail, w), color: "#dc2626"},
      {label: "unknown (timed out)", values: perSecond(s.ops_unknown, w), color: "#f59e0b"}
    ], "operations / s", {stacked: true}));
    var oks = list(s.ops_ok), fails = list(s.ops_fail), unknowns = list(s.ops_unknown);
    var avail = list(s.t_s).map(function (x, i) {
      var ok = oks[i] || 0, all = ok + (fails[i] || 0) + (unknowns[i] || 0);
      return all > 0 ? ok / all : null;
    });
    SL.chart(sec, "chart-availability", 200, seriesConfig(r, [
      {label: "availability (ok / all)", values: avail, color: "#2563eb"}], "availability", {yMax: 1}));
  }

  function latency(r, app) {
    var s = r.series || {};
    var sec = SL.section(app, "Latency", "Of the operations completed in each bucket. Shaded: fault windows.");
    if (!hasValues(s.latency_p50_ms) && !hasValues(s.latency_p99_ms)) return SL.empty(sec, "No latency was recorded.");
    SL.chart(sec, "chart-latency", 240, seriesConfig(r, [
      {label: "p50", values: list(s.latency_p50_ms), color: "#2563eb"},
      {label: "p99", values: list(s.latency_p99_ms), color: "#dc2626"}], "latency (ms)"));
  }

  // Gauges named <prefix><name><suffix>, one line each.
  function gauges(r, app, title, note, prefix, suffix, id, yTitle) {
    var sec = SL.section(app, title, note);
    var all = (r.series && r.series.gauges) || {};
    var colors = ["#2563eb", "#dc2626", "#16a34a", "#7c3aed", "#d97706", "#0891b2"];
    var lines = Object.keys(all).filter(function (k) {
      return k.indexOf(prefix) === 0 && k.slice(-suffix.length) === suffix && k.length > prefix.length + suffix.length;
    }).map(function (k, i) {
      return {label: k.slice(prefix.length, k.length - suffix.length), values: list(all[k]), color: colors[i % colors.length]};
    });
    if (!lines.some(function (l) { return hasValues(l.values); })) return SL.empty(sec, "Nothing was sampled.");
    SL.chart(sec, id, 240, seriesConfig(r, lines, yTitle));
  }

  function breakers(r, app) {
    var sec = SL.section(app, "Circuit breakers", "The state of each breaker over the run.");
    var tracks = list(r.tracks && r.tracks.breakers).map(function (b) {
      return {name: b.name, spans: list(b.states)};
    });
    if (!tracks.some(function (t) { return t.spans.length > 0; })) return SL.empty(sec, "This run has no circuit breakers.");
    spanGantt(r, sec, "chart-breakers", tracks, "state");
  }

  function alerts(r, app) {
    var sec = SL.section(app, "Alerts");
    var rows = list(r.alerts).map(function (a) {
      return [a.rule, SL.seconds(a.fired_s), SL.isNum(a.resolved_s) ? SL.seconds(a.resolved_s) : "still firing",
        SL.num(a.value, 1)];
    });
    if (!rows.length) return SL.empty(sec, "No alert fired.");
    SL.table(sec, ["rule", "fired", "resolved", "value"], rows, [1, 2, 3]);
  }

  function recovery(r, app) {
    var sec = SL.section(app, "Recovery", "Per applied fault: client operations while it was active, " +
      "and after its heal the time to the first commit and to a leader that held for at least a second.");
    var rows = list(r.recovery).map(function (x) {
      return [x.fault, x.kind, SL.seconds(x.start_s), SL.seconds(x.heal_s, "never"), SL.num(x.ops),
        SL.num(x.ops_ok), SL.percent(x.availability), SL.seconds(x.first_commit_s, "never"),
        SL.seconds(x.stable_leader_s, "never")];
    });
    if (!rows.length) return SL.empty(sec, "No fault was applied in this run.");
    SL.table(sec, ["#", "kind", "start", "heal", "ops", "ok", "availability", "first commit", "stable leader"],
      rows, [0, 2, 3, 4, 5, 6, 7, 8]);
  }

  function summary(r, app) {
    var sec = SL.section(app, "Summary");
    var lines = list(r.summary);
    if (!lines.length) return SL.empty(sec, "The run wrote no summary.");
    sec.appendChild(el("pre", {className: "summary", text: lines.join("\n")}));
  }

  function skipped(r, app) {
    var sec = SL.section(app, "Skipped faults", "Faults the injector left out, and why.");
    var rows = list(r.skipped_faults).map(function (s) { return [s.kind, s.origin, SL.seconds(s.at_s), s.why]; });
    if (!rows.length) return SL.empty(sec, "No fault was skipped.");
    SL.table(sec, ["kind", "origin", "at", "why"], rows, [2]);
  }

  function probes(r, app) {
    var sec = SL.section(app, "Probes", "Moments of interest this run reached.");
    var rows = list(r.probes).map(function (p) { return [p.name, SL.num(p.hits)]; });
    if (!rows.length) return SL.empty(sec, "No probe was hit.");
    SL.table(sec, ["probe", "hits"], rows, [1]);
  }

  SL.start(function (r, app) {
    r.scenario = r.scenario || {};
    r.series = r.series || {};
    header(r, app);
    banner(r, app);
    faultTimeline(r, app);
    nodeStates(r, app);
    leaders(r, app);
    throughput(r, app);
    latency(r, app);
    gauges(r, app, "Projection lag", "Events each projection is behind the store. Shaded: fault windows.",
      "projection.", ".lag", "chart-projection-lag", "events behind");
    gauges(r, app, "Queue depth", "Items waiting in each bounded queue. Shaded: fault windows.",
      "queue.", ".depth", "chart-queue-depth", "items");
    breakers(r, app);
    alerts(r, app);
    recovery(r, app);
    summary(r, app);
    skipped(r, app);
    probes(r, app);
  });
})();
