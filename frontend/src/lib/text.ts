/**
 * Question text as authors write it in the bank files: lines wrapped at ~100 characters, blank
 * lines between paragraphs, and "- " lists whose items continue on indented lines. A wrapped line
 * is not a line break, so lines are joined into paragraphs and list items.
 */

export type Block = { kind: "p"; text: string } | { kind: "ul"; items: string[] };

const BULLET = /^\s*[-*]\s+/;

export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const chunk of text.trim().split(/\n\s*\n/)) {
    let paragraph: string[] = [];
    let list: string[] | null = null;
    const flushParagraph = () => {
      if (paragraph.length) out.push({ kind: "p", text: paragraph.join(" ") });
      paragraph = [];
    };
    const flushList = () => {
      if (list?.length) out.push({ kind: "ul", items: list });
      list = null;
    };
    for (const raw of chunk.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      if (BULLET.test(raw)) {
        flushParagraph();
        list ??= [];
        list.push(line.replace(BULLET, ""));
      } else if (list && /^\s+/.test(raw)) {
        list[list.length - 1] += ` ${line}`; // an indented continuation of the last item
      } else {
        flushList();
        paragraph.push(line);
      }
    }
    flushParagraph();
    flushList();
  }
  return out;
}
