// A short beep made with the Web Audio API (no audio files), for new chats and new customer
// messages. Browsers keep an AudioContext suspended until the page has had a user gesture;
// the workbench always has one (sign-in, answer), and before that the beep is silently skipped.

let ctx: AudioContext | null = null;
let lastBeep = 0;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const w = typeof window !== 'undefined' ? (window as unknown as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext }) : null;
  const Ctor = w?.AudioContext ?? w?.webkitAudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    ctx = null;
  }
  return ctx;
}

/** Two short tones (a higher pair for a new chat). At most one beep every 700 ms. */
export function beep(kind: 'offer' | 'message' = 'message'): void {
  const now = Date.now();
  if (now - lastBeep < 700) return;
  lastBeep = now;
  const ac = audio();
  if (!ac) return;
  try {
    if (ac.state === 'suspended') void ac.resume().catch(() => undefined);
    const tones = kind === 'offer' ? [880, 1175] : [660, 880];
    tones.forEach((freq, i) => {
      const start = ac.currentTime + i * 0.14;
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.12);
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + 0.13);
    });
  } catch {
    /* no sound is fine */
  }
}
