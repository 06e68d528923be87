import type { Feedback, Item } from "../api/client";
import { Text } from "./Text";

interface Props {
  item: Item;
  feedback: Feedback;
}

function keyText(item: Item, feedback: Feedback): string[] {
  const text = new Map(item.options.map((o) => [o.id, o.text]));
  const prompts = new Map(item.prompts.map((p) => [p.id, p.text]));
  const key = feedback.key as Record<string, unknown>;
  if (Array.isArray(key.selected)) return (key.selected as string[]).map((id) => text.get(id) ?? id);
  if (Array.isArray(key.order)) return (key.order as string[]).map((id, i) => `${i + 1}. ${text.get(id) ?? id}`);
  return Object.entries((key.matches ?? {}) as Record<string, string>).map(
    ([prompt, option]) => `${prompts.get(prompt) ?? prompt} → ${text.get(option) ?? option}`,
  );
}

/** The key, every option's explanation and the references: after grading, or once locked. */
export function FeedbackPanel({ item, feedback }: Props) {
  const prompts = new Map(item.prompts.map((p) => [p.id, p.text]));
  const answer = item.answer as Record<string, unknown> | null;
  const chose = new Set(answer && Array.isArray(answer.selected) ? (answer.selected as string[]) : []);
  return (
    <section className={`feedback ${feedback.correct ? "right" : "wrong"}`} aria-label="Feedback">
      <p className="verdict">{feedback.correct ? "Correct." : "Not correct."}</p>
      <div className="key">
        <strong>The answer:</strong>
        <ul>
          {keyText(item, feedback).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <ul className="explanations">
        {feedback.options.map((option) => (
          <li key={option.id} className={option.correct ? "is-key" : ""}>
            <p className="option-text">
              {option.correct === true && <span className="tag key-tag">Key</span>}
              {option.correct === false && <span className="tag">Distractor</span>}
              {chose.has(option.id) && <span className="tag chosen-tag">Your answer</span>}
              {option.position != null && <span className="tag">Position {option.position}</span>}
              {item.type === "matching" && (
                <span className="tag">{option.prompt_id ? `Matches: ${prompts.get(option.prompt_id)}` : "Matches nothing"}</span>
              )}{" "}
              {option.text}
            </p>
            <Text className="why" text={option.explanation} />
          </li>
        ))}
      </ul>
      <Text className="overall" text={feedback.explanation} />
      {feedback.references.length > 0 && (
        <p className="references">
          Read more:{" "}
          {feedback.references.map((url, i) => (
            <span key={url}>
              {i > 0 && " · "}
              <a href={url} target="_blank" rel="noopener noreferrer">
                {url.replace(/^https:\/\/(docs\.)?aws\.amazon\.com\//, "").slice(0, 70)}
              </a>
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
