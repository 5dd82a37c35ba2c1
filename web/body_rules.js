// The message-body allow-list, the same as the server's (core/html/sanitizer.h, docs/api.md
// "Message bodies"), as plain data and functions without the DOM, so Node can test them. The
// server has already applied it; the client applies it again when it renders (defence in depth:
// a server bug or an old stored body still cannot become script here).

export const kAllowedTags = new Set([
  "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "cite", "code", "dd", "del",
  "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd",
  "li", "ol", "p", "pre", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "ul",
  "var", "action-text-attachment", "figure", "figcaption",
]);
// Code or foreign markup: dropped with its content rather than unwrapped.
export const kDroppedWithContent = new Set([
  "script", "style", "template", "iframe", "object", "embed", "noscript", "noembed", "noframes",
  "svg", "math", "textarea", "title", "xmp",
]);
const kGlobalAttributes = new Set(["href", "title", "class", "cite", "datetime", "dir", "lang", "abbr"]);
const kAttachmentAttributes = new Set([
  "sgid", "content-type", "url", "href", "filename", "filesize", "width", "height", "caption", "presentation",
]);
const kUrlAttributes = new Set(["href", "cite", "url"]);

// The lower-case scheme of a URL as a browser reads it ("" when relative): leading spaces and
// controls are skipped, tabs and newlines anywhere ignored ("java\tscript:").
export function urlScheme(url) {
  let scheme = "";
  for (const c of String(url)) {
    const code = c.codePointAt(0);
    if (code <= 0x20) {
      if (scheme === "" || c === "\t" || c === "\n" || c === "\r") continue;
      return "";
    }
    if (c === ":") return scheme === "" ? "?" : scheme;
    if (c === "/" || c === "?" || c === "#") return "";
    scheme += c.toLowerCase();
  }
  return "";
}

export function safeUrl(url) {
  return ["", "http", "https", "mailto", "tel"].includes(urlScheme(url));
}

// A data-user-id: a positive decimal number without leading zeros.
export function isUserId(v) {
  return /^[1-9][0-9]{0,17}$/.test(v);
}

// Whether attribute `name` with `value` may stay on element `tag` (both lower-case).
export function allowedAttribute(tag, name, value) {
  let allowed = kGlobalAttributes.has(name) ||
    (tag === "span" && name === "data-user-id" && isUserId(value)) ||
    (tag === "action-text-attachment" && kAttachmentAttributes.has(name));
  if (allowed && kUrlAttributes.has(name)) allowed = safeUrl(value);
  return allowed;
}

// Links to http(s) open in a new tab, without giving that page a handle on this one.
export function opensInNewTab(href) {
  const s = urlScheme(href);
  return s === "http" || s === "https";
}

// Campfire shows a message of only emoji large: here 1 to kMaxLargeEmoji emoji, with spaces.
export const kMaxLargeEmoji = 5;
const kEmojiGrapheme = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0F\u200D\u20E3\u{E0020}-\u{E007F}])*$/u;

export function isEmojiOnly(text) {
  const t = String(text ?? "").replace(/\s+/gu, "");
  if (!t) return false;
  let count = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(t)) {
    if (!kEmojiGrapheme.test(segment) || ++count > kMaxLargeEmoji) return false;
  }
  return true;
}
