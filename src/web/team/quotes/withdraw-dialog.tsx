import { useEffect, useRef, type KeyboardEvent } from 'react';
import { ActionButton, ErrorNotice } from '../../shared/form-controls.js';
import { keepTabInside } from '../../shared/focus-trap.js';

/** "Withdraw Q-12?" — a modal confirm; Escape or Cancel keeps the quote as it is. */
export function WithdrawDialog({
  number,
  isPending,
  error,
  onConfirm,
  onClose,
}: {
  number: string;
  isPending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="withdraw-title"
      aria-describedby="withdraw-text"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event: KeyboardEvent<HTMLDialogElement>) => keepTabInside(event, ref.current)}
    >
      <h2 className="dialog__title" id="withdraw-title">
        Withdraw {number}?
      </h2>
      <p className="muted" id="withdraw-text">
        The client can no longer accept it; the portal shows it as withdrawn. This cannot be undone, but you can duplicate it later.
      </p>
      <ErrorNotice message={error} />
      <div className="dialog__actions">
        <button type="button" className="button button--secondary button--inline" onClick={onClose} autoFocus>
          Keep it
        </button>
        <ActionButton variant="danger" className="button--inline" isPending={isPending} pendingLabel="Withdrawing…" onClick={onConfirm}>
          Withdraw quote
        </ActionButton>
      </div>
    </dialog>
  );
}
