import { useCallback, useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { api, describe, done, unwrap, type CohortDetail } from "../api/client";
import { MyAssignments } from "../components/MyAssignments";
import { InstructorView } from "../components/cohort/InstructorView";

/** One cohort: the instructors' screens, or a member's view of it. */
export function CohortPage() {
  const { cohortId = "" } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const [cohort, setCohort] = useState<CohortDetail | null>(null);
  const [error, setError] = useState("");
  const joined = (location.state as { joined?: boolean } | null)?.joined;

  const load = useCallback(async () => {
    try {
      setCohort(unwrap(await api.GET("/api/cohorts/{cohort_id}/", { params: { path: { cohort_id: cohortId } } })));
    } catch (e) {
      setError(describe(e));
    }
  }, [cohortId]);

  useEffect(() => {
    void load();
  }, [load]);

  const leave = async () => {
    if (!cohort || !window.confirm(`Leave ${cohort.name}? Your attempts stay yours.`)) return;
    try {
      done(await api.POST("/api/cohorts/{cohort_id}/leave/", { params: { path: { cohort_id: cohortId } } }));
      navigate("/cohorts", { replace: true });
    } catch (e) {
      setError(describe(e));
    }
  };

  if (error && !cohort)
    return (
      <main id="main">
        <p role="alert" className="error">
          {error}
        </p>
        <Link to="/cohorts">All cohorts</Link>
      </main>
    );
  if (!cohort) return <p aria-busy="true">Loading…</p>;
  return (
    <main id="main" className="cohort">
      <h1>
        {cohort.name} <span className="hint">· {cohort.exam}</span>
      </h1>
      {joined !== undefined && (
        <p role="status" className="notice">
          {joined ? `Welcome to ${cohort.name}.` : `You are already a member of ${cohort.name}.`}
        </p>
      )}
      {cohort.role === "member" ? (
        <>
          <p>Taught by {cohort.instructors.map((i) => i.name || i.username).join(", ")}.</p>
          <section aria-labelledby="mine-title" className="card">
            <h2 id="mine-title">My assignments</h2>
            <MyAssignments assignments={cohort.assignments} />
          </section>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="button" className="secondary" onClick={() => void leave()}>
            Leave this cohort
          </button>
        </>
      ) : (
        <InstructorView cohort={cohort} reload={load} />
      )}
    </main>
  );
}
