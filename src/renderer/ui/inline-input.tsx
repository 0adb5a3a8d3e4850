import { useEffect, useRef, useState } from 'react';

export interface InlineInputProps {
  initial: string;
  label: string;
  placeholder?: string;
  onCommit(value: string): void;
  onCancel(): void;
}

/** A text field for renaming in place: Enter or blur commits, Escape cancels. */
export function InlineInput({ initial, label, placeholder, onCommit, onCancel }: InlineInputProps) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (commit: boolean): void => {
    if (done.current) return;
    done.current = true;
    if (commit && value.trim() !== initial.trim()) onCommit(value.trim());
    else onCancel();
  };
  return (
    <input
      ref={ref}
      className="inline-input"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      maxLength={256}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => finish(true)}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') finish(true);
        else if (event.key === 'Escape') finish(false);
      }}
    />
  );
}
