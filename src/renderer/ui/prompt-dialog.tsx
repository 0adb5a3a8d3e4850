import { useState } from 'react';
import { Dialog } from './dialog';

export interface PromptDialogProps {
  title: string;
  label: string;
  initial?: string;
  confirmLabel: string;
  onSubmit(value: string): void;
  onClose(): void;
}

/** Asks for one line of text (a name); Electron has no window.prompt, and this matches the app's look. */
export function PromptDialog({
  title,
  label,
  initial = '',
  confirmLabel,
  onSubmit,
  onClose,
}: PromptDialogProps) {
  const [value, setValue] = useState(initial);
  return (
    <Dialog
      title={title}
      confirmLabel={confirmLabel}
      onConfirm={() => {
        if (value.trim()) onSubmit(value.trim());
      }}
      onClose={onClose}
    >
      <label className="field">
        <span>{label}</span>
        <input
          className="text-input"
          value={value}
          maxLength={256}
          autoFocus
          required
          onChange={(event) => setValue(event.target.value)}
        />
      </label>
    </Dialog>
  );
}
