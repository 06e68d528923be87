import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, describe, unwrap, type Answer, type Item, type Result, type Schemas } from "../api/client";
import { FeedbackPanel } from "../components/FeedbackPanel";
import { Text } from "../components/Text";

type Row = Schemas["BreakdownRow"];

function yourAnswer(item: Item): string {
  const answer = item.answer as Answer | null;
  if (!answer) return "Not answered";
  const text = new Map(item.options.map((o) => [o.id, o.text]));
  const prompts = new Map(item.prompts.map((p) => [p.id, p.text]));
  if ("selected" in answer) return answer.selected.map((id) => text.get(id) ?? id).join("; ");
  if ("order" in answer) return answer.order.map((id, i) => `${i + 1}. ${text.get(id) ?? id}`).join("  ");
  return Object.entries(answer.matches)
    .map(([p, o]) => `${prompts.get(p) ?? p} → ${text.get(o) ?? o}`)
    .join("; ");
}

function Section({ title, rows }: { title: string; rows: Row[] }) {
  if (!rows.length) return null;
  return (
    <table className="breakdown">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title.replace(/^By /, "")}</th>
          <th scope="col">Correct</th>
          <th scope="col">Score</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>
              {r.correct} / {r.total}
            </td>
            <td>{r.percent}%</td>
            <td className={r.classification}>{r.classification === "meets_competencies" ? "Meets competencies" : "Needs improvement"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The score report: scaled score, pass or fail, breakdowns, and every question explained. */
export function ResultPage() {
  const { attemptId = "" } = useParams();
  const navigate = useNavigate();
  const [result, setResult] = useState<Result | null>(null);
  const [grading, setGrading] = useState(true);
  const [error, setError] = useState("");
  const [show, setShow] = useState<"all" | "wrong" | "flagged">("all");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stop = false;
    let timer = 0;
    const poll = async () => {
      const { data, error: body, response } = await api.GET("/api/attempts/{attempt_id}/result/", {
        params: { path: { attempt_id: attemptId } },
      });
      if (stop) return;
      if (response.status === 202) {
        timer = window.setTimeout(() => void poll(), 1000);
        return;
      }
      setGrading(false);
      if (data && "correct" in data) setResult(data as Result);
      else setError((body as { error?: { message?: string } } | undefined)?.error?.message ?? "The result is not available.");
    };
    void poll().catch((e) => setError(describe(e)));
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [attemptId]);

  const practise = async (which: "wrong" | "flagged") => {
    if (!result) return;
    setBusy(true);
    try {
      const created = unwrap(
        await api.POST("/api/attempts/", {
          body: { exam: result.attempt.exam, mode: "practice", feedback: "immediate", retry: { attempt: attemptId, which } },
        }),
      );
      navigate(`/attempts/${created.id}`);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  };

  if (error) return <p role="alert" className="error">{error}</p>;
  if (grading || !result)
    return (
      <main id="main">
        <h1>Your result</h1>
        <p role="status" aria-busy="true">
          Grading your exam…
        </p>
      </main>
    );

  const items = result.items.filter((i) => show === "all" || (show === "wrong" ? !i.feedback?.correct : i.flagged));
  const wrong = result.items.filter((i) => !i.feedback?.correct).length;
  const minutes = Math.round(result.time_taken_seconds / 60);
  return (
    <main id="main" className="result">
      <h1>Your result</h1>
      <section className={`score-card ${result.passed ? "pass" : "fail"}`} aria-label="Score">
        <p className="score">
          <span className="big">{result.scaled_score}</span> <span>out of {result.score_max}</span>
        </p>
        <p className="verdict">
          {result.passed ? "Pass" : "Fail"}: the pass mark is {result.passing_score}.
        </p>
        <p>
          {result.correct} of {result.total} correct ({result.percent}%) in {minutes} minute{minutes === 1 ? "" : "s"}.
          {result.regraded_at && " A corrected key changed this result."}
        </p>
      </section>

      <section aria-labelledby="domains-title">
        <h2 id="domains-title">By domain</h2>
        <div className="chart" role="img" aria-label={result.domains.map((d) => `${d.label}: ${d.percent}%`).join("; ")}>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={result.domains.map((d) => ({ name: `Domain ${d.key}`, percent: d.percent }))}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis domain={[0, 100]} unit="%" />
              <Tooltip />
              <ReferenceLine y={result.section_pass_percent} stroke="#b45309" strokeDasharray="4 4" label={`meets competencies ${result.section_pass_percent}%`} />
              <Bar dataKey="percent" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <Section title="By domain" rows={result.sections.domain} />
        <Section title="By task statement" rows={result.sections.task} />
        <Section title="By pillar" rows={result.sections.pillar} />
        <Section title="By lifecycle stage" rows={result.sections.stage} />
      </section>

      <section aria-labelledby="questions-title">
        <h2 id="questions-title">Every question</h2>
        <div className="filters" role="group" aria-label="Show">
          {(["all", "wrong", "flagged"] as const).map((f) => (
            <button key={f} type="button" className={show === f ? "primary" : "secondary"} aria-pressed={show === f} onClick={() => setShow(f)}>
              {f === "all" ? `All (${result.items.length})` : f === "wrong" ? `Wrong (${wrong})` : `Flagged (${result.items.filter((i) => i.flagged).length})`}
            </button>
          ))}
          <button type="button" className="secondary" disabled={busy || wrong === 0} onClick={() => void practise("wrong")}>
            Practise these (the wrong ones)
          </button>
        </div>
        <ol className="review-items">
          {items.map((item) => (
            <li key={item.position} id={`q${item.position}`} className={item.feedback?.correct ? "right" : "wrong"}>
              <h3>
                Question {item.position} {item.flagged && <span className="tag">Flagged</span>}
              </h3>
              {item.case && (
                <details>
                  <summary>Case study: {item.case.title}</summary>
                  <Text text={item.case.scenario} />
                </details>
              )}
              <Text className="stem" text={item.stem} />
              <p className="your-answer">
                <strong>Your answer:</strong> {yourAnswer(item)}
              </p>
              {item.feedback && <FeedbackPanel item={item} feedback={item.feedback} />}
            </li>
          ))}
        </ol>
      </section>
      <p>
        <Link to="/">← Home</Link> · <Link to="/progress">Your progress</Link>
      </p>
    </main>
  );
}
