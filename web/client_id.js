// A fresh client id: the idempotency key a command carries (DESIGN I6), so a retried post or room
// creation is the same one on the server. getRandomValues works on plain-http origins too, where
// crypto.randomUUID does not exist.
export function newClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `c-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
