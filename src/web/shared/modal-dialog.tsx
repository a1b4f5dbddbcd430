import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { keepTabInside } from './focus-trap.js';

/**
 * A modal `<dialog>` opened as it mounts and closed as it unmounts: the page behind is inert, Tab
 * stays inside, Escape (the browser's cancel) calls `onClose` instead of closing it behind React's
 * back. The caller renders the title with the id it names in `titleId`.
 */
export function ModalDialog({
  titleId,
  describedBy,
  onClose,
  children,
}: {
  titleId: string;
  describedBy?: string;
  onClose: () => void;
  children: ReactNode;
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
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event: KeyboardEvent<HTMLDialogElement>) => keepTabInside(event, ref.current)}
    >
      {children}
    </dialog>
  );
}
