import type { Answer, Item } from "../api/client";
import { isAnswered } from "../lib/answers";

interface Props {
  items: Item[];
  answers: Record<number, Answer | null>;
  flags: Record<number, boolean>;
  current: number;
  onGo: (position: number) => void;
}

/** Every question at a glance: answered, unanswered, flagged; a button each. */
export function Palette({ items, answers, flags, current, onGo }: Props) {
  return (
    <nav className="palette" aria-label="All questions">
      <ul>
        {items.map((item) => {
          const answered = isAnswered(answers[item.position]);
          const flagged = flags[item.position] ?? false;
          const state = [answered ? "answered" : "unanswered", flagged ? "flagged" : ""].filter(Boolean).join(", ");
          return (
            <li key={item.position}>
              <button
                type="button"
                className={`cell ${answered ? "answered" : "unanswered"}${flagged ? " flagged" : ""}${item.position === current ? " current" : ""}`}
                aria-label={`Question ${item.position}, ${state}`}
                aria-current={item.position === current ? "step" : undefined}
                onClick={() => onGo(item.position)}
              >
                {item.position}
                {flagged && <span aria-hidden="true">⚑</span>}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="legend">
        <span className="cell answered">1</span> answered <span className="cell unanswered">2</span> unanswered{" "}
        <span className="cell flagged">3⚑</span> flagged
      </p>
    </nav>
  );
}
