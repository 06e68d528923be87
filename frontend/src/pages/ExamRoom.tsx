import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, api, describe, unwrap, type Answer, type Attempt } from "../api/client";
import { Countdown } from "../components/Countdown";
import { Palette } from "../components/Palette";
import { QuestionView } from "../components/QuestionView";
import { isAnswered, isComplete, normalise } from "../lib/answers";
import type { ClockSync } from "../lib/countdown";
import { SaveQueue, type PendingSave, type SaveState, type SendOutcome } from "../lib/saveQueue";

const SAVE_TEXT: Record<SaveState, string> = {
  saved: "All answers saved",
  saving: "Saving…",
  offline: "Offline: answers are kept on this device and sent when the connection returns",
  error: "An answer could not be saved",
};

const MODE_TITLE: Record<string, string> = {
  full: "Full mock exam",
  final: "Final exam",
  practice: "Practice set",
  "weak-areas": "Weak-areas practice",
};

/** The exam room, modelled on the real test-delivery screen. */
export function ExamRoom() {
  const { attemptId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [answers, setAnswers] = useState<Record<number, Answer | null>>({});
  const [flags, setFlags] = useState<Record<number, boolean>>({});
  const [sync, setSync] = useState<ClockSync | null>(null);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [saveDetail, setSaveDetail] = useState("");
  const [warning, setWarning] = useState("");
  const [reviewing, setReviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  const spent = useRef<Record<number, number>>({});
  const viewing = useRef<{ position: number; since: number } | null>(null);

  const items = attempt?.items ?? [];
  const count = items.length;
  const current = Math.min(Math.max(Number(params.get("q") ?? "1") || 1, 1), Math.max(count, 1));
  const item = items[current - 1];

  const finish = useCallback(() => navigate(`/attempts/${attemptId}/result`, { replace: true }), [attemptId, navigate]);

  const queue = useMemo(() => {
    const send = async (position: number, save: PendingSave): Promise<SendOutcome> => {
      const { data, error: body, response } = await api.PUT("/api/attempts/{attempt_id}/items/{position}/", {
        params: { path: { attempt_id: attemptId, position } },
        body: save as never,
      });
      if (data) {
        if (data.remaining_seconds != null) setSync({ remaining: data.remaining_seconds, at: performance.now() });
        return { ok: true, remaining: data.remaining_seconds };
      }
      const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `error ${response.status}`;
      // The database may be restarting (503) or the server busy: try again. Anything else is final.
      return { ok: false, retry: response.status >= 500 || response.status === 429, message };
    };
    return new SaveQueue(attemptId, send);
  }, [attemptId]);

  useEffect(
    () =>
      queue.subscribe((state, detail) => {
        setSaveState(state);
        if (detail !== undefined) setSaveDetail(detail);
      }),
    [queue],
  );

  const load = useCallback(async () => {
    try {
      const data = unwrap(await api.GET("/api/attempts/{attempt_id}/", { params: { path: { attempt_id: attemptId } } }));
      if (data.status !== "in_progress") {
        finish();
        return;
      }
      // The server's answers, with anything still queued on this device on top (it is newer).
      const pending = queue.pending();
      const nextAnswers: Record<number, Answer | null> = {};
      const nextFlags: Record<number, boolean> = {};
      for (const it of data.items) {
        const queued = pending[String(it.position)];
        nextAnswers[it.position] = (queued ? queued.answer : it.answer) as Answer | null;
        nextFlags[it.position] = queued ? queued.flagged : it.flagged;
        spent.current[it.position] = Math.max(spent.current[it.position] ?? 0, queued?.seconds_spent ?? 0);
      }
      setAttempt(data);
      setAnswers(nextAnswers);
      setFlags(nextFlags);
      setSync(data.remaining_seconds != null ? { remaining: data.remaining_seconds, at: performance.now() } : null);
      void queue.flush();
    } catch (e) {
      setError(describe(e));
    }
  }, [attemptId, finish, queue]);

  useEffect(() => {
    void load();
  }, [load]);

  // Back online: send what was queued. Back to the tab: the server's clock again.
  useEffect(() => {
    const online = () => void queue.flush();
    const offline = () => setSaveState(queue.pending() && Object.keys(queue.pending()).length ? "offline" : "saved");
    const resync = async () => {
      if (document.visibilityState !== "visible") return;
      const { data } = await api.GET("/api/attempts/{attempt_id}/", { params: { path: { attempt_id: attemptId } } }).catch(
        () => ({ data: undefined }),
      );
      if (!data) return;
      if (data.status !== "in_progress") finish();
      else if (data.remaining_seconds != null) setSync({ remaining: data.remaining_seconds, at: performance.now() });
    };
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    window.addEventListener("focus", resync);
    document.addEventListener("visibilitychange", resync);
    const retry = window.setInterval(() => void queue.flush(), 5000);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      window.removeEventListener("focus", resync);
      document.removeEventListener("visibilitychange", resync);
      window.clearInterval(retry);
    };
  }, [attemptId, finish, queue]);

  // Time on each question, as a running total sent with its saves.
  useEffect(() => {
    const now = performance.now();
    const previous = viewing.current;
    if (previous) spent.current[previous.position] = (spent.current[previous.position] ?? 0) + (now - previous.since) / 1000;
    viewing.current = { position: current, since: now };
  }, [current]);

  // Focus moves to the new question's (or the review screen's) heading, for keyboard and screen reader users.
  useEffect(() => {
    headingRef.current?.focus();
  }, [current, reviewing, attempt?.id]);

  const secondsOn = (position: number): number => {
    const view = viewing.current;
    const extra = view && view.position === position ? (performance.now() - view.since) / 1000 : 0;
    return Math.round((spent.current[position] ?? 0) + extra);
  };

  const save = (position: number, answer: Answer | null, flagged: boolean) => {
    void queue.enqueue(position, { answer: normalise(answer), flagged, seconds_spent: secondsOn(position) });
  };

  const onAnswer = (answer: Answer | null) => {
    if (!item) return;
    setAnswers((all) => ({ ...all, [item.position]: answer }));
    save(item.position, answer, flags[item.position] ?? false);
  };

  const toggleFlag = () => {
    if (!item) return;
    const flagged = !(flags[item.position] ?? false);
    setFlags((all) => ({ ...all, [item.position]: flagged }));
    save(item.position, answers[item.position] ?? null, flagged);
  };

  const go = (position: number) => {
    const already = position === current && !reviewing;
    setReviewing(false);
    setParams({ q: String(position) });
    // Choosing the question already shown changes nothing, so the effect above does not run: move focus here.
    if (already) headingRef.current?.focus();
  };

  const submit = useCallback(async () => {
    setBusy(true);
    try {
      await queue.flush();
      unwrap(await api.POST("/api/attempts/{attempt_id}/submit/", { params: { path: { attempt_id: attemptId } } }));
      finish();
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  }, [attemptId, finish, queue]);

  const onWarning = useCallback((message: string) => setWarning(message), []);
  const onZero = useCallback(() => {
    setWarning("Time is up. Your exam is being submitted.");
    void submit();
  }, [submit]);

  const check = async () => {
    if (!item) return;
    setBusy(true);
    try {
      await queue.flush();
      const data = unwrap(
        await api.POST("/api/attempts/{attempt_id}/items/{position}/lock/", {
          params: { path: { attempt_id: attemptId, position: item.position } },
        }),
      );
      setAttempt((a) => (a ? { ...a, items: a.items.map((it) => (it.position === item.position ? data.item : it)) } : a));
    } catch (e) {
      setError(e instanceof ApiError && e.code === "unanswered" ? "Answer the question before checking it." : describe(e));
    } finally {
      setBusy(false);
    }
  };

  if (error && !attempt) return <p role="alert" className="error">{error}</p>;
  if (!attempt || !item) return <p aria-busy="true">Loading the exam…</p>;

  const unanswered = items.filter((it) => !isComplete(it, answers[it.position]));
  const flagged = items.filter((it) => flags[it.position]);
  const immediate = attempt.feedback === "immediate";

  return (
    <div className="exam-room">
      <header className="exam-bar">
        <h1>
          {MODE_TITLE[attempt.mode] ?? "Exam"} · {attempt.exam}
        </h1>
        <Countdown sync={sync} onWarning={onWarning} onZero={onZero} />
        <span className={`save-state ${saveState}`} role="status" aria-live="polite">
          {SAVE_TEXT[saveState]}
          {saveState === "error" && saveDetail ? `: ${saveDetail}` : ""}
        </span>
      </header>
      <div className="warning-region" role="alert" aria-live="assertive">
        {warning && <p className="warning">{warning}</p>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="exam-layout">
        <main id="main" className="exam-main">
          {reviewing ? (
            <section aria-labelledby="review-title" className="review">
              <h2 id="review-title" ref={headingRef} tabIndex={-1}>
                Review before you submit
              </h2>
              <p>
                {count - unanswered.length} of {count} questions answered; {flagged.length} flagged for review.
              </p>
              <h3>Unanswered or incomplete ({unanswered.length})</h3>
              <ul className="review-list">
                {unanswered.map((it) => (
                  <li key={it.position}>
                    <button type="button" className="link" onClick={() => go(it.position)}>
                      Question {it.position}
                      {isAnswered(answers[it.position]) ? " (incomplete)" : ""}
                    </button>
                  </li>
                ))}
              </ul>
              <h3>Flagged for review ({flagged.length})</h3>
              <ul className="review-list">
                {flagged.map((it) => (
                  <li key={it.position}>
                    <button type="button" className="link" onClick={() => go(it.position)}>
                      Question {it.position}
                    </button>
                  </li>
                ))}
              </ul>
              {confirming ? (
                <div role="alertdialog" aria-labelledby="confirm-title" className="confirm">
                  <p id="confirm-title">
                    Submit the exam now?{" "}
                    {unanswered.length ? `${unanswered.length} question(s) are unanswered or incomplete and will score as wrong. ` : ""}
                    You cannot change answers afterwards.
                  </p>
                  <button type="button" className="primary" disabled={busy} onClick={() => void submit()} autoFocus>
                    Yes, submit
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                    Keep working
                  </button>
                </div>
              ) : (
                <button type="button" className="primary" onClick={() => setConfirming(true)}>
                  Submit exam
                </button>
              )}
            </section>
          ) : (
            <section aria-labelledby="question-title">
              <h2 id="question-title" ref={headingRef} tabIndex={-1}>
                Question {current} of {count}
              </h2>
              <QuestionView item={item} answer={answers[item.position] ?? null} disabled={busy} onAnswer={onAnswer} />
              <div className="exam-actions">
                <button type="button" className="secondary" disabled={current <= 1} onClick={() => go(current - 1)}>
                  ← Previous
                </button>
                <button type="button" className={`secondary flag${flags[item.position] ? " on" : ""}`} aria-pressed={flags[item.position] ?? false} onClick={toggleFlag}>
                  {flags[item.position] ? "⚑ Flagged for review" : "⚐ Flag for review"}
                </button>
                {immediate && !item.locked && (
                  <button type="button" className="primary" disabled={busy || !isAnswered(answers[item.position])} onClick={() => void check()}>
                    Check answer
                  </button>
                )}
                {current < count ? (
                  <button type="button" className="primary" onClick={() => go(current + 1)}>
                    Next →
                  </button>
                ) : (
                  <button type="button" className="primary" onClick={() => setReviewing(true)}>
                    Review and submit
                  </button>
                )}
              </div>
            </section>
          )}
        </main>
        <aside className="exam-side">
          <Palette items={items} answers={answers} flags={flags} current={reviewing ? 0 : current} onGo={go} />
          {!reviewing && (
            <button type="button" className="secondary" onClick={() => setReviewing(true)}>
              Review all and submit
            </button>
          )}
        </aside>
      </div>
    </div>
  );
}

