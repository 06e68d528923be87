/**
 * The exam clock. The server is the only clock: every attempt response carries the seconds left,
 * and the browser only counts down from the last value it heard, using its monotonic clock.
 */

export interface ClockSync {
  remaining: number; // seconds left, as the server said
  at: number; // performance.now() in ms when it said so
}

export function remainingAt(sync: ClockSync, nowMs: number): number {
  return Math.max(0, Math.ceil(sync.remaining - (nowMs - sync.at) / 1000));
}

/** Warning thresholds (seconds left) crossed when the clock moved from `before` to `after`. */
export function crossed(before: number, after: number, thresholds: number[] = [600, 300]): number[] {
  return thresholds.filter((t) => before > t && after <= t);
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0");
  const ss = String(rest).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Words for a screen reader: "1 hour 5 minutes left", "4 minutes left", "30 seconds left". */
export function spokenClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h} hour${h > 1 ? "s" : ""}${m ? ` ${m} minute${m > 1 ? "s" : ""}` : ""} left`;
  if (m) return `${m} minute${m > 1 ? "s" : ""} left`;
  return `${s} second${s === 1 ? "" : "s"} left`;
}
