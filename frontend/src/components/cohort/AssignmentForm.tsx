import { useState, type FormEvent } from "react";
import { ApiError, api, describe, unwrap, type Exam, type Schemas } from "../../api/client";
import { MultiSelect } from "../MultiSelect";

type Body = Schemas["AssignmentCreateRequest"];
type Filters = Schemas["FiltersRequest"];

/** datetime-local wants "YYYY-MM-DDTHH:MM" in local time. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface Props {
  cohortId: number;
  exam: Exam | undefined;
  onCreated: () => void;
}

/** Assign a full mock, a final or a practice set with filters, a window and an attempt limit. */
export function AssignmentForm({ cohortId, exam, onCreated }: Props) {
  const [title, setTitle] = useState("");
  const [mode, setMode] = useState<Body["mode"]>("full");
  const [count, setCount] = useState(20);
  const [feedback, setFeedback] = useState<"end" | "immediate">("end");
  const [timed, setTimed] = useState(true);
  const [domains, setDomains] = useState<string[]>([]);
  const [tasks, setTasks] = useState<string[]>([]);
  const [opensAt, setOpensAt] = useState(() => localInput(new Date()));
  const [dueAt, setDueAt] = useState(() => localInput(new Date(Date.now() + 7 * 86_400_000)));
  const [maxAttempts, setMaxAttempts] = useState("");
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const practice = mode === "practice";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    setFields({});
    const body: Body = {
      title,
      mode,
      opens_at: new Date(opensAt).toISOString(),
      due_at: new Date(dueAt).toISOString(),
      max_attempts: maxAttempts ? Number(maxAttempts) : null,
    };
    if (practice) {
      const filters: Filters = {};
      if (domains.length) filters.domain = domains.map(Number);
      if (tasks.length) filters.task_statement = tasks;
      Object.assign(body, { count, feedback, timed, filters });
    }
    try {
      unwrap(await api.POST("/api/cohorts/{cohort_id}/assignments/", { params: { path: { cohort_id: String(cohortId) } }, body }));
      setTitle("");
      onCreated();
    } catch (e) {
      setError(describe(e));
      if (e instanceof ApiError && e.fields) setFields(e.fields);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) =>
    fields[name] ? (
      <p className="field-error" id={`assign-${name}-error`}>
        {String(fields[name])}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} className="practice-form assignment-form" aria-label="New assignment" noValidate>
      {error && (
        <p role="alert" className="error full-row">
          {error}
        </p>
      )}
      <div className="field wide">
        <label htmlFor="assign-title">Title</label>
        <input id="assign-title" value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} required />
        {fieldError("title")}
      </div>
      <div className="field">
        <label htmlFor="assign-mode">What</label>
        <select id="assign-mode" value={mode} onChange={(e) => setMode(e.target.value as Body["mode"])}>
          <option value="full">Full mock exam</option>
          <option value="final">Final exam</option>
          <option value="practice">Practice set</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="assign-max">Attempts allowed</label>
        <input id="assign-max" type="number" min={1} max={100} placeholder="no limit" value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} />
        {fieldError("max_attempts")}
      </div>
      <div className="field">
        <label htmlFor="assign-opens">Opens</label>
        <input id="assign-opens" type="datetime-local" value={opensAt} onChange={(e) => setOpensAt(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="assign-due">Due</label>
        <input id="assign-due" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.target.value)} required />
        {fieldError("due_at")}
      </div>
      {practice && exam && (
        <>
          <div className="field">
            <label htmlFor="assign-count">Questions</label>
            <input id="assign-count" type="number" min={1} max={65} value={count} onChange={(e) => setCount(Number(e.target.value))} />
            {fieldError("count")}
          </div>
          <div className="field">
            <label htmlFor="assign-feedback">Feedback</label>
            <select id="assign-feedback" value={feedback} onChange={(e) => setFeedback(e.target.value as "end" | "immediate")}>
              <option value="end">At the end</option>
              <option value="immediate">After each question</option>
            </select>
          </div>
          <div className="field">
            <span className="label">Time</span>
            <label className="inline">
              <input type="checkbox" checked={timed} onChange={(e) => setTimed(e.target.checked)} /> Timed
            </label>
          </div>
          <MultiSelect
            id="assign-domains"
            label="Domains"
            options={exam.domains.map((d) => [String(d.number), `${d.number}. ${d.name}`] as const)}
            value={domains}
            onChange={setDomains}
          />
          <MultiSelect
            wide
            id="assign-tasks"
            label="Task statements"
            options={exam.domains.flatMap((d) => d.task_statements.map((t) => [t.code, `${t.code} ${t.title}`] as const))}
            value={tasks}
            onChange={setTasks}
          />
          {fieldError("filters")}
        </>
      )}
      <button type="submit" className="primary" disabled={busy || !title.trim()}>
        Assign
      </button>
    </form>
  );
}
