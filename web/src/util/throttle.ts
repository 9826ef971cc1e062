// Coalescing throttle for re-fetches: runs at once, then at most once per `intervalMs`; calls
// in between collapse into one trailing run. A run never starts while the previous one (a
// promise) is still pending.

export interface Throttled {
  (): void;
  cancel: () => void;
}

export interface Clock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (h: unknown) => void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function throttle(fn: () => unknown, intervalMs: number, clock: Clock = realClock): Throttled {
  let lastStart = -Infinity;
  let running = false;
  let pending = false;
  let timer: unknown = null;
  let cancelled = false;

  const start = () => {
    timer = null;
    if (cancelled) return;
    pending = false;
    running = true;
    lastStart = clock.now();
    let result: unknown;
    try {
      result = fn();
    } catch {
      result = undefined;
    }
    void Promise.resolve(result)
      .catch(() => undefined)
      .then(() => {
        running = false;
        if (pending) schedule();
      });
  };

  const schedule = () => {
    if (cancelled || timer !== null || running) return;
    const wait = lastStart + intervalMs - clock.now();
    if (wait <= 0) start();
    else timer = clock.setTimeout(start, wait);
  };

  const call = (() => {
    cancelled = false;
    pending = true;
    schedule();
  }) as Throttled;
  call.cancel = () => {
    cancelled = true;
    pending = false;
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  return call;
}
