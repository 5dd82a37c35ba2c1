// The screens before a session: first run (Campfire 2.1), sign in (2.3) and join-link signup
// (2.2). Each calls `done()` once the server has set the session cookie.
import * as api from "../api.js";
import { h, clear } from "../dom.js";

function field(label, name, type, extra = {}) {
  return h("label", { class: "field" },
    h("span", { text: label }),
    h("input", { name, type, required: true, autocomplete: extra.autocomplete ?? "off", ...extra }));
}

// A card with a form; `submit(values)` answers an api result; errors show under the fields.
function authCard(root, { title, lead, fields, button, submit, footer }) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const submitButton = h("button", { type: "submit", class: "primary", text: button });
  const form = h("form", { class: "auth-form", novalidate: false }, ...fields, error, submitButton);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    submitButton.disabled = true;
    error.hidden = true;
    try {
      const message = await submit(values);
      if (message) {
        error.textContent = message;
        error.hidden = false;
      }
    } finally {
      submitButton.disabled = false;
    }
  });
  clear(root).append(h("main", { class: "auth" },
    h("div", { class: "auth-card" },
      h("div", { class: "brand", "aria-hidden": "true" }, h("span", { class: "brand-mark" }), "Hearth"),
      h("h1", { text: title }),
      lead ? h("p", { class: "lead", text: lead }) : null,
      form,
      footer ?? null)));
  form.querySelector("input")?.focus();
}

// Campfire's sign-in and join pages name the account and offer the first administrator's email
// as the help contact (CAMPFIRE.md 2.17). Added when it arrives; the form works without it.
async function addHelpContact(root) {
  const res = await api.publicAccount();
  const card = root.querySelector(".auth-card");
  if (!res.ok || !card) return;
  document.title = res.body.name;
  if (!res.body.help_email || card.querySelector(".auth-help")) return;
  card.append(h("p", { class: "auth-help" }, "Need help? Ask ",
    h("a", { href: `mailto:${res.body.help_email}`, text: res.body.help_email }), "."));
}

// First run and join ask the same: a name people will see, and how to sign in later.
const newAccountFields = () => [field("Your name", "name", "text", { autocomplete: "name" }),
  field("Email address", "email", "email", { autocomplete: "email" }),
  field("Password", "password", "password", { minlength: 8, autocomplete: "new-password" })];

export function showFirstRun(root, done) {
  authCard(root, {
    title: "Set up Hearth",
    lead: "You are the first person here: this makes you the administrator, and opens the “All Talk” room.",
    fields: newAccountFields(),
    button: "Set up and sign in",
    async submit(values) {
      const res = await api.firstRun(values);
      if (res.ok) return done(res.body);
      if (res.code === "conflict") return "Hearth is already set up: sign in instead.";
      return res.message;
    },
  });
}

export function showSignIn(root, done, { email = "", notice = "" } = {}) {
  authCard(root, {
    title: "Sign in",
    lead: notice,
    fields: [field("Email address", "email", "email", { autocomplete: "username", value: email }),
      field("Password", "password", "password", { autocomplete: "current-password" })],
    button: "Sign in",
    async submit(values) {
      const res = await api.signIn(values);
      if (res.ok) return done(res.body);
      return res.message;
    },
  });
  addHelpContact(root);
}

export function showJoin(root, code, done, { signInInstead }) {
  authCard(root, {
    title: "Join the chat",
    lead: "Pick a name people will see, and the email and password you will sign in with.",
    fields: newAccountFields(),
    button: "Join",
    async submit(values) {
      const res = await api.join(code, values);
      if (res.ok) return done(res.body);
      if (res.code === "not_found") return "This invitation link is not valid any more. Ask for a new one.";
      if (res.code === "conflict") return signInInstead(values.email);
      return res.message;
    },
    footer: h("p", { class: "auth-footer" }, "Already have an account? ",
      h("a", { href: "/session/new", "data-route": "", text: "Sign in" })),
  });
  addHelpContact(root);
}
