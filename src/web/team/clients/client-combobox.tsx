import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { TTeamClient } from '../../../features/clients/team-client.schemas.js';
import { useClientList } from './use-clients.js';
import { FieldError } from '../../shared/form-controls.js';

/**
 * Finds a client by typing (its name, or a contact's name or email): an ARIA combobox with a
 * listbox of matches, arrow keys to move, Enter to choose, Escape to close. Thousands of clients
 * stay fast because the server searches; the box asks after a short pause in typing.
 */
export function ClientCombobox({
  label,
  hint,
  error,
  onChoose,
  inputRef,
  placeholder = 'Search clients…',
  hideLabel = false,
}: {
  label: string;
  hint?: string;
  error?: string | null | undefined;
  onChoose: (client: TTeamClient) => void;
  inputRef?: React.Ref<HTMLInputElement>;
  placeholder?: string;
  hideLabel?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [isOpen, setIsOpen] = useState(false);
  const [active, setActive] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text), 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  const list = useClientList(query, 8);
  const options = isOpen ? (list.data?.pages[0]?.clients ?? []) : [];

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: Event) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [isOpen]);

  const choose = (client: TTeamClient) => {
    onChoose(client);
    setText('');
    setQuery('');
    setIsOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!isOpen) return setIsOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (options.length === 0 ? 0 : (index + step + options.length) % options.length));
    } else if (event.key === 'Enter' && isOpen) {
      const option = options[active];
      if (option) {
        event.preventDefault();
        choose(option);
      }
    } else if (event.key === 'Escape' && isOpen) {
      event.preventDefault();
      event.stopPropagation();
      setIsOpen(false);
    }
  };
  const activeOption = options[active];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid combobox' : 'field combobox'} ref={rootRef}>
      <label className={hideLabel ? 'visually-hidden' : 'field__label'} htmlFor={`${id}-input`}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        ref={inputRef}
        id={`${id}-input`}
        className="field__input"
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        aria-expanded={isOpen}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={isOpen && activeOption ? `${id}-option-${activeOption.id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setIsOpen(true);
        }}
        onFocus={() => setIsOpen(true)}
        onKeyDown={onKeyDown}
      />
      <ul className="combobox__list" id={`${id}-list`} role="listbox" aria-label={label} hidden={!isOpen}>
        {options.map((client, index) => (
          <li
            key={client.id}
            id={`${id}-option-${client.id}`}
            role="option"
            aria-selected={index === active}
            className="combobox__option"
            onPointerDown={(event) => event.preventDefault()}
            onClick={() => choose(client)}
          >
            <span className="combobox__name">{client.name}</span>
            <span className="combobox__meta">{client.contactCount === 1 ? '1 contact' : `${client.contactCount} contacts`}</span>
          </li>
        ))}
        {isOpen && options.length === 0 ? (
          <li className="combobox__empty" role="presentation">
            {list.isFetching ? 'Searching…' : 'No clients match.'}
          </li>
        ) : null}
      </ul>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
