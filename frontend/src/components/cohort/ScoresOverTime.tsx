import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Dashboard } from "../../api/client";

/** The cohort's full-length scores per week: the median, and the middle half as a band. */
export function ScoresOverTime({ dashboard }: { dashboard: Dashboard }) {
  const weeks = dashboard.scores_over_time;
  if (!weeks.length) return <p>No full-length results yet.</p>;
  const data = weeks.map((w) => ({ week: w.week, band: [w.p25, w.p75], median: w.median, n: w.attempts }));
  const label = weeks.map((w) => `week of ${w.week}: median ${w.median}, middle half ${w.p25}–${w.p75}, ${w.attempts} results`).join("; ");
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" />
          <YAxis domain={[100, 1000]} ticks={[100, 300, 500, 720, 1000]} />
          <Tooltip />
          <Area dataKey="band" name="middle half" stroke="none" fill="#bfdbfe" isAnimationActive={false} />
          <Line dataKey="median" name="median" stroke="#1d4ed8" dot isAnimationActive={false} />
          <ReferenceLine y={dashboard.passing_score} stroke="#b45309" strokeDasharray="4 4" label={`pass ${dashboard.passing_score}`} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
