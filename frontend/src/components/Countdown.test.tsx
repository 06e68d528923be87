import { act, render, screen } from "@testing-library/react";
import { Countdown } from "./Countdown";

describe("the countdown", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows the server's time, warns at 10 and 5 minutes and ends at zero", () => {
    const warnings: string[] = [];
    const onZero = vi.fn();
    const sync = { remaining: 601, at: performance.now() };
    render(<Countdown sync={sync} onWarning={(m) => warnings.push(m)} onZero={onZero} />);
    expect(screen.getByRole("timer")).toHaveTextContent("10:01");
    expect(screen.getByRole("timer")).toHaveAccessibleName("10 minutes left");
    act(() => vi.advanceTimersByTime(1_500));
    expect(warnings).toEqual(["10 minutes left."]);
    act(() => vi.advanceTimersByTime(300_000));
    expect(warnings).toEqual(["10 minutes left.", "5 minutes left."]);
    expect(onZero).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(300_000));
    expect(screen.getByRole("timer")).toHaveTextContent("0:00");
    expect(onZero).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(5_000));
    expect(onZero).toHaveBeenCalledTimes(1);
  });

  it("re-syncs to a new server value without warning again", () => {
    const warnings: string[] = [];
    const { rerender } = render(
      <Countdown sync={{ remaining: 590, at: performance.now() }} onWarning={(m) => warnings.push(m)} onZero={() => {}} />,
    );
    act(() => vi.advanceTimersByTime(1_000));
    rerender(<Countdown sync={{ remaining: 585, at: performance.now() }} onWarning={(m) => warnings.push(m)} onZero={() => {}} />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.getByRole("timer")).toHaveTextContent("9:44");
    expect(warnings).toEqual([]);
  });

  it("says untimed for an untimed practice set", () => {
    render(<Countdown sync={null} onWarning={() => {}} onZero={() => {}} />);
    expect(screen.getByText("Untimed")).toBeInTheDocument();
  });
});
