import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError, api, describe, unwrap } from "../api/client";
import { useAuth } from "../auth";

function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.fields) return {};
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, messages]) => [field, Array.isArray(messages) ? messages.join(" ") : String(messages)]),
  );
}

/** Sign in, or sign up when `signUp` is set: one form, two endpoints. */
export function SignIn({ signUp = false }: { signUp?: boolean }) {
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const next = (location.state as { from?: string } | null)?.from ?? "/";

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    setFields({});
    try {
      if (signUp) unwrap(await api.POST("/api/auth/register/", { body: { username, password, email } }));
      else unwrap(await api.POST("/api/auth/login/", { body: { username, password } }));
      await refresh();
      navigate(next, { replace: true });
    } catch (e) {
      setError(describe(e));
      setFields(fieldErrors(e));
    } finally {
      setBusy(false);
    }
  };

  const title = signUp ? "Create your account" : "Sign in";
  return (
    <main id="main" className="narrow">
      <h1>{title}</h1>
      <form onSubmit={onSubmit} noValidate>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <label htmlFor="username">Username</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required aria-invalid={!!fields.username} aria-describedby={fields.username ? "username-error" : undefined} />
        {fields.username && <p id="username-error" className="field-error">{fields.username}</p>}
        {signUp && (
          <>
            <label htmlFor="email">Email (optional)</label>
            <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={!!fields.email} />
            {fields.email && <p className="field-error">{fields.email}</p>}
          </>
        )}
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete={signUp ? "new-password" : "current-password"} value={password} onChange={(e) => setPassword(e.target.value)} required aria-invalid={!!fields.password} aria-describedby={fields.password ? "password-error" : undefined} />
        {fields.password && <p id="password-error" className="field-error">{fields.password}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {signUp ? "Sign up" : "Sign in"}
        </button>
      </form>
      <p>
        {signUp ? (
          <>
            Have an account?{" "}
            <Link to="/signin" state={{ from: next }}>
              Sign in
            </Link>
          </>
        ) : (
          <>
            New here?{" "}
            <Link to="/signup" state={{ from: next }}>
              Create an account
            </Link>
          </>
        )}
      </p>
    </main>
  );
}
