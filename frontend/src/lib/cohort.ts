/** Words and colours for the cohort screens (pure, unit-tested). */

export const STATUS_TEXT: Record<string, string> = {
  upcoming: "Opens later",
  not_started: "Not started",
  in_progress: "In progress",
  submitted: "Submitted",
  graded: "Graded",
  overdue: "Overdue",
};

export const MODE_TEXT: Record<string, string> = {
  full: "Full mock exam",
  final: "Final exam",
  practice: "Practice set",
};

/**
 * A heatmap colour for a mastery in 0..1: red below 50%, amber up to the 72% pass line, green
 * above; the lightness also steps with it, so the scale reads without colour vision too (and every
 * cell shows its number anyway).
 */
export function masteryColour(mastery: number | null | undefined): string {
  if (mastery == null) return "#f3f4f6";
  const m = Math.min(1, Math.max(0, mastery));
  if (m < 0.5) return `hsl(0 70% ${92 - (0.5 - m) * 50}%)`;
  if (m < 0.72) return `hsl(40 85% ${88 - (m - 0.5) * 40}%)`;
  return `hsl(140 55% ${88 - (m - 0.72) * 90}%)`;
}

export function percent(mastery: number | null | undefined): string {
  return mastery == null ? "—" : `${Math.round(mastery * 100)}%`;
}

/** "in 3 days", "2 hours ago": how far a moment is from now, for due dates. */
export function relative(iso: string, now: number = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const [value, unit] =
    abs >= 86_400_000 ? [Math.round(abs / 86_400_000), "day"] : abs >= 3_600_000 ? [Math.round(abs / 3_600_000), "hour"] : [Math.max(1, Math.round(abs / 60_000)), "minute"];
  const text = `${value} ${unit}${value === 1 ? "" : "s"}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
