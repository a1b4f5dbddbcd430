import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice } from '../../shared/form-controls.js';
import type { QuoteNotice } from './quote-form.js';
import { quotePdfUrl, useQuoteAction } from './use-quotes.js';
import { WithdrawDialog } from './withdraw-dialog.js';

/** What the team may do with the quote now (the server's `can`), plus the PDF, which is always there. */
export function QuoteActions({ detail, onAnnounce }: { detail: TTeamQuoteDetail; onAnnounce: (text: string) => void }) {
  const { quote, can } = detail;
  const navigate = useNavigate();
  const send = useQuoteAction('send');
  const withdraw = useQuoteAction('withdraw');
  const duplicate = useQuoteAction('duplicate');
  const [isConfirming, setIsConfirming] = useState(false);
  const error = send.error ?? duplicate.error;
  const editLabel = quote.status === 'draft' ? 'Edit' : `Edit (new version)`;
  return (
    <div className="quote-actions">
      <div className="quote-actions__buttons">
        {can.edit ? (
          <Link className="button button--secondary button--inline" to={`/quotes/${encodeURIComponent(quote.id)}/edit`}>
            {editLabel}
          </Link>
        ) : null}
        {can.send ? (
          <ActionButton
            className="button--inline"
            isPending={send.isPending}
            pendingLabel="Sending…"
            onClick={() =>
              send.mutate({ id: quote.id }, { onSuccess: () => onAnnounce(`${quote.number} was sent. The client gets it by email.`) })
            }
          >
            Send
          </ActionButton>
        ) : null}
        {can.duplicate ? (
          <ActionButton
            variant="secondary"
            className="button--inline"
            isPending={duplicate.isPending}
            pendingLabel="Duplicating…"
            onClick={() =>
              duplicate.mutate(
                { id: quote.id },
                {
                  onSuccess: (copy) =>
                    void navigate(`/quotes/${encodeURIComponent(copy.quote.id)}`, {
                      state: { notice: { kind: 'success', text: `A copy of ${quote.number}, as a new draft.` } } satisfies QuoteNotice,
                    }),
                },
              )
            }
          >
            Duplicate
          </ActionButton>
        ) : null}
        <a className="button button--secondary button--inline" href={quotePdfUrl(quote.id)} download>
          Download PDF
        </a>
        {can.withdraw ? (
          <button type="button" className="button button--quiet button--danger-text button--inline" onClick={() => setIsConfirming(true)}>
            Withdraw
          </button>
        ) : null}
      </div>
      <ErrorNotice message={error ? messageOf(error) : null} />
      {isConfirming ? (
        <WithdrawDialog
          number={quote.number}
          isPending={withdraw.isPending}
          error={withdraw.error ? messageOf(withdraw.error) : null}
          onClose={() => {
            withdraw.reset();
            setIsConfirming(false);
          }}
          onConfirm={() =>
            withdraw.mutate(
              { id: quote.id },
              {
                onSuccess: () => {
                  setIsConfirming(false);
                  onAnnounce(`${quote.number} was withdrawn.`);
                },
              },
            )
          }
        />
      ) : null}
    </div>
  );
}
