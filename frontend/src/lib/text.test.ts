import { blocks } from "./text";

describe("bank text", () => {
  it("joins wrapped lines and keeps blank-line paragraphs", () => {
    expect(blocks("A hospital network\nbuilds a model.\n\nWhich approach\nis best?\n")).toEqual([
      { kind: "p", text: "A hospital network builds a model." },
      { kind: "p", text: "Which approach is best?" },
    ]);
  });

  it("keeps lists, with indented continuation lines, and the question after them", () => {
    const stem = "The results are:\n- Model A flags 500,\n  of which 390 are phishing.\n- Model B flags 440.\nWhich model?";
    expect(blocks(stem)).toEqual([
      { kind: "p", text: "The results are:" },
      { kind: "ul", items: ["Model A flags 500, of which 390 are phishing.", "Model B flags 440."] },
      { kind: "p", text: "Which model?" },
    ]);
  });

  it("returns nothing for empty text", () => {
    expect(blocks("  \n ")).toEqual([]);
  });
});
