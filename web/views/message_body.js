// A message's body on screen. The server's body_html is parsed by a <template> (an inert
// document: nothing in it runs or loads), and only what the allow-list keeps (../body_rules.js)
// is copied, node by node, into fresh elements: markup from outside is never set with innerHTML
// on a live element. The body gets dir="auto" (right-to-left messages read right), and a message
// of only a few emoji is marked large. A link preview (../link_preview.js) shows as a card of text;
// a message that is only a link and its preview shows just the card (Campfire's content filter).
import { kAllowedTags, kDroppedWithContent, allowedAttribute, opensInNewTab, isEmojiOnly } from "../body_rules.js";
import { isLinkPreview, previewHost, previewImageSrc } from "../link_preview.js";

// Nesting deeper than this is cut (the server cuts at 200; Trix bodies nest a handful of levels).
const kMaxDepth = 200;

// Copies the allowed part of `source`'s children into `target` (both DOM nodes of `doc`).
export function copyAllowed(source, target, doc = document, depth = 0) {
  if (depth > kMaxDepth) return;
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(doc.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    // Foreign (SVG, MathML) elements are never kept, whatever their local name.
    const html = node.namespaceURI === "http://www.w3.org/1999/xhtml";
    const tag = node.localName;
    if (kDroppedWithContent.has(tag) || !html && !kAllowedTags.has(tag)) continue;
    if (!html || !kAllowedTags.has(tag)) {
      copyAllowed(node, target, doc, depth + 1); // unwrap: the text stays
      continue;
    }
    const el = doc.createElement(tag);
    for (const { name, value } of node.attributes) {
      if (allowedAttribute(tag, name, value)) el.setAttribute(name, value);
    }
    if (tag === "a" && opensInNewTab(el.getAttribute("href") ?? "")) {
      el.setAttribute("target", "_blank");
      el.setAttribute("rel", "noopener noreferrer");
    }
    if (!isLinkPreview(el)) copyAllowed(node, el, doc, depth + 1); // a preview's data is its attributes
    target.append(el);
  }
}

// The allowed DOM of an HTML string, as a DocumentFragment of `doc`.
export function safeFragment(html, doc = document) {
  const template = doc.createElement("template");
  template.innerHTML = String(html ?? ""); // inert: a template's content is not rendered
  const out = doc.createDocumentFragment();
  copyAllowed(template.content, out, doc);
  return out;
}

// The card of a preview {href, title, description, image}: a link to the page, its title,
// description and host as text, and its image through the server's proxy (an image the server
// cannot show is simply not shown); null when `href` is not an http(s) URL.
export function previewCard({ href, title, description, image }, doc = document) {
  const host = previewHost(href);
  if (!host) return null;
  const card = doc.createElement("a");
  card.className = "link-preview";
  card.setAttribute("href", href);
  card.setAttribute("target", "_blank");
  card.setAttribute("rel", "noopener noreferrer");
  for (const [name, text] of [["title", title || host], ["description", description], ["host", host]]) {
    if (!text) continue;
    const part = doc.createElement("span");
    part.className = `link-preview-${name}`;
    part.textContent = text;
    card.append(part);
  }
  const src = previewImageSrc(image);
  if (src) {
    const img = doc.createElement("img");
    img.className = "link-preview-image";
    img.setAttribute("alt", "");
    img.setAttribute("loading", "lazy");
    img.addEventListener("error", () => img.remove());
    img.setAttribute("src", src);
    card.prepend(img);
  }
  return card;
}

// Each preview attachment of `body` replaced by its card (or removed when it has no usable link).
function showPreviews(body, doc) {
  const previews = [...body.querySelectorAll("action-text-attachment")].filter(isLinkPreview);
  if (!previews.length) return;
  const onlyLink = previews.length === 1 && body.textContent.trim() === previews[0].getAttribute("href");
  for (const el of previews) {
    const card = previewCard({
      href: el.getAttribute("href"), title: el.getAttribute("filename"), description: el.getAttribute("caption"),
      image: el.getAttribute("url"),
    }, doc);
    if (card && onlyLink) body.replaceChildren(card);
    else if (card) el.replaceWith(card);
    else el.remove();
  }
}

// The element that shows `message`: its sanitized body_html, or its plain text while it is a
// pending post not yet sent back by the server.
export function renderBody(message, doc = document) {
  const body = doc.createElement("div");
  body.className = "message-body";
  body.setAttribute("dir", "auto");
  if (message.body_html !== null && message.body_html !== undefined) {
    body.append(safeFragment(message.body_html, doc));
  } else {
    body.textContent = message.plain_text ?? "";
  }
  if (isEmojiOnly(body.textContent)) body.classList.add("emoji-only");
  showPreviews(body, doc);
  return body;
}
