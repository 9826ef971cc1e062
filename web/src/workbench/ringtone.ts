// The ring of an incoming call, made with the Web Audio API (no audio file): a dual tone
// (440 + 480 Hz) in two short bursts every three seconds, like a desk phone, for as long as a
// call rings. `ringFor` starts it when the first call rings and stops it when none does
// (answered, withdrawn, rung out). Browsers keep audio suspended until the page had a user
// gesture; the workbench has had one (sign-in), and before that the ring is silently skipped.

/** One burst of the ring: when it starts in the cycle and how long it lasts (seconds). */
export interface Burst {
  at: number;
  length: number;
}

export const RING_CYCLE_S = 3;
export const RING_FREQUENCIES = [440, 480] as const;
/** "ring-ring", then silence until the next cycle. */
export const RING_PATTERN: readonly Burst[] = [
  { at: 0, length: 0.4 },
  { at: 0.6, length: 0.4 },
];

/** Whether a ring should sound: some offer ringing is a call. */
export function callRinging(offers: readonly { channel: string }[]): boolean {
  return offers.some((o) => o.channel === 'voice');
}

let ctx: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
let playing: OscillatorNode[] = [];

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const w = typeof window !== 'undefined' ? (window as unknown as { AudioContext?: typeof AudioContext }) : null;
  if (!w?.AudioContext) return null;
  try {
    ctx = new w.AudioContext();
  } catch {
    ctx = null;
  }
  return ctx;
}

function cycle(ac: AudioContext): void {
  const start = ac.currentTime + 0.02;
  const gain = ac.createGain();
  gain.gain.value = 0;
  gain.connect(ac.destination);
  for (const b of RING_PATTERN) {
    gain.gain.setValueAtTime(0.0001, start + b.at);
    gain.gain.exponentialRampToValueAtTime(0.12, start + b.at + 0.02);
    gain.gain.setValueAtTime(0.12, start + b.at + b.length - 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + b.at + b.length);
  }
  const end = start + Math.max(...RING_PATTERN.map((b) => b.at + b.length));
  playing = RING_FREQUENCIES.map((f) => {
    const osc = ac.createOscillator();
    osc.frequency.value = f;
    osc.connect(gain);
    osc.start(start);
    osc.stop(end);
    return osc;
  });
}

/** Marks the page while the ring is on (browser tests read it; nothing styles it). */
function mark(on: boolean): void {
  if (typeof document !== 'undefined') document.body?.setAttribute('data-ringtone', on ? 'on' : 'off');
}

/** Starts or stops the ring; calling it again with the same answer changes nothing. */
export function ringFor(ringing: boolean): void {
  if (ringing && timer == null) {
    const ac = audio();
    if (!ac) return;
    try {
      if (ac.state === 'suspended') void ac.resume().catch(() => undefined);
      cycle(ac);
      timer = setInterval(() => cycle(ac), RING_CYCLE_S * 1000);
      mark(true);
    } catch {
      /* no sound is fine */
    }
  } else if (!ringing && timer != null) {
    clearInterval(timer);
    timer = null;
    for (const o of playing) {
      try {
        o.stop();
      } catch {
        /* already stopped */
      }
    }
    playing = [];
    mark(false);
  }
}

/** Whether the ring is on (the browser test reads it through the page's data attribute). */
export function isRinging(): boolean {
  return timer != null;
}
