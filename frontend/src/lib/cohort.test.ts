import { masteryColour, percent, relative } from "./cohort";

describe("cohort helpers", () => {
  it("colours mastery red, amber and green around the pass line, grey when unknown", () => {
    expect(masteryColour(null)).toBe("#f3f4f6");
    expect(masteryColour(0.2)).toMatch(/^hsl\(0 /);
    expect(masteryColour(0.6)).toMatch(/^hsl\(40 /);
    expect(masteryColour(0.9)).toMatch(/^hsl\(140 /);
    // darker as it gets further from the middle, so the scale reads without colour
    expect(masteryColour(1)).not.toBe(masteryColour(0.75));
  });

  it("shows mastery as a whole percent", () => {
    expect(percent(0.733)).toBe("73%");
    expect(percent(null)).toBe("—");
  });

  it("says how far a due date is", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(relative("2026-11-29T12:00:00Z", now)).toBe("in 3 days");
    expect(relative("2026-11-26T10:00:00Z", now)).toBe("2 hours ago");
    expect(relative("2026-11-26T12:00:20Z", now)).toBe("in 1 minute");
  });
});
