import { useEffect, useRef, useState } from 'react';

/**
 * The recovery codes, shown once right after two-step sign-in is turned on: copy them, download
 * them as a text file, and confirm they are kept before the page moves on (they are never shown
 * again; the server keeps only their hashes).
 */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [status, setStatus] = useState('');
  const [downloadUrl] = useState(() =>
    URL.createObjectURL(new Blob([`Servelo recovery codes\nEach code works once.\n\n${codes.join('\n')}\n`], { type: 'text/plain' })),
  );
  useEffect(() => () => URL.revokeObjectURL(downloadUrl), [downloadUrl]);
  useEffect(() => headingRef.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setStatus('The recovery codes are copied.');
    } catch {
      setStatus('Copying is not allowed here. Select the codes and copy them, or download them.');
    }
  };

  return (
    <div className="recovery">
      <h3 className="recovery__title" ref={headingRef} tabIndex={-1}>
        Two-step sign-in is on. Save your recovery codes
      </h3>
      <p className="card__text">
        If you lose your phone, each of these codes signs you in once instead of the app&rsquo;s code. They are shown only now.
      </p>
      <ul className="recovery__codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="card__actions">
        <button type="button" className="button button--secondary button--inline" onClick={() => void copy()}>
          Copy codes
        </button>
        <a className="button button--secondary button--inline" href={downloadUrl} download="servelo-recovery-codes.txt">
          Download as text
        </a>
        <button type="button" className="button button--primary button--inline" onClick={onDone}>
          I have saved them
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {status ? <p className="muted">{status}</p> : null}
    </div>
  );
}
