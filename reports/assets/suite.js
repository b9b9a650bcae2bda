// The suite page of stormlog's HTML reports: summary.json (docs/report-schema.md) -> totals, the
// runs per scenario, the resilience scorecard per fault kind, and every failing run with its
// evidence, its replay command and a link to its own report.
"use strict";

(function () {
  var el = SL.el, list = SL.list;

  function header(s, app) {
    var title = "stormlog suite: " + SL.num(s.runs) + " runs, " + SL.num(s.failed) + " failed";
    document.querySelector("title").textContent = title;
    var head = el("header", {}, [el("h1", {}, [el("span", {className: "muted", text: "suite "}),
      list(s.args && s.args.scenarios).join(", ") || "stormlog"])]);
    var a = s.args || {};
    var seeds = a.seeds ? SL.text(a.seeds.first) + ".." + SL.text(a.seeds.last) : SL.DASH;
    var shard = a.shard ? SL.text(a.shard.index) + "/" + SL.text(a.shard.count) : SL.DASH;
    var facts = [["build", s.build], ["seeds", seeds], ["shard", shard], ["jobs", a.jobs],
      ["wall", SL.seconds(s.wall)]];
    head.appendChild(el("dl", {className: "facts"}, facts.map(function (f) {
      return el("div", {}, [el("dt", {text: f[0]}), el("dd", {text: SL.text(f[1])})]);
    })));
    app.appendChild(head);
  }

  function banner(s, app) {
    var failed = SL.isNum(s.failed) ? s.failed : 0;
    var box = el("section", {className: "banner " + (failed === 0 ? "ok" : "bad")});
    box.appendChild(el("div", {className: "verdict"}, [
      el("span", {className: "word", text: failed === 0 ? "PASS" : "FAIL"}),
      el("span", {className: "expect", text: SL.num(s.passed) + " of " + SL.num(s.runs) +
        " runs as expected, " + SL.num(s.failed) + " not"})]));
    app.appendChild(box);
  }

  function scenarios(s, app) {
    var sec = SL.section(app, "Scenarios");
    var rows = list(s.scenarios).map(function (c) {
      return [c.name, SL.num(c.runs), SL.num(c.passed), SL.num(c.failed)];
    });
    if (!rows.length) return SL.empty(sec, "The suite ran no scenario.");
    SL.table(sec, ["scenario", "runs", "passed", "failed"], rows, [1, 2, 3]);
  }

  function scorecard(s, app) {
    var sec = SL.section(app, "Resilience scorecard", "Per fault kind over every run: how often it was " +
      "applied, the clients' availability while it was active, and the time from its heal to the first " +
      "commit and to a stable leader (p50 / p99).");
    var cards = list(s.scorecard);
    if (!cards.length) return SL.empty(sec, "No fault was applied in any run.");
    var pair = function (a, b) { return SL.seconds(a) + " / " + SL.seconds(b); };
    SL.table(sec, ["fault", "category", "applied", "runs", "availability", "first commit", "stable leader",
      "not recovered", "violations"], cards.map(function (c) {
      return [c.kind, c.category, SL.num(c.applied), SL.num(c.runs), SL.percent(c.availability),
        pair(c.first_commit_p50_s, c.first_commit_p99_s), pair(c.stable_leader_p50_s, c.stable_leader_p99_s),
        SL.num(c.not_recovered), SL.num(c.violations)];
    }), [2, 3, 4, 5, 6, 7, 8]);
    var measured = cards.filter(function (c) { return SL.isNum(c.availability); });
    if (!measured.length) return SL.empty(sec, "No client operation ran during any fault.");
    var colors = measured.map(function (c) { return c.violations > 0 ? "#dc2626" : "#2563eb"; });
    SL.chart(sec, "chart-scorecard", 70 + 26 * measured.length, {
      type: "bar",
      data: {
        labels: measured.map(function (c) { return c.kind; }),
        datasets: [{label: "availability while active (red: runs with violations)",
          data: measured.map(function (c) { return 100 * c.availability; }),
          backgroundColor: colors, borderColor: colors}]
      },
      options: {
        indexAxis: "y",
        scales: {x: {min: 0, max: 100, title: {display: true, text: "availability (%)"}}},
        plugins: {legend: {position: "bottom"}}
      }
    });
  }

  // The failing runs: from run_list when the suite wrote one, else from the older failures list.
  function failingRuns(s) {
    if (Array.isArray(s.run_list)) {
      return s.run_list.filter(function (run) { return !run.ok; }).map(function (run) {
        var f = run.failure || {};
        return {scenario: run.scenario, seed: run.seed, verdict: run.verdict, expected: run.expected,
          property: f.property, at_s: f.at_s, node: f.node, evidence: f.evidence, replay: run.replay,
          report: run.report};
      });
    }
    return list(s.failures).map(function (f) {
      return {scenario: f.scenario, seed: f.seed, property: f.property, at_s: f.at, node: f.node,
        evidence: f.message, replay: f.replay, report: null};
    });
  }

  function failures(s, app) {
    var sec = SL.section(app, "Failing runs");
    var runs = failingRuns(s);
    if (!runs.length) return SL.empty(sec, "No run failed.");
    runs.forEach(function (run) {
      var item = el("div", {className: "failure"});
      var title = el("h3", {}, [run.scenario + " seed " + SL.text(run.seed)]);
      var href = SL.relativeHref(run.report);
      if (href !== null) {
        title.appendChild(document.createTextNode(" "));
        title.appendChild(el("a", {href: href, text: "report"}));
      }
      item.appendChild(title);
      if (run.verdict !== undefined) {
        item.appendChild(el("p", {className: "where", text: "verdict " + SL.text(run.verdict) +
          ", expected " + SL.text(run.expected)}));
      }
      if (run.property !== undefined && run.property !== null) {
        item.appendChild(el("p", {}, [el("strong", {text: run.property}),
          el("span", {className: "where", text: " at " + SL.seconds(run.at_s) + " on " + SL.text(run.node)})]));
        item.appendChild(el("div", {className: "evidence", text: SL.text(run.evidence)}));
      }
      if (run.replay) SL.command(item, run.replay);
      sec.appendChild(item);
    });
  }

  SL.start(function (s, app) {
    header(s, app);
    banner(s, app);
    scenarios(s, app);
    scorecard(s, app);
    failures(s, app);
  });
})();
