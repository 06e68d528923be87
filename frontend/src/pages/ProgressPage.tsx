import { useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, describe, unwrap, type Exam, type Progress, type Schemas } from "../api/client";

type MasteryRow = Schemas["MasteryRow"];

function MasteryTable({ title, rows }: { title: string; rows: MasteryRow[] }) {
  return (
    <table className="mastery">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col">Mastery</th>
          <th scope="col">Answers</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">
              {r.key} {r.label}
            </th>
            <td>
              {r.mastery == null ? (
                "—"
              ) : (
                <span className="meter">
                  <span className="meter-fill" style={{ width: `${Math.round(r.mastery * 100)}%` }} />
                  <span className="meter-text">{Math.round(r.mastery * 100)}%</span>
                </span>
              )}
            </td>
            <td>
              {r.correct} / {r.total}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Scores over time, mastery, readiness, weak areas and misconceptions. */
export function ProgressPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const examCode = params.get("exam") ?? "MLA-C01";
  const [exams, setExams] = useState<Exam[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .GET("/api/exams/")
      .then((r) => setExams(unwrap(r)))
      .catch(() => setExams([]));
  }, []);

  useEffect(() => {
    setProgress(null);
    api
      .GET("/api/me/progress/", { params: { query: { exam: examCode } } })
      .then((r) => setProgress(unwrap(r)))
      .catch((e) => setError(describe(e)));
  }, [examCode]);

  const practiseWeak = async () => {
    setBusy(true);
    try {
      const created = unwrap(await api.POST("/api/attempts/", { body: { exam: progress?.exam ?? examCode, mode: "weak-areas", count: 20 } }));
      navigate(`/attempts/${created.id}`);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  };

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!progress) return <p aria-busy="true">Loading your progress…</p>;
  const ready = progress.readiness;
  const points = progress.attempts.map((a, i) => ({
    n: i + 1,
    label: `${new Date(a.graded_at).toLocaleDateString()} (${a.mode})`,
    score: a.scaled_score,
  }));
  return (
    <main id="main" className="progress">
      <h1>Your progress · {progress.exam}</h1>
      {exams.length > 1 && (
        <p>
          <label htmlFor="progress-exam" className="inline">
            Exam{" "}
            <select id="progress-exam" value={examCode} onChange={(e) => setParams({ exam: e.target.value })}>
              {exams.map((e) => (
                <option key={e.code} value={e.code}>
                  {e.code}
                </option>
              ))}
            </select>
          </label>
        </p>
      )}
      <section aria-labelledby="scores-title" className="card">
        <h2 id="scores-title">Scores over time</h2>
        {points.length === 0 ? (
          <p>
            No graded attempts yet. <Link to="/">Take an exam</Link>.
          </p>
        ) : (
          <div className="chart" role="img" aria-label={points.map((p) => `${p.label}: ${p.score}`).join("; ")}>
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="n" label={{ value: "attempt", position: "insideBottom", offset: -2 }} />
                <YAxis domain={[100, 1000]} ticks={[100, 300, 500, 720, 1000]} />
                <Tooltip labelFormatter={(_, payload) => payload?.[0]?.payload?.label ?? ""} />
                <ReferenceLine y={progress.passing_score} stroke="#b45309" strokeDasharray="4 4" label={`pass ${progress.passing_score}`} />
                <Line type="monotone" dataKey="score" stroke="#2563eb" isAnimationActive={false} dot />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <section aria-labelledby="ready-title" className="card">
        <h2 id="ready-title">Readiness</h2>
        {ready.predicted_score == null ? (
          <p>{ready.message}</p>
        ) : (
          <>
            <p className="big-line">
              Predicted score <strong>{ready.predicted_score}</strong> (80% likely between {ready.low} and {ready.high}); chance of
              passing <strong>{Math.round((ready.pass_probability ?? 0) * 100)}%</strong>, from your last {ready.based_on} full-length
              result{ready.based_on === 1 ? "" : "s"}.
            </p>
            <details>
              <summary>How this is estimated</summary>
              <p>{ready.method}</p>
            </details>
          </>
        )}
      </section>

      <section aria-labelledby="weak-title" className="card">
        <h2 id="weak-title">Weak areas</h2>
        {progress.weakest.length === 0 ? (
          <p>Not enough answers yet.</p>
        ) : (
          <ul>
            {progress.weakest.map((w) => (
              <li key={w.key}>
                {w.key} {w.label}: {Math.round((w.mastery ?? 0) * 100)}% ({w.correct} of {w.total})
              </li>
            ))}
          </ul>
        )}
        <p>{progress.reviews_due} missed question(s) due for review.</p>
        <button type="button" className="primary" disabled={busy || progress.attempts.length === 0} onClick={() => void practiseWeak()}>
          Practise my weak areas
        </button>
      </section>

      <section aria-labelledby="mastery-title" className="card">
        <h2 id="mastery-title">Mastery</h2>
        <MasteryTable title="Domain" rows={progress.mastery.domains} />
        <MasteryTable title="Task statement" rows={progress.mastery.task_statements} />
        <details>
          <summary>How mastery is measured</summary>
          <p>{progress.mastery.method}</p>
        </details>
      </section>

      <section aria-labelledby="mis-title" className="card">
        <h2 id="mis-title">Misconceptions</h2>
        {progress.misconceptions.length === 0 ? (
          <p>None found yet.</p>
        ) : (
          <ul className="misconceptions">
            {progress.misconceptions.map((m) => (
              <li key={`${m.chosen}-${m.expected}`}>
                You {m.summary} ({m.count}×):{" "}
                {m.questions.map((q, i) => (
                  <span key={`${q.attempt}-${q.position}`}>
                    {i > 0 && ", "}
                    <Link to={`/attempts/${q.attempt}/result#q${q.position}`}>question {q.position}</Link>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
