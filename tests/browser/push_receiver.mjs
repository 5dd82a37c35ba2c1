// A stand-in push service for the Web Push tests: an HTTPS server on 127.0.0.1 (a certificate made
// for the test with the openssl tool; `hearth serve` is told to trust it through
// HEARTH_PUSH_CA_FILE, as push endpoints are https only) that records every request. Paths under
// /gone/ answer 410 Gone, as a push service does for an expired subscription; the rest 201.
//
// Independent of the server's code: payloads are decrypted with the npm package http_ece
// (RFC 8188/8291), and VAPID tokens are checked with Node's own crypto.
import { createServer } from "node:https";
import { createECDH, createPublicKey, randomBytes, verify } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ece from "http_ece";

export function makeCertificate(dir) {
  const key = join(dir, "push-key.pem");
  const cert = join(dir, "push-cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
  { stdio: "ignore" });
  return { key, cert };
}

export async function startReceiver({ key, cert }) {
  const received = [];
  const waiters = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const entry = { method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(entry);
      for (const w of waiters.splice(0)) w();
      res.writeHead(req.url.startsWith("/gone/") ? 410 : 201).end();
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `https://127.0.0.1:${server.address().port}`;
  return {
    origin,
    received,
    // Resolves with the first request matching `pred`, or rejects after `ms`.
    async next(pred, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no push request arrived in ${ms} ms (got ${received.length})`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

// What a browser makes when it subscribes: a P-256 key pair and a 16-byte auth secret.
export function newBrowserKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") };
}

export function decryptPayload(body, keys) {
  return ece.decrypt(body, { version: "aes128gcm", privateKey: keys.ecdh, authSecret: keys.auth }).toString("utf8");
}

// Checks `Authorization: vapid t=<jwt>, k=<key>` as a push service would: the ES256 signature with
// the announced key, the audience, the expiry (at most 24 h ahead) and a contact subject. Returns
// the claims; throws on any failure.
export function verifyVapid(header, { audience, publicKey }) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`not a VAPID Authorization header: ${header}`);
  const [, jwt, k] = m;
  if (k !== publicKey) throw new Error(`k=${k} is not the server's public key ${publicKey}`);
  const [h, c, s] = jwt.split(".");
  const head = JSON.parse(Buffer.from(h, "base64url").toString());
  if (head.alg !== "ES256" || head.typ !== "JWT") throw new Error(`JWT header ${JSON.stringify(head)}`);
  const point = Buffer.from(k, "base64url");
  if (point.length !== 65 || point[0] !== 4) throw new Error("k is not an uncompressed P-256 point");
  const key = createPublicKey({ format: "jwk", key: { kty: "EC", crv: "P-256",
    x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") } });
  const ok = verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  if (!ok) throw new Error("the VAPID signature does not verify");
  const claims = JSON.parse(Buffer.from(c, "base64url").toString());
  const now = Date.now() / 1000;
  if (claims.aud !== audience) throw new Error(`aud ${claims.aud}, expected ${audience}`);
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`exp ${claims.exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
  return claims;
}
