import type { Item } from "../api/client";

interface Props {
  item: Item;
  matches: Record<string, string>;
  disabled: boolean;
  onChange: (matches: Record<string, string>) => void;
}

/** One select per prompt; an answer used for one prompt is not offered for another. */
export function MatchingControl({ item, matches, disabled, onChange }: Props) {
  const used = new Set(Object.values(matches));
  return (
    <div className="matching">
      <p className="hint">
        Match each item to one answer. Each answer can be used once
        {item.options.length > item.prompts.length ? "; some answers match nothing" : ""}.
      </p>
      {item.prompts.map((prompt) => {
        const id = `q${item.position}-prompt-${prompt.id}`;
        return (
          <div className="match-row" key={prompt.id}>
            <label htmlFor={id}>{prompt.text}</label>
            <select
              id={id}
              value={matches[prompt.id] ?? ""}
              disabled={disabled}
              onChange={(event) => {
                const next = { ...matches };
                if (event.target.value) next[prompt.id] = event.target.value;
                else delete next[prompt.id];
                onChange(next);
              }}
            >
              <option value="">Choose an answer…</option>
              {item.options.map((option) => (
                <option key={option.id} value={option.id} disabled={used.has(option.id) && matches[prompt.id] !== option.id}>
                  {option.text}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </div>
  );
}
