import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * A button that opens a small panel (the organisation switcher, the account menu): Escape closes
 * it and puts the focus back on the button; a click or focus outside closes it quietly.
 */
export function useDisclosure<T extends HTMLElement>(): {
  isOpen: boolean;
  toggle: () => void;
  close: (returnFocus?: boolean) => void;
  rootRef: RefObject<T | null>;
  buttonRef: RefObject<HTMLButtonElement | null>;
} {
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<T>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: Event) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setIsOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('focusin', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('focusin', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);
  return {
    isOpen,
    toggle: () => setIsOpen((open) => !open),
    close: (returnFocus = false) => {
      setIsOpen(false);
      if (returnFocus) buttonRef.current?.focus();
    },
    rootRef,
    buttonRef,
  };
}
