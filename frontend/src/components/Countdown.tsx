import { useEffect, useRef, useState } from "react";
import { crossed, formatClock, remainingAt, spokenClock, type ClockSync } from "../lib/countdown";

interface Props {
  sync: ClockSync | null; // null: untimed
  onWarning: (message: string) => void;
  onZero: () => void;
}

/** The countdown from the server's remaining time; warns at 10 and 5 minutes, ends at zero. */
export function Countdown({ sync, onWarning, onZero }: Props) {
  const [left, setLeft] = useState(() => (sync ? remainingAt(sync, performance.now()) : 0));
  const previous = useRef(left);
  const ended = useRef(false);
  useEffect(() => {
    if (!sync) return undefined;
    const tick = () => {
      const now = remainingAt(sync, performance.now());
      for (const threshold of crossed(previous.current, now)) {
        onWarning(`${threshold / 60} minutes left.`);
      }
      previous.current = now;
      setLeft(now);
      if (now <= 0 && !ended.current) {
        ended.current = true;
        onZero();
      }
    };
    tick();
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [sync, onWarning, onZero]);
  if (!sync) return <span className="countdown untimed">Untimed</span>;
  const urgent = left <= 300;
  return (
    <span className={`countdown${urgent ? " urgent" : ""}`} role="timer" aria-label={spokenClock(left)}>
      <span aria-hidden="true">
        <span className="countdown-label">Time left </span>
        {formatClock(left)}
      </span>
    </span>
  );
}
