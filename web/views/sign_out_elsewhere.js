// "Sign out everywhere else" on /profile: ends every other session of mine (a lost phone, a
// shared computer) after a confirmation; their open pages drop to sign-in at once. This browser
// stays signed in.
import * as api from "../api.js";
import { h } from "../dom.js";

export function signOutElsewhereSection() {
  const status = h("p", { class: "form-status sign-out-elsewhere-status", role: "status" });
  const button = h("button", {
    type: "button", class: "sign-out-elsewhere", text: "Sign out everywhere else",
    onclick: async () => {
      if (!window.confirm("Sign out of every other browser and device? This one stays signed in.")) return;
      button.disabled = true;
      status.classList.remove("error");
      status.textContent = "Signing out…";
      const res = await api.signOutElsewhere();
      button.disabled = false;
      if (!res.ok) {
        status.classList.add("error");
        status.textContent = res.message ?? "Not signed out";
        return;
      }
      status.textContent = "Signed out everywhere else";
    },
  });
  return h("section", { class: "other-sessions" },
    h("h2", { text: "Other devices" }),
    h("p", { text: "Changing your password also signs out every other browser and device." }),
    button, status);
}
