// The /play sounds of CAMPFIRE.md 2.25: the 56 playable names, what each shows (a caption, or one
// of the images drawn for this project in web/sounds/), and the rule that turns a message into a
// sound. No DOM and no audio here (Node's tests import it); the synthesized audio is in
// sound_synth.js and the rendering in views/sound_message.js.
//
// A sound is stored as ordinary text: a message whose plain text is exactly `/play <name>` with a
// known name shows as that sound. Unknown names, other casing, extra words: ordinary text.

const caption = (text) => Object.freeze({ caption: text });
const image = (file, width, height) => Object.freeze({ image: `/sounds/${file}.svg`, width, height });

export const kSounds = new Map(Object.entries({
  "56k": image("56k", 79, 33),
  ballmer: caption("developers!"),
  bell: caption("🔔"),
  bezos: caption("😆💭"),
  bueller: caption("anyone?"),
  butts: caption("👐 🚬"),
  clowntown: image("clowntown", 210, 150),
  cottoneyejoe: caption("🎶🙉🎶 "),
  crickets: caption("hears crickets chirping"),
  curb: image("curb", 150, 101),
  dadgummit: caption("dad gummit!! 🎣"),
  dangerzone: image("dangerzone", 157, 32),
  danielsan: caption("🎆 🏆 🎆"),
  deeper: image("top", 188, 80), // Campfire shows its "top" image for deeper (2.25)
  donotwant: image("donotwant", 150, 150),
  drama: image("drama", 300, 16),
  flawless: caption("#flawless"),
  glados: caption("🤖💢"),
  gogogo: caption("Go, go, go!"),
  greatjob: image("greatjob", 79, 16),
  greyjoy: caption("😖🎺"),
  guarantee: caption("guarantees it 👌"),
  heygirl: caption("✨💁✨"),
  honk: caption("HONK"),
  horn: caption("🐶 ✂️ 🐱"),
  horror: caption("💀 💀 💀 💀 💀 💀 💀"),
  inconceivable: caption("doesn't think it means what you think it means…"),
  letitgo: caption("❄️👩❄️⛄️❄️"),
  live: caption("is DOING IT LIVE"),
  loggins: image("loggins", 200, 151),
  makeitso: caption("make it so 👉"),
  noooo: caption("👸💀😒"),
  nyan: image("nyan", 36, 15),
  ohmy: caption("raises an eyebrow 😏"),
  ohyeah: caption("isn't playing by the rules"),
  pushit: image("pushit", 104, 15),
  rimshot: caption("plays a rimshot"),
  rollout: caption("is rolling out 🚗"),
  rumble: image("rumble", 220, 150),
  sax: caption("🌇🎷🎶"),
  secret: caption("found a secret area 🔑"),
  sexyback: caption("🔞"),
  story: caption("and now you know…"),
  tada: caption("plays a fanfare 🎏"),
  tmyk: caption("✨ ⭐️ The More You Know ✨ ⭐️"),
  totes: caption("😁👍"),
  trololo: caption("трололо"),
  trombone: caption("plays a sad trombone"),
  unix: caption("knows this 💻"),
  vuvuzela: caption("======<() ~ ♪ ~♫"),
  what: image("what", 100, 131),
  whoomp: caption("👏‼️😎"),
  wups: caption("wups!"),
  yay: image("yay", 103, 50),
  yeah: image("yeah", 104, 15),
  yodel: caption("📣🗻🙉"),
}));

// The sound name a message plays, or null. The composer trims trailing blanks before sending; a
// rich-text body's plain text may still end in a newline, so outer whitespace is not part of the
// match. A Map lookup, so "constructor" or "__proto__" are never names.
export function soundName(plainText) {
  const m = /^\/play (\w+)$/.exec(String(plainText ?? "").trim());
  return m && kSounds.has(m[1]) ? m[1] : null;
}

export const soundOf = (name) => kSounds.get(name) ?? null;

// The sound to play for a batch of stream events, or null: the last message posted live (after
// the catch-up that ends at `liveAfter`, see socket.js) in the room on screen, while that room is
// scrolled to the bottom. Never for history pages or resume catch-up (CAMPFIRE.md section 6, 16).
// Only the last one of a batch, so a burst does not play over itself.
export function arrivingSound(events, { liveAfter, roomId, atBottom }) {
  if (!atBottom || roomId === null || roomId === undefined) return null;
  let name = null;
  for (const e of events) {
    if (e.type !== "MessagePosted" || !(e.seq > liveAfter) || e.data?.room_id !== roomId) continue;
    name = soundName(e.data.plain_text) ?? name;
  }
  return name;
}
