/** A labelled multiple select; pick none to mean "all". */
export function MultiSelect(props: {
  id: string;
  label: string;
  options: readonly (readonly [string, string])[];
  value: string[];
  onChange: (v: string[]) => void;
  wide?: boolean;
}) {
  const { id, label, options, value, onChange, wide = false } = props;
  return (
    <div className={`field${wide ? " wide" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        multiple
        size={Math.min(options.length, 5)}
        value={value}
        onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value))}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
