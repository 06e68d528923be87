import type { Item } from "../api/client";

interface Props {
  item: Item;
  selected: string[];
  disabled: boolean;
  onChange: (selected: string[]) => void;
}

/** Radio buttons for multiple choice; checkboxes that stop at "choose N" for multiple response. */
export function ChoiceControl({ item, selected, disabled, onChange }: Props) {
  const multiple = item.type === "multiple_response";
  const limit = item.choose ?? 1;
  const full = multiple && selected.length >= limit;
  const name = `q${item.position}`;
  return (
    <fieldset className="choices">
      <legend className="visually-hidden">Answer options for question {item.position}</legend>
      {multiple && (
        <p className="choose" id={`${name}-choose`}>
          Choose {limit}. {selected.length} of {limit} selected.
        </p>
      )}
      {item.options.map((option) => {
        const checked = selected.includes(option.id);
        const blocked = multiple && full && !checked;
        return (
          <label key={option.id} className={`choice${checked ? " checked" : ""}${blocked ? " blocked" : ""}`}>
            <input
              type={multiple ? "checkbox" : "radio"}
              name={name}
              value={option.id}
              checked={checked}
              disabled={disabled || blocked}
              aria-describedby={multiple ? `${name}-choose` : undefined}
              onChange={() => {
                if (!multiple) onChange([option.id]);
                else onChange(checked ? selected.filter((id) => id !== option.id) : [...selected, option.id]);
              }}
            />
            <span>{option.text}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
