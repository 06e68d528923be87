import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { api, describe, unwrap, type Cohort, type Exam } from "../api/client";
import { useAuth } from "../auth";

/** My cohorts; create one (instructors); join one by code. */
export function CohortsPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  const teaches = !!user && user.roles.includes("instructor"); // the API gives cohort staff this role too
  const [cohorts, setCohorts] = useState<Cohort[] | null>(null);
  const [exams, setExams] = useState<Exam[]>([]);
  const [name, setName] = useState("");
  const [exam, setExam] = useState("MLA-C01");
  const [code, setCode] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .GET("/api/cohorts/")
      .then((r) => setCohorts(unwrap(r)))
      .catch((e) => setError(describe(e)));
    api
      .GET("/api/exams/")
      .then((r) => setExams(unwrap(r)))
      .catch(() => setExams([]));
  }, []);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const created = unwrap(await api.POST("/api/cohorts/", { body: { name, exam } }));
      navigate(`/cohorts/${created.id}`);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  };

  const join = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/join/${encodeURIComponent(code.trim())}`);
  };

  const teaching = (cohorts ?? []).filter((c) => c.role !== "member");
  const member = (cohorts ?? []).filter((c) => c.role === "member");
  return (
    <main id="main">
      <h1>Cohorts</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cohorts === null ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          {teaches && (
            <section aria-labelledby="teaching-title" className="card">
              <h2 id="teaching-title">Cohorts I teach</h2>
              {teaching.length === 0 ? (
                <p>None yet.</p>
              ) : (
                <ul className="attempt-list">
                  {teaching.map((c) => (
                    <li key={c.id}>
                      <Link to={`/cohorts/${c.id}`}>{c.name}</Link> · {c.exam} · {c.member_count} member
                      {c.member_count === 1 ? "" : "s"} · code <code>{c.join_code}</code>
                    </li>
                  ))}
                </ul>
              )}
              <form onSubmit={create} className="inline-form" aria-label="Create a cohort">
                <div className="field">
                  <label htmlFor="cohort-name">New cohort name</label>
                  <input id="cohort-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} required />
                </div>
                <div className="field">
                  <label htmlFor="cohort-exam">Exam</label>
                  <select id="cohort-exam" value={exam} onChange={(e) => setExam(e.target.value)}>
                    {(exams.length ? exams.map((e) => e.code) : ["MLA-C01"]).map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="primary" disabled={busy || !name.trim()}>
                  Create cohort
                </button>
              </form>
            </section>
          )}
          <section aria-labelledby="member-title" className="card">
            <h2 id="member-title">Cohorts I belong to</h2>
            {member.length === 0 ? (
              <p>None yet.</p>
            ) : (
              <ul className="attempt-list">
                {member.map((c) => (
                  <li key={c.id}>
                    <Link to={`/cohorts/${c.id}`}>{c.name}</Link> · {c.exam} · taught by{" "}
                    {c.instructors.map((i) => i.name || i.username).join(", ")}
                  </li>
                ))}
              </ul>
            )}
            <form onSubmit={join} className="inline-form" aria-label="Join a cohort">
              <div className="field">
                <label htmlFor="join-code">Join code</label>
                <input
                  id="join-code"
                  value={code}
                  maxLength={40}
                  autoComplete="off"
                  placeholder="e.g. ABCD2345"
                  onChange={(e) => setCode(e.target.value)}
                  required
                />
              </div>
              <button type="submit" className="primary" disabled={!code.trim()}>
                Join
              </button>
            </form>
          </section>
        </>
      )}
    </main>
  );
}
