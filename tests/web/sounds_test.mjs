// web/sounds.js and web/sound_synth.js: the 56 /play names with what each shows, exactly as
// CAMPFIRE.md 2.25 lists them; the matcher; which arriving messages play; every name's recipe; and
// the drawn images' sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kSounds, soundName, soundOf, arrivingSound } from "../../web/sounds.js";
import { kRecipes, recipeLength } from "../../web/sound_synth.js";

const webRoot = join(dirname(fileURLToPath(import.meta.url)), "../../web");

// CAMPFIRE.md 2.25's table as it is written there (two names a row). Campfire's images are its
// .webp files; ours are drawn here as .svg at the same size, under the same base name.
const kSpec = `
| 56k | image 56k.webp 79×33 | loggins | image loggins.webp 200×151 |
| ballmer | "developers!" | makeitso | "make it so 👉" |
| bell | "🔔" | noooo | "👸💀😒" |
| bezos | "😆💭" | nyan | image nyan.webp 36×15 |
| bueller | "anyone?" | ohmy | "raises an eyebrow 😏" |
| butts | "👐 🚬" | ohyeah | "isn't playing by the rules" |
| clowntown | image clowntown.webp 210×150 | pushit | image pushit.webp 104×15 |
| cottoneyejoe | "🎶🙉🎶 " | rimshot | "plays a rimshot" |
| crickets | "hears crickets chirping" | rollout | "is rolling out 🚗" |
| curb | image curb.webp 150×101 | rumble | image rumble.webp 220×150 |
| dadgummit | "dad gummit!! 🎣" | sax | "🌇🎷🎶" |
| dangerzone | image dangerzone.webp 157×32 | secret | "found a secret area 🔑" |
| danielsan | "🎆 🏆 🎆" | sexyback | "🔞" |
| deeper | image **top.webp** 188×80 | story | "and now you know…" |
| donotwant | image donotwant.webp 150×150 | tada | "plays a fanfare 🎏" |
| drama | image drama.webp 300×16 | tmyk | "✨ ⭐️ The More You Know ✨ ⭐️" |
| flawless | "#flawless" | totes | "😁👍" |
| glados | "🤖💢" | trololo | "трололо" |
| gogogo | "Go, go, go!" | trombone | "plays a sad trombone" |
| greatjob | image greatjob.webp 79×16 | unix | "knows this 💻" |
| greyjoy | "😖🎺" | vuvuzela | "======<() ~ ♪ ~♫" |
| guarantee | "guarantees it 👌" | what | image what.webp 100×131 |
| heygirl | "✨💁✨" | whoomp | "👏‼️😎" |
| honk | "HONK" | wups | "wups!" |
| horn | "🐶 ✂️ 🐱" | yay | image yay.webp 103×50 |
| horror | "💀 💀 💀 💀 💀 💀 💀" | yeah | image yeah.webp 104×15 |
| inconceivable | "doesn't think it means what you think it means…" | yodel | "📣🗻🙉" |
| letitgo | "❄️👩❄️⛄️❄️" | live | "is DOING IT LIVE" |
`;

function specEntries() {
  const entries = new Map();
  for (const line of kSpec.trim().split("\n")) {
    const cells = line.split(" | ").map((c) => c.replace(/^\| ?| ?\|$/g, ""));
    for (const [name, shows] of [[cells[0], cells[1]], [cells[2], cells[3]]]) {
      const image = /^image \*{0,2}(\w+)\.webp\*{0,2} (\d+)×(\d+)$/.exec(shows);
      if (image) entries.set(name, { image: `/sounds/${image[1]}.svg`, width: Number(image[2]), height: Number(image[3]) });
      else entries.set(name, { caption: JSON.parse(shows) });
    }
  }
  return entries;
}

test("the 56 names show exactly the captions and images of CAMPFIRE.md 2.25", () => {
  const spec = specEntries();
  assert.equal(spec.size, 56);
  assert.equal(kSounds.size, 56);
  assert.deepEqual([...kSounds.keys()].sort(), [...spec.keys()].sort());
  for (const [name, shows] of spec) assert.deepEqual({ ...soundOf(name) }, shows, name);
  assert.equal(soundOf("deeper").image, "/sounds/top.svg", "deeper shows the top image");
  assert.equal([...kSounds.values()].filter((s) => s.image).length, 15);
});

test("a message is a sound only when its plain text is exactly /play and a known name", () => {
  assert.equal(soundName("/play tada"), "tada");
  assert.equal(soundName("/play 56k"), "56k");
  assert.equal(soundName("/play deeper"), "deeper");
  assert.equal(soundName("  /play tada\n"), "tada", "outer whitespace is not part of the text");
  for (const text of ["/play", "/play ", "/play nope", "/play Tada", "/play tada!", "/play tada now", "/play  tada",
    "say /play tada", "/playtada", "/PLAY tada", "/play\ttada", "/play tada\nmore", "/play constructor",
    "/play __proto__", "/play toString", "/play incoming", "/play mario_coin", "/play maybe", "", null, undefined]) {
    assert.equal(soundName(text), null, JSON.stringify(text));
  }
  for (const name of kSounds.keys()) assert.equal(soundName(`/play ${name}`), name);
});

test("only a live post in the room on screen, scrolled to the bottom, plays; the last of a batch", () => {
  const posted = (seq, room_id, plain_text) => ({ type: "MessagePosted", seq, data: { room_id, plain_text } });
  const at = { liveAfter: 10, roomId: 3, atBottom: true };
  assert.equal(arrivingSound([posted(11, 3, "/play tada")], at), "tada");
  assert.equal(arrivingSound([posted(10, 3, "/play tada")], at), null, "catch-up up to the welcome's head");
  assert.equal(arrivingSound([posted(11, 3, "/play tada")], { ...at, atBottom: false }), null, "scrolled up");
  assert.equal(arrivingSound([posted(11, 4, "/play tada")], at), null, "another room");
  assert.equal(arrivingSound([posted(11, 3, "/play tada")], { ...at, roomId: null }), null, "no room on screen");
  assert.equal(arrivingSound([posted(11, 3, "/play nope"), posted(12, 3, "hello")], at), null);
  assert.equal(arrivingSound([posted(11, 3, "/play tada"), posted(12, 3, "/play bell")], at), "bell");
  assert.equal(arrivingSound([{ type: "MessageEdited", seq: 11, data: { room_id: 3, plain_text: "/play tada" } }], at), null,
    "an edit into a /play does not play");
  assert.equal(arrivingSound([posted(11, 3, "/play tada")], { ...at, liveAfter: Infinity }), null, "before a welcome");
});

test("every name has its own short recipe of valid voices", () => {
  const waves = new Set(["sine", "square", "sawtooth", "triangle", "noise"]);
  assert.deepEqual([...kRecipes.keys()].sort(), [...kSounds.keys()].sort());
  const seen = new Map();
  for (const [name, recipe] of kRecipes) {
    assert.ok(recipe.length >= 1, name);
    const length = recipeLength(recipe);
    assert.ok(length > 0.2 && length <= 2.5, `${name} lasts ${length} s`);
    for (const voice of recipe) {
      assert.ok(waves.has(voice.wave), `${name}: wave ${voice.wave}`);
      assert.ok(voice.gain > 0 && voice.gain <= 0.6, `${name}: gain ${voice.gain}`);
      assert.ok(voice.notes.length >= 1, name);
      for (const [start, dur, f, f2] of voice.notes) {
        assert.ok(start >= 0 && dur > 0, `${name}: note at ${start} for ${dur}`);
        if (voice.wave !== "noise") assert.ok(f >= 20 && f <= 12000, `${name}: ${f} Hz`);
        if (f2 !== undefined) assert.ok(f2 > 0, `${name}: ramps end above 0 Hz (exponential)`);
      }
      if (voice.filter) assert.ok(voice.filter[1] > 0 && (voice.filter[3] ?? 1) > 0, name);
    }
    const key = JSON.stringify(recipe);
    assert.ok(!seen.has(key), `${name} sounds the same as ${seen.get(key)}`);
    seen.set(key, name);
  }
});

test("each image is an SVG drawn at the size of the table, with no script or outside reference", () => {
  for (const [name, shows] of kSounds) {
    if (!shows.image) continue;
    const file = join(webRoot, shows.image);
    assert.ok(existsSync(file), `${name}: ${shows.image}`);
    const svg = readFileSync(file, "utf8");
    const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
    assert.match(root, new RegExp(`width="${shows.width}" height="${shows.height}" viewBox="0 0 ${shows.width} ${shows.height}"`), name);
    assert.doesNotMatch(svg, /<script|\bon\w+=|href=|url\((?!#)|<image|<foreignObject/i, `${name}: self-contained`);
  }
});
