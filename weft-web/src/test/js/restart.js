// The phoenix client reconnects and rejoins after the server restarts.
// Usage: node restart.js ws://127.0.0.1:PORT/socket [longpoll]
// Prints JOINED once joined, then waits for a line on stdin (the server has restarted), then
// expects a rejoin and a working push. Bounded: exits within 20 s whatever happens.
const { Socket, LongPoll } = require("phoenix");
const WebSocket = require("ws").WebSocket;

const longpoll = process.argv[3] === "longpoll";
const socket = new Socket(process.argv[2], {
  transport: longpoll ? LongPoll : WebSocket,
  params: { token: "alice" },
  reconnectAfterMs: () => 50,
  rejoinAfterMs: () => 50,
  logger: () => {},
});
setTimeout(() => {
  console.log("0 passed, 1 failed (timed out)");
  process.exit(1);
}, 20000);

let joins = 0;
let restarted = false;
const channel = socket.channel("room:restart", {});
socket.connect();
channel.join().receive("ok", () => {
  joins += 1;
  if (joins === 1) {
    console.log("JOINED");
  } else if (restarted) {
    channel.push("ping", { n: 42 }).receive("ok", (resp) => {
      const ok = resp.pong === 42;
      console.log(ok ? "1 passed, 0 failed" : "0 passed, 1 failed (bad reply)");
      socket.disconnect();
      process.exit(ok ? 0 : 1);
    });
  }
});
process.stdin.on("data", () => {
  restarted = true;
});
