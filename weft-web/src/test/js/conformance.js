// Drives a Weft server with the official phoenix client and prints one JSON line per check:
// {"check": name, "ok": true|false, "detail": ...}. Usage: node conformance.js ws://127.0.0.1:PORT/socket
// Every wait is bounded; the script exits by itself.
const { Socket, Presence, LongPoll } = require("phoenix");
const WebSocket = require("ws").WebSocket;

const url = process.argv[2];
const shortUrl = process.argv[3]; // a socket whose heartbeat timeout is short
const longpoll = process.argv[4] === "longpoll";
const WAIT = 5000;
const results = [];

function report(check, ok, detail) {
  results.push({ check, ok, detail });
  console.log(JSON.stringify({ check, ok, detail }));
}

function connect(params, opts = {}, at = url) {
  const socket = new Socket(at, {
    transport: longpoll ? LongPoll : WebSocket,
    params,
    reconnectAfterMs: () => 50,
    rejoinAfterMs: () => 50,
    logger: () => {},
    ...opts,
  });
  return socket;
}

function until(what, register) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for " + what)), WAIT);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function join(channel) {
  return until("join", (done) => {
    channel
      .join()
      .receive("ok", (resp) => done({ status: "ok", resp }))
      .receive("error", (resp) => done({ status: "error", resp }))
      .receive("timeout", () => done({ status: "timeout" }));
  });
}

function push(channel, event, payload) {
  return until("reply to " + event, (done) => {
    channel
      .push(event, payload)
      .receive("ok", (resp) => done({ status: "ok", resp }))
      .receive("error", (resp) => done({ status: "error", resp }))
      .receive("timeout", () => done({ status: "timeout" }));
  });
}

async function check(name, fn) {
  try {
    const detail = await fn();
    report(name, true, detail === undefined ? null : detail);
  } catch (e) {
    report(name, false, String(e && e.message ? e.message : e));
  }
}

function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function main() {
  const a = connect({ token: "alice" });
  const b = connect({ token: "bob" });
  a.connect();
  b.connect();
  const chA = a.channel("room:lobby", { color: "red" });
  const chB = b.channel("room:lobby", {});

  await check("join ok with response", async () => {
    const r = await join(chA);
    expectEqual(r, { status: "ok", resp: { joined: "room:lobby", user: "alice", color: "red" } }, "join");
    expectEqual((await join(chB)).status, "ok", "second client join");
  });

  await check("push with reply", async () => {
    expectEqual(await push(chA, "ping", { n: 7 }), { status: "ok", resp: { pong: 7 } }, "reply");
    expectEqual(await push(chA, "fail", {}), { status: "error", resp: { reason: "asked to fail" } }, "error reply");
  });

  await check("broadcast reaches every client", async () => {
    const gotA = until("broadcast at a", (done) => chA.on("shout", done));
    const gotB = until("broadcast at b", (done) => chB.on("shout", done));
    await push(chA, "shout", { text: "hi all" });
    expectEqual(await gotA, { text: "hi all", from: "alice" }, "a");
    expectEqual(await gotB, { text: "hi all", from: "alice" }, "b");
  });

  await check("broadcastFrom skips the sender", async () => {
    let aGot = false;
    chA.on("whisper", () => (aGot = true));
    const gotB = until("whisper at b", (done) => chB.on("whisper", done));
    await push(chA, "whisper", { text: "psst" });
    expectEqual(await gotB, { text: "psst" }, "b");
    // A ping round trip after the whisper: had A been sent the whisper, it would have come first.
    await push(chA, "ping", { n: 1 });
    if (aGot) throw new Error("the sender received its own broadcastFrom");
  });

  await check("intercepted event goes through handleOut", async () => {
    const gotB = until("intercepted at b", (done) => chB.on("announce", done));
    await push(chA, "announce", { text: "news" });
    expectEqual(await gotB, { text: "news", seen_by: "bob" }, "b");
  });

  await check("server push to one client", async () => {
    const got = until("push", (done) => chA.on("private", done));
    await push(chA, "push_me", {});
    expectEqual(await got, { only: "alice" }, "push");
  });

  await check("presence state and diffs through the JS Presence class", async () => {
    const ca = a.channel("room:presence", {});
    const cb = b.channel("room:presence", {});
    const pa = new Presence(ca);
    const names = () => pa.list((id) => id).sort().join(",");
    const both = until("alice and bob present", (done) => pa.onSync(() => names() === "alice,bob" && done()));
    await join(ca);
    await join(cb);
    await both;
    const metas = pa.list((id, { metas }) => metas[0]);
    if (!metas.every((m) => m.online_at === "now" && typeof m.phx_ref === "string")) {
      throw new Error("unexpected metas " + JSON.stringify(metas));
    }
    const bobLeft = until("bob left", (done) => pa.onSync(() => names() === "alice" && done()));
    cb.leave();
    await bobLeft;
  });

  await check("coalesced presence diffs: many joins, leaves and re-joins in one window converge", async () => {
    // The server makes each batch within one diff window: 300 joins; then 40 presences that
    // join and leave with a presence_state for alice taken between, 100 leaves, 60 of them
    // joining again under a new ref, and 50 updates. A second client joins between the
    // batches, its presence_state taken while a window may be open.
    const ca = a.channel("room:crowd", {});
    const pa = new Presence(ca);
    const snapshot = (p) =>
      JSON.stringify(
        p
          .list((key, { metas }) => [key, metas.map((m) => m.phx_ref).sort()])
          .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)),
      );
    const server = (state) =>
      JSON.stringify(
        Object.keys(state)
          .sort()
          .map((key) => [key, state[key].metas.map((m) => m.phx_ref).sort()]),
      );
    const converged = (p, expected, what) =>
      until(what, (done) => {
        const test = () => snapshot(p) === expected && done();
        p.onSync(test);
        test();
      });
    expectEqual((await join(ca)).status, "ok", "join");
    const first = await push(ca, "crowd", { join: 300 });
    await converged(pa, server(first.resp), "alice sees the 300 joins");
    const cb = b.channel("room:crowd", {});
    const pb = new Presence(cb);
    expectEqual((await join(cb)).status, "ok", "join b");
    await until("bob present", (done) => {
      const test = () => pa.list((key) => key).includes("bob") && done();
      pa.onSync(test);
      test();
    });
    const second = await push(ca, "crowd", { flicker: 40, leave: 100, rejoin: 60, update: 50 });
    const expected = server(second.resp);
    await converged(pa, expected, "alice converges after leaves and re-joins");
    await converged(pb, expected, "bob converges after leaves and re-joins");
    ca.leave();
    cb.leave();
    return { presences: Object.keys(second.resp).length };
  });

  await check("join refused with reason", async () => {
    const r = await join(a.channel("room:forbidden", {}));
    expectEqual(r, { status: "error", resp: { reason: "unauthorized" } }, "join");
  });

  await check("unmatched topic is refused", async () => {
    const r = await join(a.channel("nowhere:1", {}));
    expectEqual(r, { status: "error", resp: { reason: "unmatched topic" } }, "join");
  });

  await check("crashed channel errors and rejoins, others live on", async () => {
    const other = a.channel("room:other", {});
    expectEqual((await join(other)).status, "ok", "other join");
    const crash = a.channel("room:crashy", {});
    let joins = 0;
    const rejoined = until("rejoin", (done) => {
      crash.join().receive("ok", () => {
        joins += 1;
        if (joins === 2) done();
      });
    });
    await until("first join", (done) => {
      const t = setInterval(() => {
        if (joins >= 1) {
          clearInterval(t);
          done();
        }
      }, 5);
    });
    const errored = until("phx_error", (done) => crash.onError(() => done()));
    crash.push("crash", {});
    await errored;
    await rejoined;
    expectEqual(await push(other, "ping", { n: 2 }), { status: "ok", resp: { pong: 2 } }, "other channel");
  });

  await check("leave closes the channel", async () => {
    const ch = a.channel("room:leaving", {});
    await join(ch);
    const closed = until("close", (done) => ch.onClose(() => done()));
    await until("leave ok", (done) => ch.leave().receive("ok", () => done()));
    await closed;
  });

  if (!longpoll) await check("binary payload round trip", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250]).buffer;
    const r = await push(chA, "echo_binary", bytes);
    expectEqual(r.status, "ok", "status");
    expectEqual(Array.from(new Uint8Array(r.resp)), [250, 3, 2, 1], "reversed bytes");
  });

  await check("refused connect never opens", async () => {
    const bad = connect({ token: "mallory" }, { reconnectAfterMs: () => 60000 });
    let opened = false;
    bad.onOpen(() => (opened = true));
    const errored = until("error", (done) => bad.onError(() => done()));
    bad.connect();
    await errored;
    bad.disconnect();
    if (opened) throw new Error("a refused socket opened");
  });

  if (!longpoll) await check("heartbeats keep the socket open", async () => {
    // The server closes this socket after 300 ms of silence; heartbeats every 50 ms keep it
    // open across several of those windows.
    const hb = connect({ token: "carol" }, { heartbeatIntervalMs: 50 }, shortUrl);
    let closed = false;
    hb.onClose(() => (closed = true));
    const opened = until("open", (done) => hb.onOpen(() => done()));
    hb.connect();
    await opened;
    await new Promise((r) => setTimeout(r, 1000));
    hb.disconnect();
    if (closed) throw new Error("socket closed while heartbeating");
  });

  if (!longpoll) await check("a silent socket is closed by the server", async () => {
    const quiet = connect({ token: "dave" }, { heartbeatIntervalMs: 600000, reconnectAfterMs: () => 600000 }, shortUrl);
    const closed = until("close", (done) => quiet.onClose(() => done()));
    quiet.connect();
    await closed;
    quiet.disconnect();
  });

  a.disconnect();
  b.disconnect();
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log(JSON.stringify({ check: "script", ok: false, detail: String(e) }));
  process.exit(1);
});
