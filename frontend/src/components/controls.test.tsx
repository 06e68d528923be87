import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import type { Answer, Item } from "../api/client";
import { choiceItem, matchingItem, orderingItem, responseItem } from "../test/items";
import { QuestionView } from "./QuestionView";

/** The question as the exam room holds it: the answer lives in state, every change is recorded. */
function Harness({ item, initial = null, changes }: { item: Item; initial?: Answer | null; changes: Array<Answer | null> }) {
  const [answer, setAnswer] = useState<Answer | null>(initial);
  return (
    <QuestionView
      item={item}
      answer={answer}
      disabled={false}
      onAnswer={(next) => {
        changes.push(next);
        setAnswer(next);
      }}
    />
  );
}

describe("multiple choice", () => {
  it("is a radio group: one option at a time, by click or arrow keys", async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={choiceItem} changes={changes} />);
    const radios = screen.getAllByRole("radio");
    expect(radios).toHaveLength(3);
    await user.click(screen.getByLabelText("P3"));
    expect(screen.getByLabelText("P3")).toBeChecked();
    await user.keyboard("{ArrowDown}");
    expect(screen.getByLabelText("T3")).toBeChecked();
    expect(screen.getByLabelText("P3")).not.toBeChecked();
    expect(changes.at(-1)).toEqual({ selected: ["C"] });
  });
});

describe("multiple response", () => {
  it('says "choose N" and stops at N', async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={responseItem} changes={changes} />);
    expect(screen.getByText("Choose 2. 0 of 2 selected.")).toBeInTheDocument();
    await user.click(screen.getByLabelText("SageMaker Model Monitor"));
    await user.click(screen.getByLabelText("CloudWatch alarms on data quality metrics"));
    expect(screen.getByText("Choose 2. 2 of 2 selected.")).toBeInTheDocument();
    // The other two can no longer be ticked...
    expect(screen.getByLabelText("AWS Config")).toBeDisabled();
    await user.click(screen.getByLabelText("Amazon Macie"));
    expect(screen.getByLabelText("Amazon Macie")).not.toBeChecked();
    expect(changes.at(-1)).toEqual({ selected: ["A", "B"] });
    // ...until one is unticked, by keyboard here.
    screen.getByLabelText("SageMaker Model Monitor").focus();
    await user.keyboard(" ");
    expect(screen.getByLabelText("AWS Config")).toBeEnabled();
    expect(changes.at(-1)).toEqual({ selected: ["B"] });
  });
});

describe("ordering", () => {
  it("moves steps with the up and down buttons and reports the order", async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={orderingItem} changes={changes} />);
    expect(screen.getByText("Not answered yet.", { exact: false })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: 'Move "Deploy" up' }));
    expect(changes.at(-1)).toEqual({ order: ["A", "C", "B"] });
    await user.click(screen.getByRole("button", { name: 'Move "Prepare data" down' }));
    expect(changes.at(-1)).toEqual({ order: ["C", "A", "B"] });
    const rows = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(rows[0]).toContain("Deploy");
    // The first step cannot move up, the last cannot move down.
    expect(screen.getByRole("button", { name: 'Move "Deploy" up' })).toBeDisabled();
    expect(screen.getByRole("button", { name: 'Move "Train" down' })).toBeDisabled();
  });

  it("can keep the shown order as the answer, by keyboard", async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={orderingItem} changes={changes} />);
    screen.getByRole("button", { name: "Keep this order as my answer" }).focus();
    await user.keyboard("{Enter}");
    expect(changes).toEqual([{ order: ["A", "B", "C"] }]);
    expect(screen.queryByRole("button", { name: "Keep this order as my answer" })).not.toBeInTheDocument();
  });

  it("offers drag handles that say how to move them by keyboard", () => {
    render(<Harness item={orderingItem} changes={[]} />);
    const handle = screen.getByLabelText("Drag Train");
    expect(handle).toHaveAttribute("tabindex", "0");
    expect(handle).toHaveAttribute("title", "Drag, or press Space then the arrow keys");
  });
});

describe("matching", () => {
  it("has one labelled select per prompt and does not offer an answer twice", async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={matchingItem} changes={changes} />);
    const label = screen.getByLabelText("Label images");
    const drift = screen.getByLabelText("Detect drift");
    await user.selectOptions(label, "A");
    expect(changes.at(-1)).toEqual({ matches: { "1": "A" } });
    const taken = Array.from((drift as HTMLSelectElement).options).find((o) => o.value === "A")!;
    expect(taken.disabled).toBe(true);
    await user.selectOptions(drift, "B");
    expect(changes.at(-1)).toEqual({ matches: { "1": "A", "2": "B" } });
    // Choosing the empty entry clears that prompt only.
    await user.selectOptions(label, "");
    expect(changes.at(-1)).toEqual({ matches: { "2": "B" } });
    expect(screen.getByText(/some answers match nothing/)).toBeInTheDocument();
  });
});

describe("a locked answer (immediate feedback)", () => {
  it("cannot be changed", async () => {
    const user = userEvent.setup();
    const changes: Array<Answer | null> = [];
    render(<Harness item={{ ...choiceItem, locked: true }} initial={{ selected: ["B"] }} changes={changes} />);
    await user.click(screen.getByLabelText("C5"));
    expect(changes).toEqual([]);
    expect(screen.getByLabelText("P3")).toBeChecked();
  });
});
