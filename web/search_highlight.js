// Which parts of a result's text to mark for the searched terms. Pure (tests/web imports it).
//
// The server matches with the Porter stemmer, which the browser does not have; this marks a word
// when it starts with a term's word minus a common English ending ("deploying" → "deploy" marks
// "Deploys" and "deployed"), case-insensitively. It only decides what is highlighted: which
// messages match is the server's answer.

const kWord = /[\p{L}\p{N}_]+/gu;

function stem(word) {
  const w = word.toLowerCase();
  for (const ending of ["ing", "ed", "es", "s"]) {
    if (w.endsWith(ending) && w.length - ending.length >= 3) return w.slice(0, -ending.length);
  }
  return w;
}

// The words inside the server's terms ("foo-bar" → foo, bar), as lower-case stems.
export function termStems(terms) {
  const stems = new Set();
  for (const term of terms ?? []) {
    for (const m of String(term).matchAll(kWord)) stems.add(stem(m[0]));
  }
  return [...stems];
}

// [{text, match}] covering `text` exactly, in order.
export function highlightParts(text, terms) {
  const stems = termStems(terms);
  const parts = [];
  let last = 0;
  if (stems.length) {
    for (const m of String(text).matchAll(kWord)) {
      const word = m[0].toLowerCase();
      if (!stems.some((s) => word.startsWith(s))) continue;
      if (m.index > last) parts.push({ text: text.slice(last, m.index), match: false });
      parts.push({ text: m[0], match: true });
      last = m.index + m[0].length;
    }
  }
  if (last < String(text).length || parts.length === 0) parts.push({ text: String(text).slice(last), match: false });
  return parts;
}
