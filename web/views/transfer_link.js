// "Sign in on another device" (CAMPFIRE.md 2.3): a person's session-transfer link, to copy or to
// scan. The link is fetched fresh (it lives 4 hours); the QR code is the server's SVG of the URL
// (GET /qr_code/<base64url of the URL>), hidden if the server has none.
import * as api from "../api.js";
import { h } from "../dom.js";

export function base64url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// A <section> that fills itself once the link arrives. `intro` says whose link it is.
export function transferLinkSection(userId, intro) {
  const body = h("div", { class: "transfer-body" }, h("p", { class: "muted", text: "Loading…" }));
  const section = h("section", { class: "transfer" }, h("h2", { text: "Sign in on another device" }),
    h("p", { text: intro }), body);
  api.transferLink(userId).then((res) => {
    body.replaceChildren();
    if (!res.ok) {
      body.append(h("p", { class: "error", text: res.message ?? "No link" }));
      return;
    }
    const url = `${location.origin}${res.body.path}`;
    const input = h("input", {
      class: "transfer-link", readonly: true, value: url, "aria-label": "Sign-in link",
      onfocus: (e) => e.target.select(),
    });
    const qr = h("img", { class: "transfer-qr", alt: "QR code of the sign-in link", src: `/qr_code/${base64url(url)}`, width: 160, height: 160 });
    qr.addEventListener("error", () => qr.remove());
    body.append(input,
      h("button", {
        type: "button", class: "copy-transfer", text: "Copy link",
        onclick: async (e) => {
          try {
            await navigator.clipboard.writeText(url);
            e.target.textContent = "Copied";
          } catch {
            input.select();
          }
        },
      }),
      h("p", { class: "muted", text: "The link works for 4 hours. Anyone who has it can sign in as this person." }),
      qr);
  });
  return section;
}
