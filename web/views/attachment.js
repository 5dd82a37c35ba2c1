// A message's file (docs/api.md "Files"): an image shows its thumbnail, linking to the full image;
// any other file is a download link with its name and size. The server decides which is which.
import { h } from "../dom.js";
import { sizeLabel } from "../uploads.js";

export function attachmentView(a) {
  if (!a) return null;
  if (a.thumbnail_url) {
    return h("a", { class: "attachment image", href: a.url, target: "_blank", rel: "noopener", title: a.filename },
      h("img", {
        src: a.thumbnail_url, alt: a.filename, loading: "lazy",
        width: a.thumbnail_width || undefined, height: a.thumbnail_height || undefined,
      }));
  }
  return h("a", { class: "attachment file", href: a.url, download: a.filename },
    h("span", { class: "attachment-icon", "aria-hidden": "true", text: "📄" }),
    h("span", { class: "attachment-name", text: a.filename }),
    h("span", { class: "attachment-size", text: sizeLabel(a.byte_size) }));
}
