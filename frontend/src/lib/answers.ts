import type { Answer, Item } from "../api/client";

/** Whether an answer counts as answered for the palette and the review screen. */
export function isAnswered(answer: Answer | null | undefined): boolean {
  if (!answer) return false;
  if ("selected" in answer) return answer.selected.length > 0;
  if ("order" in answer) return answer.order.length > 0;
  return Object.keys(answer.matches).length > 0;
}

/** A partial answer still counts as given, but the review screen says it is incomplete. */
export function isComplete(item: Item, answer: Answer | null | undefined): boolean {
  if (!answer) return false;
  if ("selected" in answer) return answer.selected.length === (item.choose ?? 1);
  if ("order" in answer) return answer.order.length === item.options.length;
  return Object.keys(answer.matches).length === item.prompts.length;
}

/** Normalise: an empty selection or no matches is "no answer" (null), as the server stores it. */
export function normalise(answer: Answer | null): Answer | null {
  return answer && isAnswered(answer) ? answer : null;
}
