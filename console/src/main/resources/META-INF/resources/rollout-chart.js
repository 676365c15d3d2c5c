// The rollout chart, drawn as inline SVG from the recorded decisions' evidence (and the analyzer's look at the waiting
// step) and from the metric samples the analyzer recorded: nothing is recomputed except the rates the counts give,
// the bound's half-width, |bound - difference|, and each step's running sums of its samples, which are what the
// analyzer sums when it decides (a sample counts in the step during which its window started).
"use strict";

const rolloutChart = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const WIDTH = 900, RATES = {top: 30, height: 150}, DIFF = {top: 230, height: 190}, LEFT = 60, RIGHT = 20;

  function svg(tag, attributes = {}, text) {
    const node = document.createElementNS(NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** One look at a step: a decision or the waiting step now. */
  function point(at, step, fromPercent, verdict, evidence) {
    const rate = counts => counts.requests ? 100 * counts.errors / counts.requests : 0;
    const treatment = rate(evidence.treatment), control = rate(evidence.control);
    const difference = treatment - control;
    const halfWidth = Math.abs(evidence.statistic - difference);
    return {at: Date.parse(at), step, fromPercent, verdict, treatment, control, difference,
      low: difference - halfWidth, high: difference + halfWidth, guard: evidence.threshold, summary: evidence.summary};
  }

  function points(page) {
    const looks = page.events.filter(e => /\.(advance|hold|rollback)decided\./.test(e.type)).map(e =>
      point(e.at, e.data.step, e.data.fromPercent, e.type.match(/\.(advance|hold|rollback)decided\./)[1],
        e.data.evidence));
    const waiting = page.analyzer && page.analyzer.waiting;
    if (page.status === "running" && waiting && waiting.treatment) {
      const current = page.analyzer.steps.find(s => s.step === page.analyzer.currentStep) || {percent: 0};
      looks.push(point(new Date().toISOString(), page.analyzer.currentStep, current.percent, "waiting", waiting));
    }
    return looks;
  }

  /** Each step's samples in arrival order, as the step's running totals per arm: one point per sample. */
  function sampled(page) {
    return (page.samples || []).flatMap(step => {
      const sums = {on: {requests: 0, errors: 0}, off: {requests: 0, errors: 0}};
      return step.samples.map(sample => {
        const sum = sums[sample.variant];
        sum.requests += sample.requests;
        sum.errors += sample.errors;
        return {at: Date.parse(sample.receivedAt), step: step.step, variant: sample.variant,
          requests: sum.requests, errors: sum.errors, rate: sum.requests ? 100 * sum.errors / sum.requests : 0};
      });
    });
  }

  function draw(page, container) {
    const looks = points(page);
    const samples = sampled(page);
    const started = Date.parse(page.events[0].at);
    const last = Math.max(started + 1000, ...looks.map(p => p.at), ...samples.map(s => s.at));
    const end = last + (last - started) * 0.12;
    const x = t => LEFT + (WIDTH - LEFT - RIGHT) * (t - started) / (end - started);
    const chart = svg("svg", {class: "chart", viewBox: "0 0 " + WIDTH + " 460", role: "img",
      "aria-label": "rollout " + page.rolloutId + ": rates, bound and guard per step"});

    const rateMax = Math.max(0.1, ...looks.flatMap(p => [p.treatment, p.control]), ...samples.map(s => s.rate))
      * 1.2;
    const yRate = v => RATES.top + RATES.height * (1 - v / rateMax);
    const lows = looks.map(p => p.low), highs = looks.map(p => p.high), guards = looks.map(p => p.guard);
    const dMin = Math.min(0, ...lows) * 1.15, dMax = Math.max(0.1, ...highs, ...guards) * 1.15;
    const yDiff = v => DIFF.top + DIFF.height * (dMax - v) / (dMax - dMin);

    const axis = (top, height, min, max, y, label) => {
      chart.append(svg("line", {x1: LEFT, y1: top, x2: LEFT, y2: top + height, stroke: "#98a2b3"}));
      chart.append(svg("line", {x1: LEFT, y1: top + height, x2: WIDTH - RIGHT, y2: top + height, stroke: "#98a2b3"}));
      for (const v of min < 0 ? [min, 0, max] : [min, (min + max) / 2, max]) {
        chart.append(svg("text", {x: LEFT - 6, y: y(v) + 4, "text-anchor": "end"}, v.toFixed(2)));
      }
      chart.append(svg("text", {x: LEFT, y: top - 10}, label));
    };
    axis(RATES.top, RATES.height, 0, rateMax, yRate,
      "error rate, % over each step so far (treatment red, control blue; a dot per recorded sample)");
    axis(DIFF.top, DIFF.height, dMin, dMax, yDiff,
      "treatment − control, pp: always-valid bound (band), guard (line), decisions (marks)");
    chart.append(svg("line", {x1: LEFT, x2: WIDTH - RIGHT, y1: yDiff(0), y2: yDiff(0), stroke: "#d0d5dd"}));

    const steps = [...new Set(looks.map(p => p.step))];
    let stepStart = started;
    for (const step of steps) {
      const inStep = looks.filter(p => p.step === step);
      const first = inStep[0], stepEnd = inStep[inStep.length - 1].at;
      chart.append(svg("line", {x1: x(stepStart), x2: x(stepStart), y1: RATES.top, y2: DIFF.top + DIFF.height,
        stroke: "#eaecf0"}));
      chart.append(svg("text", {x: x(stepStart) + 4, y: 445}, "step " + step + " (" + first.fromPercent + "%)"));
      chart.append(svg("line", {class: "guard", x1: x(stepStart), x2: x(stepEnd), y1: yDiff(first.guard),
        y2: yDiff(first.guard), stroke: "var(--guard)", "stroke-dasharray": "6 4"}));
      const path = (value, y) => inStep.map((p, i) => (i ? "L" : "M") + x(p.at).toFixed(1) + " " + y(value(p)).toFixed(1)).join(" ");
      const band = inStep.length > 1
        ? svg("path", {class: "bound", d: path(p => p.high, yDiff) + " " + [...inStep].reverse().map(p =>
          "L" + x(p.at).toFixed(1) + " " + yDiff(p.low).toFixed(1)).join(" ") + " Z", fill: "var(--band)"})
        : svg("rect", {class: "bound", x: x(first.at) - 4, width: 8, y: yDiff(first.high),
          height: Math.max(1, yDiff(first.low) - yDiff(first.high)), fill: "var(--band)"});
      chart.append(band);
      stepStart = stepEnd;
      if (!samples.length) {
        chart.append(svg("path", {d: path(p => p.treatment, yRate), stroke: "var(--treatment)", fill: "none"}));
        chart.append(svg("path", {d: path(p => p.control, yRate), stroke: "var(--control)", fill: "none"}));
      }
      chart.append(svg("path", {d: path(p => p.difference, yDiff), stroke: "var(--treatment)", fill: "none"}));
    }
    drawSamples(chart, samples, x, yRate);
    if (looks.length) {
      chart.append(svg("text", {x: LEFT + 4, y: yDiff(looks[0].guard) - 4}, "guard +" + looks[0].guard + "pp"));
    }
    looks.forEach((p, i) => {
      const mark = svg("g", {class: "decision", "data-verdict": p.verdict});
      const colour = {advance: "#067647", hold: "#b54708", rollback: "#d92d20", waiting: "#98a2b3"}[p.verdict];
      mark.append(svg("line", {x1: x(p.at), x2: x(p.at), y1: RATES.top, y2: DIFF.top + DIFF.height,
        stroke: colour, "stroke-dasharray": "2 3"}));
      mark.append(svg("circle", {cx: x(p.at), cy: yDiff(p.difference), r: 5, fill: colour}));
      mark.append(svg("circle", {cx: x(p.at), cy: yRate(p.treatment), r: 3, fill: "var(--treatment)"}));
      mark.append(svg("circle", {cx: x(p.at), cy: yRate(p.control), r: 3, fill: "var(--control)"}));
      mark.append(svg("text", {x: x(p.at) + 6, y: DIFF.top + 12 + (i % 3) * 12, fill: colour}, (i + 1) + " " + p.verdict));
      mark.append(svg("title", {}, p.summary));
      chart.append(mark);
    });
    container.replaceChildren(chart);
    return looks;
  }

  /** Per step and arm, the running rate after each recorded sample: a line, and a dot per sample. */
  function drawSamples(chart, samples, x, yRate) {
    for (const step of new Set(samples.map(s => s.step))) {
      for (const [variant, colour] of [["on", "var(--treatment)"], ["off", "var(--control)"]]) {
        const arm = samples.filter(s => s.step === step && s.variant === variant);
        if (!arm.length) continue;
        chart.append(svg("path", {class: "samples", "data-step": step, "data-variant": variant, stroke: colour,
          fill: "none", d: arm.map((s, i) => (i ? "L" : "M") + x(s.at).toFixed(1) + " " + yRate(s.rate).toFixed(1))
            .join(" ")}));
        for (const s of arm) {
          const dot = svg("circle", {class: "sample", "data-step": step, "data-variant": variant,
            "data-requests": s.requests, "data-errors": s.errors, cx: x(s.at).toFixed(1), cy: yRate(s.rate).toFixed(1),
            r: 1.5, fill: colour});
          dot.append(svg("title", {}, (variant === "on" ? "treatment " : "control ") + s.rate.toFixed(2) + "% of "
            + s.requests.toLocaleString("en") + " in step " + step));
          chart.append(dot);
        }
      }
    }
  }

  return {draw};
})();
