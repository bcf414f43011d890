// Switchboard's live status page: one JSON snapshot a second from /events (server-sent events), drawn with plain DOM
// calls. No framework, no build step, nothing from outside this server. Values the server could not read arrive as
// null and are shown as a dash, never as 0.
"use strict";

(function () {
  const DASH = "\u2014";
  const SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function count(n) {
    return n === null || n === undefined ? DASH : Number(n).toLocaleString("en-US");
  }

  function rate(n) {
    return n === null || n === undefined ? DASH :
      Number(n).toLocaleString("en-US", {minimumFractionDigits: 1, maximumFractionDigits: 1});
  }

  function duration(ns) {
    if (ns === null || ns === undefined) return DASH;
    if (ns < 1e3) return ns + " ns";
    if (ns < 1e6) return (ns / 1e3).toFixed(1) + " \u00b5s";
    if (ns < 1e9) return (ns / 1e6).toFixed(1) + " ms";
    return (ns / 1e9).toFixed(2) + " s";
  }

  function clock(ms) {
    return ms === null || ms === undefined ? DASH : new Date(ms).toLocaleTimeString("en-GB");
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function sum(list, pick) {
    let total = null;
    for (const item of list) {
      const value = pick(item);
      if (value !== null && value !== undefined) total = (total || 0) + value;
    }
    return total;
  }

  function renderSummary(status) {
    const processes = status.processes;
    if (processes === null) {
      for (const id of ["summary-agents", "summary-sent", "summary-delivered", "summary-rate", "summary-fanout",
        "summary-back-pressured"]) setText(id, DASH);
      return;
    }
    const agents = processes.filter(p => p.role === "agent");
    const routers = processes.filter(p => p.role === "router");
    setText("summary-agents", count(agents.filter(p => p.alive).length));
    setText("summary-sent", agents.length ? count(sum(agents, p => p.totals.sent)) : DASH);
    setText("summary-delivered", agents.length ? count(sum(agents, p => p.totals.delivered)) : DASH);
    setText("summary-rate", agents.length ? rate(sum(agents, p => p.totals.sentPerSecond)) : DASH);
    // a router carries fan-out (publish, broadcast, multicast) and work queues; point-to-point traffic skips it
    setText("summary-fanout", routers.length ? count(sum(routers, p => {
      const fanout = p.events.find(e => e.id === "fan_out_deliveries");
      return fanout ? fanout.value : 0;
    })) : DASH);
    setText("summary-back-pressured", count(sum(processes, p => p.totals.backPressured)));
  }

  function renderRouter(status) {
    const box = document.getElementById("router");
    const checks = document.getElementById("ready-checks");
    const ready = document.getElementById("ready");
    ready.textContent = status.ready.ready ? "ready" : "not ready: " + status.ready.notReady.join(", ");
    ready.className = "badge " + (status.ready.ready ? "ok" : "bad");
    checks.replaceChildren(...status.ready.checks.map(check =>
      el("li", {class: check.ok ? "ok" : "bad", "data-check": check.name}, el("b", {}, check.name), ": ",
        check.detail)));
    if (status.router === null) return;
    box.className = "";
    box.replaceChildren(
      el("span", {class: status.router.accepting ? "alive" : "dead"},
        status.router.accepting ? "accepting agents" : "not accepting"), " \u00b7 tiers: ",
      ...status.router.tiers.map(tier => el("span", {class: "chip " + (tier.available ? "on" : "off"),
        title: tier.detail, "data-tier": tier.tier}, tier.tier + (tier.available ? "" : " (falls back)"))));
  }

  function renderRouterEvents(status) {
    const body = document.querySelector("#router-events tbody");
    const routers = status.processes === null ? [] : status.processes.filter(p => p.role === "router");
    const rows = [];
    for (const router of routers) {
      for (const e of router.events) {
        rows.push(el("tr", {"data-event": e.id}, el("td", {}, (routers.length > 1 ? router.name + ": " : "") + e.event),
          el("td", {class: "num"}, count(e.value)), el("td", {class: "num"}, rate(e.perSecond))));
      }
    }
    body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: 3, class: "muted"},
      status.processes === null ? "counters not readable" : routers.length ? "nothing counted yet" :
        "no router counters file"))]));
  }

  function renderTiers(status) {
    const body = document.querySelector("#tiers tbody");
    const tiers = status.agentTiers;
    if (tiers === null || tiers.length === 0) {
      body.replaceChildren(el("tr", {}, el("td", {colspan: 9, class: "muted"},
        tiers === null ? "counters not readable" : "no agent traffic yet")));
      return;
    }
    const top = Math.max(1, ...tiers.map(t => t.sentPerSecond || 0));
    body.replaceChildren(...tiers.map(t => {
      const bar = el("div", {class: "bar"});
      bar.style.width = (100 * (t.sentPerSecond || 0) / top).toFixed(1) + "%";
      return el("tr", {"data-tier": t.tier}, el("td", {}, t.tier), el("td", {class: "num"}, rate(t.sentPerSecond)),
        el("td", {class: "num"}, rate(t.deliveredPerSecond)), el("td", {class: "num"}, rate(t.backPressuredPerSecond)),
        el("td", {class: "num"}, count(t.sent)), el("td", {class: "num"}, count(t.delivered)),
        el("td", {class: "num"}, count(t.backPressured)), el("td", {class: "num"}, count(t.rejected)),
        el("td", {class: "bar-cell"}, bar));
    }));
  }

  function renderProcesses(status) {
    const body = document.querySelector("#processes tbody");
    const processes = status.processes;
    if (processes === null || processes.length === 0) {
      body.replaceChildren(el("tr", {}, el("td", {colspan: 12, class: "muted"},
        processes === null ? "counters not readable" : "no counters file yet")));
      return;
    }
    body.replaceChildren(...processes.map(p => {
      const stale = p.alive && p.heartbeatAgeMs !== null && p.heartbeatAgeMs >= status.heartbeatFreshMs;
      const state = p.alive ? "alive" + (p.heartbeatAgeMs === null ? ", no heartbeat" :
        ", heartbeat " + (p.heartbeatAgeMs / 1000).toFixed(1) + " s ago" + (stale ? " (stale)" : "")) :
        "not running";
      const latency = p.latency.length === 0 ? DASH : p.latency.map(h => h.histogram.replace(/_ns$/, "") + " " +
        (h.count === 0 ? "no sample yet" : duration(h.p50Ns) + " / " + duration(h.p99Ns))).join("; ");
      return el("tr", {"data-role": p.role, "data-name": p.name, "data-pid": p.pid},
        el("td", {}, p.role), el("td", {}, p.name), el("td", {class: "num"}, p.pid),
        el("td", {class: !p.alive ? "dead" : stale ? "stale" : "alive"}, state),
        el("td", {}, ...(p.tiers.length ? p.tiers.map(t => el("span", {class: "chip"}, t.tier)) : [DASH])),
        el("td", {class: "num sent-rate"}, rate(p.totals.sentPerSecond)),
        el("td", {class: "num delivered-rate"}, rate(p.totals.deliveredPerSecond)),
        el("td", {class: "num sent"}, count(p.totals.sent)),
        el("td", {class: "num delivered"}, count(p.totals.delivered)),
        el("td", {class: "num back-pressured"}, count(p.totals.backPressured)),
        el("td", {class: "num errors"}, count(p.errors)), el("td", {}, latency));
    }));
  }

  // The task graph: a column per depth (the longest chain of dependencies before a task), edges from each
  // dependency to its dependent, each node coloured by the task's state.
  function taskGraph(tasks) {
    const byId = new Map(tasks.map(t => [t.id, t]));
    const depth = new Map();
    const depthOf = (task, seen) => {
      if (depth.has(task.id)) return depth.get(task.id);
      if (seen.has(task.id)) return 0; // a cycle would be a bug upstream; draw it flat rather than loop
      seen.add(task.id);
      let d = 0;
      for (const dep of task.dependsOn) if (byId.has(dep)) d = Math.max(d, depthOf(byId.get(dep), seen) + 1);
      depth.set(task.id, d);
      return d;
    };
    tasks.forEach(t => depthOf(t, new Set()));
    const columns = [];
    for (const task of tasks) (columns[depth.get(task.id)] ||= []).push(task);
    const W = 170, H = 38, GX = 40, GY = 12, PAD = 6;
    const position = new Map();
    columns.forEach((column, x) => column.forEach((task, y) =>
      position.set(task.id, {x: PAD + x * (W + GX), y: PAD + y * (H + GY)})));
    const width = PAD * 2 + columns.length * (W + GX) - GX;
    const height = PAD * 2 + Math.max(...columns.map(c => c.length)) * (H + GY) - GY;
    const graph = svg("svg", {class: "tasks", width: width, height: height, viewBox: `0 0 ${width} ${height}`});
    for (const task of tasks) {
      const to = position.get(task.id);
      for (const dep of task.dependsOn) {
        const from = position.get(dep);
        if (!from) continue;
        const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2, mid = (x1 + x2) / 2;
        graph.append(svg("path", {class: "edge", d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}));
      }
    }
    for (const task of tasks) {
      const at = position.get(task.id);
      const label = task.id.length > 24 ? task.id.slice(0, 23) + "\u2026" : task.id;
      const detail = task.state + (task.agent ? " on " + task.agent : "") +
        (task.state === "RUNNING" || task.state === "ASSIGNED" ? " " + task.percent + " %" : "");
      graph.append(svg("g", {class: "task state-" + task.state, "data-task": task.id,
          transform: `translate(${at.x},${at.y})`},
        svg("title", {}, `${task.id} (${task.capability}, phase ${task.phase}): ${detail}`),
        svg("rect", {width: W, height: H}),
        svg("text", {x: 8, y: 15}, label),
        svg("text", {x: 8, y: 30}, detail)));
    }
    return el("div", {class: "graph"}, graph);
  }

  function renderWorkflows(status) {
    const box = document.getElementById("workflows");
    if (status.workflows === null) return;
    box.className = "";
    if (status.workflows.length === 0) {
      box.replaceChildren(el("span", {class: "muted"}, "no workflow has started"));
      return;
    }
    box.replaceChildren(...status.workflows.map(w => {
      const bar = el("div", {});
      bar.style.width = Math.max(0, Math.min(100, w.percent)) + "%";
      const gates = el("table", {class: "gates"},
        el("thead", {}, el("tr", {}, el("th", {}, "phase"), el("th", {}, "gates"), el("th", {class: "num"}, "passed"),
          el("th", {class: "num"}, "failed"), el("th", {}, "latest evaluation"))),
        el("tbody", {}, ...w.gates.map(g => el("tr", {"data-phase": g.phase}, el("td", {}, g.phase),
          el("td", {class: "gate-" + g.state}, g.state), el("td", {class: "num"}, count(g.passed)),
          el("td", {class: "num"}, count(g.failed)), el("td", {}, g.summary || DASH)))));
      return el("div", {class: "workflow", "data-workflow": w.id},
        el("h3", {}, w.id, " ", el("span", {class: "muted"}, w.status + " \u00b7 phase " + w.phase + " \u00b7 " +
          w.tasksDone + " of " + w.tasksTotal + " tasks done \u00b7 " + rate(w.percent) + " %")),
        el("div", {class: "progress"}, bar), w.tasks.length ? taskGraph(w.tasks) : null, gates);
    }));
  }

  function renderSuccess(status) {
    const box = document.getElementById("success");
    const success = status.successMetrics;
    if (success === null) return;
    box.className = "";
    if (success.problem) {
      box.replaceChildren(el("span", {class: "dead"}, "not readable: " + success.problem));
      return;
    }
    box.replaceChildren(el("p", {class: "muted"}, "over " + success.runs + " run(s) kept"),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "metric"), el("th", {class: "num"}, "value"),
          el("th", {class: "num"}, "cases"), el("th", {}, "target"), el("th", {}, ""))),
        el("tbody", {}, ...success.metrics.map(m => el("tr", {"data-metric": m.key}, el("td", {}, m.title),
          el("td", {class: "num"}, m.percent === null ? "not measured" : rate(m.percent) + " %"),
          el("td", {class: "num"}, m.successes + " / " + m.cases), el("td", {}, m.target),
          el("td", {class: m.meetsTarget === null ? "muted" : m.meetsTarget ? "alive" : "dead"},
            m.meetsTarget === null ? "" : m.meetsTarget ? "met" : "NOT met"))))));
  }

  function renderErrors(status) {
    const body = document.querySelector("#errors tbody");
    if (status.errors === null || status.errors.length === 0) {
      body.replaceChildren(el("tr", {}, el("td", {colspan: 5, class: "muted"},
        status.errors === null ? "counters not readable" : "no error recorded")));
      return;
    }
    body.replaceChildren(...status.errors.map(e => el("tr", {}, el("td", {}, clock(e.lastMs)),
      el("td", {}, e.role + " " + e.name + " (" + e.pid + ")"), el("td", {}, e.kind),
      el("td", {class: "num"}, count(e.count)), el("td", {}, e.message))));
  }

  function render(status) {
    setText("sequence", status.sequence);
    setText("updated", clock(status.time));
    const problem = document.getElementById("problem");
    problem.hidden = !status.problem;
    problem.textContent = status.problem ? "The counters files cannot be read: " + status.problem : "";
    renderSummary(status);
    renderRouter(status);
    renderRouterEvents(status);
    renderTiers(status);
    renderProcesses(status);
    renderWorkflows(status);
    renderSuccess(status);
    renderErrors(status);
  }

  function connect() {
    const connection = document.getElementById("connection");
    const events = new EventSource("events");
    events.onopen = () => { connection.textContent = "live"; connection.className = "badge ok"; };
    events.onerror = () => { connection.textContent = "reconnecting…"; connection.className = "badge bad"; };
    events.onmessage = message => render(JSON.parse(message.data));
  }

  connect();
})();
