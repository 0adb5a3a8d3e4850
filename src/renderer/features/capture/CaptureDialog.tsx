import { useShowModal } from '../sync/use-sync';
import type { CaptureSavedView } from '../../../shared/contract';
import { CaptureView } from './CaptureView';

/** Quick note inside the main window (palette, menu, Mod+Alt+Q): the capture view in a modal <dialog>. */
export function CaptureDialog(props: {
  accountId: string;
  notebookId: string | null;
  onSaved(saved: CaptureSavedView): void;
  onClose(): void;
}) {
  const ref = useShowModal();
  return (
    <dialog
      ref={ref}
      className="dialog capture-dialog"
      aria-label="Quick note"
      onClose={props.onClose}
      onCancel={(event) => {
        // Esc is handled by the form (it keeps the draft); the dialog's own cancel would do the same.
        event.preventDefault();
        props.onClose();
      }}
    >
      <CaptureView
        accountId={props.accountId}
        notebookId={props.notebookId}
        onSaved={(saved) => {
          props.onSaved(saved);
          props.onClose();
        }}
        onClose={props.onClose}
      />
    </dialog>
  );
}
