import type { Answer, Item } from "../api/client";
import { ChoiceControl } from "./ChoiceControl";
import { FeedbackPanel } from "./FeedbackPanel";
import { MatchingControl } from "./MatchingControl";
import { OrderingControl } from "./OrderingControl";
import { Text } from "./Text";

interface Props {
  item: Item;
  answer: Answer | null;
  disabled: boolean;
  onAnswer: (answer: Answer | null) => void;
}

/** One question: its case-study scenario beside it, the stem, and the control for its type. */
export function QuestionView({ item, answer, disabled, onAnswer }: Props) {
  const locked = disabled || item.locked;
  let control;
  if (item.type === "multiple_choice" || item.type === "multiple_response") {
    const selected = answer && "selected" in answer ? answer.selected : [];
    control = <ChoiceControl item={item} selected={selected} disabled={locked} onChange={(s) => onAnswer({ selected: s })} />;
  } else if (item.type === "ordering") {
    const order = answer && "order" in answer ? answer.order : null;
    control = <OrderingControl item={item} order={order} disabled={locked} onChange={(o) => onAnswer({ order: o })} />;
  } else {
    const matches = answer && "matches" in answer ? answer.matches : {};
    control = <MatchingControl item={item} matches={matches} disabled={locked} onChange={(m) => onAnswer({ matches: m })} />;
  }
  return (
    <div className={`question${item.case ? " with-case" : ""}`}>
      {item.case && (
        <aside className="case" aria-label="Case study">
          <h3>Case study: {item.case.title}</h3>
          <Text text={item.case.scenario} />
        </aside>
      )}
      <div className="question-body">
        <Text className="stem" text={item.stem} />
        {control}
        {item.feedback && <FeedbackPanel item={item} feedback={item.feedback} />}
      </div>
    </div>
  );
}
