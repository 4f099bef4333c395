// The chat's contract, driven with the official phoenix client. Usage: node chat.js http://127.0.0.1:PORT [longpoll]
// Prints one JSON line per check and "N passed, M failed". Every wait is bounded.
const { Socket, Presence, LongPoll } = require("phoenix");
const WebSocket = require("ws").WebSocket;

const base = process.argv[2];
const longpoll = process.argv[3] === "longpoll";
const wsBase = base.replace("http://", "ws://") + "/socket";
const WAIT = 5000;
const results = [];

function report(check, ok, detail) {
  results.push({ check, ok });
  console.log(JSON.stringify({ check, ok, detail: detail === undefined ? null : detail }));
}

async function check(name, fn) {
  try {
    report(name, true, await fn());
  } catch (e) {
    report(name, false, String(e && e.message ? e.message : e));
  }
}

function eq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function until(what, register) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("timed out waiting for " + what)), WAIT);
    register((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

function reply(push, what) {
  return until(what, (done) => {
    push
      .receive("ok", (r) => done({ status: "ok", r }))
      .receive("error", (r) => done({ status: "error", r }))
      .receive("timeout", () => done({ status: "timeout" }));
  });
}

async function session(name) {
  const res = await fetch(base + "/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  return { status: res.status, body: await res.json() };
}

function connect(token) {
  const s = new Socket(wsBase, {
    transport: longpoll ? LongPoll : WebSocket,
    params: { token },
    reconnectAfterMs: () => 50,
    rejoinAfterMs: () => 50,
    logger: () => {},
  });
  s.connect();
  return s;
}

async function main() {
  await check("health", async () => {
    const res = await fetch(base + "/health");
    eq(await res.json(), { status: "ok" }, "health");
  });

  let alice, bob, carol;
  await check("session gives a signed token; bad names are a 400 JSON error", async () => {
    const a = await session("alice");
    eq(a.status, 200, "status");
    eq(a.body.user, "alice", "user");
    if (typeof a.body.token !== "string" || a.body.token.length < 20) throw new Error("no token");
    alice = a.body.token;
    bob = (await session("bob")).body.token;
    carol = (await session("carol")).body.token;
    const bad = await session("not a name!");
    eq(bad.status, 400, "bad name status");
    if (!bad.body.error || !bad.body.error.message) throw new Error("no JSON error: " + JSON.stringify(bad.body));
  });

  await check("a forged token is refused", async () => {
    const s = new Socket(wsBase, { transport: longpoll ? LongPoll : WebSocket, params: { token: alice + "x" }, logger: () => {}, reconnectAfterMs: () => 60000 });
    let opened = false;
    s.onOpen(() => (opened = true));
    const errored = until("refusal", (done) => s.onError(() => done()));
    s.connect();
    await errored;
    s.disconnect();
    if (opened) throw new Error("opened with a forged token");
  });

  const sa = connect(alice);
  const sb = connect(bob);
  const ra = sa.channel("room:lobby", {});
  const rb = sb.channel("room:lobby", {});
  const ub = sb.channel("user:bob", {});
  const presence = new Presence(ra);

  await check("joining a room replies with its history", async () => {
    const j = await reply(ra.join(), "join");
    eq(j, { status: "ok", r: { messages: [] } }, "join");
    eq((await reply(rb.join(), "join b")).status, "ok", "bob joins");
    eq((await reply(ub.join(), "join user:bob")).r, { unread: [] }, "user channel");
  });

  await check("presence lists the people in the room", async () => {
    await until("alice and bob present", (done) => {
      const names = () => presence.list((id) => id).sort().join(",");
      if (names() === "alice,bob") done();
      presence.onSync(() => names() === "alice,bob" && done());
    });
  });

  let firstId;
  await check("new_msg is stored, replied with its id and broadcast to the room", async () => {
    const atA = until("new_msg at alice", (done) => ra.on("new_msg", done));
    const atB = until("new_msg at bob", (done) => rb.on("new_msg", done));
    const mention = until("mention at bob", (done) => ub.on("mention", done));
    const r = await reply(ra.push("new_msg", { body: "  hello @bob  " }), "new_msg");
    eq(r.status, "ok", "status");
    firstId = r.r.id;
    const m = await atB;
    eq([m.id, m.user, m.body], [firstId, "alice", "hello @bob"], "broadcast");
    if (!/^\d{4}-\d\d-\d\dT.*Z$/.test(m.at)) throw new Error("at is not ISO-8601 UTC: " + m.at);
    eq((await atA).id, firstId, "sender sees it too");
    eq(await mention, { room: "lobby", from: "alice", id: firstId, body: "hello @bob" }, "mention");
  });

  await check("empty or too long messages are refused and not broadcast", async () => {
    let leaked = false;
    rb.on("new_msg", (m) => {
      if (m.body === "" || m.body.length > 2000) leaked = true;
    });
    eq((await reply(ra.push("new_msg", { body: "   " }), "empty")).status, "error", "empty");
    const long = await reply(ra.push("new_msg", { body: "x".repeat(2001) }), "too long");
    eq(long.status, "error", "too long");
    if (!long.r.reason) throw new Error("no reason");
    if (leaked) throw new Error("a refused message was broadcast");
  });

  await check("typing reaches the others only", async () => {
    let self = false;
    ra.on("typing", () => (self = true));
    const atB = until("typing at bob", (done) => rb.on("typing", done));
    await reply(ra.push("typing", {}), "typing");
    eq(await atB, { user: "alice" }, "typing");
    await reply(ra.push("typing", {}), "typing again");
    if (self) throw new Error("the typist saw their own typing");
  });

  await check("a user channel is only for its user", async () => {
    const r = await reply(sa.channel("user:bob", {}).join(), "join other user");
    eq(r, { status: "error", r: { reason: "unauthorized" } }, "refused");
  });

  await check("an invalid room is refused with a reason", async () => {
    const r = await reply(sa.channel("room:no spaces", {}).join(), "bad room");
    eq(r.status, "error", "status");
    if (!r.r.reason) throw new Error("no reason");
  });

  await check("a mention of an offline user waits for them", async () => {
    await reply(ra.push("new_msg", { body: "see you @carol" }), "mention carol");
    const sc = connect(carol);
    const uc = sc.channel("user:carol", {});
    const live = until("mention at carol", (done) => uc.on("mention", done));
    const j = await reply(uc.join(), "join user:carol");
    const got = j.r.unread.length > 0 ? j.r.unread[0] : await live;
    eq([got.room, got.from, got.body], ["lobby", "alice", "see you @carol"], "mention");
    sc.disconnect();
  });

  await check("history pages over HTTP", async () => {
    const last = await (await fetch(base + "/api/rooms/lobby/messages?limit=1")).json();
    eq(last.messages.length, 1, "limit");
    eq(last.messages[0].body, "see you @carol", "latest");
    const before = await (await fetch(base + `/api/rooms/lobby/messages?before=${last.messages[0].id}`)).json();
    eq(before.messages.map((m) => m.id), [firstId], "before");
    eq((await fetch(base + "/api/rooms/lobby/messages?limit=0")).status, 400, "limit 0");
    eq((await fetch(base + "/api/rooms/bad%20name/messages")).status, 400, "bad room");
  });

  await check("a joiner gets the last messages, oldest first", async () => {
    const sc = connect(carol);
    const j = await reply(sc.channel("room:lobby", {}).join(), "join");
    eq(j.r.messages.map((m) => m.body), ["hello @bob", "see you @carol"], "history");
    sc.disconnect();
  });

  sa.disconnect();
  sb.disconnect();
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

setTimeout(() => {
  console.log("script timed out");
  process.exit(1);
}, 60000);
main().catch((e) => {
  console.log(JSON.stringify({ check: "script", ok: false, detail: String(e) }));
  process.exit(1);
});
