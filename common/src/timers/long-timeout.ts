// setTimeout for any delay: Node fires a timer whose delay is above 2^31-1 ms (about 24.8 days)
// after 1 ms (with a TimeoutOverflowWarning), so longer waits are chained in steps of at most that.

export const maxTimerDelayMs = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

export function setLongTimeout(fn: () => void, ms: number, opts: { unref?: boolean } = {}): LongTimeout {
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = due - Date.now();
    timer = setTimeout(left > maxTimerDelayMs ? arm : fn, Math.max(0, Math.min(left, maxTimerDelayMs)));
    if (opts.unref) timer.unref();
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
