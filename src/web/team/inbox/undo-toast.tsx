import { useEffect } from 'react';
import type { TicketStatus } from '../../../features/tickets/ticket.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { useUpdateAnyTicket } from '../tickets/use-team-tickets.js';

export interface UndoState {
  readonly ticketId: string;
  readonly number: number;
  readonly previousStatus: TicketStatus;
  readonly error: string | null;
}

const UNDO_MS = 10_000;

/**
 * "Closed #123 · Undo" for ten seconds after `e`: closing from the keyboard is one key, so it is
 * one click to take back (the ticket gets its previous status again; the history shows both).
 * The sentence is announced by the page's live region; the button is reachable with Tab.
 */
export function UndoToast({ undo, onDone, onUndone }: { undo: UndoState; onDone: () => void; onUndone: (text: string) => void }) {
  const reopen = useUpdateAnyTicket();
  useEffect(() => {
    const timer = window.setTimeout(onDone, UNDO_MS);
    return () => window.clearTimeout(timer);
  }, [undo, onDone]);
  return (
    <div className="toast">
      <span>
        Closed #{undo.number}
        {reopen.isError ? ` · Undo failed: ${messageOf(reopen.error)}` : ''}
      </span>
      <button
        type="button"
        className="button button--quiet button--small button--inline"
        aria-disabled={reopen.isPending || undefined}
        onClick={() =>
          reopen.isPending
            ? undefined
            : reopen.mutate(
                { id: undo.ticketId, change: { status: undo.previousStatus } },
                {
                  onSuccess: () => {
                    onUndone(`#${undo.number} is open again.`);
                    onDone();
                  },
                },
              )
        }
      >
        {reopen.isPending ? 'Undoing…' : `Undo closing #${undo.number}`}
      </button>
      <button type="button" className="toast__dismiss" aria-label="Dismiss" onClick={onDone}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
