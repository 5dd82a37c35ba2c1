// A Campfire-style bot, written against the webhook and bot API contracts only (docs/webhooks.md,
// docs/api.md "Bot API"): it is its own process, knows nothing of Hearth's code, and would work
// against Campfire the same way (but for the seq it uses to drop repeats).
//
//   node echo_bot.mjs            (HEARTH_URL=http://127.0.0.1:port, where the bot API is)
//
// Prints "listening <port>" once, then one JSON line per webhook it acts on: {seq, payload}.
// Its answers, by the message's text (without the @mention, as the payload gives it):
//   "file…"  → a JSON file as the answer (Hearth posts it as attachment.json)
//   "later…" → an empty answer, then a POST of "Later, <name>!" to room.path (the bot API)
//   "upload…" → an empty answer, then a multipart POST of the file `attachment` notes.txt to
//               room.path (the bot API, as `curl -F "attachment=@notes.txt"`)
//   anything else → an HTML answer "<b>echo</b>: <text>", posted as the bot's message
import http from "node:http";

const hearth = process.env.HEARTH_URL;
const seen = new Set();

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    let payload;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const seq = req.headers["x-hearth-seq"];
    // At least once: a repeat of a seq already handled is acknowledged and ignored.
    if (seen.has(seq)) {
      res.writeHead(200).end();
      return;
    }
    seen.add(seq);
    process.stdout.write(JSON.stringify({ seq, payload }) + "\n");
    const text = payload.message.body.plain;
    if (text.startsWith("file")) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ for: payload.user.name, message: payload.message.id }));
    } else if (text.startsWith("later")) {
      res.writeHead(200).end();
      const r = await fetch(`${hearth}${payload.room.path}`, { method: "POST", body: `Later, ${payload.user.name}!` });
      process.stdout.write(JSON.stringify({ posted: r.status }) + "\n");
    } else if (text.startsWith("upload")) {
      res.writeHead(200).end();
      const form = new FormData();
      form.append("attachment", new Blob([`notes for ${payload.user.name}\n`], { type: "text/plain" }), "notes.txt");
      const r = await fetch(`${hearth}${payload.room.path}`, { method: "POST", body: form });
      process.stdout.write(JSON.stringify({ uploaded: r.status }) + "\n");
    } else {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<b>echo</b>: ${escapeHtml(text)}`);
    }
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
