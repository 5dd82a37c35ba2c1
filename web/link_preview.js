// Link previews in the client (CAMPFIRE.md 2.11 "Link unfurling"; docs/api.md "Link previews").
// A preview in a body is Campfire's OpenGraph embed, an <action-text-attachment> whose data is in
// attributes only (core/html/link_preview.h). The card that shows it is built from those
// attributes as text (views/message_body.js): nothing in a preview is ever parsed as markup, and
// its image URL is never loaded from its host (the CSP keeps img-src to this server): the card
// shows the server's re-encoded copy (GET /api/link_preview_image, previewImageSrc).
//
// Plain data and functions, so Node can test them; the DOM ones take the document to build in.

export const kLinkPreviewType = "application/vnd.actiontext.opengraph-embed";
// How long typing must pause before the composer asks the server for a preview.
export const kUnfurlDelayMs = 400;
const kMaxUrlLength = 2048; // the server's bound (400 past it)

// The last http(s) URL in `text` (what was just pasted or typed), without the punctuation that
// usually ends a sentence after it; null when there is none.
export function lastUrlIn(text) {
  const matches = String(text ?? "").match(/https?:\/\/[^\s<>"'`]+/giu);
  if (!matches) return null;
  const url = matches[matches.length - 1].replace(/[.,;:!?)\]}]+$/u, "");
  if (!/^https?:\/\/[^/?#]/iu.test(url) || url.length > kMaxUrlLength) return null;
  return url;
}

// Whether `el` (a DOM element) is a link preview.
export function isLinkPreview(el) {
  return el?.localName === "action-text-attachment" && el.getAttribute("content-type") === kLinkPreviewType;
}

// The host a card names ("example.com"), or null when `href` is not an http(s) URL.
export function previewHost(href) {
  let url;
  try { url = new URL(String(href ?? "")); } catch { return null; }
  return url.protocol === "http:" || url.protocol === "https:" ? url.host : null;
}

// Where the card loads a preview's image from: the server's image proxy for an http(s) `image`,
// else null (no image).
export function previewImageSrc(image) {
  if (!previewHost(image)) return null;
  return `/api/link_preview_image?url=${encodeURIComponent(String(image))}`;
}

// The body markup of an unfurled preview {url, title, description, image}: the attributes are
// set on an element and serialized, so every value is escaped by the browser's own serializer.
export function linkPreviewHtml(preview, doc = document) {
  const el = doc.createElement("action-text-attachment");
  el.setAttribute("content-type", kLinkPreviewType);
  el.setAttribute("href", preview.url);
  if (preview.image) el.setAttribute("url", preview.image);
  el.setAttribute("filename", preview.title ?? "");
  if (preview.description) el.setAttribute("caption", preview.description);
  return el.outerHTML;
}
