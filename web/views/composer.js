// The composer: a small rich-text editor (contenteditable) that sends HTML as body_html. Toolbar:
// bold, italic, strike, link, bulleted and numbered lists, quote, code block; Ctrl/Cmd+B and +I.
// Enter sends, Shift+Enter is a new line, Esc clears. Pasting inserts plain text (no foreign
// styles). Disabled while offline (Campfire 4.3), and says why. Typing notices: at most one
// `active` per second while there is text, one `inactive` when it is emptied or sent (Campfire 2.10).
// ↑ in an empty composer edits your last message (2.11, onEditLast). A reply (2.11) is inserted by
// insertQuote(); @mentions by views/mention_picker.js through mentionQuery() and insertMention().
//
// onSend(html, text): `html` is the body as the allow-list keeps it (views/message_body.js), the
// server sanitizes it again; `text` is its visible text, for the pending bubble.
// setContent(html) fills the editor with a body (through the allow-list), e.g. to edit a message.
// insertMention({id, name}) puts the mention markup (docs/api.md) at the caret, replacing an
// "@query" typed just before it, so @-autocomplete can call it with the chosen member.
// Link previews (2.11): a URL pasted or typed is unfurled by the server once typing pauses; its card
// shows under the editor with a button to dismiss it, and the preview is appended to the message if
// the URL is still there when it is sent (../link_preview.js).
import { h } from "../dom.js";
import { unfurlLink } from "../api.js";
import { kUnfurlDelayMs, lastUrlIn, linkPreviewHtml } from "../link_preview.js";
import { copyAllowed, previewCard, safeFragment } from "./message_body.js";

const kTools = [
  { name: "Bold", label: "B", command: "bold", key: "b" },
  { name: "Italic", label: "I", command: "italic", key: "i" },
  { name: "Strikethrough", label: "S", command: "strikeThrough" },
  { name: "Link", label: "🔗", action: "link" },
  { name: "Bulleted list", label: "•", command: "insertUnorderedList" },
  { name: "Numbered list", label: "1.", command: "insertOrderedList" },
  { name: "Quote", label: "❝", block: "blockquote" },
  { name: "Code block", label: "</>", block: "pre" },
];

// What the browser's editing commands write, in the allow-list's words.
const kRenamed = { strike: "del", s: "del" };

// Pasting into an editor inserts plain text: no foreign styles or markup.
export function pastePlainText(e) {
  e.preventDefault();
  document.execCommand("insertText", false, e.clipboardData?.getData("text/plain") ?? "");
}

// An editing element's content as body HTML: the allow-list applied (contenteditable="false" and
// styles go), the browser's <strike> written as <del>, trailing empty lines dropped. The composer
// and the in-place message editor (views/message_editor.js) both send this.
export function bodyHtmlOf(input) {
  const doc = document.implementation.createHTMLDocument("");
  const renamed = doc.createElement("div");
  renamed.append(doc.importNode(input, true));
  for (const [from, to] of Object.entries(kRenamed)) {
    for (const el of renamed.querySelectorAll(from)) {
      const replacement = doc.createElement(to);
      replacement.append(...el.childNodes);
      el.replaceWith(replacement);
    }
  }
  const out = doc.createElement("div");
  copyAllowed(renamed.firstChild, out, doc);
  // (An attachment has no text of its own: a link preview at the end of an edited body stays.)
  while (out.lastChild && (out.lastChild.nodeName === "BR" ||
    (out.lastChild.nodeType === Node.ELEMENT_NODE && out.lastChild.textContent.trim() === "" &&
      !out.lastChild.querySelector("hr, action-text-attachment") && out.lastChild.localName !== "action-text-attachment"))) {
    out.lastChild.remove();
  }
  return out.innerHTML; // serializing our own checked nodes
}

export class Composer {
  constructor({ onSend, onTyping, onEditLast }) {
    this.onSend = onSend;
    this.onTyping = onTyping;
    this.onEditLast = onEditLast;
    this.lastTyping = 0;
    this.typingActive = false;
    this.savedRange = null;
    this.input = h("div", {
      class: "composer-input", contenteditable: "true", role: "textbox", "aria-multiline": "true",
      "aria-label": "Message", "data-placeholder": "Say something…", enterkeyhint: "send", spellcheck: "true",
    });
    this.toolbar = h("div", { class: "composer-toolbar", role: "toolbar", "aria-label": "Formatting" },
      kTools.map((t) => h("button", {
        type: "button", class: `tool tool-${t.action ?? t.block ?? t.command}`, "aria-label": t.name, title: t.name,
        text: t.label, onmousedown: (e) => e.preventDefault(), // keep the selection in the editor
        onclick: () => this.apply(t),
      })));
    this.linkInput = h("input", { type: "url", class: "composer-link-url", placeholder: "https://…", "aria-label": "Link address" });
    this.linkForm = h("form", { class: "composer-link", hidden: true }, this.linkInput,
      h("button", { type: "submit", text: "Link" }));
    this.linkForm.addEventListener("submit", (e) => { e.preventDefault(); this.finishLink(); });
    this.linkInput.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); this.linkForm.hidden = true; this.restoreSelection(); }
    });
    this.button = h("button", { type: "submit", class: "send", "aria-label": "Send" }, h("span", { text: "Send" }));
    // The link preview on offer: {url, title, description, image} once the server answered.
    this.preview = null;
    this.unfurling = null; // the URL asked for, until its answer
    this.dismissed = new Set(); // URLs whose preview the person removed, until the message is sent
    this.unfurlTimer = null;
    this.previewBox = h("div", { class: "composer-preview", hidden: true });
    this.form = h("form", { class: "composer" },
      h("div", { class: "composer-box" }, this.toolbar, this.linkForm, this.input, this.previewBox), this.button);
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    this.input.classList.add("empty");
    this.input.addEventListener("keydown", (e) => this.keydown(e));
    this.input.addEventListener("input", () => { this.typing(); this.schedulePreview(); });
    this.input.addEventListener("paste", (e) => this.paste(e));
    this.input.addEventListener("blur", () => this.saveSelection());
    this.el = this.form;
  }

  keydown(e) {
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === "ArrowUp" && this.isEmpty() && !e.isComposing && this.onEditLast?.()) {
      e.preventDefault();
    } else if (e.key === "Enter" && !e.shiftKey && !mod && !e.isComposing) {
      e.preventDefault();
      this.send();
    } else if (e.key === "Enter" && e.shiftKey && !e.isComposing) {
      e.preventDefault();
      document.execCommand("insertLineBreak");
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.clear();
    } else if (mod && !e.altKey && !e.shiftKey) {
      const tool = kTools.find((t) => t.key && t.key === e.key.toLowerCase());
      if (tool) {
        e.preventDefault();
        this.apply(tool);
      }
    }
  }

  apply(tool) {
    if (this.disabled) return;
    this.input.focus();
    if (tool.action === "link") return this.startLink();
    if (tool.block) {
      // The same button toggles the block back to a plain line.
      const current = document.queryCommandValue("formatBlock").toLowerCase();
      document.execCommand("formatBlock", false, current === tool.block ? "div" : tool.block);
    } else {
      document.execCommand(tool.command);
    }
    this.typing();
  }

  startLink() {
    this.saveSelection();
    this.linkInput.value = "";
    this.linkForm.hidden = false;
    this.linkInput.focus();
  }

  finishLink() {
    const url = this.linkInput.value.trim();
    this.linkForm.hidden = true;
    this.restoreSelection();
    if (!/^(https?:|mailto:)/i.test(url)) return; // only what the server keeps
    const selection = window.getSelection();
    if (selection.isCollapsed) document.execCommand("insertText", false, url);
    else document.execCommand("createLink", false, url);
    this.typing();
  }

  paste(e) {
    pastePlainText(e);
    this.schedulePreview();
  }

  schedulePreview() {
    clearTimeout(this.unfurlTimer);
    // Deleting the URL takes its preview away at once; a new URL waits for typing to pause.
    if (this.preview && !this.text().includes(this.preview.url)) this.showPreview(null);
    this.unfurlTimer = setTimeout(() => this.updatePreview(), kUnfurlDelayMs);
  }

  async updatePreview() {
    const url = lastUrlIn(this.text());
    if (!url || this.dismissed.has(url)) return this.showPreview(null);
    if (this.preview?.url === url || this.unfurling === url) return;
    this.unfurling = url;
    const res = await unfurlLink(url);
    if (this.unfurling !== url) return; // another URL was asked for meanwhile
    this.unfurling = null;
    const found = res.status === 200 && res.body && (res.body.title || res.body.description);
    // Only if the URL is still in the editor and was not dismissed while the server worked.
    if (found && this.text().includes(url) && !this.dismissed.has(url)) {
      this.showPreview({ url, title: res.body.title ?? "", description: res.body.description ?? "", image: res.body.image ?? "" });
    } else if (this.preview && !this.text().includes(this.preview.url)) {
      this.showPreview(null);
    }
  }

  showPreview(preview) {
    this.preview = preview;
    const card = preview && previewCard({
      href: preview.url, title: preview.title, description: preview.description, image: preview.image,
    });
    if (!card) {
      this.preview = null;
      this.previewBox.hidden = true;
      this.previewBox.replaceChildren();
      return;
    }
    const dismiss = h("button", {
      type: "button", class: "composer-preview-dismiss", "aria-label": "Remove preview", title: "Remove preview", text: "×",
      onmousedown: (e) => e.preventDefault(), // keep the caret in the editor
      onclick: () => { this.dismissed.add(preview.url); this.showPreview(null); },
    });
    this.previewBox.replaceChildren(card, dismiss);
    this.previewBox.hidden = false;
  }

  saveSelection() {
    const s = window.getSelection();
    if (s.rangeCount && this.input.contains(s.getRangeAt(0).commonAncestorContainer)) this.savedRange = s.getRangeAt(0).cloneRange();
  }

  restoreSelection() {
    this.input.focus();
    if (!this.savedRange) return;
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(this.savedRange);
  }

  // The `@query` typed just before the caret, or null.
  mentionQuery() {
    const s = window.getSelection();
    if (!s.rangeCount || !s.isCollapsed) return null;
    const range = s.getRangeAt(0);
    const node = range.startContainer;
    if (node.nodeType !== Node.TEXT_NODE || !this.input.contains(node)) return null;
    const m = /(?:^|\s)@([^\s@]{0,30})$/u.exec(node.data.slice(0, range.startOffset));
    return m ? { query: m[1] } : null;
  }

  // A reply: a quote of the message's text, then who wrote it with a link to it (a <cite>).
  insertQuote({ text, author, href }) {
    if (this.disabled) return;
    const quote = h("blockquote", {}, text.split("\n").flatMap((line, i) => (i ? [h("br"), line] : [line])));
    const cite = h("cite", {}, `— ${author} `, h("a", { href, text: href }));
    this.input.append(quote, h("div", {}, cite), h("div", {}, h("br")));
    const end = document.createRange();
    end.selectNodeContents(this.input.lastChild);
    end.collapse(true);
    this.input.focus();
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(end);
    this.typing();
  }

  insertMention({ id, name }) {
    if (this.disabled) return;
    if (document.activeElement !== this.input) this.restoreSelection();
    const s = window.getSelection();
    if (!s.rangeCount || !this.input.contains(s.getRangeAt(0).commonAncestorContainer)) {
      const end = document.createRange();
      end.selectNodeContents(this.input);
      end.collapse(false);
      s.removeAllRanges();
      s.addRange(end);
    }
    const range = s.getRangeAt(0);
    range.deleteContents();
    // The "@que" the person typed to find this member goes; the mention takes its place.
    const at = range.startContainer;
    if (at.nodeType === Node.TEXT_NODE) {
      const typed = /@[^\s@]*$/u.exec(at.data.slice(0, range.startOffset));
      if (typed) range.setStart(at, range.startOffset - typed[0].length);
      range.deleteContents();
    }
    const mention = h("span", { class: "mention", "data-user-id": String(id), contenteditable: "false", text: `@${name}` });
    const space = document.createTextNode(" ");
    range.insertNode(space);
    range.insertNode(mention);
    range.setStartAfter(space);
    range.collapse(true);
    s.removeAllRanges();
    s.addRange(range);
    this.typing();
  }

  // The editor's content as body HTML (bodyHtmlOf).
  html() {
    return bodyHtmlOf(this.input);
  }

  text() {
    return this.input.innerText.replace(/\s+$/u, "").replace(/^\n+/u, "");
  }

  send() {
    if (this.disabled) return;
    const text = this.text();
    if (!text.trim()) return;
    let html = this.html();
    // Campfire inserts the preview only if its URL is still in the editor (2.11).
    if (this.preview && text.includes(this.preview.url)) html += linkPreviewHtml(this.preview);
    this.onSend(html, text);
    this.clear();
  }

  clear() {
    this.input.replaceChildren();
    clearTimeout(this.unfurlTimer);
    this.unfurling = null;
    this.dismissed.clear();
    this.showPreview(null);
    this.typing();
  }

  // The room is being left: whoever saw this user typing there is told it stopped.
  stopTyping() {
    if (!this.typingActive) return;
    this.typingActive = false;
    this.onTyping(false);
  }

  setContent(html) {
    this.input.replaceChildren(safeFragment(html));
    for (const m of this.input.querySelectorAll(".mention")) m.setAttribute("contenteditable", "false");
    this.typing();
    this.input.focus();
    const end = document.createRange();
    end.selectNodeContents(this.input);
    end.collapse(false);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(end);
  }

  isEmpty() {
    return this.input.textContent.trim() === "";
  }

  typing() {
    const active = !this.isEmpty();
    this.input.classList.toggle("empty", !active);
    const now = Date.now();
    if (active && (!this.typingActive || now - this.lastTyping > 1000)) {
      this.lastTyping = now;
      this.typingActive = true;
      this.onTyping(true);
    } else if (!active && this.typingActive) {
      this.typingActive = false;
      this.onTyping(false);
    }
  }

  setOffline(offline) {
    this.disabled = offline;
    this.input.setAttribute("contenteditable", offline ? "false" : "true");
    this.input.setAttribute("aria-disabled", offline ? "true" : "false");
    for (const b of this.toolbar.querySelectorAll("button")) b.disabled = offline;
    this.button.disabled = offline;
    this.input.dataset.placeholder = offline ? "You are offline. Reconnecting…" : "Say something…";
    this.form.classList.toggle("offline", offline);
  }

  focus() { this.input.focus(); }
}
