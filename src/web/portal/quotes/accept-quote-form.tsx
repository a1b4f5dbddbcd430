import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { TAcceptQuoteRequest, TPortalQuoteDetail } from '../../../features/quotes/portal-quote.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ActionButton, ErrorNotice, FieldError, LiveStatus, TextField } from '../../shared/form-controls.js';
import { useMe } from '../auth/use-me.js';
import { usePortal } from '../portal-context.js';
import { confirmationSentence, typedSignatureMatches } from './quote-format.js';
import { QUOTE_STATE_CODES } from './quote-status.js';
import { SignatureField, type SignatureMode } from './signature-field.js';
import type { SignaturePadHandle } from './signature-pad.js';
import { useAcceptQuote } from './use-quotes.js';

type Quote = TPortalQuoteDetail['quote'];
interface Errors {
  signerName?: string;
  signature?: string;
  confirm?: string;
}

/**
 * Accepting a quote: the signer's name (the customer's own, to start with), the signature when the
 * quote asks for one, and a ticked confirmation of the exact sentence. The terms are above the form.
 * Each problem is written next to its control, and the focus goes to the first; the button cannot
 * send twice.
 */
export function AcceptQuoteForm({ quote, onRefused }: { quote: Quote; onRefused: (error: ApiError) => void }) {
  const { locale } = usePortal();
  const me = useMe();
  const accept = useAcceptQuote(quote.id);
  const confirmId = useId();
  const [signerName, setSignerName] = useState(me.data?.contact.name ?? '');
  const [mode, setMode] = useState<SignatureMode>('draw');
  const [typed, setTyped] = useState('');
  const [isConfirmed, setIsConfirmed] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const padRef = useRef<SignaturePadHandle>(null);
  const typedRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const sentence = confirmationSentence(quote, quote.locale || locale);

  // The profile may arrive after the form: the name is filled in then, unless the customer typed one.
  const meName = me.data?.contact.name;
  useEffect(() => {
    if (meName) setSignerName((current) => current || meName);
  }, [meName]);

  const focusFirst = (found: Errors) => {
    if (found.signerName) nameRef.current?.focus();
    else if (found.signature && mode === 'draw') padRef.current?.focus();
    else if (found.signature) typedRef.current?.focus();
    else if (found.confirm) confirmRef.current?.focus();
  };

  const check = (): Errors => {
    const found: Errors = {};
    if (!signerName.trim()) found.signerName = 'Enter your full name.';
    if (quote.requiresSignature && mode === 'draw' && (padRef.current?.isEmpty() ?? true)) {
      found.signature = 'Draw your signature in the box, or choose “Type your name”.';
    }
    if (quote.requiresSignature && mode === 'type' && !typedSignatureMatches(typed, signerName)) {
      found.signature = typed.trim() ? 'Type your name exactly as in “Your full name” above.' : 'Type your full name to sign.';
    }
    if (!isConfirmed) found.confirm = 'Tick the box to confirm that you accept this quote.';
    return found;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (accept.isPending) return;
    const found = check();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    let signature: TAcceptQuoteRequest['signature'];
    if (quote.requiresSignature) {
      const dataUrl = mode === 'draw' ? padRef.current?.toPngDataUrl() : null;
      signature = dataUrl ? { kind: 'drawn', dataUrl } : { kind: 'typed' };
    }
    const input: TAcceptQuoteRequest = { version: quote.version, signerName: signerName.trim(), ...(signature ? { signature } : {}) };
    accept.mutate(input, {
      onError: (error) => {
        if (error instanceof ApiError && QUOTE_STATE_CODES.has(error.code)) return onRefused(error);
        const next = errorsFrom(error);
        setErrors(next.fields);
        setFormError(next.form);
        focusFirst(next.fields);
      },
    });
  };

  return (
    <form className="stack-form accept-form" noValidate onSubmit={onSubmit} aria-labelledby="accept-title">
      <h2 className="section-title" id="accept-title">
        Accept this quote
      </h2>
      <p className="muted accept-form__intro">Please read the lines and the terms above before you sign.</p>
      <TextField
        ref={nameRef}
        label="Your full name"
        name="signerName"
        autoComplete="name"
        maxLength={200}
        value={signerName}
        onChange={(event) => {
          setSignerName(event.target.value);
          if (errors.signerName) setErrors((e) => ({ ...e, signerName: undefined }));
        }}
        error={errors.signerName ?? null}
      />
      {quote.requiresSignature ? (
        <SignatureField
          mode={mode}
          onModeChange={(next) => {
            setMode(next);
            setErrors((e) => ({ ...e, signature: undefined }));
            if (next === 'type') window.setTimeout(() => typedRef.current?.focus(), 0);
          }}
          padRef={padRef}
          typed={typed}
          onTypedChange={(value) => {
            setTyped(value);
            if (errors.signature) setErrors((e) => ({ ...e, signature: undefined }));
          }}
          typedRef={typedRef}
          error={errors.signature ?? null}
          onDrawnChange={() => errors.signature && setErrors((e) => ({ ...e, signature: undefined }))}
        />
      ) : null}
      <div className={errors.confirm ? 'confirm field--invalid' : 'confirm'}>
        <input
          ref={confirmRef}
          id={confirmId}
          className="confirm__box"
          type="checkbox"
          required
          checked={isConfirmed}
          onChange={(event) => {
            setIsConfirmed(event.target.checked);
            if (errors.confirm) setErrors((e) => ({ ...e, confirm: undefined }));
          }}
          aria-invalid={errors.confirm ? true : undefined}
          aria-describedby={errors.confirm ? `${confirmId}-error` : undefined}
        />
        <label className="confirm__label" htmlFor={confirmId}>
          {sentence}
        </label>
        <FieldError id={`${confirmId}-error`} message={errors.confirm} />
      </div>
      <ErrorNotice message={formError} />
      <div className="form-actions">
        <ActionButton type="submit" className="button--inline accept-form__submit" isPending={accept.isPending} pendingLabel="Accepting…">
          Accept quote
        </ActionButton>
      </div>
      <LiveStatus>{accept.isPending ? 'Accepting the quote…' : ''}</LiveStatus>
    </form>
  );
}

/** A refused acceptance, spread over the form: signature problems next to the signature, the rest by field. */
function errorsFrom(error: unknown): { fields: Errors; form: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, form: messageOf(error) };
  if (error.code === 'SIGNATURE_REQUIRED' || error.code === 'SIGNATURE_INVALID') {
    return { fields: { signature: `${error.message} Please draw it again, or choose “Type your name”.` }, form: null };
  }
  const fields: Errors = {};
  for (const detail of error.details) {
    const path = detail.path.split('.')[0];
    if (path === 'signerName') fields.signerName ??= `Your full name ${detail.message}.`;
    if (path === 'signature') fields.signature ??= `The signature ${detail.message}. Please draw it again, or choose “Type your name”.`;
  }
  return { fields, form: Object.keys(fields).length > 0 ? null : error.message };
}
