import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import type { Assignment } from "../api/client";
import { MyAssignments } from "./MyAssignments";

const base: Assignment = {
  id: 1,
  cohort: 7,
  cohort_name: "Evening class",
  exam: "MLA-C01",
  title: "Week 1 mock",
  mode: "full",
  count: null,
  filters: {},
  timed: true,
  feedback: "end",
  opens_at: "2026-11-01T00:00:00Z",
  due_at: "2099-01-01T00:00:00Z",
  max_attempts: null,
  status: "not_started",
  attempts: [],
  attempts_left: null,
  open_attempt: null,
  progress: null,
};

function show(assignments: Assignment[]) {
  render(
    <MemoryRouter>
      <MyAssignments assignments={assignments} showCohort />
    </MemoryRouter>,
  );
}

describe("a learner's assignments", () => {
  it("offers Start for a new one and names the cohort", () => {
    show([base]);
    expect(screen.getByText("Not started")).toBeInTheDocument();
    expect(screen.getByText(/Evening class · Full mock exam/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Start Week 1 mock" })).toBeEnabled();
  });

  it("offers Resume for one in progress", () => {
    show([{ ...base, status: "in_progress", open_attempt: "a1b2", attempts_left: 0 }]);
    expect(screen.getByRole("button", { name: "Resume Week 1 mock" })).toBeInTheDocument();
  });

  it("links the graded result and offers nothing more once the attempts are used", () => {
    const attempt = { id: "a1", status: "graded" as const, started_at: "", submitted_at: "", scaled_score: 760, passed: true, late: false };
    show([{ ...base, status: "graded", attempts: [attempt], attempts_left: 0, max_attempts: 1 }]);
    expect(screen.getByRole("link", { name: "Result: 760 (pass)" })).toHaveAttribute("href", "/attempts/a1/result");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(screen.getByText(/0 attempts left/)).toBeInTheDocument();
  });

  it("does not start one that has not opened", () => {
    show([{ ...base, status: "upcoming", opens_at: "2099-01-01T00:00:00Z", due_at: "2099-02-01T00:00:00Z" }]);
    expect(screen.getByText("Opens later")).toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("says so when there is nothing assigned", () => {
    show([]);
    expect(screen.getByText("No assignments yet.")).toBeInTheDocument();
  });
});
