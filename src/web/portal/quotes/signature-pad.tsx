import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import SignaturePad from 'signature_pad';

/** What the accept form asks of the pad. */
export interface SignaturePadHandle {
  isEmpty(): boolean;
  /** The drawing as `data:image/png;base64,…`, or null when nothing is drawn. */
  toPngDataUrl(): string | null;
  focus(): void;
}

/**
 * A drawn signature (signature_pad: mouse, pen and touch through pointer events). The canvas is
 * sized for the device pixel ratio, and redrawn from its strokes when its box changes size (a
 * phone turned sideways), so the drawing survives. It is focusable with a name and a description,
 * but drawing needs a pointer: the description points keyboard users to "Type your name".
 */
export function SignatureDrawPad({
  ref,
  hintId,
  errorId,
  onDrawnChange,
  onUseTyped,
}: {
  ref: Ref<SignaturePadHandle>;
  hintId: string;
  /** The id of the error shown for the signature, when there is one. */
  errorId: string | null;
  onDrawnChange: (isDrawn: boolean) => void;
  onUseTyped: () => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [isDrawn, setIsDrawn] = useState(false);
  const isInvalid = errorId !== null;
  const onDrawnChangeRef = useRef(onDrawnChange);
  onDrawnChangeRef.current = onDrawnChange;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { penColor: '#101828', minWidth: 0.8, maxWidth: 2.6 });
    padRef.current = pad;
    const markDrawn = () => {
      const drawn = !pad.isEmpty();
      setIsDrawn(drawn);
      onDrawnChangeRef.current(drawn);
    };
    pad.addEventListener('endStroke', markDrawn);

    // The backing store follows the box × device pixel ratio; strokes are kept in CSS pixels.
    let size = '';
    const fit = () => {
      const width = canvas.offsetWidth;
      const height = canvas.offsetHeight;
      if (width === 0 || height === 0) return; // hidden (the Type tab is showing): keep what is there
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const next = `${width}x${height}@${ratio}`;
      if (next === size) return;
      size = next;
      const strokes = pad.toData();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      if (strokes.length > 0) pad.fromData(strokes);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      pad.removeEventListener('endStroke', markDrawn);
      pad.off();
      padRef.current = null;
    };
  }, []);

  useImperativeHandle(ref, () => ({
    isEmpty: () => padRef.current?.isEmpty() ?? true,
    toPngDataUrl: () => {
      const pad = padRef.current;
      return pad && !pad.isEmpty() ? pad.toDataURL('image/png') : null;
    },
    focus: () => canvasRef.current?.focus(),
  }));

  const clear = () => {
    padRef.current?.clear();
    setIsDrawn(false);
    onDrawnChange(false);
    canvasRef.current?.focus();
  };

  return (
    <div className="signature-draw">
      <div className={isInvalid ? 'signature-draw__box signature-draw__box--invalid' : 'signature-draw__box'}>
        <canvas
          ref={canvasRef}
          className="signature-draw__canvas"
          role="img"
          tabIndex={0}
          aria-label={isDrawn ? 'Signature drawing area, signed' : 'Signature drawing area, empty'}
          aria-describedby={errorId ? `${hintId} ${errorId}` : hintId}
          aria-invalid={isInvalid || undefined}
        />
        <span className="signature-draw__line" aria-hidden="true">
          Sign above the line
        </span>
      </div>
      <div className="signature-draw__tools">
        <p className="field__hint signature-draw__hint" id={hintId}>
          Draw with your finger, a pen or the mouse. Using a keyboard?{' '}
          <button type="button" className="link-button" onClick={onUseTyped}>
            Type your name instead
          </button>
          .
        </p>
        <button type="button" className="button button--secondary button--inline button--small" onClick={clear} disabled={!isDrawn}>
          Clear
        </button>
      </div>
    </div>
  );
}
