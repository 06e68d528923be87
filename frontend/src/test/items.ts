import type { Item } from "../api/client";

const base = { case: null, prompts: [], choose: null, answer: null, flagged: false, locked: false, feedback: null };

export const choiceItem: Item = {
  ...base,
  position: 1,
  type: "multiple_choice",
  stem: "Which instance family suits vision training?",
  options: [
    { id: "A", text: "C5" },
    { id: "B", text: "P3" },
    { id: "C", text: "T3" },
  ],
};

export const responseItem: Item = {
  ...base,
  position: 2,
  type: "multiple_response",
  stem: "Which two detect drift?",
  choose: 2,
  options: [
    { id: "A", text: "SageMaker Model Monitor" },
    { id: "B", text: "CloudWatch alarms on data quality metrics" },
    { id: "C", text: "AWS Config" },
    { id: "D", text: "Amazon Macie" },
  ],
};

export const orderingItem: Item = {
  ...base,
  position: 3,
  type: "ordering",
  stem: "Put the steps in order.",
  options: [
    { id: "A", text: "Prepare data" },
    { id: "B", text: "Train" },
    { id: "C", text: "Deploy" },
  ],
};

export const matchingItem: Item = {
  ...base,
  position: 4,
  type: "matching",
  stem: "Match each need to a service.",
  prompts: [
    { id: "1", text: "Label images" },
    { id: "2", text: "Detect drift" },
  ],
  options: [
    { id: "A", text: "SageMaker Ground Truth" },
    { id: "B", text: "SageMaker Model Monitor" },
    { id: "C", text: "Amazon Athena" },
  ],
};
