import { crossed, formatClock, remainingAt, spokenClock } from "./countdown";

describe("the exam clock", () => {
  it("counts down from the server's value with the browser's monotonic clock", () => {
    const sync = { remaining: 7800, at: 1_000 };
    expect(remainingAt(sync, 1_000)).toBe(7800);
    expect(remainingAt(sync, 61_000)).toBe(7740);
    // A partial second still shows the second it is in, never a second too few.
    expect(remainingAt(sync, 1_500)).toBe(7800);
    expect(remainingAt(sync, 2_001)).toBe(7799);
  });

  it("stops at zero", () => {
    expect(remainingAt({ remaining: 5, at: 0 }, 60_000)).toBe(0);
  });

  it("warns once at 10 and at 5 minutes, also when a re-sync jumps over a threshold", () => {
    expect(crossed(601, 600)).toEqual([600]);
    expect(crossed(600, 599)).toEqual([]);
    expect(crossed(301, 300)).toEqual([300]);
    expect(crossed(900, 200)).toEqual([600, 300]);
    expect(crossed(200, 100)).toEqual([]);
  });

  it("formats hours, minutes and seconds as the exam screen shows them", () => {
    expect(formatClock(7800)).toBe("2:10:00");
    expect(formatClock(3599)).toBe("59:59");
    expect(formatClock(65)).toBe("1:05");
    expect(formatClock(-3)).toBe("0:00");
  });

  it("speaks the time in words for screen readers", () => {
    expect(spokenClock(3900)).toBe("1 hour 5 minutes left");
    expect(spokenClock(7200)).toBe("2 hours left");
    expect(spokenClock(61)).toBe("1 minute left");
    expect(spokenClock(1)).toBe("1 second left");
    expect(spokenClock(30)).toBe("30 seconds left");
  });
});
