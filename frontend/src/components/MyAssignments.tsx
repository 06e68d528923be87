import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, describe, unwrap, type Assignment } from "../api/client";
import { MODE_TEXT, STATUS_TEXT, relative } from "../lib/cohort";

interface Props {
  assignments: Assignment[];
  showCohort?: boolean;
}

/** A learner's assignments with their status and the one action that fits: start, resume or read. */
export function MyAssignments({ assignments, showCohort = false }: Props) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState("");

  const start = async (a: Assignment) => {
    setBusy(a.id);
    setError("");
    try {
      const attempt = unwrap(
        await api.POST("/api/cohorts/{cohort_id}/assignments/{assignment_id}/start/", {
          params: { path: { cohort_id: String(a.cohort), assignment_id: String(a.id) } },
        }),
      );
      navigate(`/attempts/${attempt.id}`);
    } catch (e) {
      setError(describe(e));
      setBusy(null);
    }
  };

  if (!assignments.length) return <p>No assignments yet.</p>;
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="assignment-list">
        {assignments.map((a) => {
          const graded = a.attempts?.find((t) => t.status === "graded");
          const canStart = a.status !== "upcoming" && (a.attempts_left == null || a.attempts_left > 0 || !!a.open_attempt);
          return (
            <li key={a.id} className="assignment">
              <div>
                <strong>{a.title}</strong>{" "}
                <span className={`status status-${a.status}`}>{STATUS_TEXT[a.status ?? ""] ?? a.status}</span>
                <div className="hint">
                  {showCohort && `${a.cohort_name} · `}
                  {MODE_TEXT[a.mode]}
                  {a.mode === "practice" && a.count ? ` of ${a.count}` : ""} · {a.exam} · due{" "}
                  <time dateTime={a.due_at} title={new Date(a.due_at).toLocaleString()}>
                    {relative(a.due_at)}
                  </time>
                  {a.status === "upcoming" && ` · opens ${relative(a.opens_at)}`}
                  {a.attempts_left != null && ` · ${a.attempts_left} attempt${a.attempts_left === 1 ? "" : "s"} left`}
                </div>
              </div>
              <div className="assignment-actions">
                {graded && (
                  <Link to={`/attempts/${graded.id}/result`}>
                    Result: {graded.scaled_score} ({graded.passed ? "pass" : "fail"})
                  </Link>
                )}
                {canStart && (
                  <button
                    type="button"
                    className={a.open_attempt ? "primary" : graded ? "secondary" : "primary"}
                    disabled={busy === a.id}
                    onClick={() => (a.open_attempt ? navigate(`/attempts/${a.open_attempt}`) : void start(a))}
                  >
                    {a.open_attempt ? "Resume" : graded ? "Try again" : "Start"}
                    {" "}
                    <span className="visually-hidden">{a.title}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
