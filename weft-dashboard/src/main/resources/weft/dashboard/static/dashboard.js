// The Weft dashboard page: joins dashboard:live over the official Phoenix client and redraws on
// every sample. All text goes through textContent; nothing from the server is parsed as HTML.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const token = document.querySelector('meta[name="socket-token"]').content;
  const history = []; // chart points, oldest first
  const keep = 300;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => v != null && node.setAttribute(k, v));
    children.forEach((c) => c != null && node.append(c));
    return node;
  }
  const bytes = (n) => (n < 0 ? "-" : (n / 1048576).toFixed(1) + " MB");
  const pct = (x) => (x * 100).toFixed(0) + "%";
  function duration(ms) {
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }
  function table(id, head, rows) {
    $(id).replaceChildren(
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows.map((cells) => el("tr", cells.attrs || {}, ...cells.map((c) => el("td", {}, c)))))
    );
  }

  const socket = new Phoenix.Socket("/dashboard/socket", { params: { token } });
  socket.onOpen(() => setStatus(true));
  socket.onClose(() => setStatus(false));
  socket.onError(() => setStatus(false));
  socket.connect();
  const channel = socket.channel("dashboard:live", {});
  channel.on("sample", ({ sample, point }) => { history.push(point); trim(); render(sample); });
  channel.join().receive("ok", (snap) => {
    history.splice(0, history.length, ...(snap.history || []));
    if (snap.sample) render(snap.sample);
  });

  function setStatus(online) {
    $("status").textContent = online ? "live" : "offline";
    $("status").className = "status " + (online ? "online" : "offline");
  }
  function trim() { while (history.length > keep) history.shift(); }

  function act(event, payload, what) {
    channel.push(event, payload)
      .receive("ok", () => ($("action-result").textContent = what + ": done"))
      .receive("error", (r) => ($("action-result").textContent = what + ": " + r.reason))
      .receive("timeout", () => ($("action-result").textContent = what + ": no answer"));
  }
  function killButton(pid, label) {
    if (!pid) return null;
    const b = el("button", { class: "kill", "data-pid": pid, title: "kill " + pid }, "kill");
    b.addEventListener("click", () => {
      if (confirm("Kill " + (label || pid) + "? Its supervisor, if any, restarts it.")) act("kill", { pid }, "kill " + pid);
    });
    return b;
  }
  function jobButton(action, id) {
    const b = el("button", { class: action, "data-job": id }, action);
    b.addEventListener("click", () => act(action, { id }, action + " job " + id));
    return b;
  }

  function render(s) {
    const n = s.node;
    $("node-name").textContent = n.name;
    const stats = [
      ["Uptime", duration(n.uptime)],
      ["Heap", bytes(n.heapUsed) + " of " + bytes(n.heapMax)],
      ["Non-heap", bytes(n.nonHeapUsed)],
      ["GC", n.gcCount + " collections, " + n.gcTime + " ms"],
      ["Scheduler", n.scheduler.toLowerCase()],
      ["Carrier threads", n.carriersBusy + " busy of " + n.carriers + " (" + pct(n.utilisation) + ")"],
      ["Runnable, waiting for a carrier", String(n.queuedVirtualThreads)],
      ["Preemptions", String(n.preemptions)],
      ["Held without yield point", n.longSchedules + " reports, " + n.compensations + " spare carriers"],
      ["CPU (process)", pct(n.cpu)],
    ];
    $("node-stats").replaceChildren(...stats.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));

    $("process-count").textContent = "(" + s.processes.count + ")";
    const procRow = (p) =>
      [p.pid, p.name || "", p.behaviour || "", String(p.mailbox), duration(p.age), String(p.preemptions),
       String(p.longSchedules), killButton(p.pid, p.name || p.behaviour)];
    const procHead = ["pid", "name", "behaviour", "mailbox", "age", "preempted", "long holds", ""];
    table("by-mailbox", procHead, s.processes.byMailbox.map(procRow));
    table("oldest", procHead, s.processes.oldest.map(procRow));
    table("long-schedules", procHead, s.processes.longSchedules.map(procRow));

    $("tree").replaceChildren(...(s.tree ? [treeNode(s.tree, true)] : [el("li", {}, "no supervision tree configured")]));

    $("socket-counts").textContent = s.sockets.sockets + " sockets, " + s.sockets.channels + " channels";
    table("channel-topics", ["topic", "channels"], s.sockets.topics.map((t) => [t.topic, String(t.count)]));
    table("pubsub", ["topic", "subscribers"], s.pubsub.map((t) => [t.topic, String(t.count)]));

    $("jobs-card").hidden = !s.jobs;
    if (s.jobs) {
      const states = s.jobs.queues.length ? Object.keys(s.jobs.queues[0].states) : [];
      table("job-queues", ["queue", "pid", ...states],
        s.jobs.queues.map((q) => [q.queue, q.pid || "down", ...states.map((k) => String(q.states[k]))]));
      table("recent-jobs", ["id", "queue", "worker", "state", "attempt", "last error", ""],
        s.jobs.recent.map((j) => {
          const row = [String(j.id), j.queue, j.worker, j.state, j.attempt + "/" + j.maxAttempts, j.error || "",
            el("span", {}, jobButton("retry", j.id), jobButton("cancel", j.id))];
          row.attrs = { "data-job-id": j.id, "data-state": j.state };
          return row;
        }));
    }
    drawCharts();
  }

  function treeNode(t, isRoot) {
    const label = el("span", { class: "node " + t.type },
      el("strong", {}, t.id), " ", el("code", { class: "pid" }, t.pid || "restarting"), " ", t.behaviour || "");
    const item = el("li", { "data-child-id": t.id, "data-pid": t.pid || "" }, label, " ", isRoot ? null : killButton(t.pid, t.id));
    if (t.children && t.children.length) item.append(el("ul", {}, ...t.children.map((c) => treeNode(c, false))));
    return item;
  }

  const charts = [
    ["Heap used (MB)", (p) => p.heapUsed / 1048576],
    ["Processes", (p) => p.processes],
    ["Carrier utilisation (%)", (p) => p.utilisation * 100],
    ["Sockets", (p) => p.sockets],
    ["Jobs executing", (p) => p.jobsExecuting],
  ];
  function drawCharts() {
    const grid = $("chart-grid");
    if (!grid.children.length) {
      charts.forEach(([title]) => grid.append(el("figure", {}, el("canvas", { width: 260, height: 70 }), el("figcaption", {}, title))));
    }
    [...grid.querySelectorAll("figure")].forEach((fig, i) => {
      const [title, value] = charts[i];
      const values = history.map(value);
      const canvas = fig.querySelector("canvas");
      const g = canvas.getContext("2d");
      g.clearRect(0, 0, canvas.width, canvas.height);
      const max = Math.max(1, ...values);
      g.strokeStyle = "#3563e9";
      g.lineWidth = 1.5;
      g.beginPath();
      values.forEach((v, x) => {
        const px = (x / Math.max(1, keep - 1)) * canvas.width;
        const py = canvas.height - 4 - (v / max) * (canvas.height - 8);
        x === 0 ? g.moveTo(px, py) : g.lineTo(px, py);
      });
      g.stroke();
      const last = values.length ? values[values.length - 1] : 0;
      fig.querySelector("figcaption").textContent = title + ": " + (Math.round(last * 10) / 10) + " (max " + (Math.round(max * 10) / 10) + ")";
    });
  }
})();
