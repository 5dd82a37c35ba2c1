import { test } from "node:test";
import assert from "node:assert/strict";
import { highlightParts, termStems } from "../../web/search_highlight.js";

const marked = (text, terms) => highlightParts(text, terms).filter((p) => p.match).map((p) => p.text);

test("marks words that share the term's stem, case-insensitively", () => {
  assert.deepEqual(marked("We are Deploying; it deploys, deployed.", ["deploy"]), ["Deploying", "deploys", "deployed"]);
  assert.deepEqual(marked("the servers are up", ["server"]), ["servers"]);
});

test("the parts cover the text exactly, in order", () => {
  const text = "<b>café</b> & Café \"x\"";
  assert.equal(highlightParts(text, ["café"]).map((p) => p.text).join(""), text);
  assert.deepEqual(marked(text, ["café"]), ["café", "Café"]);
});

test("syntax in terms is text: only its words count", () => {
  assert.deepEqual(termStems(['"NEAR(a', "foo-bar", "*", "^x"]), ["near", "a", "foo", "bar", "x"]);
  assert.deepEqual(marked("nothing here", ["*", "("]), []);
});

test("no terms: one unmarked part", () => {
  assert.deepEqual(highlightParts("hello", []), [{ text: "hello", match: false }]);
  assert.deepEqual(highlightParts("", ["x"]), [{ text: "", match: false }]);
});
