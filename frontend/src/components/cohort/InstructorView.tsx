import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api, describe, done, unwrap, type CohortDetail, type Dashboard, type Exam } from "../../api/client";
import { MODE_TEXT, percent, relative } from "../../lib/cohort";
import { AssignmentForm } from "./AssignmentForm";
import { Heatmap } from "./Heatmap";
import { ScoresOverTime } from "./ScoresOverTime";

interface Props {
  cohort: CohortDetail;
  reload: () => Promise<void>;
}

/** Everything an instructor runs a cohort with: code, dashboard, assignments, members. */
export function InstructorView({ cohort, reload }: Props) {
  const navigate = useNavigate();
  const path = { cohort_id: String(cohort.id) };
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [exam, setExam] = useState<Exam | undefined>();
  const [name, setName] = useState(cohort.name);
  const [coInstructor, setCoInstructor] = useState("");
  const [notice, setNotice] = useState("");
  const [error, setError] = useState("");

  const loadDashboard = useCallback(async () => {
    try {
      setDashboard(unwrap(await api.GET("/api/cohorts/{cohort_id}/dashboard/", { params: { path: { cohort_id: String(cohort.id) } } })));
    } catch (e) {
      setError(describe(e));
    }
  }, [cohort.id]);

  useEffect(() => {
    void loadDashboard();
    api
      .GET("/api/exams/")
      .then((r) => setExam(unwrap(r).find((e) => e.code === cohort.exam)))
      .catch(() => setExam(undefined));
  }, [loadDashboard, cohort.exam]);

  const act = async (work: () => Promise<void>, success: string) => {
    setError("");
    setNotice("");
    try {
      await work();
      setNotice(success);
      await reload();
      await loadDashboard();
    } catch (e) {
      setError(describe(e));
    }
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      unwrap(await api.PATCH("/api/cohorts/{cohort_id}/", { params: { path }, body: { name } }));
    }, "Renamed.");
  };
  const rotate = () => {
    if (!window.confirm("Make a new join code? The current code and link stop working; members stay.")) return;
    void act(async () => {
      unwrap(await api.POST("/api/cohorts/{cohort_id}/rotate-code/", { params: { path } }));
    }, "New join code made.");
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(cohort.join_url ?? "");
      setNotice("Join link copied.");
    } catch {
      setNotice("Copy the link from the box: the browser did not allow copying.");
    }
  };
  const removeMember = (id: number, username: string) => {
    if (!window.confirm(`Remove ${username} from ${cohort.name}? Their attempts stay theirs.`)) return;
    void act(async () => {
      done(await api.DELETE("/api/cohorts/{cohort_id}/members/{user_id}/", { params: { path: { ...path, user_id: id } } }));
    }, `${username} removed.`);
  };
  const addInstructor = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      unwrap(await api.POST("/api/cohorts/{cohort_id}/instructors/", { params: { path }, body: { username: coInstructor } }));
      setCoInstructor("");
    }, "Co-instructor added.");
  };
  const removeInstructor = (id: number, username: string) => {
    if (!window.confirm(`Remove ${username} as an instructor of ${cohort.name}?`)) return;
    void act(async () => {
      done(await api.DELETE("/api/cohorts/{cohort_id}/instructors/{user_id}/", { params: { path: { ...path, user_id: id } } }));
    }, `${username} is no longer an instructor.`);
  };
  const removeAssignment = (id: number, title: string) => {
    if (!window.confirm(`Delete the assignment "${title}"? Attempts already taken stay the learners' own.`)) return;
    void act(async () => {
      done(
        await api.DELETE("/api/cohorts/{cohort_id}/assignments/{assignment_id}/", {
          params: { path: { ...path, assignment_id: String(id) } },
        }),
      );
    }, "Assignment deleted.");
  };
  const deleteCohort = async () => {
    if (!window.confirm(`Delete ${cohort.name} with its assignments? Learners keep their attempts.`)) return;
    try {
      done(await api.DELETE("/api/cohorts/{cohort_id}/", { params: { path } }));
      navigate("/cohorts", { replace: true });
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <>
      <div className="status-region" role="status" aria-live="polite">
        {notice && <p className="notice">{notice}</p>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section aria-labelledby="code-title" className="card">
        <h2 id="code-title">Invite learners</h2>
        <p>
          Join code <code className="join-code">{cohort.join_code}</code> or the link{" "}
          <input className="join-url" readOnly value={cohort.join_url ?? ""} aria-label="Join link" onFocus={(e) => e.target.select()} />
        </p>
        <div className="start-buttons">
          <button type="button" className="secondary" onClick={() => void copy()}>
            Copy link
          </button>
          <button type="button" className="secondary" onClick={rotate}>
            New code
          </button>
        </div>
      </section>

      <section aria-labelledby="dash-title" className="card">
        <h2 id="dash-title">Dashboard</h2>
        {!dashboard ? (
          <p aria-busy="true">Loading the dashboard…</p>
        ) : (
          <>
            <p>
              <a href={`/api/cohorts/${cohort.id}/export.csv`} download>
                Download the roster as CSV
              </a>
            </p>
            <div className="table-scroll">
              <table className="roster">
                <caption>Learners</caption>
                <thead>
                  <tr>
                    <th scope="col">Learner</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Latest mock</th>
                    <th scope="col">Best mock</th>
                    <th scope="col">Readiness</th>
                    <th scope="col">Assignments</th>
                    <th scope="col">Last active</th>
                  </tr>
                </thead>
                <tbody>
                  {dashboard.learners.map((l) => (
                    <tr key={l.id}>
                      <th scope="row">{l.name ? `${l.name} (${l.username})` : l.username}</th>
                      <td>{l.attempts}</td>
                      <td>
                        {l.latest_score == null ? "—" : (
                          <span className={l.passed ? "pass-text" : "fail-text"}>
                            {l.latest_score} {l.passed ? "pass" : "fail"}
                          </span>
                        )}
                      </td>
                      <td>{l.best_score ?? "—"}</td>
                      <td>
                        {l.readiness
                          ? `${l.readiness.predicted_score} (${l.readiness.low}–${l.readiness.high}), ${Math.round(l.readiness.pass_probability * 100)}% to pass`
                          : "—"}
                      </td>
                      <td>
                        {l.assignments_done} / {l.assignments_total}
                      </td>
                      <td>{l.last_activity ? relative(l.last_activity) : "never"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3>Mastery heatmap</h3>
            <Heatmap cohortId={cohort.id} dashboard={dashboard} />
            <h3>Scores over time</h3>
            <ScoresOverTime dashboard={dashboard} />
            <h3>Weakest task statements</h3>
            {dashboard.weakest.length === 0 ? (
              <p>Not enough answers yet.</p>
            ) : (
              <ul>
                {dashboard.weakest.map((w) => (
                  <li key={w.key}>
                    {w.key} {w.label}: {percent(w.mastery)} mean mastery over {w.learners} learner{w.learners === 1 ? "" : "s"}
                  </li>
                ))}
              </ul>
            )}
            <h3>Questions the cohort misses most</h3>
            {dashboard.most_missed.length === 0 ? (
              <p>None yet.</p>
            ) : (
              <ol className="missed">
                {dashboard.most_missed.map((q) => (
                  <li key={q.question_id}>
                    <details>
                      <summary>
                        <strong>
                          {q.missed_by} of {q.answered_by}
                        </strong>{" "}
                        got it wrong or skipped it last time · task {q.task_statement} · {q.stem.slice(0, 110)}
                        {q.stem.length > 110 ? "…" : ""}
                      </summary>
                      <p className="stem">{q.stem}</p>
                    </details>
                    {q.top_distractor && (
                      <p className="hint">
                        Chosen most instead ({q.top_distractor.chosen}×): “{q.top_distractor.text}”
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="assign-title-h" className="card">
        <h2 id="assign-title-h">Assignments</h2>
        {cohort.assignments.length === 0 ? (
          <p>No assignments yet.</p>
        ) : (
          <ul className="assignment-list">
            {cohort.assignments.map((a) => (
              <li key={a.id} className="assignment">
                <div>
                  <strong>{a.title}</strong>
                  <div className="hint">
                    {MODE_TEXT[a.mode]}
                    {a.mode === "practice" && a.count ? ` of ${a.count}` : ""} · due {new Date(a.due_at).toLocaleString()}
                    {a.max_attempts ? ` · ${a.max_attempts} attempt(s) each` : ""}
                  </div>
                  {a.progress && (
                    <div className="progress-counts">
                      {a.progress.graded} graded · {a.progress.submitted} submitted · {a.progress.in_progress} in progress ·{" "}
                      {a.progress.not_started} not started
                    </div>
                  )}
                </div>
                <button type="button" className="secondary" onClick={() => removeAssignment(a.id, a.title)}>
                  Delete{" "}
                  <span className="visually-hidden">{a.title}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <h3>New assignment</h3>
        <AssignmentForm cohortId={cohort.id} exam={exam} onCreated={() => void act(async () => undefined, "Assignment set.")} />
      </section>

      <section aria-labelledby="people-title" className="card">
        <h2 id="people-title">People</h2>
        <h3>Members ({cohort.members?.length ?? 0})</h3>
        {cohort.members && cohort.members.length > 0 ? (
          <ul className="people">
            {cohort.members.map((m) => (
              <li key={m.id}>
                {m.name ? `${m.name} (${m.username})` : m.username} · joined {new Date(m.joined_at).toLocaleDateString()}{" "}
                <button type="button" className="link" onClick={() => removeMember(m.id, m.username)}>
                  Remove{" "}
                  <span className="visually-hidden">{m.username}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p>No members yet.</p>
        )}
        <h3>Instructors</h3>
        <ul className="people">
          {cohort.instructors.map((i) => (
            <li key={i.id}>
              {i.name ? `${i.name} (${i.username})` : i.username}{" "}
              {cohort.instructors.length > 1 && (
                <button type="button" className="link" onClick={() => removeInstructor(i.id, i.username)}>
                  Remove{" "}
                  <span className="visually-hidden">{i.username}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
        <form onSubmit={addInstructor} className="inline-form" aria-label="Add a co-instructor">
          <div className="field">
            <label htmlFor="co-instructor">Add a co-instructor (username)</label>
            <input id="co-instructor" value={coInstructor} onChange={(e) => setCoInstructor(e.target.value)} required />
          </div>
          <button type="submit" className="secondary" disabled={!coInstructor.trim()}>
            Add
          </button>
        </form>
      </section>

      <section aria-labelledby="settings-title" className="card">
        <h2 id="settings-title">Settings</h2>
        <form onSubmit={rename} className="inline-form" aria-label="Rename the cohort">
          <div className="field">
            <label htmlFor="rename">Name</label>
            <input id="rename" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} required />
          </div>
          <button type="submit" className="secondary" disabled={!name.trim() || name === cohort.name}>
            Rename
          </button>
        </form>
        <p>
          <button type="button" className="danger" onClick={() => void deleteCohort()}>
            Delete this cohort
          </button>
        </p>
      </section>
    </>
  );
}
