import { Suspense, lazy, type ReactNode } from "react";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router";
import { AuthProvider, useAuth } from "./auth";
import { ExamRoom } from "./pages/ExamRoom";
import { Home } from "./pages/Home";
import { CohortsPage } from "./pages/CohortsPage";
import { JoinPage } from "./pages/JoinPage";
import { SignIn } from "./pages/SignIn";

// The chart pages load their charting library only when opened.
const ResultPage = lazy(() => import("./pages/ResultPage").then((m) => ({ default: m.ResultPage })));
const ProgressPage = lazy(() => import("./pages/ProgressPage").then((m) => ({ default: m.ProgressPage })));
const CohortPage = lazy(() => import("./pages/CohortPage").then((m) => ({ default: m.CohortPage })));

function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <p aria-busy="true">Loading…</p>;
  if (!user) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return <Suspense fallback={<p aria-busy="true">Loading…</p>}>{children}</Suspense>;
}

function Header() {
  const { user, signOut } = useAuth();
  return (
    <header className="site-header">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        mlaexam
      </Link>
      <nav aria-label="Main">
        {user ? (
          <>
            <Link to="/">Home</Link>
            <Link to="/progress">Progress</Link>
            <Link to="/cohorts">Cohorts</Link>
            <span className="who">{user.username}</span>
            <button type="button" className="link" onClick={() => void signOut()}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <Link to="/signin">Sign in</Link>
            <Link to="/signup">Sign up</Link>
          </>
        )}
      </nav>
    </header>
  );
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Header />
        <Routes>
          <Route path="/signin" element={<SignIn />} />
          <Route path="/signup" element={<SignIn signUp />} />
          <Route path="/" element={<RequireUser><Home /></RequireUser>} />
          <Route path="/attempts/:attemptId" element={<RequireUser><ExamRoom /></RequireUser>} />
          <Route path="/attempts/:attemptId/result" element={<RequireUser><ResultPage /></RequireUser>} />
          <Route path="/progress" element={<RequireUser><ProgressPage /></RequireUser>} />
          <Route path="/cohorts" element={<RequireUser><CohortsPage /></RequireUser>} />
          <Route path="/cohorts/:cohortId" element={<RequireUser><CohortPage /></RequireUser>} />
          <Route path="/join/:code" element={<RequireUser><JoinPage /></RequireUser>} />
          <Route path="*" element={<main id="main"><h1>Page not found</h1><Link to="/">Home</Link></main>} />
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
