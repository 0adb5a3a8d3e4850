import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** `null` for a dialog that only informs (one button). */
  cancelLabel?: string | null;
  wide?: boolean;
  danger?: boolean;
  onConfirm(): void;
  onClose(): void;
}

/** A modal built on <dialog>: the browser traps focus and Escape closes it. */
export function Dialog(props: DialogProps) {
  const { title, children, confirmLabel, cancelLabel = 'Cancel', wide, danger, onConfirm, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onConfirm();
    onClose();
  };
  return (
    <dialog ref={ref} className={wide ? 'dialog wide' : 'dialog'} aria-label={title} onClose={onClose}>
      <form onSubmit={submit}>
        <h2 className="dialog-title">{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">
          {cancelLabel === null ? null : (
            <button type="button" className="button" onClick={onClose}>
              {cancelLabel}
            </button>
          )}
          <button type="submit" className={danger ? 'button danger' : 'button primary'} autoFocus>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
