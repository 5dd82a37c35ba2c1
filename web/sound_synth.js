// The audio of the 56 /play sounds, synthesized in the browser with Web Audio: no audio files,
// nothing recorded or copied. Each name has a recipe of a few voices:
//
//   { wave, gain, notes, attack?, shape?, filter?, vibrato? }
//     wave     "sine" | "square" | "sawtooth" | "triangle" | "noise" (white noise)
//     notes    [[start s, duration s, frequency Hz, end frequency Hz?], ...] (noise ignores Hz)
//     shape    "hold" (default: attack, sustain, short release) or "pluck" (attack, then decay)
//     filter   [type, frequency Hz, Q, end frequency Hz?]: a BiquadFilter over the voice, swept
//              over the voice's length when an end frequency is given
//     vibrato  [rate Hz, depth Hz]: an LFO on the oscillators' frequency
//
// The recipes are data (Node's tests check them); nothing touches Web Audio until playSound().

const N = (midi) => 440 * 2 ** ((midi - 69) / 12);
// Notes every `step` seconds from `start`, each `dur` long, from MIDI note numbers.
const seq = (start, step, dur, midis) => midis.map((m, i) => [start + i * step, dur, N(m)]);
// The same notes at raw frequencies.
const seqHz = (start, step, dur, freqs) => freqs.map((f, i) => [start + i * step, dur, f]);
// Short hits (drums, claps, chirps) at the given times.
const hits = (times, dur, f = 0, f2 = undefined) => times.map((t) => [t, dur, f, f2]);

export const kRecipes = new Map(Object.entries({
  // A modem dialling, answering, then hissing its handshake.
  "56k": [
    { wave: "sine", gain: 0.25, notes: [[0, 0.09, 697], [0, 0.09, 1209], [0.13, 0.09, 770], [0.13, 0.09, 1336], [0.26, 0.09, 852], [0.26, 0.09, 1477]] },
    { wave: "sine", gain: 0.22, notes: [[0.45, 0.45, 2100]] },
    { wave: "square", gain: 0.08, notes: seqHz(0.95, 0.05, 0.05, [1200, 2400, 1200, 2400, 980, 1650, 1180, 2250, 1070, 1850]) },
    { wave: "noise", gain: 0.14, filter: ["bandpass", 1800, 1.5], notes: [[1.45, 0.7]] },
  ],
  // A chant, four syllables, twice.
  ballmer: [
    { wave: "sawtooth", gain: 0.3, filter: ["lowpass", 1100, 4], notes: [...seq(0, 0.16, 0.13, [57, 55, 54, 50]), ...seq(0.75, 0.16, 0.13, [57, 55, 54, 50])] },
    { wave: "noise", gain: 0.08, filter: ["bandpass", 2500, 3], notes: hits([0, 0.75], 0.05) },
  ],
  // A struck bell: a fundamental and two inharmonic partials dying away.
  bell: [
    { wave: "sine", gain: 0.4, shape: "pluck", notes: [[0, 2.2, 880]] },
    { wave: "sine", gain: 0.12, shape: "pluck", notes: [[0, 0.8, 880 * 2.76]] },
    { wave: "sine", gain: 0.1, shape: "pluck", notes: [[0, 1.2, 880 * 5.4]] },
  ],
  // A falling belly laugh.
  bezos: [
    { wave: "square", gain: 0.16, filter: ["bandpass", 900, 2], notes: [[0, 0.11, 340, 320], [0.16, 0.11, 320, 300], [0.32, 0.11, 300, 280], [0.48, 0.11, 280, 255], [0.64, 0.3, 255, 200]] },
  ],
  // "An-y-one?" in a flat voice, rising at the end.
  bueller: [
    { wave: "triangle", gain: 0.45, filter: ["lowpass", 900, 1], notes: [[0, 0.2, 160], [0.26, 0.18, 150], [0.5, 0.6, 150, 205]] },
  ],
  // A slide whistle, up and down.
  butts: [
    { wave: "sine", gain: 0.35, vibrato: [7, 12], notes: [[0, 0.45, 600, 1400], [0.5, 0.55, 1400, 480]] },
  ],
  // A calliope's oom-pah waltz.
  clowntown: [
    { wave: "square", gain: 0.12, filter: ["lowpass", 2400, 1], notes: seq(0, 0.14, 0.12, [67, 72, 71, 72, 74, 72, 67, 64, 67, 72]) },
    { wave: "triangle", gain: 0.3, shape: "pluck", notes: seq(0, 0.28, 0.2, [48, 55, 48, 55, 43]) },
  ],
  // A quick fiddle over a stomping beat.
  cottoneyejoe: [
    { wave: "sawtooth", gain: 0.14, filter: ["lowpass", 3000, 2], vibrato: [6, 3], notes: seq(0, 0.1, 0.09, [69, 69, 71, 73, 74, 73, 71, 69, 66, 69, 71, 73, 69, 66]) },
    { wave: "sine", gain: 0.5, shape: "pluck", notes: hits([0, 0.4, 0.8, 1.2], 0.18, 130, 45) },
  ],
  // Chirps in threes, a pause between.
  crickets: [
    { wave: "sine", gain: 0.18, notes: [0, 0.4, 0.8, 1.2, 1.6].flatMap((g) => hits([g, g + 0.06, g + 0.12], 0.04, 4600, 4500)) },
  ],
  // A bouncy tuba and a reedy line over it.
  curb: [
    { wave: "triangle", gain: 0.45, shape: "pluck", notes: seq(0, 0.2, 0.18, [43, 46, 48, 50, 48, 46, 43, 38]) },
    { wave: "square", gain: 0.06, filter: ["lowpass", 1600, 1], notes: seq(0.1, 0.4, 0.3, [67, 70, 67, 62]) },
  ],
  // Three grumbles going down.
  dadgummit: [
    { wave: "sawtooth", gain: 0.3, filter: ["lowpass", 700, 3], notes: [[0, 0.17, 196], [0.22, 0.17, 175], [0.44, 0.45, 147, 118]] },
  ],
  // A power chord opening up over a driving bass.
  dangerzone: [
    { wave: "sawtooth", gain: 0.12, attack: 0.05, filter: ["lowpass", 300, 6, 3500], notes: [[0, 1.6, N(45)], [0, 1.6, N(52)], [0, 1.6, N(57)]] },
    { wave: "square", gain: 0.12, filter: ["lowpass", 500, 1], notes: seq(0, 0.2, 0.15, [33, 33, 33, 33, 36, 36, 38, 38]) },
  ],
  // A slow triumphant swell.
  danielsan: [
    { wave: "triangle", gain: 0.18, attack: 0.7, notes: [[0, 2, N(60)], [0, 2, N(64)], [0, 2, N(67)], [0, 2, N(72)]] },
    { wave: "sine", gain: 0.15, shape: "pluck", notes: [[1, 1, N(84)]] },
  ],
  // Going down: a falling drone and a boom.
  deeper: [
    { wave: "sine", gain: 0.5, attack: 0.2, notes: [[0, 2, 110, 45]] },
    { wave: "noise", gain: 0.3, shape: "pluck", filter: ["lowpass", 180, 1], notes: [[0.9, 1.1]] },
  ],
  // One long quavering "no".
  donotwant: [
    { wave: "sawtooth", gain: 0.3, filter: ["lowpass", 1200, 2], vibrato: [5, 10], notes: [[0, 1.4, 330, 150]] },
  ],
  // Dun, dun, dunnn.
  drama: [
    { wave: "sawtooth", gain: 0.2, filter: ["lowpass", 900, 2], notes: [[0, 0.22, N(50)], [0.32, 0.22, N(53)], [0.64, 1.3, N(49)]] },
    { wave: "square", gain: 0.12, filter: ["lowpass", 600, 1], vibrato: [6, 3], notes: [[0, 0.22, N(38)], [0.32, 0.22, N(41)], [0.64, 1.3, N(37)]] },
  ],
  // A sparkle climbing.
  flawless: [
    { wave: "sine", gain: 0.22, shape: "pluck", notes: seq(0, 0.07, 0.4, [84, 88, 91, 96, 100, 103]) },
    { wave: "noise", gain: 0.05, filter: ["highpass", 7000, 1], notes: [[0, 0.6]] },
  ],
  // A robot, wobbling and cross.
  glados: [
    { wave: "square", gain: 0.14, filter: ["lowpass", 1500, 6], vibrato: [30, 40], notes: seqHz(0, 0.13, 0.1, [440, 440, 523, 440, 392, 440, 330]) },
  ],
  // Three beeps, rising.
  gogogo: [
    { wave: "square", gain: 0.16, notes: [[0, 0.14, N(72)], [0.22, 0.14, N(76)], [0.44, 0.3, N(79)]] },
  ],
  // Applause and a ding.
  greatjob: [
    { wave: "noise", gain: 0.3, shape: "pluck", filter: ["bandpass", 1500, 1], notes: hits([0, 0.11, 0.25, 0.33, 0.47, 0.56, 0.7, 0.78], 0.06) },
    { wave: "sine", gain: 0.3, shape: "pluck", notes: [[0.9, 0.9, 1320]] },
  ],
  // A trumpet that cannot find the note.
  greyjoy: [
    { wave: "sawtooth", gain: 0.15, filter: ["lowpass", 1800, 2], vibrato: [3, 9], notes: [[0, 0.35, N(62)], [0.4, 0.35, N(65.4)], [0.8, 0.3, N(63.6)], [1.15, 0.7, N(60.3), N(58.8)]] },
  ],
  // A low, confident promise.
  guarantee: [
    { wave: "sawtooth", gain: 0.28, filter: ["lowpass", 700, 2], notes: [[0, 0.2, 110], [0.24, 0.2, 98], [0.48, 0.6, 123, 110]] },
  ],
  // A smooth slide and a soft pad.
  heygirl: [
    { wave: "triangle", gain: 0.3, vibrato: [5, 5], notes: [[0, 0.5, N(67), N(69)], [0.55, 0.9, N(72), N(71)]] },
    { wave: "sine", gain: 0.1, attack: 0.3, notes: [[0, 1.45, N(55)], [0, 1.45, N(59)]] },
  ],
  // One goose-like honk.
  honk: [
    { wave: "square", gain: 0.15, filter: ["lowpass", 2200, 3], notes: [[0, 0.32, 400, 350], [0, 0.32, 470, 420]] },
  ],
  // An air horn: two short blasts and a long one.
  horn: [
    { wave: "sawtooth", gain: 0.14, filter: ["lowpass", 3000, 1], notes: [[0, 0.25, 466], [0.32, 0.25, 466], [0.64, 0.8, 466]] },
    { wave: "sawtooth", gain: 0.1, filter: ["lowpass", 3000, 1], notes: [[0, 0.25, 554], [0.32, 0.25, 554], [0.64, 0.8, 554]] },
  ],
  // A dissonant tremolo over a rumble.
  horror: [
    { wave: "sawtooth", gain: 0.12, attack: 0.3, filter: ["lowpass", 1500, 1], vibrato: [9, 6], notes: [[0, 2.2, N(62)], [0, 2.2, N(63)], [0.6, 1.6, N(74)]] },
    { wave: "noise", gain: 0.2, attack: 0.5, filter: ["lowpass", 200, 1], notes: [[0, 2.2]] },
  ],
  // A whistle up and down.
  inconceivable: [
    { wave: "sine", gain: 0.3, notes: [[0, 0.3, 900, 1500], [0.35, 0.6, 1500, 700]] },
  ],
  // A rising, piano-like anthem phrase.
  letitgo: [
    { wave: "triangle", gain: 0.3, shape: "pluck", notes: seq(0, 0.24, 0.6, [60, 64, 67, 72, 71, 67, 72]) },
    { wave: "sine", gain: 0.12, attack: 0.2, notes: [[0, 1.9, N(48)], [0, 1.9, N(55)]] },
  ],
  // A crowd roaring and a shout.
  live: [
    { wave: "noise", gain: 0.28, attack: 0.6, filter: ["bandpass", 800, 0.8], notes: [[0, 1.8]] },
    { wave: "sawtooth", gain: 0.2, filter: ["lowpass", 1400, 3], notes: [[0.4, 0.5, 180, 260]] },
  ],
  // A highway synth riff in octaves.
  loggins: [
    { wave: "square", gain: 0.14, filter: ["lowpass", 900, 2], notes: seq(0, 0.125, 0.11, [40, 52, 40, 52, 43, 55, 43, 55, 45, 57, 45, 57]) },
    { wave: "sawtooth", gain: 0.07, attack: 0.1, filter: ["lowpass", 2000, 1], notes: [[0, 1.5, N(64)], [0, 1.5, N(69)]] },
  ],
  // Engines engaging: a whoosh and a rising tone.
  makeitso: [
    { wave: "noise", gain: 0.25, attack: 0.3, filter: ["bandpass", 300, 1.5, 3000], notes: [[0, 1.3]] },
    { wave: "sine", gain: 0.2, attack: 0.2, notes: [[0, 1.3, 200, 800]] },
  ],
  // A long, wide, falling wail.
  noooo: [
    { wave: "sawtooth", gain: 0.2, filter: ["lowpass", 900, 3], vibrato: [6, 20], notes: [[0, 2, 260, 110]] },
    { wave: "sine", gain: 0.2, vibrato: [6, 20], notes: [[0, 2, 260, 110]] },
  ],
  // A bright chiptune loop.
  nyan: [
    { wave: "square", gain: 0.1, notes: seq(0, 0.09, 0.08, [76, 78, 74, 74, 71, 73, 71, 69, 69, 71, 73, 73, 71, 69, 71, 74]) },
    { wave: "triangle", gain: 0.25, notes: seq(0, 0.18, 0.16, [45, 57, 47, 59, 49, 61, 50, 62]) },
  ],
  // A glissando up, settling.
  ohmy: [
    { wave: "triangle", gain: 0.4, notes: [[0, 0.6, 250, 500], [0.65, 0.5, 500, 420]] },
  ],
  // A low "oh", a long "yeah" sliding down.
  ohyeah: [
    { wave: "sawtooth", gain: 0.3, filter: ["bandpass", 700, 2], notes: [[0, 0.3, 140, 120], [0.35, 0.9, 180, 100]] },
  ],
  // A beat: kick, snare, a bass line.
  pushit: [
    { wave: "sine", gain: 0.6, shape: "pluck", notes: hits([0, 0.5, 1], 0.25, 150, 45) },
    { wave: "noise", gain: 0.3, shape: "pluck", filter: ["highpass", 1500, 1], notes: hits([0.25, 0.75, 1.25], 0.18) },
    { wave: "sawtooth", gain: 0.12, filter: ["lowpass", 600, 4], notes: seq(0, 0.25, 0.2, [43, 43, 46, 48, 43, 43]) },
  ],
  // Ba-dum-tss: two toms and a cymbal.
  rimshot: [
    { wave: "sine", gain: 0.5, shape: "pluck", notes: [[0, 0.16, 220, 180], [0.18, 0.18, 180, 140]] },
    { wave: "noise", gain: 0.2, shape: "pluck", filter: ["highpass", 6000, 1], notes: [[0.4, 1]] },
    { wave: "noise", gain: 0.25, shape: "pluck", filter: ["bandpass", 2000, 1], notes: [[0.4, 0.1]] },
  ],
  // A transforming glide and a metallic clank.
  rollout: [
    { wave: "square", gain: 0.12, filter: ["lowpass", 1800, 4], notes: [[0, 0.6, 110, 440]] },
    { wave: "sine", gain: 0.2, shape: "pluck", notes: [[0.6, 0.8, 1300], [0.6, 0.8, 1750], [0.75, 0.6, 2210]] },
  ],
  // Thunder.
  rumble: [
    { wave: "noise", gain: 0.6, attack: 0.05, shape: "pluck", filter: ["lowpass", 300, 1], notes: [[0, 2.2]] },
    { wave: "noise", gain: 0.4, attack: 0.2, shape: "pluck", filter: ["lowpass", 150, 1], notes: [[0.3, 1.8]] },
  ],
  // A lazy sax line at sunset.
  sax: [
    { wave: "sawtooth", gain: 0.16, attack: 0.05, filter: ["lowpass", 1800, 2], vibrato: [5, 6], notes: seq(0, 0.3, 0.28, [62, 65, 67, 70, 69, 67]) },
  ],
  // A chime climbing to a discovery.
  secret: [
    { wave: "sine", gain: 0.22, shape: "pluck", notes: seq(0, 0.09, 0.5, [67, 71, 74, 79, 83, 86, 91]) },
    { wave: "triangle", gain: 0.12, shape: "pluck", notes: [[0.63, 1, N(79)]] },
  ],
  // A beatbox groove with a squelchy bass.
  sexyback: [
    { wave: "sine", gain: 0.55, shape: "pluck", notes: hits([0, 0.5, 0.75], 0.2, 120, 40) },
    { wave: "noise", gain: 0.18, shape: "pluck", filter: ["bandpass", 4000, 4], notes: hits([0.25, 0.625, 1], 0.08) },
    { wave: "sawtooth", gain: 0.12, filter: ["bandpass", 400, 6, 1600], notes: seq(0, 0.25, 0.2, [38, 38, 41, 43, 38]) },
  ],
  // A gentle falling arpeggio.
  story: [
    { wave: "triangle", gain: 0.3, shape: "pluck", notes: seq(0, 0.22, 0.8, [84, 79, 76, 72]) },
    { wave: "sine", gain: 0.1, attack: 0.2, notes: [[0.2, 1.3, N(60)], [0.2, 1.3, N(67)]] },
  ],
  // A fanfare: an arpeggio up to a held chord.
  tada: [
    { wave: "square", gain: 0.1, filter: ["lowpass", 3000, 1], notes: [...seq(0, 0.12, 0.11, [60, 64, 67]), [0.36, 0.9, N(72)]] },
    { wave: "triangle", gain: 0.2, notes: [[0.36, 0.9, N(64)], [0.36, 0.9, N(67)]] },
  ],
  // A shooting star over a soft chord.
  tmyk: [
    { wave: "sine", gain: 0.2, notes: [[0, 0.9, 600, 2400]] },
    { wave: "sine", gain: 0.12, shape: "pluck", notes: seqHz(0.5, 0.12, 0.4, [2637, 3136, 2794, 3520]) },
    { wave: "triangle", gain: 0.1, attack: 0.3, notes: [[0.2, 1.6, N(72)], [0.2, 1.6, N(76)], [0.2, 1.6, N(79)]] },
  ],
  // Two happy blips.
  totes: [
    { wave: "square", gain: 0.14, notes: [[0, 0.1, 880], [0.14, 0.2, 1175]] },
  ],
  // A wordless vocalise.
  trololo: [
    { wave: "triangle", gain: 0.35, vibrato: [6, 4], notes: seq(0, 0.18, 0.16, [67, 69, 71, 72, 71, 69, 67, 64, 67]) },
  ],
  // Wah, wah, wah, waaah.
  trombone: [
    { wave: "sawtooth", gain: 0.22, filter: ["lowpass", 900, 3], vibrato: [5, 3], notes: [[0, 0.42, N(58), N(57.6)], [0.48, 0.42, N(57), N(56.6)], [0.96, 0.42, N(56), N(55.6)], [1.44, 1, N(55), N(54)]] },
  ],
  // A computer thinking out loud.
  unix: [
    { wave: "square", gain: 0.1, notes: seqHz(0, 0.08, 0.05, [1200, 800, 1600, 1000, 1400, 900, 1800, 1100, 1500, 700]) },
  ],
  // One long buzzing note, beating against itself.
  vuvuzela: [
    { wave: "sawtooth", gain: 0.14, attack: 0.06, filter: ["lowpass", 2400, 2], vibrato: [4, 3], notes: [[0, 1.6, 233, 228]] },
    { wave: "sawtooth", gain: 0.1, attack: 0.06, filter: ["lowpass", 2400, 2], notes: [[0, 1.6, 235]] },
  ],
  // A quick questioning rise.
  what: [
    { wave: "sawtooth", gain: 0.28, filter: ["bandpass", 900, 2], notes: [[0, 0.35, 150, 310]] },
  ],
  // A bass drop, then claps.
  whoomp: [
    { wave: "sine", gain: 0.6, shape: "pluck", notes: [[0, 0.8, 160, 40]] },
    { wave: "noise", gain: 0.25, shape: "pluck", filter: ["lowpass", 400, 1], notes: [[0, 0.4]] },
    { wave: "noise", gain: 0.3, shape: "pluck", filter: ["bandpass", 1400, 1], notes: hits([0.9, 1.1, 1.3], 0.08) },
  ],
  // A wobbly boing down.
  wups: [
    { wave: "sine", gain: 0.35, vibrato: [14, 40], notes: [[0, 0.4, 700, 250]] },
  ],
  // A cheering crowd and whistles.
  yay: [
    { wave: "noise", gain: 0.3, attack: 0.3, filter: ["bandpass", 1500, 0.7], notes: [[0, 1.6]] },
    { wave: "sine", gain: 0.15, notes: [[0.2, 0.4, 1800, 2600], [0.7, 0.3, 2200, 2800]] },
  ],
  // "Yeah": a vowel sliding up then down.
  yeah: [
    { wave: "sawtooth", gain: 0.26, filter: ["bandpass", 1000, 2], notes: [[0, 0.2, 200, 230], [0.22, 0.6, 230, 170]] },
  ],
  // Leaps between chest and head voice.
  yodel: [
    { wave: "triangle", gain: 0.35, vibrato: [6, 3], notes: seq(0, 0.17, 0.15, [60, 72, 67, 76, 60, 72, 67, 79]) },
  ],
}));

// The seconds a recipe lasts.
export function recipeLength(recipe) {
  let end = 0;
  for (const voice of recipe) for (const [start, dur] of voice.notes) end = Math.max(end, start + dur);
  return end;
}

let context = null;
let noiseBuffer = null;

// One AudioContext for the page. A browser may start it suspended until the person has interacted
// with the page (autoplay policy); resume() is asked each time and succeeds once they have.
function audio() {
  const Context = globalThis.AudioContext ?? globalThis.webkitAudioContext;
  if (!Context) return null;
  if (!context) context = new Context();
  if (context.state === "suspended") {
    context.resume().catch(() => {});
    // Not allowed yet: the next click or key press on the page lets it start.
    const resume = () => context.resume().catch(() => {});
    for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, resume, { once: true, capture: true });
  }
  return context;
}

function noise(ctx) {
  if (!noiseBuffer) {
    noiseBuffer = ctx.createBuffer(1, ctx.sampleRate * 2, ctx.sampleRate);
    const data = noiseBuffer.getChannelData(0);
    for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  }
  const source = ctx.createBufferSource();
  source.buffer = noiseBuffer;
  source.loop = true;
  return source;
}

function scheduleVoice(ctx, out, voice, t0) {
  const { wave, gain, notes, attack = 0.01, shape = "hold", filter, vibrato } = voice;
  let input = out;
  if (filter) {
    const [type, frequency, q, end] = filter;
    const node = ctx.createBiquadFilter();
    node.type = type;
    node.Q.value = q;
    node.frequency.setValueAtTime(frequency, t0);
    if (end) node.frequency.exponentialRampToValueAtTime(end, t0 + recipeLength([voice]));
    node.connect(out);
    input = node;
  }
  for (const [start, dur, frequency, end] of notes) {
    const at = t0 + start;
    const stop = at + dur;
    const env = ctx.createGain();
    env.gain.setValueAtTime(0, at);
    env.gain.linearRampToValueAtTime(gain, at + Math.min(attack, dur / 2));
    if (shape === "pluck") {
      env.gain.exponentialRampToValueAtTime(0.0001, stop);
    } else {
      const release = Math.min(0.05, dur / 4);
      env.gain.setValueAtTime(gain, stop - release);
      env.gain.linearRampToValueAtTime(0, stop);
    }
    env.connect(input);
    let source;
    if (wave === "noise") {
      source = noise(ctx);
    } else {
      source = ctx.createOscillator();
      source.type = wave;
      source.frequency.setValueAtTime(frequency, at);
      if (end) source.frequency.exponentialRampToValueAtTime(end, stop);
      if (vibrato) {
        const lfo = ctx.createOscillator();
        const depth = ctx.createGain();
        lfo.frequency.value = vibrato[0];
        depth.gain.value = vibrato[1];
        lfo.connect(depth).connect(source.frequency);
        lfo.start(at);
        lfo.stop(stop);
      }
    }
    source.connect(env);
    source.start(at);
    source.stop(stop + 0.02);
  }
}

// Plays a sound now; false when the name is unknown or the browser has no Web Audio.
export function playSound(name) {
  const recipe = kRecipes.get(name);
  const ctx = recipe ? audio() : null;
  if (!ctx) return false;
  const t0 = ctx.currentTime + 0.02;
  const out = ctx.createGain();
  out.gain.value = 0.7;
  const limiter = ctx.createDynamicsCompressor(); // several voices at once never clip
  out.connect(limiter).connect(ctx.destination);
  for (const voice of recipe) scheduleVoice(ctx, out, voice, t0);
  return true;
}
