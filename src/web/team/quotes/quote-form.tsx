import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TCreateQuoteRequest, TUpdateQuoteRequest } from '../../../features/quotes/team-quote.schemas.js';
import { messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, LiveStatus, TextAreaField, TextField } from '../../shared/form-controls.js';
import { useClient } from '../clients/use-clients.js';
import { QuoteClientFields } from './quote-client-fields.js';
import { QuoteDiscountField } from './quote-discount-field.js';
import { quoteErrorsFrom, type QuoteField, type QuoteFormErrors } from './quote-form-errors.js';
import { QuoteLinesEditor } from './quote-lines-editor.js';
import { parseDiscountDraft, parseLineDraft, previewQuote, type DiscountDraft, type LineDraft, type LineErrors } from './quote-lines.js';
import { QuoteRecipientsField } from './quote-recipients-field.js';
import { QuoteTotals } from './quote-totals.js';
import { useCreateQuote, useQuoteAction, useUpdateQuote } from './use-quotes.js';
import { useQuoteFormat } from './use-quote-format.js';

export interface QuoteFormValues {
  readonly clientId: string;
  readonly clientName: string | null;
  readonly ticketId: string;
  readonly ticketText: string | null;
  readonly title: string;
  readonly lines: readonly LineDraft[];
  readonly discount: DiscountDraft;
  readonly validUntil: string;
  readonly terms: string;
  readonly requiresSignature: boolean;
  readonly recipientContactIds: readonly string[];
}

/** What the editor is doing: a new draft, changing a draft in place, or a new version of a sent quote. */
export type QuoteFormMode =
  | { readonly kind: 'new' }
  | { readonly kind: 'draft'; readonly id: string; readonly number: string }
  | { readonly kind: 'revise'; readonly id: string; readonly number: string; readonly version: number };

/** What the quote page says after the editor navigated there. */
export interface QuoteNotice {
  readonly notice: { readonly kind: 'success' | 'error'; readonly text: string };
}

const NO_ERRORS: QuoteFormErrors = { fields: {}, lines: {}, form: null };

/**
 * The quote editor: who it is for, the lines with live amounts, discount, the totals as the server
 * will compute them (same rule, computeQuote), validity, terms, signature and recipients. "Save
 * draft" keeps it to the team; "Save and send" emails it. A sent quote is revised: saving makes
 * version N+1 and emails it, which the page says before anything is pressed.
 */
export function QuoteForm({ mode, initial, currency }: { mode: QuoteFormMode; initial: QuoteFormValues; currency: string }) {
  const idBase = useId();
  const navigate = useNavigate();
  const format = useQuoteFormat();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<QuoteFormErrors>(NO_ERRORS);
  const [announcement, setAnnouncement] = useState('');
  const [pending, setPending] = useState<'draft' | 'send' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const clientInputRef = useRef<HTMLInputElement>(null);
  const client = useClient(values.clientId, { enabled: values.clientId !== '' });
  const create = useCreateQuote();
  const update = useUpdateQuote(mode.kind === 'new' ? '' : mode.id);
  const send = useQuoteAction('send');
  const money = useMemo(() => ({ currency, locale: format.locale }), [currency, format.locale]);
  const preview = useMemo(() => previewQuote(values.lines, values.discount, money), [values.lines, values.discount, money]);
  const show = (minor: number) => format.money(minor, currency);
  const set = <K extends keyof QuoteFormValues>(key: K, value: QuoteFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const fieldError = (field: QuoteField) => errors.fields[field];
  const clientName = values.clientName ?? client.data?.client.name ?? null;

  const focusFirstError = () =>
    window.requestAnimationFrame(() => {
      const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (invalid) invalid.focus();
      else formRef.current?.querySelector<HTMLElement>('.notice--error')?.scrollIntoView({ block: 'center' });
    });

  /** The form as the API's input, or the problems found before asking the server. */
  const read = () => {
    const fields: Partial<Record<QuoteField, string>> = {};
    const lines: Record<number, LineErrors> = {};
    if (!values.clientId) fields.clientId = 'Choose the client.';
    if (!values.title.trim()) fields.title = 'Give the quote a title.';
    const parsedLines = values.lines.map((line, index) => {
      const result = parseLineDraft(line, money);
      if (!result.ok) lines[index] = result.errors;
      return result.ok ? result.line : null;
    });
    const discount = parseDiscountDraft(values.discount, money);
    if (!discount.ok) fields.discount = discount.error;
    if (values.validUntil && !/^\d{4}-\d{2}-\d{2}$/.test(values.validUntil)) fields.validUntil = 'Choose a date.';
    const problems: QuoteFormErrors = {
      fields,
      lines,
      form: values.lines.length === 0 ? 'Add at least one line.' : preview.isTooLarge ? 'The total is larger than a quote can hold.' : null,
    };
    const hasProblems = Object.keys(fields).length > 0 || Object.keys(lines).length > 0 || problems.form !== null;
    if (hasProblems || !discount.ok) return { ok: false as const, problems };
    return {
      ok: true as const,
      body: {
        title: values.title.trim(),
        lines: parsedLines.flatMap((line) => (line ? [line] : [])),
        discount: discount.discount,
        validUntil: values.validUntil || null,
        terms: values.terms,
        requiresSignature: values.requiresSignature,
        recipientContactIds: [...values.recipientContactIds],
      } satisfies TUpdateQuoteRequest,
    };
  };

  const submit = async (intent: 'draft' | 'send') => {
    if (pending) return;
    const input = read();
    setErrors(input.ok ? NO_ERRORS : input.problems);
    if (!input.ok) return focusFirstError();
    setPending(intent);
    setAnnouncement(intent === 'send' ? 'Saving and sending…' : 'Saving…');
    let savedId: string | null = null;
    try {
      if (mode.kind === 'new') {
        const request: TCreateQuoteRequest = { ...input.body, clientId: values.clientId, ticketId: values.ticketId || null };
        savedId = (await create.mutateAsync(request)).quote.id;
      } else {
        const saved = await update.mutateAsync(input.body);
        savedId = saved.quote.id;
        if (mode.kind === 'revise') {
          const text = `Saved as version ${saved.quote.version} and sent to the client.`;
          return void navigate(`/quotes/${encodeURIComponent(savedId)}`, {
            replace: true,
            state: { notice: { kind: 'success', text } } satisfies QuoteNotice,
          });
        }
      }
    } catch (error) {
      setPending(null);
      setAnnouncement('');
      setErrors(quoteErrorsFrom(error));
      return focusFirstError();
    }
    let notice: QuoteNotice['notice'] = { kind: 'success', text: 'Saved as a draft. Only the team sees it until it is sent.' };
    if (intent === 'send') {
      try {
        await send.mutateAsync({ id: savedId, recipientContactIds: [...values.recipientContactIds] });
        notice = { kind: 'success', text: 'Sent. The client gets it by email.' };
      } catch (error) {
        notice = { kind: 'error', text: `Saved as a draft, but not sent: ${messageOf(error)}` };
      }
    }
    void navigate(`/quotes/${encodeURIComponent(savedId)}`, { replace: true, state: { notice } satisfies QuoteNotice });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit(mode.kind === 'revise' ? 'send' : 'draft');
  };
  const nextVersion = mode.kind === 'revise' ? mode.version + 1 : null;
  const cancelTo = mode.kind === 'new' ? '/quotes' : `/quotes/${encodeURIComponent(mode.id)}`;

  return (
    <form
      ref={formRef}
      className="quote-form"
      noValidate
      onSubmit={onSubmit}
      aria-describedby={nextVersion ? 'quote-revise-note' : undefined}
    >
      {nextVersion ? (
        <p className="notice notice--warning quote-form__revise" id="quote-revise-note">
          {mode.kind === 'revise' ? `${mode.number} was sent as version ${mode.version}. ` : ''}
          Saving creates <strong>version {nextVersion}</strong> and emails it to the recipients at once; version {nextVersion - 1} can no
          longer be accepted.
        </p>
      ) : null}
      <section className="card quote-form__section" aria-labelledby={`${idBase}-for`}>
        <h2 className="card__heading" id={`${idBase}-for`}>
          For
        </h2>
        <QuoteClientFields
          clientId={values.clientId}
          clientName={clientName}
          ticketId={values.ticketId}
          ticketText={values.ticketText}
          isLocked={mode.kind !== 'new'}
          errors={{ clientId: fieldError('clientId'), ticketId: fieldError('ticketId') }}
          clientInputRef={clientInputRef}
          onClient={(chosen) =>
            setValues((v) => ({
              ...v,
              clientId: chosen?.id ?? '',
              clientName: chosen?.name ?? null,
              ticketId: '',
              recipientContactIds: [],
            }))
          }
          onTicket={(ticketId) => set('ticketId', ticketId)}
        />
      </section>

      <section className="card quote-form__section" aria-labelledby={`${idBase}-work`}>
        <h2 className="card__heading" id={`${idBase}-work`}>
          Work and prices
        </h2>
        <TextField
          label="Title"
          hint="What the client reads first, e.g. “Replace the kitchen tap”."
          maxLength={200}
          value={values.title}
          error={fieldError('title')}
          onChange={(event) => set('title', event.target.value)}
        />
        <QuoteLinesEditor
          idBase={idBase}
          lines={values.lines}
          errors={errors.lines}
          preview={preview}
          currency={currency}
          money={show}
          onChange={(lines) => set('lines', lines)}
          onAnnounce={setAnnouncement}
        />
        <div className="quote-form__sums">
          <QuoteDiscountField
            value={values.discount}
            currency={currency}
            error={fieldError('discount')}
            onChange={(d) => set('discount', d)}
          />
          <div className="quote-form__totals">
            {preview.isTooLarge ? (
              <p className="notice notice--error">The total is larger than a quote can hold.</p>
            ) : (
              <QuoteTotals
                subtotal={preview.subtotal}
                discount={preview.discount}
                tax={preview.tax}
                total={preview.total}
                money={show}
                isPreview
              />
            )}
          </div>
        </div>
      </section>

      <section className="card quote-form__section" aria-labelledby={`${idBase}-terms`}>
        <h2 className="card__heading" id={`${idBase}-terms`}>
          Validity and terms
        </h2>
        <div className="quote-form__row">
          <TextField
            label="Valid until"
            hint="The client can accept until the end of this day."
            type="date"
            value={values.validUntil}
            error={fieldError('validUntil')}
            onChange={(event) => set('validUntil', event.target.value)}
          />
          <label className="choice__option quote-form__signature">
            <input
              type="checkbox"
              checked={values.requiresSignature}
              onChange={(event) => set('requiresSignature', event.target.checked)}
            />
            <span>
              Requires signature
              <span className="field__hint">The client draws or types their signature to accept.</span>
            </span>
          </label>
        </div>
        <TextAreaField
          label="Terms"
          hint="Shown to the client before they accept."
          rows={4}
          maxLength={20_000}
          value={values.terms}
          error={fieldError('terms')}
          onChange={(event) => set('terms', event.target.value)}
        />
      </section>

      <section className="card quote-form__section" aria-labelledby={`${idBase}-send`}>
        <h2 className="card__heading" id={`${idBase}-send`}>
          Sending
        </h2>
        <QuoteRecipientsField
          contacts={client.data?.contacts ?? []}
          chosen={values.recipientContactIds}
          error={fieldError('recipientContactIds')}
          isLoading={values.clientId !== '' && client.isPending}
          onChange={(ids) => set('recipientContactIds', ids)}
        />
      </section>

      <ErrorNotice message={errors.form} />
      <div className="quote-form__actions">
        {mode.kind === 'revise' ? (
          <ActionButton type="submit" className="button--inline" isPending={pending !== null} pendingLabel="Sending…">
            Save version {nextVersion} and send
          </ActionButton>
        ) : (
          <>
            <ActionButton
              className="button--inline"
              variant="secondary"
              isPending={pending === 'draft'}
              pendingLabel="Saving…"
              onClick={() => void submit('draft')}
            >
              Save draft
            </ActionButton>
            <ActionButton
              className="button--inline"
              isPending={pending === 'send'}
              pendingLabel="Sending…"
              onClick={() => void submit('send')}
            >
              Save and send
            </ActionButton>
          </>
        )}
        <Link className="button button--quiet button--inline" to={cancelTo}>
          Cancel
        </Link>
      </div>
      <LiveStatus>{announcement}</LiveStatus>
    </form>
  );
}
