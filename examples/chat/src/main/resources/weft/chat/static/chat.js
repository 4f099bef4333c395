// The chat page: the official Phoenix client (global `Phoenix`) against Weft's socket.
// Sign in for a token, join user:<me> for mentions and room:<name> for a room's messages,
// presence and typing. The client reconnects and rejoins by itself after a server restart;
// each join reply carries the latest history, which is merged by message id.
(() => {
  "use strict";
  const NAME = /^[A-Za-z0-9_-]{1,32}$/;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const stored = JSON.parse(sessionStorage.getItem("weft-chat") || "null");

  let socket = null;
  let me = null;
  let room = null; // {name, channel, presence, messages: Map(id -> message)}
  let typingTimers = new Map();
  let lastTypingSent = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((c) => node.append(c)); // text, never HTML
    return node;
  }

  // A name belongs to the browser that took it: the server answers the first sign-in with the
  // name's key, kept here and sent with every later sign-in under that name.
  function keys() {
    return JSON.parse(localStorage.getItem("weft-chat-keys") || "{}");
  }

  async function signIn(name) {
    const res = await fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ name, key: keys()[name] || null }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error((body.error && body.error.message) || "cannot sign in");
    const all = keys();
    all[name] = body.key;
    localStorage.setItem("weft-chat-keys", JSON.stringify(all));
    body.signedAt = Date.now();
    sessionStorage.setItem("weft-chat", JSON.stringify(body));
    return body;
  }

  function connect(session) {
    me = session.user;
    $("me").textContent = me;
    $("login").hidden = true;
    $("chat").hidden = false;
    const options = { params: { token: session.token } };
    if (params.get("transport") === "longpoll") options.transport = Phoenix.LongPoll;
    socket = new Phoenix.Socket("/socket", options);
    socket.onOpen(() => setStatus(true));
    socket.onClose(() => setStatus(false));
    socket.onError(() => setStatus(false));
    socket.connect();

    const inbox = socket.channel("user:" + me, {});
    inbox.on("mention", addMention);
    inbox.join().receive("ok", (reply) => (reply.unread || []).forEach(addMention));

    joinRoom(params.get("room") || "lobby");
  }

  function setStatus(online) {
    $("status").textContent = online ? "online" : "offline";
    $("status").className = "status " + (online ? "online" : "offline");
  }

  function addMention(m) {
    if (document.querySelector(`#mentions li[data-id="${m.id}"]`)) return;
    const item = el("li", { "data-id": m.id }, `${m.from} in ${m.room}: ${m.body}`);
    item.addEventListener("click", () => joinRoom(m.room));
    $("mentions").prepend(item);
  }

  function joinRoom(name) {
    if (!NAME.test(name)) {
      $("send-error").textContent = "a room name is 1-32 letters, digits, _ or -";
      return;
    }
    if (room && room.name === name) return;
    if (room) room.channel.leave();
    const channel = socket.channel("room:" + name, {});
    const presence = new Phoenix.Presence(channel);
    room = { name, channel, presence, messages: new Map() };
    const current = room;
    $("room-title").textContent = "#" + name;
    $("messages").replaceChildren();
    $("typing").textContent = "";
    $("send-error").textContent = "";
    rememberRoom(name);

    presence.onSync(() => renderPresence(presence));
    channel.on("new_msg", (m) => current === room && addMessages([m]));
    channel.on("typing", ({ user }) => current === room && showTyping(user));
    channel
      .join()
      .receive("ok", (reply) => {
        addMessages(reply.messages || []);
        $("older").hidden = (reply.messages || []).length < 50;
      })
      .receive("error", (reply) => ($("send-error").textContent = reply.reason || "cannot join"));
  }

  function rememberRoom(name) {
    const rooms = JSON.parse(localStorage.getItem("weft-chat-rooms") || '["lobby"]');
    if (!rooms.includes(name)) rooms.push(name);
    localStorage.setItem("weft-chat-rooms", JSON.stringify(rooms));
    $("rooms").replaceChildren(
      ...rooms.map((r) => {
        const item = el("li", { class: r === name ? "current" : "" }, "#" + r);
        item.addEventListener("click", () => joinRoom(r));
        return item;
      })
    );
  }

  function addMessages(list) {
    list.forEach((m) => room.messages.set(m.id, m));
    const sorted = [...room.messages.values()].sort((a, b) => a.id - b.id);
    const box = $("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.replaceChildren(...sorted.map(renderMessage));
    if (atBottom || list.length > 1) box.scrollTop = box.scrollHeight;
  }

  function renderMessage(m) {
    const at = new Date(m.at);
    const mentionsMe = new RegExp("(^|\\W)@" + me + "\\b").test(m.body);
    return el(
      "li",
      { "data-id": m.id, class: mentionsMe ? "mention" : "" },
      el("time", { datetime: m.at }, at.toLocaleTimeString()),
      el("span", { class: "user" }, m.user),
      el("span", { class: "body" }, m.body)
    );
  }

  function renderPresence(presence) {
    const names = presence.list((user) => user).sort();
    $("presence").replaceChildren(...names.map((n) => el("li", { "data-user": n }, n)));
  }

  function showTyping(user) {
    clearTimeout(typingTimers.get(user));
    typingTimers.set(user, setTimeout(() => { typingTimers.delete(user); renderTyping(); }, 3000));
    renderTyping();
  }

  function renderTyping() {
    const users = [...typingTimers.keys()];
    $("typing").textContent = users.length === 0 ? ""
      : users.join(", ") + (users.length === 1 ? " is typing…" : " are typing…");
  }

  async function loadOlder() {
    const oldest = Math.min(...room.messages.keys());
    const name = room.name;
    const res = await fetch(`/api/rooms/${name}/messages?before=${oldest}&limit=50`);
    const body = await res.json();
    if (room.name !== name) return;
    const box = $("messages");
    const fromBottom = box.scrollHeight - box.scrollTop;
    addMessages(body.messages);
    box.scrollTop = box.scrollHeight - fromBottom;
    $("older").hidden = body.messages.length < 50;
  }

  $("name-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = $("name-input").value.trim();
    $("login-error").textContent = "";
    try {
      connect(await signIn(name));
    } catch (err) {
      $("login-error").textContent = err.message;
    }
  });

  $("room-form").addEventListener("submit", (e) => {
    e.preventDefault();
    joinRoom($("room-input").value.trim());
  });

  $("message-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("message-input");
    const body = input.value;
    if (!room || body === "") return; // blank or too long: the server's reply says why
    room.channel
      .push("new_msg", { body })
      .receive("ok", () => { input.value = ""; $("send-error").textContent = ""; })
      .receive("error", (r) => ($("send-error").textContent = r.reason))
      .receive("timeout", () => ($("send-error").textContent = "not sent: the server did not answer"));
  });

  $("message-input").addEventListener("input", () => {
    const now = Date.now();
    if (room && now - lastTypingSent > 2000) {
      lastTypingSent = now;
      room.channel.push("typing", {});
    }
  });

  $("older").addEventListener("click", loadOlder);

  // Tokens live 7 days: a tab kept longer signs in again under the same name.
  const SIX_DAYS = 6 * 24 * 3600 * 1000;
  if (stored && stored.token && Date.now() - (stored.signedAt || 0) < SIX_DAYS) {
    connect(stored);
  } else if (stored && stored.user) {
    signIn(stored.user).then(connect, (err) => ($("login-error").textContent = err.message));
  }
})();
