import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api, describe, unwrap, type Assignment, type AttemptSummary, type Exam, type Schemas } from "../api/client";
import { MyAssignments } from "../components/MyAssignments";
import { MultiSelect } from "../components/MultiSelect";
import { formatClock } from "../lib/countdown";

type Filters = Schemas["FiltersRequest"];
type Mode = Schemas["AttemptCreateRequest"]["mode"];

const PILLARS = [
  ["scalability", "Scalability"],
  ["cost-effectiveness", "Cost-effectiveness"],
  ["security", "Security"],
] as const;
const STAGES = [
  ["data_preparation", "Data preparation"],
  ["model_training", "Model training"],
  ["model_deployment", "Model deployment"],
  ["monitoring_operations", "Monitoring and operations"],
] as const;
const TYPES = [
  ["multiple_choice", "Multiple choice"],
  ["multiple_response", "Multiple response"],
  ["ordering", "Ordering"],
  ["matching", "Matching"],
] as const;
const DIFFICULTIES = [
  ["easy", "Easy"],
  ["medium", "Medium"],
  ["hard", "Hard"],
] as const;

/** Home: the exams and their blueprint, starting an attempt, attempts to resume, recent results. */
export function Home() {
  const navigate = useNavigate();
  const [exams, setExams] = useState<Exam[]>([]);
  const [attempts, setAttempts] = useState<AttemptSummary[]>([]);
  const [assignments, setAssignments] = useState<Assignment[]>([]);
  const [examCode, setExamCode] = useState("MLA-C01");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [count, setCount] = useState(20);
  const [timed, setTimed] = useState(true);
  const [feedback, setFeedback] = useState<"end" | "immediate">("end");
  const [domains, setDomains] = useState<string[]>([]);
  const [tasks, setTasks] = useState<string[]>([]);
  const [pillars, setPillars] = useState<string[]>([]);
  const [stages, setStages] = useState<string[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [difficulties, setDifficulties] = useState<string[]>([]);
  const [services, setServices] = useState<string[]>([]);

  useEffect(() => {
    Promise.all([api.GET("/api/exams/"), api.GET("/api/attempts/"), api.GET("/api/me/assignments/")])
      .then(([e, a, m]) => {
        setExams(unwrap(e));
        setAttempts(unwrap(a));
        setAssignments(unwrap(m));
      })
      .catch((e) => setError(describe(e)));
  }, []);

  const exam = exams.find((e) => e.code === examCode);

  const start = async (mode: Mode, extra: Partial<Schemas["AttemptCreateRequest"]> = {}) => {
    setBusy(true);
    setError("");
    try {
      const created = unwrap(await api.POST("/api/attempts/", { body: { exam: examCode, mode, ...extra } }));
      navigate(`/attempts/${created.id}`);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  };

  const startPractice = (event: FormEvent) => {
    event.preventDefault();
    const filters: Filters = {};
    if (domains.length) filters.domain = domains.map(Number);
    if (tasks.length) filters.task_statement = tasks;
    if (pillars.length) filters.pillar = pillars as Filters["pillar"];
    if (stages.length) filters.stage = stages as Filters["stage"];
    if (types.length) filters.type = types as Filters["type"];
    if (difficulties.length) filters.difficulty = difficulties as Filters["difficulty"];
    if (services.length) filters.service = services;
    void start("practice", { count, timed, feedback, filters });
  };

  const inProgress = attempts.filter((a) => a.status === "in_progress");
  const results = attempts.filter((a) => a.status !== "in_progress").slice(0, 8);
  const available = (mode: string) => exam?.modes.find((m) => m.mode === mode)?.available ?? false;

  return (
    <main id="main">
      <h1>Prepare for AWS Certified Machine Learning Engineer – Associate</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {assignments.length > 0 && (
        <section aria-labelledby="assignments-title" className="card">
          <h2 id="assignments-title">Your assignments</h2>
          <MyAssignments assignments={assignments} showCohort />
        </section>
      )}
      {inProgress.length > 0 && (
        <section aria-labelledby="resume-title" className="card">
          <h2 id="resume-title">Continue where you left off</h2>
          <ul className="attempt-list">
            {inProgress.map((a) => (
              <li key={a.id}>
                <Link to={`/attempts/${a.id}`}>
                  {a.exam} {a.mode} · {a.answered_count} of {a.question_count} answered
                  {a.remaining_seconds != null ? ` · ${formatClock(a.remaining_seconds)} left` : ""}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="exam-title" className="card">
        <h2 id="exam-title">Exam</h2>
        <label htmlFor="exam">Exam</label>
        <select id="exam" value={examCode} onChange={(e) => setExamCode(e.target.value)}>
          {exams.map((e) => (
            <option key={e.code} value={e.code}>
              {e.code}: {e.name}
            </option>
          ))}
        </select>
        {exam && (
          <>
            <p>
              {exam.question_count} questions, {exam.minutes} minutes, pass at {exam.passing_score} on a scale of{" "}
              {exam.score_min}–{exam.score_max}.
            </p>
            <table className="blueprint">
              <caption>Blueprint</caption>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Weight</th>
                  <th scope="col">On a full form</th>
                  <th scope="col">In the bank</th>
                </tr>
              </thead>
              <tbody>
                {exam.domains.map((d) => (
                  <tr key={d.number}>
                    <th scope="row">
                      {d.number}. {d.name}
                    </th>
                    <td>{d.weight}%</td>
                    <td>{d.form_questions}</td>
                    <td>{d.published_questions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="start-buttons">
              <button type="button" className="primary" disabled={busy || !available("full")} onClick={() => void start("full")}>
                Start a full mock exam
              </button>
              <button type="button" className="secondary" disabled={busy || !available("final")} onClick={() => void start("final")}>
                Start a final exam
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => void start("weak-areas", { count: 20 })}>
                Practise my weak areas
              </button>
            </div>
          </>
        )}
      </section>

      {exam && (
        <section aria-labelledby="practice-title" className="card">
          <h2 id="practice-title">Practice set</h2>
          <form onSubmit={startPractice} className="practice-form">
            <div className="field">
              <label htmlFor="count">Questions</label>
              <input id="count" type="number" min={1} max={65} value={count} onChange={(e) => setCount(Number(e.target.value))} />
            </div>
            <div className="field">
              <span className="label">Time</span>
              <label className="inline">
                <input type="checkbox" checked={timed} onChange={(e) => setTimed(e.target.checked)} /> Timed (2 minutes a question)
              </label>
            </div>
            <div className="field">
              <label htmlFor="feedback">Feedback</label>
              <select id="feedback" value={feedback} onChange={(e) => setFeedback(e.target.value as "end" | "immediate")}>
                <option value="end">At the end</option>
                <option value="immediate">After each question</option>
              </select>
            </div>
            <MultiSelect wide id="domains" label="Domains" options={exam.domains.map((d) => [String(d.number), `${d.number}. ${d.name}`] as const)} value={domains} onChange={setDomains} />
            <MultiSelect
              wide
              id="tasks"
              label="Task statements"
              options={exam.domains.flatMap((d) => d.task_statements.map((t) => [t.code, `${t.code} ${t.title}`] as const))}
              value={tasks}
              onChange={setTasks}
            />
            <MultiSelect id="pillars" label="Pillars" options={PILLARS} value={pillars} onChange={setPillars} />
            <MultiSelect id="stages" label="Lifecycle stages" options={STAGES} value={stages} onChange={setStages} />
            <MultiSelect id="types" label="Question types" options={TYPES.filter(([t]) => exam.question_types.includes(t))} value={types} onChange={setTypes} />
            <MultiSelect id="difficulties" label="Difficulty" options={DIFFICULTIES} value={difficulties} onChange={setDifficulties} />
            <MultiSelect wide id="services" label="AWS services" options={exam.services.map((s) => [s, s] as const)} value={services} onChange={setServices} />
            <p className="hint">Hold Ctrl (or ⌘) to pick several; pick none to take all.</p>
            <button type="submit" className="primary" disabled={busy}>
              Start practice set
            </button>
          </form>
        </section>
      )}

      <section aria-labelledby="results-title" className="card">
        <h2 id="results-title">Recent results</h2>
        {results.length === 0 ? (
          <p>No results yet.</p>
        ) : (
          <ul className="attempt-list">
            {results.map((a) => (
              <li key={a.id}>
                <Link to={`/attempts/${a.id}/result`}>
                  {a.exam} {a.mode} · {a.status === "graded" ? `${a.scaled_score} (${a.passed ? "pass" : "fail"})` : "grading…"} ·{" "}
                  {new Date(a.started_at).toLocaleDateString()}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/progress">See your progress →</Link>
        </p>
      </section>
    </main>
  );
}
