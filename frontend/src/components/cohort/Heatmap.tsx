import { useState } from "react";
import { api, describe, unwrap, type Dashboard, type Heatmap as HeatmapData } from "../../api/client";
import { masteryColour, percent } from "../../lib/cohort";

interface Props {
  cohortId: number;
  dashboard: Dashboard;
}

function Cell({ value }: { value: number | null | undefined }) {
  return (
    <td className="heat" style={{ background: masteryColour(value) }}>
      {percent(value)}
    </td>
  );
}

/** Members × domains of mastery; a domain's header opens its task statements. */
export function Heatmap({ cohortId, dashboard }: Props) {
  const [drill, setDrill] = useState<HeatmapData | null>(null);
  const [error, setError] = useState("");

  const open = async (domain: number) => {
    setError("");
    try {
      setDrill(
        unwrap(
          await api.GET("/api/cohorts/{cohort_id}/heatmap/", {
            params: { path: { cohort_id: String(cohortId) }, query: { domain } },
          }),
        ),
      );
    } catch (e) {
      setError(describe(e));
    }
  };

  if (!dashboard.learners.length) return <p>No members yet: share the join code.</p>;
  return (
    <div className="heatmap-wrap">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {drill ? (
        <>
          <p>
            <button type="button" className="link" onClick={() => setDrill(null)}>
              ← All domains
            </button>
          </p>
          <table className="heatmap">
            <caption>
              Mastery by task statement: domain {drill.domain.number}, {drill.domain.name}
            </caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                {drill.task_statements.map((t) => (
                  <th scope="col" key={t.code} title={t.title}>
                    {t.code}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {drill.learners.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.username}</th>
                  {l.cells.map((c, i) => (
                    <Cell key={i} value={c} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <table className="heatmap">
          <caption>Mastery by domain (open a domain for its task statements)</caption>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              {dashboard.domains.map((d) => (
                <th scope="col" key={d.number}>
                  <button type="button" className="link" onClick={() => void open(d.number)} title={d.name}>
                    Domain {d.number}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dashboard.learners.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.username}</th>
                {l.domains.map((c, i) => (
                  <Cell key={i} value={c} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="legend">
        <span className="heat-key" style={{ background: masteryColour(0.3) }}>
          below 50%
        </span>
        <span className="heat-key" style={{ background: masteryColour(0.6) }}>
          50–71%
        </span>
        <span className="heat-key" style={{ background: masteryColour(0.85) }}>
          72% and over
        </span>
        <span className="heat-key" style={{ background: masteryColour(null) }}>
          no answers yet
        </span>
      </p>
    </div>
  );
}
