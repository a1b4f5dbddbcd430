import { ModalDialog } from '../../shared/modal-dialog.js';
import { ActionButton, ErrorNotice } from '../../shared/form-controls.js';

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
  return (
    <ModalDialog titleId="withdraw-title" describedBy="withdraw-text" onClose={onClose}>
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
    </ModalDialog>
  );
}
