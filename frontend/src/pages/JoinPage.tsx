import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, describe, unwrap } from "../api/client";

/** A join link (/join/CODE): joins, then opens the cohort. Signed-out visitors sign in first. */
export function JoinPage() {
  const { code = "" } = useParams();
  const navigate = useNavigate();
  const [error, setError] = useState("");
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return; // once, even under StrictMode's double effects
    sent.current = true;
    api
      .POST("/api/cohorts/join/", { body: { code } })
      .then((r) => {
        const joined = unwrap(r);
        navigate(`/cohorts/${joined.cohort.id}`, { replace: true, state: { joined: joined.joined } });
      })
      .catch((e) => setError(describe(e)));
  }, [code, navigate]);

  return (
    <main id="main" className="narrow">
      <h1>Joining a cohort</h1>
      {error ? (
        <>
          <p role="alert" className="error">
            {error}
          </p>
          <p>
            <Link to="/cohorts">Enter a code on the cohorts page</Link>
          </p>
        </>
      ) : (
        <p aria-busy="true">Joining with code {code}…</p>
      )}
    </main>
  );
}
